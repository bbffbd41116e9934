//! Output evaluation: commit-reveal peer scoring with weighted-median consensus
//! (`pallet-evaluation`), configured for this runtime.

use crate::{
	currency::UNIT,
	governance::ParameterOrigin,
	time::{DAYS, MINUTES},
	Balance, Balances, BlockNumber, Reputation, Runtime, RuntimeHoldReason,
};
use frame_support::{parameter_types, traits::ConstU32};
use pallet_evaluation::EvaluationParams;
use sp_runtime::Perbill;

parameter_types! {
	/// The most governance may ask evaluators to bond: 10,000 PRSP, 100× the genesis minimum
	/// (dev accounts hold 1,000,000 PRSP).
	pub const EvaluationMaxMinBond: Balance = 10_000 * UNIT;
	/// The smallest pot governance may require is at most 10 PRSP (genesis 1 PRSP); the
	/// contributions pallet's `evaluation_fee` is at least this much (`MinEvaluationFee`), so
	/// registrations always open tasks.
	pub const EvaluationMaxMinReward: Balance = 10 * UNIT;
	/// Commit and reveal windows of at most 7 days each (the genesis `max_period`).
	pub const EvaluationMaxWindow: BlockNumber = 7 * DAYS;
	/// Evaluator bonds unbond within 28 days at most.
	pub const EvaluationMaxUnbondingDelay: BlockNumber = 28 * DAYS;
	/// At most 10,000 reputation per evaluator per task (genesis `accuracy_reward`: 1,000).
	pub const EvaluationMaxReputationReward: u128 = 10_000;
	/// At most 50,000 reputation lost per evaluator per task (genesis penalties: 2,000 and
	/// 5,000).
	pub const EvaluationMaxReputationPenalty: u128 = 50_000;
	/// `base_reputation` of at most 1,000,000 (genesis 10,000; the dev accounts' reputation).
	pub const EvaluationMaxBaseReputation: u128 = 1_000_000;
}

impl pallet_evaluation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = Reputation;
	/// Scores contributions and credits evaluators' participation points.
	type OnSettled = crate::Contributions;
	type ParamsOrigin = ParameterOrigin;
	type MaxCriteria = ConstU32<8>;
	type MaxCriterionNameLen = ConstU32<32>;
	type MaxUriLen = ConstU32<256>;
	type MaxEvaluatorsPerTask = ConstU32<32>;
	type MaxPendingPerEvaluator = ConstU32<32>;
	type MaxTasksPerBlock = ConstU32<64>;
	type MaxSettlementsPerBlock = ConstU32<16>;
	type MaxMinBond = EvaluationMaxMinBond;
	type MaxMinReward = EvaluationMaxMinReward;
	type MaxWindow = EvaluationMaxWindow;
	type MaxUnbondingDelay = EvaluationMaxUnbondingDelay;
	type MaxReputationReward = EvaluationMaxReputationReward;
	type MaxReputationPenalty = EvaluationMaxReputationPenalty;
	type MaxBaseReputation = EvaluationMaxBaseReputation;
	type WeightInfo = pallet_evaluation::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::governance::ReputationBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_evaluation::BenchmarkHelper<crate::AccountId> for crate::governance::ReputationBenchmarkHelper {
	fn set_reputation(who: &crate::AccountId, score: u128) {
		<Self as pallet_hybrid_voting::BenchmarkHelper<crate::AccountId>>::set_reputation(who, score)
	}
}

/// Genesis parameters, chosen with `evaluation-sim` (see `pallets/evaluation/README.md`):
/// tolerance 10 points per criterion keeps honest evaluators (5-point noise) within tolerance
/// 98% of the time while a bloc pushing +30 with up to 30% of the weight earns under 1% of
/// the pots; an outlier penalty of 2× the accuracy reward keeps honest evaluators' reputation
/// growing under that attack while random, lazy and colluding scorers lose it. A no-show loses
/// more than an outlier, so hiding a bad score never pays.
pub fn genesis_params(period: BlockNumber, unbonding_delay: BlockNumber) -> EvaluationParams<Balance, BlockNumber> {
	EvaluationParams {
		min_bond: 100 * UNIT,
		unbonding_delay,
		min_reward: UNIT,
		min_period: 2,
		max_period: 7 * DAYS,
		default_period: period,
		min_evaluators: 3,
		tolerance: 10,
		no_show_slash: Perbill::from_percent(10),
		no_show_penalty: 5_000,
		outlier_penalty: 2_000,
		accuracy_reward: 1_000,
		base_reputation: 10_000,
	}
}

/// `development`: 10-block windows, 20-block unbonding.
pub fn development_params() -> EvaluationParams<Balance, BlockNumber> {
	genesis_params(10, 20)
}

/// `local_testnet`: 10-minute windows, 1-day unbonding.
pub fn local_params() -> EvaluationParams<Balance, BlockNumber> {
	genesis_params(10 * MINUTES, DAYS)
}

#[cfg(test)]
mod tests;
