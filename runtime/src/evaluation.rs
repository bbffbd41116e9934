//! Output evaluation: commit-reveal peer scoring with weighted-median consensus
//! (`pallet-evaluation`), configured for this runtime.

use crate::{
	currency::UNIT,
	governance::ParameterOrigin,
	time::{DAYS, HOURS, MINUTES},
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
	/// Commit and reveal windows of at least 5 blocks (30 s) each: a drawn evaluator's agent
	/// sees the draw and has 4 more blocks to get its commitment (or reveal) included.
	pub const EvaluationMinWindow: BlockNumber = 5;
	/// Commit and reveal windows of at most 7 days each (the genesis `max_period`).
	pub const EvaluationMaxWindow: BlockNumber = 7 * DAYS;
	/// Evaluator bonds unbond within 28 days at most.
	pub const EvaluationMaxUnbondingDelay: BlockNumber = 28 * DAYS;
	/// At most 10,000 reputation per seat (genesis `accuracy_reward`: 1,000).
	pub const EvaluationMaxReputationReward: u128 = 10_000;
	/// At most 50,000 reputation lost per seat (genesis penalties: 2,000 and 5,000).
	pub const EvaluationMaxReputationPenalty: u128 = 50_000;
	/// Finished tasks stay readable (runtime API, explorers) for a day after they fell due.
	pub const EvaluationTaskRetention: BlockNumber = DAYS;
	/// Governance has at most 28 days to decide a final appeal (a referendum's decision and
	/// confirm periods fit).
	pub const EvaluationMaxGovernancePeriod: BlockNumber = 28 * DAYS;
	/// The first appeal costs at most 2 × 10,000 PRSP (genesis base 50 PRSP: 100, 200, 400).
	pub const EvaluationMaxAppealBondBase: Balance = 10_000 * UNIT;
}

/// Most evaluators in the draw. A draw reads ⌊log₂ 4096⌋ + 1 = 13 tree nodes per seat;
/// filling every slot takes 4,096 × `min_bond` (409,600 PRSP at genesis) of bonds.
pub const MAX_EVALUATORS: u32 = 4_096;

impl pallet_evaluation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Reputation = Reputation;
	/// Scores contributions and credits evaluators' participation points.
	type OnSettled = crate::Contributions;
	/// The parent block's BABE VRF output: unknown when a task is opened, known in the next
	/// block, where its panel is drawn (see `randomness.rs` for who can bias it).
	type Randomness = crate::randomness::BlockRandomness;
	type ParamsOrigin = ParameterOrigin;
	/// A final appeal is decided like a parameter change: root, a referendum on the general
	/// admin track, or a motion of half the council.
	type DisputeOrigin = ParameterOrigin;
	/// Two appeal rounds (7 → 15 → 31 seats at genesis; at most 9 → 19 → 39), then governance.
	type MaxAppealRounds = ConstU32<2>;
	/// Up to 4 accounts fund one appeal, each at least a quarter of the bond (every backer is
	/// barred from the appeal's draw, which the hook's worst case pays for per backer).
	type MaxAppealBackers = ConstU32<4>;
	type MaxGovernancePeriod = EvaluationMaxGovernancePeriod;
	type MaxAppealBondBase = EvaluationMaxAppealBondBase;
	type MaxCriteria = ConstU32<8>;
	type MaxCriterionNameLen = ConstU32<32>;
	type MaxUriLen = ConstU32<256>;
	/// Panels of up to 9 seats (genesis 7). Settlement is charged its worst case up front:
	/// every member penalized, and each penalty re-tallying the member's votes in up to
	/// `MaxVotes` referenda (≈ 5 ms each); a 9-seat panel is about 60 ms.
	type MaxPanelSize = ConstU32<9>;
	type MaxEvaluators = ConstU32<MAX_EVALUATORS>;
	/// 6 new tasks and 6 due tasks per block (3 of each for direct `open_task`, 3 reserved for
	/// contribution scoring): the most whose worst-case settlement fits in the hook's quarter
	/// block, so settling 6 per block keeps up with the worst flood (`integrity_test` and
	/// `evaluation_call_weights_fit_in_a_block` check it). One task per second, 86,400 a day.
	type MaxTasksPerBlock = ConstU32<6>;
	type MaxSettlementsPerBlock = ConstU32<6>;
	type TaskRetention = EvaluationTaskRetention;
	type MaxMinBond = EvaluationMaxMinBond;
	type MaxMinReward = EvaluationMaxMinReward;
	type MinWindow = EvaluationMinWindow;
	type MaxWindow = EvaluationMaxWindow;
	type MaxUnbondingDelay = EvaluationMaxUnbondingDelay;
	type MaxReputationReward = EvaluationMaxReputationReward;
	type MaxReputationPenalty = EvaluationMaxReputationPenalty;
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
/// more than an outlier, so hiding a bad score never pays. Panels of 7 seats with a quorum of
/// 4: a 10% bloc holds the median seat of 0.27% of panels, a 20% bloc of 3.3% (old first-come
/// rule: every task it wanted). An outlier loses 1% of `min_bond` per seat, so a Sybil without
/// reputation pays for lying, while honest seats (≈1% outliers from noise) still earn.
///
/// Appeals (see the pallet README, "Appeals"): each round's verdict may be appealed for
/// `appeal_period` blocks; bonds of 100, 200 and 400 PRSP (base 50) for the two appeal panels
/// and governance, so that an appeal against an honest verdict loses more than it can win from
/// the penalties, while an appeal that overturns a bought panel is refunded with half of them.
pub fn genesis_params(
	period: BlockNumber,
	unbonding_delay: BlockNumber,
	appeal_period: BlockNumber,
	governance_period: BlockNumber,
) -> EvaluationParams<Balance, BlockNumber> {
	EvaluationParams {
		min_bond: 100 * UNIT,
		unbonding_delay,
		min_reward: UNIT,
		min_period: 5,
		max_period: 7 * DAYS,
		default_period: period,
		panel_size: 7,
		quorum: 4,
		tolerance: 10,
		no_show_slash: Perbill::from_percent(2),
		outlier_slash: Perbill::from_percent(1),
		no_show_penalty: 5_000,
		outlier_penalty: 2_000,
		accuracy_reward: 1_000,
		appeal_period,
		appeal_bond_base: 50 * UNIT,
		max_appeal_rounds: 2,
		governance_period,
	}
}

/// `development`: 10-block windows, 20-block unbonding, 5-block appeal windows, 20 blocks for
/// governance.
pub fn development_params() -> EvaluationParams<Balance, BlockNumber> {
	genesis_params(10, 20, 5, 20)
}

/// `local_testnet`: 10-minute windows, 1-day unbonding, 1-hour appeal windows, 7 days for
/// governance.
pub fn local_params() -> EvaluationParams<Balance, BlockNumber> {
	genesis_params(10 * MINUTES, DAYS, HOURS, 7 * DAYS)
}

#[cfg(test)]
mod tests;
