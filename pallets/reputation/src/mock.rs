//! Test runtime: System + Reputation, governance = Root.

use crate as pallet_reputation;
use frame_support::{derive_impl, parameter_types, weights::Weight};
use perspective_primitives::{OnReputationReduced, ReputationScore};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Reputation = pallet_reputation;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	/// (account, new score) pairs passed to the `OnReduced` hook.
	pub static Reduced: Vec<(u64, ReputationScore)> = vec![];
}

pub struct RecordReduced;
impl OnReputationReduced<u64> for RecordReduced {
	fn on_reputation_reduced(who: &u64, new_score: ReputationScore) -> Weight {
		Reduced::mutate(|r| r.push((*who, new_score)));
		Weight::from_parts(1, 0)
	}
	fn max_weight() -> Weight {
		Weight::from_parts(1, 0)
	}
}

impl pallet_reputation::Config for Test {
	type GovernanceOrigin = frame_system::EnsureRoot<u64>;
	type OnReduced = RecordReduced;
	type MinHalfLife = frame_support::traits::ConstU64<MIN_HALF_LIFE>;
	type MaxGrant = frame_support::traits::ConstU128<MAX_GRANT>;
	type GrantPeriod = frame_support::traits::ConstU64<GRANT_PERIOD>;
	type WeightInfo = ();
}

pub const HALF_LIFE: u64 = 100;
pub const MIN_HALF_LIFE: u64 = 10;
/// Governance grants at most 1,000 reputation per 50 blocks.
pub const MAX_GRANT: u128 = 1_000;
pub const GRANT_PERIOD: u64 = 50;

/// Accounts 1 and 2 start with 1_000 and 500 reputation; half-life 100 blocks.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_reputation::GenesisConfig::<Test> {
		half_life: HALF_LIFE,
		scores: vec![(1, 1_000_000_000), (2, 500_000_000)],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		// Events are only recorded from block 1; restart the decay clock there so the figures
		// in tests are round (one block of decay since genesis would otherwise show).
		System::set_block_number(1);
		crate::Clock::<Test>::mutate(|clock| clock.since = 1);
	});
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Reputation::do_try_state().expect("invariants hold");
	});
}

/// Moves to `blocks` blocks after the start of the test.
pub fn run_to(blocks: u64) {
	System::set_block_number(1 + blocks);
}
