//! Test runtime: System + Balances + Evaluation, with a reputation table that records every
//! change and a recorder for settled tasks.

use crate::{self as pallet_evaluation, EvaluationParams};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks},
	weights::Weight,
};
use perspective_primitives::{
	evaluation::{OnTaskSettled, SettledTask},
};
use sp_arithmetic::Perbill;
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
	pub type Evaluation = pallet_evaluation;
}

parameter_types! {
	/// 4 s of compute per block: the settlement hook may use 1 s.
	pub MockBlockWeights: frame_system::limits::BlockWeights =
		frame_system::limits::BlockWeights::simple_max(Weight::from_parts(4_000_000_000_000, u64::MAX));
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type BlockWeights = MockBlockWeights;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
}

pub use perspective_test_utils::{
	MaxPenaltyHookWeight, PenaltyHookWeight, ReputationLog, ReputationTable, TestReputation,
};

parameter_types! {
	/// Every task the `OnSettled` hook heard about.
	pub static SettledLog: Vec<SettledTask<u64>> = vec![];
	pub static MaxSettlements: u32 = 4;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for TestReputation {
	fn set_reputation(who: &u64, score: perspective_primitives::ReputationScore) {
		ReputationTable::mutate(|t| t.insert(*who, score));
	}
}

pub struct RecordSettled;
impl OnTaskSettled<u64> for RecordSettled {
	fn on_task_settled(task: &SettledTask<u64>) -> Weight {
		SettledLog::mutate(|l| l.push(task.clone()));
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

impl pallet_evaluation::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = TestReputation;
	type OnSettled = RecordSettled;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type MaxCriteria = ConstU32<4>;
	type MaxCriterionNameLen = ConstU32<16>;
	type MaxUriLen = ConstU32<64>;
	type Randomness = MockRandomness;
	type MaxPanelSize = ConstU32<5>;
	type MaxEvaluators = ConstU32<MAX_EVALUATORS>;
	type MaxTasksPerBlock = ConstU32<4>;
	type MaxSettlementsPerBlock = MaxSettlements;
	type TaskRetention = ConstU64<RETENTION>;
	type MaxMinBond = ConstU64<MAX_MIN_BOND>;
	type MaxMinReward = ConstU64<MAX_MIN_REWARD>;
	type MinWindow = ConstU64<2>;
	type MaxWindow = ConstU64<MAX_WINDOW>;
	type MaxUnbondingDelay = ConstU64<MAX_UNBONDING_DELAY>;
	type MaxReputationReward = ConstU128<MAX_REPUTATION_REWARD>;
	type MaxReputationPenalty = ConstU128<MAX_REPUTATION_PENALTY>;
	type DisputeOrigin = frame_system::EnsureRoot<u64>;
	type MaxAppealRounds = ConstU32<2>;
	type MaxAppealBackers = ConstU32<4>;
	type MaxGovernancePeriod = ConstU64<100>;
	type MaxAppealBondBase = ConstU64<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestReputation;
}

/// Parameter bounds (the benchmarks' parameters sit at several of them).
pub const MAX_MIN_BOND: u64 = 1_000;
pub const MAX_MIN_REWARD: u64 = 1_000;
pub const MAX_WINDOW: u64 = 100;
pub const MAX_UNBONDING_DELAY: u64 = 100;
pub const MAX_REPUTATION_REWARD: u128 = 1_000;
pub const MAX_REPUTATION_PENALTY: u128 = 1_000;
pub const MAX_EVALUATORS: u32 = 8;
pub const RETENTION: u64 = 20;

parameter_types! {
	/// Mixed into the mock randomness, so a test can try other draws.
	pub static RandomSeed: u64 = 0;
	/// The block numbers at which the pallet asked for randomness.
	pub static RandomnessAsked: Vec<u64> = vec![];
}

/// Deterministic randomness: a hash of the seed, the subject and the block number.
pub struct MockRandomness;
impl frame_support::traits::Randomness<sp_core::H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (sp_core::H256, u64) {
		use codec::Encode;
		let now = System::block_number();
		RandomnessAsked::mutate(|a| a.push(now));
		(sp_core::H256(sp_io::hashing::blake2_256(&(RandomSeed::get(), subject, now).encode())), now)
	}
}

pub const MIN_BOND: u64 = 100;
pub const OPENER: u64 = 10;
pub const PERIOD: u64 = 5;

pub fn params() -> EvaluationParams<u64, u64> {
	EvaluationParams {
		min_bond: MIN_BOND,
		unbonding_delay: 10,
		min_reward: 50,
		min_period: 2,
		max_period: 20,
		default_period: PERIOD,
		panel_size: 3,
		quorum: 2,
		tolerance: 10,
		no_show_slash: Perbill::from_percent(10),
		outlier_slash: Perbill::from_percent(5),
		no_show_penalty: 50,
		outlier_penalty: 20,
		accuracy_reward: 10,
		appeal_period: 0,
		appeal_bond_base: 100,
		max_appeal_rounds: 2,
		governance_period: 10,
	}
}

/// Accounts 1..=6 and the opener (10) hold 10,000 each; 1..=5 have reputation 100.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=6).chain([OPENER]).map(|who| (who, 10_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_evaluation::GenesisConfig::<Test> { params: Some(params()) }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		TestReputation::reset((1..=5).map(|who| (who, 100)));
		SettledLog::set(vec![]);
		MaxSettlements::set(4);
		RandomSeed::set(0);
		RandomnessAsked::set(vec![]);
	});
	ext
}

pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Evaluation::do_try_state().expect("invariants hold");
	});
}

pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Evaluation::on_initialize(next);
	}
}

extern crate alloc;
