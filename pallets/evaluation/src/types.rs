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
	/// Blocks after a round's reveal window during which its verdict may be appealed; the
	/// task settles when it ends. `0` turns appeals off (tasks settle at the reveal end).
	pub appeal_period: BlockNumber,
	/// Bond of the appeal opening round `r`: `appeal_bond_base · 2^r` (the final appeal to
	/// governance is round `max_appeal_rounds + 1`).
	pub appeal_bond_base: Balance,
	/// Appeal rounds drawn from evaluators (each `2n + 1` seats, `n` the previous round's);
	/// one more appeal goes to governance. At most `MaxAppealRounds`.
	pub max_appeal_rounds: u32,
	/// Blocks governance has to decide a final appeal; without a decision the last panel's
	/// verdict stands.
	pub governance_period: BlockNumber,
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

/// One finished round of an appealed task, kept until the task settles.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct RoundRecord<Members, Scores> {
	/// Seats drawn.
	pub panel_size: u32,
	/// Seats whose holders had to reveal for the round to reach a verdict.
	pub quorum: u32,
	/// Each member, its seats and its revealed scores (`None`: a no-show).
	pub members: Members,
	/// The round's consensus (`None`: reveals short of quorum, or nobody could be drawn).
	pub consensus: Option<Scores>,
}

/// A funded appeal.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct AppealRecord<Backers, Balance, Scores> {
	/// The round it opened (`max_appeal_rounds + 1`: the appeal to governance).
	pub round: u32,
	/// The bond, `appeal_bond_base · 2^round`.
	pub bond: Balance,
	/// Who paid it, and how much each (held until the task settles).
	pub backers: Backers,
	/// The verdict it contested: the consensus of the round before.
	pub contested: Scores,
}

/// What a dispute's settlement did with an appeal's bond.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum AppealOutcome {
	/// The final verdict is beyond tolerance of the contested one: bond refunded, plus a share
	/// of the penalties.
	Upheld,
	/// The final verdict is within tolerance of the contested one: the bond paid the panels.
	Rejected,
	/// The round the appeal opened reached no verdict (too few reveals, or nobody left to
	/// draw) and the verdict did not move: the bond was refunded, without reward.
	Unheard,
	/// The final appeal, which governance did not decide before its deadline: the last panel's
	/// verdict stands and the bond was burnt (a stall pays nobody, and delaying a task by
	/// `governance_period` is not free).
	Lapsed,
}

/// A task's dispute as the runtime API reports it.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct DisputeView<AccountId, Balance, BlockNumber> {
	/// The current round: 0 is the first panel, `1..=max_appeal_rounds` appeal panels, and
	/// `max_appeal_rounds + 1` the appeal to governance.
	pub round: u32,
	/// The verdict as it stands: the consensus of the latest round that reached one (or
	/// governance's decision). `None` while the first round is still open, or if it failed.
	pub verdict: Option<Vec<Score>>,
	/// The current round's windows: commitments before `commit_end`, reveals before
	/// `reveal_end`.
	pub commit_end: BlockNumber,
	pub reveal_end: BlockNumber,
	/// Appeals are accepted in `[reveal_end, settles_at)`; the task may be settled from
	/// `settles_at` (for a round before governance: the end of the appeal window; with
	/// governance: its deadline).
	pub settles_at: BlockNumber,
	/// Whether `appeal` is accepted now: in the window, a verdict to contest, rounds left.
	pub appealable: bool,
	/// The bond of the next appeal, and what pledges have raised towards it.
	pub next_bond: Balance,
	pub raised: Balance,
	/// The smallest pledge accepted now (the whole remainder once it is below the minimum).
	pub min_pledge: Balance,
	/// The pledges towards the next appeal.
	pub pledges: Vec<(AccountId, Balance)>,
	/// The current round's panel (empty for governance).
	pub panel: Vec<(AccountId, u32)>,
	/// Earlier rounds: seats, members and consensus.
	pub rounds: Vec<RoundRecord<Vec<(AccountId, u32, Option<Vec<Score>>)>, Vec<Score>>>,
	/// Funded appeals: round opened, bond, backers, contested verdict.
	pub appeals: Vec<AppealRecord<Vec<(AccountId, Balance)>, Balance, Vec<Score>>>,
	/// Governance's decision, once made.
	pub decision: Option<Vec<Score>>,
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
	/// The current round (0: the first panel; see the `dispute` runtime API for appeals).
	pub round: u32,
	/// The block from which the task settles: the end of the current appeal window, or
	/// governance's deadline.
	pub settles_at: BlockNumber,
	/// Each participant's verdict, once the task is settled or failed (for an appealed task,
	/// every round's members).
	pub verdicts: Vec<(AccountId, Verdict<Balance>)>,
}
