//! Records stored by the pallet and the views its runtime API returns.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use perspective_primitives::{
	evaluation::{Score, SubjectKind},
	ReputationScore,
};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;
use sp_core::H256;

/// Parameters governance sets (`set_params`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvaluationParams<Balance, BlockNumber> {
	/// Smallest bond an evaluator must hold to commit.
	pub min_bond: Balance,
	/// Blocks between `unbond` and `withdraw`.
	pub unbonding_delay: BlockNumber,
	/// Smallest reward pot a task may offer.
	pub min_reward: Balance,
	/// Shortest commit or reveal window, in blocks.
	pub min_period: BlockNumber,
	/// Longest commit or reveal window, in blocks.
	pub max_period: BlockNumber,
	/// Commit and reveal window of tasks opened by other pallets.
	pub default_period: BlockNumber,
	/// Fewest reveals any task needs to reach a consensus (openers may ask for more).
	pub min_evaluators: u32,
	/// Points per criterion an evaluator may deviate from the consensus and still be paid.
	pub tolerance: Score,
	/// Fraction of a no-show's bond that is burnt.
	pub no_show_slash: Perbill,
	/// Reputation a no-show loses.
	pub no_show_penalty: ReputationScore,
	/// Reputation an outlier (beyond tolerance) loses.
	pub outlier_penalty: ReputationScore,
	/// Reputation an exact match gains; closer-but-not-exact evaluators gain proportionally less.
	pub accuracy_reward: ReputationScore,
	/// Reputation added to everyone's in the weight formula, so that newcomers without
	/// reputation still count: weight = bond × (reputation + base_reputation).
	pub base_reputation: ReputationScore,
}

/// A registered evaluator.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct EvaluatorInfo<Balance, BlockNumber> {
	/// Balance held as bond.
	pub bond: Balance,
	/// Set by `unbond`: the block from which `withdraw` releases the bond.
	pub unbonding_at: Option<BlockNumber>,
	/// Open tasks this evaluator has committed to.
	pub pending_tasks: u32,
	/// Settled tasks where the evaluator was within tolerance.
	pub accurate: u32,
	/// Settled tasks where the evaluator was beyond tolerance.
	pub outliers: u32,
	/// Tasks the evaluator committed to but never revealed.
	pub missed: u32,
	/// Everything paid out to the evaluator so far.
	pub earned: Balance,
}

/// Where a task is in its life.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum TaskStatus<Consensus, BlockNumber> {
	/// Collecting commitments, then reveals; due for settlement at the reveal end.
	Open,
	/// Settled with a consensus score per criterion.
	Settled { consensus: Consensus, at: BlockNumber },
	/// Too few reveals: the opener was refunded.
	Failed { at: BlockNumber },
}

/// One evaluator's commitment (and reveal) on an open task.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct EvaluationEntry<AccountId, Scores> {
	pub who: AccountId,
	pub commitment: H256,
	/// bond × (reputation + base_reputation) when the commitment was made.
	pub weight: u128,
	/// The revealed scores.
	pub scores: Option<Scores>,
}

/// What a settled task did for one evaluator.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Verdict<Balance> {
	/// Within tolerance: paid `payout`; gained `reputation`.
	Accurate { deviation: u32, payout: Balance, reputation: ReputationScore },
	/// Beyond tolerance: no payout; lost reputation.
	Outlier { deviation: u32 },
	/// Revealed, but the task failed for lack of reveals: no payout, no penalty.
	Unscored,
	/// Committed but never revealed: `slashed` burnt from the bond, reputation lost.
	Missed { slashed: Balance },
}

/// A task as the runtime API reports it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct TaskView<AccountId, Balance, BlockNumber> {
	pub opener: AccountId,
	pub kind: SubjectKind,
	pub content_hash: H256,
	pub uri: Vec<u8>,
	pub criteria: Vec<Vec<u8>>,
	pub reward: Balance,
	pub commit_end: BlockNumber,
	pub reveal_end: BlockNumber,
	pub min_evaluators: u32,
	pub max_evaluators: u32,
	/// Commitments so far (open tasks) or in all (settled and failed tasks).
	pub committed: u32,
	/// Reveals so far (open tasks) or in all.
	pub revealed: u32,
	pub status: TaskStatus<Vec<Score>, BlockNumber>,
	/// Each participant's verdict, once the task is settled or failed.
	pub verdicts: Vec<(AccountId, Verdict<Balance>)>,
}
