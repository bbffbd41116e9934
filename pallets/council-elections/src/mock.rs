//! Test runtime: System + Balances + Elections, with a reputation table and a recorder for the
//! council it elects.

use crate::{self as pallet_council_elections, ElectionParams};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ChangeMembers, ConstU128, ConstU32, ConstU64, Hooks, InitializeMembers},
};
use perspective_primitives::{ReputationProvider, ReputationScore};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeTask
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Elections = pallet_council_elections;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<2>;
}

parameter_types! {
	pub static ReputationTable: BTreeMap<u64, ReputationScore> = BTreeMap::new();
	/// What the collective would have been told: the council after each change.
	pub static Council: Vec<u64> = vec![];
	pub static Turnout: u64 = 1_000;
}

pub struct TestReputation;
impl ReputationProvider<u64> for TestReputation {
	fn reputation_of(who: &u64) -> ReputationScore {
		ReputationTable::get().get(who).copied().unwrap_or(0)
	}
	fn total_reputation() -> ReputationScore {
		ReputationTable::get().values().sum()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for TestReputation {
	fn set_reputation(who: &u64, score: ReputationScore) {
		ReputationTable::mutate(|t| t.insert(*who, score));
	}
}

pub struct RecordCouncil;
impl ChangeMembers<u64> for RecordCouncil {
	fn change_members_sorted(_incoming: &[u64], _outgoing: &[u64], sorted_new: &[u64]) {
		Council::set(sorted_new.to_vec());
	}
}
impl InitializeMembers<u64> for RecordCouncil {
	fn initialize_members(members: &[u64]) {
		Council::set(members.to_vec());
	}
}

impl pallet_council_elections::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type Reputation = TestReputation;
	type MaxTurnout = Turnout;
	type ChangeMembers = RecordCouncil;
	type InitializeMembers = RecordCouncil;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type TermDuration = ConstU64<10>;
	type MaxCandidates = ConstU32<4>;
	type BallotDeposit = ConstU64<BALLOT_DEPOSIT>;
	type MinMembersFloor = ConstU32<2>;
	/// 1% of a house: a stake of 10 of the 1,000 turnout.
	type MinElectedWeight = ConstU128<{ crate::weight::HOUSE / 100 }>;
	type MaxCandidacyBond = ConstU64<1_000>;
	type MaxMinCandidateReputation = ConstU128<1_000>;
	type MaxVotesPerVoter = ConstU32<2>;
	type MaxMembers = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestReputation;
}

pub const BOND: u64 = 10;
pub const BALLOT_DEPOSIT: u64 = 2;
pub const MIN_REPUTATION: u128 = 50;

/// Accounts 1..=6 hold 100 each; 1..=4 have reputation 100, 5 has 10, 6 none. The genesis
/// council is [1, 2]; two seats (at least two), bond 10, minimum reputation 50, ballot deposit 2.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=6).map(|who| (who, 100)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_council_elections::GenesisConfig::<Test> {
		members: vec![2, 1],
		params: ElectionParams {
			candidacy_bond: BOND,
			min_candidate_reputation: MIN_REPUTATION,
			desired_members: 2,
			min_members: 2,
		},
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		ReputationTable::set([(1, 100), (2, 100), (3, 100), (4, 100), (5, 10)].into_iter().collect());
	});
	ext
}

pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Elections::do_try_state().expect("invariants hold");
	});
}

pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Elections::on_initialize(next);
	}
}

extern crate alloc;
