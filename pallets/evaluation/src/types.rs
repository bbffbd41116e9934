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
	/// Seats drawn for every task's panel (at most `MaxPanelSize`). Seats are drawn with
	/// replacement, so an evaluator may hold several.
	pub panel_size: u32,
	/// Seats whose holders must reveal for a consensus (at most `panel_size`); with fewer the
	/// task fails and the opener is refunded.
	pub quorum: u32,
	/// Points per criterion an evaluator may deviate from the consensus and still be paid.
	pub tolerance: Score,
	/// Fraction of `min_bond` burnt from a no-show's bond, per seat it held.
	pub no_show_slash: Perbill,
	/// Fraction of `min_bond` burnt from an outlier's bond, per seat it held.
	pub outlier_slash: Perbill,
	/// Reputation a no-show loses, per seat.
	pub no_show_penalty: ReputationScore,
	/// Reputation an outlier (beyond tolerance) loses, per seat.
	pub outlier_penalty: ReputationScore,
	/// Reputation an exact match gains per seat; closer-but-not-exact evaluators gain
	/// proportionally less. A task moves at most `panel_size × accuracy_reward` reputation up.
	pub accuracy_reward: ReputationScore,
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
	/// Open tasks this evaluator was drawn for (it cannot withdraw before they settle).
	pub pending_tasks: u32,
	/// Its slot in the sortition tree while it can be drawn (registered, not unbonding, bond
	/// at least `min_bond`); `None` otherwise.
	pub slot: Option<u32>,
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
	/// Too few reveals, or nobody could be drawn: the opener was refunded.
	Failed { at: BlockNumber },
}

/// One evaluator's commitment (and reveal) on an open task.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct EvaluationEntry<AccountId, Scores> {
	pub who: AccountId,
	pub commitment: H256,
	/// Seats the evaluator holds on the task's panel: its weight in the consensus.
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
	/// Beyond tolerance: no payout; `slashed` burnt from the bond; lost reputation.
	Outlier { deviation: u32, slashed: Balance },
	/// Revealed, but the task failed for lack of reveals: no payout, no penalty.
	Unscored,
	/// Drawn but never committed or never revealed: `slashed` burnt from the bond, reputation
	/// lost.
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
	/// Seats drawn for the task.
	pub panel_size: u32,
	/// Seats whose holders must reveal.
	pub quorum: u32,
	/// The drawn panel: each member and its seats (empty until the block after opening).
	pub panel: Vec<(AccountId, u32)>,
	/// Commitments so far (open tasks) or in all (settled and failed tasks).
	pub committed: u32,
	/// Reveals so far (open tasks) or in all.
	pub revealed: u32,
	pub status: TaskStatus<Vec<Score>, BlockNumber>,
	/// Each participant's verdict, once the task is settled or failed.
	pub verdicts: Vec<(AccountId, Verdict<Balance>)>,
}
