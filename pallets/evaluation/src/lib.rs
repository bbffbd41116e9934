//! # Evaluation
//!
//! Peer evaluation of AI outputs by commit-reveal, with a robust consensus, rewards and
//! penalties.
//!
//! 1. **Evaluators** register with a bond (held; governance sets the minimum) and leave with
//!    `unbond` + `withdraw` after a delay. While eligible they sit in a sortition sum tree,
//!    weighted by bond.
//! 2. **Tasks**: anyone (or another pallet through [`EvaluationTasks`]) opens a task on a
//!    subject (content hash, URI, kind) with up to `MaxCriteria` named criteria and funds a
//!    reward pot (held from the opener).
//! 3. **Panel** (the hook, two blocks later): `panel_size` seats drawn by lot with
//!    replacement, each with probability bond / total bond, from the VRF outputs of two
//!    consecutive blocks and the tree as it was when the task was opened; the opener is never
//!    drawn. Only drawn evaluators may commit.
//! 4. **Commit** (commit window): `blake2_256(SCALE(tag, task, evaluator, scores, salt))` (each
//!    score a `u16`, see [`commitment_of`]), bound to the evaluator and task so a copied
//!    commitment is useless to anyone else.
//! 5. **Reveal** (reveal window): the scores and salt; precise errors otherwise.
//! 6. **Settlement** (the hook, in the block the task falls due; `settle` as a fallback): per
//!    criterion the consensus is the κ = ½ seat-weighted median of the reveals; everything
//!    else is per seat: evaluators within tolerance share the pot by seats × closeness and
//!    gain reputation, outliers lose part of their bond and reputation, no-shows (drawn but
//!    never revealed) lose more. Reveals short of `quorum` seats fail the task and refund the
//!    opener.
//! 7. **Pruning**: finished tasks are deleted `TaskRetention` blocks after they fell due.
//!
//! The maths is in [`consensus`] and [`sortition`] (pure, property-tested, shared with the
//! simulator); storage in `panels.rs` and `settlement.rs`. See the crate README for the formulas.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use perspective_primitives::evaluation::{
	EvaluationTasks, OnTaskSettled, Score, SettledTask, SubjectKind, TaskId, TaskRequest, MAX_SCORE,
};

pub mod consensus;
mod disputes;
mod panels;
pub mod runtime_api;
mod settlement;
pub mod sortition;
pub mod types;
pub mod weights;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod dispute_tests;

use codec::Encode;
use sp_arithmetic::Perbill;
use sp_core::H256;

/// Domain tag of commitments, so a commitment hash can never be valid for another purpose.
pub const COMMITMENT_TAG: [u8; 16] = *b"prsp/eval/commit";

/// κ of the weighted median: the consensus is backed by at least half the weight.
pub const KAPPA: Perbill = Perbill::from_percent(50);

/// Largest `no_show_slash` and `outlier_slash` governance may set: one seat never puts more than
/// half of `min_bond` at risk.
pub const MAX_NO_SHOW_SLASH: Perbill = Perbill::from_percent(50);

/// Domain tag of the panel draw's randomness subject.
pub const PANEL_TAG: [u8; 16] = *b"prsp/eval/panels";

/// How many blocks past its due block a task opened by another pallet may move when that
/// block's due list is full.
pub const MAX_SPILL: u32 = 8;

/// A task opened in block n is drawn in block n + `DRAW_DELAY`, from the VRF outputs of blocks n
/// and n + 1 and the tree as it was at the end of block n: no single block author knows both
/// outputs while it can still change the task or the tree. Its commit window starts then.
pub const DRAW_DELAY: u32 = 2;


/// Seats of round `round` of a task whose first panel had `first` seats: each appeal round has
/// `2n + 1` seats, `n` the previous round's, so round `r` has `(first + 1)·2^r − 1`.
pub fn round_seats(first: u32, round: u32) -> u32 {
	let factor = 1u32.checked_shl(round).unwrap_or(u32::MAX);
	first.saturating_add(1).saturating_mul(factor).saturating_sub(1)
}

/// Quorum of an appeal round whose previous round needed `previous` seats: `2q + 1`.
pub fn round_quorum(previous: u32) -> u32 {
	previous.saturating_mul(2).saturating_add(1)
}

/// Most seats on any round's panel: the last appeal round of a first panel of `MaxPanelSize`.
pub struct MaxRoundPanel<T>(core::marker::PhantomData<T>);
impl<T: pallet::Config> frame_support::traits::Get<u32> for MaxRoundPanel<T> {
	fn get() -> u32 {
		round_seats(T::MaxPanelSize::get(), T::MaxAppealRounds::get())
	}
}

/// Most members of all rounds of one task together.
pub struct MaxDisputeMembers<T>(core::marker::PhantomData<T>);
impl<T: pallet::Config> frame_support::traits::Get<u32> for MaxDisputeMembers<T> {
	fn get() -> u32 {
		(0..=T::MaxAppealRounds::get())
			.map(|r| round_seats(T::MaxPanelSize::get(), r))
			.fold(0u32, u32::saturating_add)
	}
}

/// Most appeals of one task: one per appeal round, and the final one to governance.
pub struct MaxAppeals<T>(core::marker::PhantomData<T>);
impl<T: pallet::Config> frame_support::traits::Get<u32> for MaxAppeals<T> {
	fn get() -> u32 {
		T::MaxAppealRounds::get().saturating_add(1)
	}
}

/// Most appeal rounds that enter the draw queue per block: they are drawn in the hook, next to
/// the block's new tasks.
pub const MAX_APPEALS_PER_BLOCK: u32 = 1;

/// Most settled disputes deleted per block (they settle by `settle`, in any block).
pub const MAX_DISPUTE_PRUNES: u32 = 4;

/// Room of the draw queue: a block's new tasks and its appeal round.
pub struct DrawQueueBound<T>(core::marker::PhantomData<T>);
impl<T: pallet::Config> frame_support::traits::Get<u32> for DrawQueueBound<T> {
	fn get() -> u32 {
		T::MaxTasksPerBlock::get().saturating_add(MAX_APPEALS_PER_BLOCK)
	}
}

/// The commitment an evaluator submits: `blake2_256(SCALE(COMMITMENT_TAG, task, who, scores,
/// salt))`. SCALE encodes the tag and salt as raw bytes, the task id as 8 little-endian bytes,
/// the account as its 32 raw bytes, and the scores as a compact length prefix followed by each
/// score as a `u16` in 2 little-endian bytes (`[80, 90]` → `08 50 00 5a 00`).
pub fn commitment_of<AccountId: Encode>(
	task: TaskId,
	who: &AccountId,
	scores: &[Score],
	salt: &[u8; 32],
) -> H256 {
	H256(sp_io::hashing::blake2_256(&(COMMITMENT_TAG, task, who, scores, salt).encode()))
}

/// Sets up state the benchmarks cannot reach through this pallet's `Config`.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Give `who` (at least) `score` reputation.
	fn set_reputation(who: &AccountId, score: perspective_primitives::ReputationScore);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Inspect, Mutate, MutateHold},
			tokens::{Fortitude, Precision, Preservation},
		},
	};
	use frame_system::pallet_prelude::*;
	use perspective_primitives::{ReputationProvider, ReputationUpdater};
	use sp_runtime::traits::{Saturating, Zero};

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type ParamsOf<T> = EvaluationParams<BalanceOf<T>, BlockNumberFor<T>>;
	pub type EvaluatorOf<T> = EvaluatorInfo<BalanceOf<T>, BlockNumberFor<T>>;
	pub type ScoresOf<T> = BoundedVec<Score, <T as Config>::MaxCriteria>;
	pub type CriterionName<T> = BoundedVec<u8, <T as Config>::MaxCriterionNameLen>;
	pub type EvaluationOf<T> = EvaluationEntry<<T as frame_system::Config>::AccountId, ScoresOf<T>>;
	pub type VerdictsOf<T> = BoundedVec<
		(<T as frame_system::Config>::AccountId, Verdict<BalanceOf<T>>),
		MaxDisputeMembers<T>,
	>;
	pub type PanelOf<T> =
		BoundedVec<(<T as frame_system::Config>::AccountId, u32), MaxRoundPanel<T>>;
	pub type BackersOf<T> =
		BoundedVec<(<T as frame_system::Config>::AccountId, BalanceOf<T>), <T as Config>::MaxAppealBackers>;
	pub type RoundMembersOf<T> =
		BoundedVec<(<T as frame_system::Config>::AccountId, u32, Option<ScoresOf<T>>), MaxRoundPanel<T>>;
	pub type RoundOf<T> = RoundRecord<RoundMembersOf<T>, ScoresOf<T>>;
	pub type AppealOf<T> = AppealRecord<BackersOf<T>, BalanceOf<T>, ScoresOf<T>>;
	pub type DisputeViewOf<T> =
		DisputeView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// An appealed task's appeals and, after the final appeal, governance's decision.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		TypeInfo,
		MaxEncodedLen,
		frame_support::DefaultNoBound,
	)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct DisputeRecord<T: Config> {
		/// Funded appeals, in order.
		pub appeals: BoundedVec<AppealOf<T>, MaxAppeals<T>>,
		/// The verdict governance decided on the final appeal.
		pub decision: Option<ScoresOf<T>>,
		/// Set when the final appeal went to governance: its deadline.
		pub governance_until: Option<BlockNumberFor<T>>,
	}
	pub type TaskViewOf<T> =
		TaskView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// An evaluation task.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		TypeInfo,
		MaxEncodedLen,
	)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct TaskRecord<T: Config> {
		/// Funds the reward pot (held until settlement).
		pub opener: T::AccountId,
		pub kind: SubjectKind,
		/// Hash of the evaluated content.
		pub content_hash: H256,
		/// Where evaluators fetch the content.
		pub uri: BoundedVec<u8, T::MaxUriLen>,
		/// One score per criterion, in this order.
		pub criteria: BoundedVec<CriterionName<T>, T::MaxCriteria>,
		/// The reward pot.
		pub reward: BalanceOf<T>,
		/// Commitments are accepted before this block.
		pub commit_end: BlockNumberFor<T>,
		/// Reveals are accepted from `commit_end` until before this block; then the task is
		/// due for settlement.
		pub reveal_end: BlockNumberFor<T>,
		/// Seats drawn (the `panel_size` in force when the task was opened).
		pub panel_size: u32,
		/// Seats whose holders must reveal (the `quorum` in force when the task was opened).
		pub quorum: u32,
		/// Panel members who committed.
		pub committed: u32,
		/// Panel members who revealed.
		pub revealed: u32,
		pub status: TaskStatus<ScoresOf<T>, BlockNumberFor<T>>,
		/// The current round: 0 for the first panel, then one per appeal
		/// (`max_appeal_rounds + 1`: the appeal to governance).
		pub round: u32,
		/// The block from which the task settles: the end of the current round's appeal window
		/// (`reveal_end + appeal_period`), or governance's deadline.
		pub due: BlockNumberFor<T>,
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds and reward pots are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Reputation: read for weights, changed by verdicts.
		type Reputation: ReputationProvider<Self::AccountId> + ReputationUpdater<Self::AccountId>;
		/// Told about every settled or failed task.
		type OnSettled: OnTaskSettled<Self::AccountId>;
		/// Draws panels: read once per block, and a task's seed mixes the values of the two
		/// blocks after it was opened (runtime: the parent block's BABE VRF output).
		type Randomness: frame_support::traits::Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Origin that may change the parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Origin that decides a final appeal (runtime: a referendum or a council motion).
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most criteria per task.
		#[pallet::constant]
		type MaxCriteria: Get<u32>;
		/// Longest criterion name, in bytes.
		#[pallet::constant]
		type MaxCriterionNameLen: Get<u32>;
		/// Longest subject URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// Most seats on a panel (`panel_size` is at most this).
		#[pallet::constant]
		type MaxPanelSize: Get<u32>;
		/// Most evaluators that can be drawn: the capacity of the sortition tree (a draw reads
		/// ⌊log₂ MaxEvaluators⌋ + 1 nodes per seat).
		#[pallet::constant]
		type MaxEvaluators: Get<u32>;
		/// Most tasks opened in one block, and most tasks due at one block. Direct `open_task`
		/// calls may use at most half of each; the rest is reserved for other pallets' tasks.
		#[pallet::constant]
		type MaxTasksPerBlock: Get<u32>;
		/// Most tasks the hook settles per block; at least `MaxTasksPerBlock`, so settlement
		/// keeps up with any flood.
		#[pallet::constant]
		type MaxSettlementsPerBlock: Get<u32>;
		/// Blocks after its due block that a finished task's record and verdicts are kept.
		#[pallet::constant]
		type TaskRetention: Get<BlockNumberFor<Self>>;
		/// Largest `min_bond` governance may set, so that becoming an evaluator stays
		/// affordable.
		#[pallet::constant]
		type MaxMinBond: Get<BalanceOf<Self>>;
		/// Largest `min_reward` governance may set, so that opening a task (and registering a
		/// contribution, whose `evaluation_fee` must cover it) stays affordable.
		#[pallet::constant]
		type MaxMinReward: Get<BalanceOf<Self>>;
		/// Shortest commit or reveal window governance may allow (`min_period`), in blocks: drawn
		/// evaluators must have time to see the draw and get a commitment (and a reveal)
		/// included, or anyone could make them all no-shows with short windows.
		#[pallet::constant]
		type MinWindow: Get<BlockNumberFor<Self>>;
		/// Longest commit or reveal window governance may allow (`max_period`), in blocks: a
		/// task's reward, its evaluators' pending slots and a contribution's scoring are tied
		/// up for at most twice this.
		#[pallet::constant]
		type MaxWindow: Get<BlockNumberFor<Self>>;
		/// Longest `unbonding_delay` governance may set, in blocks.
		#[pallet::constant]
		type MaxUnbondingDelay: Get<BlockNumberFor<Self>>;
		/// Largest `accuracy_reward`: the reputation one seat can gain.
		#[pallet::constant]
		type MaxReputationReward: Get<perspective_primitives::ReputationScore>;
		/// Largest `no_show_penalty` and `outlier_penalty`: the reputation one seat can lose.
		#[pallet::constant]
		type MaxReputationPenalty: Get<perspective_primitives::ReputationScore>;
		/// Largest `max_appeal_rounds`: appeal panels grow to `(MaxPanelSize + 1)·2^r − 1`
		/// seats, so this bounds every panel and a dispute's settlement.
		#[pallet::constant]
		type MaxAppealRounds: Get<u32>;
		/// Most accounts funding one appeal. Each pledge must be at least `1/MaxAppealBackers`
		/// of the bond (or the remainder), so the list cannot fill before the bond is raised.
		#[pallet::constant]
		type MaxAppealBackers: Get<u32>;
		/// Longest `governance_period` governance may set, in blocks.
		#[pallet::constant]
		type MaxGovernancePeriod: Get<BlockNumberFor<Self>>;
		/// Largest `appeal_bond_base` governance may set.
		#[pallet::constant]
		type MaxAppealBondBase: Get<BalanceOf<Self>>;
		/// Weight information for this pallet.
		type WeightInfo: WeightInfo;
		/// Gives accounts reputation in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds balance.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An evaluator's bond.
		#[codec(index = 0)]
		EvaluatorBond,
		/// A task's reward pot, held from its opener until settlement.
		#[codec(index = 1)]
		TaskReward,
		/// A pledge towards an appeal bond, held until the task settles.
		#[codec(index = 2)]
		AppealBond,
	}

	/// Parameters set by governance.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, OptionQuery>;

	/// Registered evaluators.
	#[pallet::storage]
	pub type Evaluators<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EvaluatorOf<T>>;

	/// The id the next task gets.
	#[pallet::storage]
	pub type NextTaskId<T: Config> = StorageValue<_, TaskId, ValueQuery>;

	/// Every task, open or finished.
	#[pallet::storage]
	pub type Tasks<T: Config> = StorageMap<_, Twox64Concat, TaskId, TaskRecord<T>>;

	/// Commitments and reveals of open tasks' current rounds; removed at settlement.
	#[pallet::storage]
	pub type Evaluations<T: Config> = StorageMap<
		_,
		Twox64Concat,
		TaskId,
		BoundedVec<EvaluationOf<T>, MaxRoundPanel<T>>,
		ValueQuery,
	>;

	/// Finished rounds of appealed tasks (task, then round); removed at settlement.
	#[pallet::storage]
	pub type Rounds<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Twox64Concat, u32, RoundOf<T>>;

	/// Appeals of open tasks; removed at settlement.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, TaskId, DisputeRecord<T>>;

	/// Pledges towards a task's next appeal, until the bond is raised (then they become the
	/// appeal's backers) or the task settles (then they are released).
	#[pallet::storage]
	pub type Pledges<T: Config> = StorageMap<_, Twox64Concat, TaskId, BackersOf<T>, ValueQuery>;

	/// Appeal rounds in this block's draw queue (at most `MAX_APPEALS_PER_BLOCK`).
	#[pallet::storage]
	pub type AppealsOpened<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Appeal rounds that enter the draw queue at a block: the end of the appeal window they
	/// were funded in (or the next block with room).
	#[pallet::storage]
	pub type AppealDrawAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<TaskId, ConstU32<MAX_APPEALS_PER_BLOCK>>,
		ValueQuery,
	>;

	/// The first block whose draw queue has no appeal round booked yet: appeal draws are handed
	/// out in order, one per block, so a backlog delays them and never refuses one.
	#[pallet::storage]
	pub type NextAppealDraw<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// Settled disputes to delete at a block, `TaskRetention` after they settled.
	#[pallet::storage]
	pub type DisputePruneAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<TaskId, ConstU32<MAX_DISPUTE_PRUNES>>,
		ValueQuery,
	>;

	/// Each task's drawn panel: members and their seats. Pruned with the task.
	#[pallet::storage]
	pub type Panels<T: Config> = StorageMap<_, Twox64Concat, TaskId, PanelOf<T>>;

	/// Seats each evaluator holds on each open task it was drawn for; removed at settlement.
	#[pallet::storage]
	pub type Drawn<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, TaskId, u32>;

	/// Tasks opened in this block; the next block's hook moves them to `Drawing`, and the one
	/// after draws them.
	#[pallet::storage]
	pub type ToDraw<T: Config> =
		StorageValue<_, BoundedVec<TaskId, DrawQueueBound<T>>, ValueQuery>;

	/// Tasks opened directly (`open_task`) in this block.
	#[pallet::storage]
	pub type DirectOpened<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Directly opened tasks due at a block (at most half of `MaxTasksPerBlock`).
	#[pallet::storage]
	pub type DirectDueAt<T: Config> = StorageMap<_, Twox64Concat, BlockNumberFor<T>, u32, ValueQuery>;

	/// Tasks to delete at a block: those due `TaskRetention` blocks earlier.
	#[pallet::storage]
	pub type PruneAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<TaskId, T::MaxTasksPerBlock>,
		ValueQuery,
	>;

	/// The sortition tree's nodes (Fenwick tree over slots `1..=MaxEvaluators`): node `i`
	/// holds the summed bond of slots `i − lowbit(i) + 1 ..= i`.
	#[pallet::storage]
	pub type SortitionNodes<T: Config> = StorageMap<_, Twox64Concat, u32, u128, ValueQuery>;

	/// Who sits in each occupied slot (`1..=SlotCount`), and with what draw weight (its bond).
	#[pallet::storage]
	pub type SlotOwners<T: Config> = StorageMap<_, Twox64Concat, u32, (T::AccountId, u128)>;

	/// Occupied slots: always `1..=SlotCount` (removal moves the last slot into the gap).
	#[pallet::storage]
	pub type SlotCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The summed draw weight of all slots.
	#[pallet::storage]
	pub type TotalDrawWeight<T: Config> = StorageValue<_, u128, ValueQuery>;

	/// A tree node's value before the last block that changed it, and that block: draws read
	/// the tree as it was two blocks earlier (see `panels.rs`).
	#[pallet::storage]
	pub type NodesBefore<T: Config> =
		StorageMap<_, Twox64Concat, u32, (u128, BlockNumberFor<T>)>;

	/// A slot's owner before the last block that changed it, and that block.
	#[pallet::storage]
	pub type SlotOwnersBefore<T: Config> =
		StorageMap<_, Twox64Concat, u32, (Option<(T::AccountId, u128)>, BlockNumberFor<T>)>;

	/// An evaluator's slot before the last block that changed it, and that block (so a draw
	/// knows which slot the opener held at the snapshot).
	#[pallet::storage]
	pub type SlotOfBefore<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (Option<u32>, BlockNumberFor<T>)>;

	/// The total draw weight before the last block that changed it, and that block.
	#[pallet::storage]
	pub type TotalBefore<T: Config> = StorageValue<_, (u128, BlockNumberFor<T>)>;

	/// The last block whose draws have run.
	#[pallet::storage]
	pub type LastDrawn<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// The weight of this block's draws when something changed the tree before the hook ran
	/// (the draws then ran first); the hook charges it.
	#[pallet::storage]
	pub type EarlyDrawWeight<T: Config> = StorageValue<_, Weight, OptionQuery>;

	/// Tasks opened in the previous block, with the randomness of that block (the first half
	/// of their draw's seed); drawn in this block's hook.
	#[pallet::storage]
	pub type Drawing<T: Config> =
		StorageValue<_, (BoundedVec<TaskId, DrawQueueBound<T>>, T::Hash), OptionQuery>;

	/// Each finished task's verdicts, one per participant.
	#[pallet::storage]
	pub type Verdicts<T: Config> = StorageMap<_, Twox64Concat, TaskId, VerdictsOf<T>>;

	/// Open tasks by the block they become due (their reveal window's end plus the appeal
	/// window). Appealed tasks leave it: `settle` settles them.
	#[pallet::storage]
	pub type DueAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<TaskId, T::MaxTasksPerBlock>,
		ValueQuery,
	>;

	/// The earliest block whose due tasks the hook may not have settled yet.
	#[pallet::storage]
	pub type SettlementCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub params: Option<ParamsOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(params) = self.params {
				if let Err(e) = Pallet::<T>::check_params(&params) {
					panic!("invalid evaluation genesis params: {e:?}");
				}
				Params::<T>::put(params);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` registered as an evaluator with `bond` held.
		EvaluatorRegistered { who: T::AccountId, bond: BalanceOf<T> },
		/// `who` added to their bond, now `bond`.
		BondIncreased { who: T::AccountId, bond: BalanceOf<T> },
		/// `who` stopped taking tasks; the bond can be withdrawn from `unlock_at`.
		UnbondingStarted { who: T::AccountId, unlock_at: BlockNumberFor<T> },
		/// `who` left; `amount` was released.
		EvaluatorWithdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// A task was opened.
		TaskOpened {
			task: TaskId,
			opener: T::AccountId,
			kind: SubjectKind,
			content_hash: H256,
			reward: BalanceOf<T>,
			commit_end: BlockNumberFor<T>,
			reveal_end: BlockNumberFor<T>,
		},
		/// `task`'s panel was drawn: each member with its seats. Only they may commit.
		PanelDrawn { task: TaskId, panel: Vec<(T::AccountId, u32)> },
		/// `who` committed to `task`.
		Committed { task: TaskId, who: T::AccountId },
		/// `who` revealed `scores` for `task`.
		Revealed { task: TaskId, who: T::AccountId, scores: ScoresOf<T> },
		/// `who` was within tolerance on `task`: paid `payout`, gained `reputation`.
		EvaluatorRewarded {
			task: TaskId,
			who: T::AccountId,
			deviation: u32,
			payout: BalanceOf<T>,
			reputation: perspective_primitives::ReputationScore,
		},
		/// `who` deviated beyond tolerance on `task`: no payout, `slashed` burnt from the bond,
		/// reputation lost.
		EvaluatorOutlier { task: TaskId, who: T::AccountId, deviation: u32, slashed: BalanceOf<T> },
		/// `who` was drawn for `task` but never committed or never revealed: `slashed` burnt
		/// from the bond, reputation lost.
		RevealMissed { task: TaskId, who: T::AccountId, slashed: BalanceOf<T> },
		/// `task` settled: `consensus` per criterion; `paid` to `rewarded` evaluators; `dust`
		/// (rounding) returned to the opener.
		TaskSettled {
			task: TaskId,
			consensus: ScoresOf<T>,
			rewarded: u32,
			paid: BalanceOf<T>,
			dust: BalanceOf<T>,
		},
		/// `task` failed: its reveals covered `revealed` of the `required` seats (0 of them if
		/// no evaluator could be drawn); `refunded` to the opener.
		TaskFailed { task: TaskId, revealed: u32, required: u32, refunded: BalanceOf<T> },
		/// The records of `tasks` (finished, due `TaskRetention` blocks ago) were deleted.
		TasksPruned { tasks: Vec<TaskId> },
		/// The hook's per-block budget ran out: `remaining` tasks due at `due` wait for the
		/// next block (or anyone's `settle`).
		SettlementDeferred { due: BlockNumberFor<T>, remaining: u32 },
		/// Governance set new parameters.
		ParamsSet { params: ParamsOf<T> },
		/// `who` pledged `amount` (held) towards the appeal of `task`'s verdict: `raised` of
		/// the `required` bond so far.
		AppealPledged {
			task: TaskId,
			who: T::AccountId,
			amount: BalanceOf<T>,
			raised: BalanceOf<T>,
			required: BalanceOf<T>,
		},
		/// The appeal of `task` was funded: round `round`, a new panel of `panel_size` seats
		/// (none of the earlier members), is drawn two blocks later; it commits before
		/// `commit_end` and reveals before `reveal_end`.
		AppealStarted {
			task: TaskId,
			round: u32,
			bond: BalanceOf<T>,
			panel_size: u32,
			commit_end: BlockNumberFor<T>,
			reveal_end: BlockNumberFor<T>,
		},
		/// The final appeal of `task` was funded: governance decides the verdict before
		/// `decide_by`, or the last panel's verdict stands.
		AppealedToGovernance { task: TaskId, bond: BalanceOf<T>, decide_by: BlockNumberFor<T> },
		/// Governance decided the final appeal of `task`.
		DisputeDecided { task: TaskId, consensus: ScoresOf<T> },
		/// Pledges towards an appeal of `task` that was never fully funded were released.
		PledgesReturned { task: TaskId, returned: BalanceOf<T> },
		/// How the appeal that opened `round` of `task` ended: `Upheld` (the final verdict
		/// moved beyond tolerance: the bond was `refunded` and `reward` paid from the
		/// penalties) or `Rejected` (the bond went to the panels).
		AppealSettled {
			task: TaskId,
			round: u32,
			outcome: AppealOutcome,
			bond: BalanceOf<T>,
			refunded: BalanceOf<T>,
			reward: BalanceOf<T>,
		},
		/// An appealed task settled after `rounds` rounds on `consensus` (`overturned`: beyond
		/// tolerance of the first panel's verdict). `penalties` (slashes of every round's
		/// outliers and no-shows against the final verdict, plus rejected bonds) went
		/// `to_backers` of upheld appeals and `to_panels` (appeal-round members within
		/// tolerance); `burnt` what could not be paid, plus the slashes of no-shows on rounds
		/// that reached no verdict (never pooled).
		DisputeSettled {
			task: TaskId,
			consensus: ScoresOf<T>,
			rounds: u32,
			overturned: bool,
			penalties: BalanceOf<T>,
			to_backers: BalanceOf<T>,
			to_panels: BalanceOf<T>,
			burnt: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The pallet has no parameters yet; governance must set them first.
		NotConfigured,
		/// The account is already a registered evaluator.
		AlreadyEvaluator,
		/// The account is not a registered evaluator.
		NotEvaluator,
		/// The sortition tree is full (`MaxEvaluators` evaluators can be drawn); wait for one
		/// to unbond.
		EvaluatorSetFull,
		/// The bond is below the minimum bond.
		BondTooLow,
		/// The account's free balance cannot cover the bond or reward.
		InsufficientBalance,
		/// The evaluator is unbonding and takes no new tasks.
		Unbonding,
		/// `withdraw` needs `unbond` first.
		NotUnbonding,
		/// The unbonding delay has not passed yet.
		UnbondingNotOver,
		/// The evaluator still has open tasks to reveal; withdraw after they settle.
		HasPendingTasks,
		/// No task with this id.
		TaskNotFound,
		/// A task needs at least one criterion.
		NoCriteria,
		/// More criteria than `MaxCriteria`.
		TooManyCriteria,
		/// A criterion name is empty or longer than `MaxCriterionNameLen`.
		BadCriterionName,
		/// Two criteria have the same name.
		DuplicateCriterion,
		/// The URI is longer than `MaxUriLen`.
		UriTooLong,
		/// The reward is below the minimum reward.
		RewardTooLow,
		/// A commit or reveal window is outside the governance bounds.
		PeriodOutOfBounds,
		/// Too many tasks are due at that block (direct tasks may use half of a block's
		/// slots); choose other windows.
		TooManyTasksDue,
		/// This block already holds the most directly opened tasks (half of
		/// `MaxTasksPerBlock`); try the next block.
		TooManyDirectTasks,
		/// This block already holds `MaxTasksPerBlock` new tasks; try the next block.
		TooManyTasksOpened,
		/// The task's opener cannot evaluate it.
		OpenerCannotEvaluate,
		/// The commit window is over.
		CommitClosed,
		/// This evaluator has already committed to this task.
		AlreadyCommitted,
		/// The caller was not drawn for this task's panel: only drawn evaluators may commit.
		NotDrawn,
		/// The task's panel is drawn in the block after it was opened; commit then.
		PanelNotDrawn,
		/// The reveal window has not started: the commit window is still open.
		RevealTooEarly,
		/// The reveal window is over.
		RevealTooLate,
		/// This account has no commitment on this task.
		NoCommitment,
		/// This evaluator has already revealed on this task.
		AlreadyRevealed,
		/// The number of scores differs from the number of criteria.
		WrongNumberOfScores,
		/// A score is above the top of the scale (`MAX_SCORE` = 100).
		ScoreOutOfRange,
		/// The scores and salt do not hash to the commitment (check the salt and the order of
		/// the scores; the reveal may be retried within the window).
		CommitmentMismatch,
		/// The task's reveal window has not ended yet.
		NotDue,
		/// The task is already settled or failed.
		AlreadySettled,
		/// `min_bond` must be at most `MaxMinBond` (runtime: 10,000 PRSP).
		MinBondTooHigh,
		/// `unbonding_delay` must be at most `MaxUnbondingDelay` blocks (runtime: 28 days).
		UnbondingDelayTooLong,
		/// `min_reward` must be at most `MaxMinReward` (runtime: 100 PRSP).
		MinRewardTooHigh,
		/// `min_period` must be at least 1 block.
		MinPeriodZero,
		/// `unbonding_delay` must be at least 1 block: an evaluator drawn in the block after it
		/// unbonds must still be there (and at stake) for the draw.
		UnbondingDelayZero,
		/// `min_period` must be at least `MinWindow` blocks (runtime: 5): drawn evaluators need
		/// time to commit and reveal.
		MinPeriodTooShort,
		/// `min_bond` must be above zero: free slots in the draw could be filled for fees alone.
		MinBondZero,
		/// `max_period` must be at most `MaxWindow` blocks (runtime: 7 days).
		MaxPeriodTooLong,
		/// `min_period` must be at most `max_period`.
		MinPeriodAboveMaxPeriod,
		/// `default_period` must lie in `min_period..=max_period`.
		DefaultPeriodOutOfRange,
		/// `panel_size` must lie in `1..=MaxPanelSize` (runtime: 9).
		PanelSizeOutOfRange,
		/// `quorum` must lie in `1..=panel_size`.
		QuorumOutOfRange,
		/// `tolerance` must be at most 100 (`MAX_SCORE`, the top of the score scale).
		ToleranceAboveScale,
		/// `no_show_slash` must be at most 50% (`MAX_NO_SHOW_SLASH`).
		NoShowSlashTooHigh,
		/// `outlier_slash` must be at most 50% (`MAX_NO_SHOW_SLASH`).
		OutlierSlashTooHigh,
		/// `no_show_penalty` must be at most `MaxReputationPenalty` (runtime: 50,000).
		NoShowPenaltyTooHigh,
		/// `outlier_penalty` must be at most `MaxReputationPenalty` (runtime: 50,000).
		OutlierPenaltyTooHigh,
		/// `accuracy_reward` must be at most `MaxReputationReward` (runtime: 10,000).
		AccuracyRewardTooHigh,
		/// The current round is still open: a verdict can be appealed once its reveal window
		/// has ended.
		AppealTooEarly,
		/// The appeal window of the current round is over (or appeals are off:
		/// `appeal_period` is 0).
		AppealWindowClosed,
		/// No verdict stands to be appealed: the first round reached none (reveals short of
		/// quorum; the task fails at settlement).
		NoVerdictToAppeal,
		/// Every appeal round and the final appeal to governance have been used.
		AppealsExhausted,
		/// A pledge must be at least `1/MaxAppealBackers` of the bond, or the whole remainder
		/// when that is less.
		PledgeTooSmall,
		/// The appeal draw queue is inconsistent (a booked block is already full); cannot
		/// happen while `NextAppealDraw` only moves past booked blocks.
		AppealQueueInconsistent,
		/// Every deletion list within reach is full; settle again in the next block.
		PruningQueueFull,
		/// The task is not waiting for governance's decision on a final appeal.
		NotAwaitingGovernance,
		/// Governance has already decided this appeal.
		AlreadyDecided,
		/// Governance's deadline for this appeal has passed: the last panel's verdict stands;
		/// settle the task.
		GovernanceDeadlinePassed,
		/// `appeal_period` must be 0 (appeals off) or lie in `MinWindow..=MaxWindow`.
		AppealPeriodOutOfRange,
		/// `appeal_bond_base` must lie in `1..=MaxAppealBondBase`: free appeals could be spammed.
		AppealBondBaseOutOfRange,
		/// `max_appeal_rounds` must be at most `MaxAppealRounds` (runtime: 2).
		TooManyAppealRounds,
		/// `governance_period` must lie in `MinWindow..=MaxGovernancePeriod`.
		GovernancePeriodOutOfRange,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let drawn = if LastDrawn::<T>::get() == Some(now) {
				EarlyDrawWeight::<T>::take().unwrap_or_default()
			} else {
				Self::draw_queued(now)
			};
			let spent = drawn.saturating_add(Self::prune_due(now));
			spent.saturating_add(Self::settle_due(now, spent))
		}

		fn integrity_test() {
			assert!(T::MaxCriteria::get() > 0 && T::MaxPanelSize::get() > 0);
			assert!(T::MaxEvaluators::get() > 0, "nobody could ever be drawn");
			assert!(
				T::MaxTasksPerBlock::get() >= 2,
				"direct and pallet-opened tasks each need at least one slot per block"
			);
			assert!(
				T::MaxSettlementsPerBlock::get() >= T::MaxTasksPerBlock::get(),
				"settlement must keep up with the most tasks that can fall due per block"
			);
			// A block's whole worst case (draw every task opened in the previous block, prune and
			// settle the most tasks due) must fit in the hook's budget: then no task waits.
			let worst = Self::worst_hook_weight();
			let budget = Self::hook_budget();
			assert!(!worst.any_gt(budget), "the worst block ({worst:?}) must fit in the hook's budget ({budget:?})");
			assert!(!T::MaxWindow::get().is_zero(), "governance needs room for a non-zero window");
			assert!(
				!T::MinWindow::get().is_zero() && T::MinWindow::get() <= T::MaxWindow::get(),
				"MinWindow must be at least one block and at most MaxWindow"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register as an evaluator, holding `bond` (at least the minimum bond). The evaluator
		/// may be drawn, with a chance proportional to its bond, for tasks opened from this block
		/// on.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register().saturating_add(Pallet::<T>::ensure_drawn_weight()))]
		pub fn register(origin: OriginFor<T>, #[pallet::compact] bond: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_drawn();
			let params = Self::params()?;
			ensure!(!Evaluators::<T>::contains_key(&who), Error::<T>::AlreadyEvaluator);
			ensure!(bond >= params.min_bond, Error::<T>::BondTooLow);
			ensure!(SlotCount::<T>::get() < T::MaxEvaluators::get(), Error::<T>::EvaluatorSetFull);
			Self::hold(HoldReason::EvaluatorBond, &who, bond)?;
			let mut info = EvaluatorInfo {
				bond,
				unbonding_at: None,
				pending_tasks: 0,
				slot: None,
				accurate: 0,
				outliers: 0,
				missed: 0,
				earned: Zero::zero(),
			};
			Self::sync_slot(&who, &mut info, &params);
			Evaluators::<T>::insert(&who, info);
			Self::deposit_event(Event::EvaluatorRegistered { who, bond });
			Ok(())
		}

		/// Add `amount` to the caller's bond (e.g. to get back above the minimum after a slash).
		/// Draws of tasks opened from this block on see the new bond; a draw never sees a bond
		/// changed after its task was opened (draws read the tree as it was then).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra().saturating_add(Pallet::<T>::ensure_drawn_weight()))]
		pub fn bond_extra(origin: OriginFor<T>, #[pallet::compact] amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_drawn();
			let params = Self::params()?;
			let mut info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(info.unbonding_at.is_none(), Error::<T>::Unbonding);
			ensure!(
				info.slot.is_some() || SlotCount::<T>::get() < T::MaxEvaluators::get(),
				Error::<T>::EvaluatorSetFull
			);
			Self::hold(HoldReason::EvaluatorBond, &who, amount)?;
			info.bond = info.bond.saturating_add(amount);
			Self::sync_slot(&who, &mut info, &params);
			let bond = info.bond;
			Evaluators::<T>::insert(&who, info);
			Self::deposit_event(Event::BondIncreased { who, bond });
			Ok(())
		}

		/// Stop being drawn. The bond stays at stake for the panels already drawn and can be
		/// withdrawn after the unbonding delay, once every one of them has settled.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond().saturating_add(Pallet::<T>::ensure_drawn_weight()))]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_drawn();
			let params = Self::params()?;
			let mut info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(info.unbonding_at.is_none(), Error::<T>::Unbonding);
			let unlock_at =
				frame_system::Pallet::<T>::block_number().saturating_add(params.unbonding_delay);
			info.unbonding_at = Some(unlock_at);
			Self::sync_slot(&who, &mut info, &params);
			Evaluators::<T>::insert(&who, info);
			Self::deposit_event(Event::UnbondingStarted { who, unlock_at });
			Ok(())
		}

		/// Release the bond and deregister, after `unbond` and its delay.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			let unlock_at = info.unbonding_at.ok_or(Error::<T>::NotUnbonding)?;
			ensure!(
				frame_system::Pallet::<T>::block_number() >= unlock_at,
				Error::<T>::UnbondingNotOver
			);
			ensure!(info.pending_tasks == 0, Error::<T>::HasPendingTasks);
			// Its slot history is no longer needed: every draw that could read it has run.
			SlotOfBefore::<T>::remove(&who);
			let amount = T::Currency::release_all(
				&HoldReason::EvaluatorBond.into(),
				&who,
				Precision::BestEffort,
			)?;
			Evaluators::<T>::remove(&who);
			Self::deposit_event(Event::EvaluatorWithdrawn { who, amount });
			Ok(())
		}

		/// Open a task on a subject with named criteria, funding a reward pot of `reward` (held
		/// from the caller until settlement). A panel of `panel_size` seats is drawn two blocks
		/// later (never the caller); its members commit for `commit_period` blocks from the draw
		/// and reveal in the `reveal_period` blocks after that.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::open_task(T::MaxCriteria::get(), T::MaxUriLen::get()))]
		pub fn open_task(
			origin: OriginFor<T>,
			kind: SubjectKind,
			content_hash: H256,
			uri: Vec<u8>,
			criteria: Vec<Vec<u8>>,
			#[pallet::compact] reward: BalanceOf<T>,
			commit_period: BlockNumberFor<T>,
			reveal_period: BlockNumberFor<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (criteria_len, uri_len) = (criteria.len() as u32, uri.len() as u32);
			Self::do_open_task(
				&who,
				TaskRequest { kind, content_hash, uri, criteria },
				reward,
				commit_period,
				reveal_period,
				true,
			)?;
			Ok(Some(T::WeightInfo::open_task(criteria_len, uri_len)).into())
		}

		/// Commit to a task the caller was drawn for:
		/// `commitment = blake2_256(SCALE(tag, task, caller, scores, salt))`, each score a `u16`
		/// (see [`commitment_of`] and the README). The caller's seats are its weight.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::commit())]
		pub fn commit(origin: OriginFor<T>, task: TaskId, commitment: H256) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Tasks::<T>::get(task).ok_or(Error::<T>::TaskNotFound)?;
			ensure!(record.status == TaskStatus::Open, Error::<T>::AlreadySettled);
			ensure!(who != record.opener, Error::<T>::OpenerCannotEvaluate);
			ensure!(
				frame_system::Pallet::<T>::block_number() < record.commit_end,
				Error::<T>::CommitClosed
			);
			let panel = Panels::<T>::get(task).ok_or(Error::<T>::PanelNotDrawn)?;
			// Members of earlier rounds stay in `Drawn` until the task settles; only the
			// current round's panel commits.
			let seats = panel
				.iter()
				.find(|(member, _)| *member == who)
				.map(|(_, seats)| *seats)
				.ok_or(Error::<T>::NotDrawn)?;
			let mut evaluations = Evaluations::<T>::get(task);
			ensure!(!evaluations.iter().any(|e| e.who == who), Error::<T>::AlreadyCommitted);
			evaluations
				.try_push(EvaluationEntry {
					who: who.clone(),
					commitment,
					weight: seats as u128,
					scores: None,
				})
				.map_err(|_| Error::<T>::AlreadyCommitted)?;
			Evaluations::<T>::insert(task, evaluations);
			Tasks::<T>::mutate(task, |t| {
				if let Some(t) = t {
					t.committed.saturating_inc();
				}
			});
			Self::deposit_event(Event::Committed { task, who });
			Ok(())
		}

		/// Reveal the committed scores (one per criterion, each `0..=100`) and the salt.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reveal())]
		pub fn reveal(
			origin: OriginFor<T>,
			task: TaskId,
			scores: Vec<Score>,
			salt: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Tasks::<T>::get(task).ok_or(Error::<T>::TaskNotFound)?;
			ensure!(record.status == TaskStatus::Open, Error::<T>::AlreadySettled);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now >= record.commit_end, Error::<T>::RevealTooEarly);
			ensure!(now < record.reveal_end, Error::<T>::RevealTooLate);
			let mut evaluations = Evaluations::<T>::get(task);
			let entry =
				evaluations.iter_mut().find(|e| e.who == who).ok_or(Error::<T>::NoCommitment)?;
			ensure!(entry.scores.is_none(), Error::<T>::AlreadyRevealed);
			ensure!(scores.len() == record.criteria.len(), Error::<T>::WrongNumberOfScores);
			ensure!(scores.iter().all(|s| *s <= MAX_SCORE), Error::<T>::ScoreOutOfRange);
			ensure!(
				commitment_of(task, &who, &scores, &salt) == entry.commitment,
				Error::<T>::CommitmentMismatch
			);
			let scores: ScoresOf<T> =
				scores.try_into().map_err(|_| Error::<T>::WrongNumberOfScores)?;
			entry.scores = Some(scores.clone());
			Evaluations::<T>::insert(task, evaluations);
			Tasks::<T>::mutate(task, |t| {
				if let Some(t) = t {
					t.revealed.saturating_inc();
				}
			});
			Self::deposit_event(Event::Revealed { task, who, scores });
			Ok(())
		}

		/// Settle a task whose reveal and appeal windows have ended. The hook settles every
		/// unappealed task in the block it falls due (this call is then a fallback); an appealed
		/// task is settled by this call, by anyone (its members' bonds and the backers' pledges
		/// stay held until then), in one bounded step over all its rounds.
		#[pallet::call_index(7)]
		#[pallet::weight(Pallet::<T>::dispute_settlement_weight(MaxDisputeMembers::<T>::get()).saturating_add(Pallet::<T>::ensure_drawn_weight()))]
		pub fn settle(origin: OriginFor<T>, task: TaskId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let record = Tasks::<T>::get(task).ok_or(Error::<T>::TaskNotFound)?;
			ensure!(record.status == TaskStatus::Open, Error::<T>::AlreadySettled);
			ensure!(frame_system::Pallet::<T>::block_number() >= record.due, Error::<T>::NotDue);
			let used = if Disputes::<T>::contains_key(task) {
				Self::do_settle_dispute(task, record)?
			} else {
				Self::forget_due(task, record.due);
				Self::do_settle(task, record)?
			};
			Ok(Some(used).into())
		}

		/// Set the parameters (governance). Every field must lie in its documented range (see
		/// the errors and the README's "Parameters"); the error names the first field outside.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::check_params(&params)?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Pledge `amount` (held) towards an appeal of `task`'s current verdict, in the appeal
		/// window after its round's reveals (`[reveal_end, reveal_end + appeal_period)`). The
		/// appeal opening round `r` needs a bond of `appeal_bond_base · 2^r`; several accounts
		/// may fund it, each pledge at least `1/MaxAppealBackers` of it (or the remainder).
		/// Only what is still missing is taken. The pledge that completes the bond starts the
		/// appeal: a new panel of `2n + 1` seats drawn from evaluators who sat on no earlier
		/// round, or, after `max_appeal_rounds`, governance's decision. Pledges are settled with
		/// the task: refunded with a reward if the final verdict moves beyond tolerance of the
		/// contested one, paid to the panels otherwise, and released if the bond was never
		/// raised.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::appeal())]
		pub fn appeal(
			origin: OriginFor<T>,
			task: TaskId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_appeal(who, task, amount)
		}

		/// Decide the verdict of a task whose final appeal went to governance (one score per
		/// criterion). The task may be settled right after.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::decide_dispute())]
		pub fn decide_dispute(origin: OriginFor<T>, task: TaskId, consensus: Vec<Score>) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			Self::do_decide(task, consensus)
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn params() -> Result<ParamsOf<T>, DispatchError> {
			Params::<T>::get().ok_or_else(|| Error::<T>::NotConfigured.into())
		}

		/// Checks every field of `p` against its range; the error names the first field
		/// outside it. No accepted value stops tasks from being opened, settled or paid for:
		/// windows are at least `MinWindow` blocks and at most `MaxWindow`, bonds and rewards are
		/// affordable, and the reputation one task moves is bounded.
		pub fn check_params(p: &ParamsOf<T>) -> Result<(), Error<T>> {
			ensure!(p.min_bond <= T::MaxMinBond::get(), Error::<T>::MinBondTooHigh);
			ensure!(
				p.unbonding_delay <= T::MaxUnbondingDelay::get(),
				Error::<T>::UnbondingDelayTooLong
			);
			ensure!(!p.unbonding_delay.is_zero(), Error::<T>::UnbondingDelayZero);
			ensure!(p.min_reward <= T::MaxMinReward::get(), Error::<T>::MinRewardTooHigh);
			ensure!(!p.min_bond.is_zero(), Error::<T>::MinBondZero);
			ensure!(!p.min_period.is_zero(), Error::<T>::MinPeriodZero);
			ensure!(p.min_period >= T::MinWindow::get(), Error::<T>::MinPeriodTooShort);
			ensure!(p.max_period <= T::MaxWindow::get(), Error::<T>::MaxPeriodTooLong);
			ensure!(p.min_period <= p.max_period, Error::<T>::MinPeriodAboveMaxPeriod);
			ensure!(
				p.min_period <= p.default_period && p.default_period <= p.max_period,
				Error::<T>::DefaultPeriodOutOfRange
			);
			ensure!(
				p.panel_size > 0 && p.panel_size <= T::MaxPanelSize::get(),
				Error::<T>::PanelSizeOutOfRange
			);
			ensure!(p.quorum > 0 && p.quorum <= p.panel_size, Error::<T>::QuorumOutOfRange);
			ensure!(p.tolerance <= MAX_SCORE, Error::<T>::ToleranceAboveScale);
			ensure!(p.no_show_slash <= MAX_NO_SHOW_SLASH, Error::<T>::NoShowSlashTooHigh);
			ensure!(p.outlier_slash <= MAX_NO_SHOW_SLASH, Error::<T>::OutlierSlashTooHigh);
			ensure!(
				p.no_show_penalty <= T::MaxReputationPenalty::get(),
				Error::<T>::NoShowPenaltyTooHigh
			);
			ensure!(
				p.outlier_penalty <= T::MaxReputationPenalty::get(),
				Error::<T>::OutlierPenaltyTooHigh
			);
			ensure!(
				p.accuracy_reward <= T::MaxReputationReward::get(),
				Error::<T>::AccuracyRewardTooHigh
			);
			ensure!(
				p.appeal_period.is_zero() ||
					(p.appeal_period >= T::MinWindow::get() && p.appeal_period <= T::MaxWindow::get()),
				Error::<T>::AppealPeriodOutOfRange
			);
			ensure!(
				!p.appeal_bond_base.is_zero() && p.appeal_bond_base <= T::MaxAppealBondBase::get(),
				Error::<T>::AppealBondBaseOutOfRange
			);
			ensure!(p.max_appeal_rounds <= T::MaxAppealRounds::get(), Error::<T>::TooManyAppealRounds);
			ensure!(
				p.governance_period >= T::MinWindow::get() &&
					p.governance_period <= T::MaxGovernancePeriod::get(),
				Error::<T>::GovernancePeriodOutOfRange
			);
			Ok(())
		}

		pub(crate) fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			// Holding must leave the account alive (the hold itself keeps it, but fees need
			// free balance), so compare with what can be moved without reaping it.
			ensure!(
				amount <=
					T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite),
				Error::<T>::InsufficientBalance
			);
			T::Currency::hold(&reason.into(), who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance.into())
		}

		pub(crate) fn do_open_task(
			opener: &T::AccountId,
			request: TaskRequest,
			reward: BalanceOf<T>,
			commit_period: BlockNumberFor<T>,
			reveal_period: BlockNumberFor<T>,
			direct: bool,
		) -> Result<TaskId, DispatchError> {
			let params = Self::params()?;
			ensure!(!request.criteria.is_empty(), Error::<T>::NoCriteria);
			let mut criteria: BoundedVec<CriterionName<T>, T::MaxCriteria> = BoundedVec::new();
			for name in request.criteria {
				ensure!(!name.is_empty(), Error::<T>::BadCriterionName);
				let name: CriterionName<T> =
					name.try_into().map_err(|_| Error::<T>::BadCriterionName)?;
				ensure!(!criteria.contains(&name), Error::<T>::DuplicateCriterion);
				criteria.try_push(name).map_err(|_| Error::<T>::TooManyCriteria)?;
			}
			let uri: BoundedVec<u8, T::MaxUriLen> =
				request.uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
			ensure!(reward >= params.min_reward, Error::<T>::RewardTooLow);
			let in_bounds = |p: BlockNumberFor<T>| p >= params.min_period && p <= params.max_period;
			ensure!(in_bounds(commit_period) && in_bounds(reveal_period), Error::<T>::PeriodOutOfBounds);
			let now = frame_system::Pallet::<T>::block_number();
			// The commit window starts when the panel is drawn.
			let commit_end = now.saturating_add(DRAW_DELAY.into()).saturating_add(commit_period);
			let task = NextTaskId::<T>::get();
			// The task is due (settles) when its appeal window ends; a spilled task's reveal
			// window grows instead.
			let due = Self::reserve_capacity(
				task,
				commit_end.saturating_add(reveal_period).saturating_add(params.appeal_period),
				direct,
			)?;
			let reveal_end = due.saturating_sub(params.appeal_period);
			Self::hold(HoldReason::TaskReward, opener, reward)?;
			NextTaskId::<T>::put(task.saturating_add(1));
			Tasks::<T>::insert(
				task,
				TaskRecord {
					opener: opener.clone(),
					kind: request.kind,
					content_hash: request.content_hash,
					uri,
					criteria,
					reward,
					commit_end,
					reveal_end,
					panel_size: params.panel_size,
					quorum: params.quorum,
					committed: 0,
					revealed: 0,
					status: TaskStatus::Open,
					round: 0,
					due,
				},
			);
			Self::deposit_event(Event::TaskOpened {
				task,
				opener: opener.clone(),
				kind: request.kind,
				content_hash: request.content_hash,
				reward,
				commit_end,
				reveal_end,
			});
			Ok(task)
		}

		/// A task with its verdicts, for the runtime API.
		pub fn task_view(task: TaskId) -> Option<TaskViewOf<T>> {
			let t = Tasks::<T>::get(task)?;
			let status = match t.status {
				TaskStatus::Open => TaskStatus::Open,
				TaskStatus::Settled { consensus, at } =>
					TaskStatus::Settled { consensus: consensus.into_inner(), at },
				TaskStatus::Failed { at } => TaskStatus::Failed { at },
			};
			Some(TaskView {
				opener: t.opener,
				kind: t.kind,
				content_hash: t.content_hash,
				uri: t.uri.into_inner(),
				criteria: t.criteria.into_iter().map(|c| c.into_inner()).collect(),
				reward: t.reward,
				commit_end: t.commit_end,
				reveal_end: t.reveal_end,
				panel_size: t.panel_size,
				quorum: t.quorum,
				panel: Panels::<T>::get(task).map(|p| p.into_inner()).unwrap_or_default(),
				committed: t.committed,
				revealed: t.revealed,
				status,
				round: t.round,
				settles_at: t.due,
				verdicts: Verdicts::<T>::get(task).map(|v| v.into_inner()).unwrap_or_default(),
			})
		}

		/// An evaluator's record, for the runtime API.
		pub fn evaluator(who: &T::AccountId) -> Option<EvaluatorOf<T>> {
			Evaluators::<T>::get(who)
		}

		/// The open tasks whose current round `who` was drawn for, with its seats, for the
		/// runtime API (members of earlier rounds of an appealed task have nothing left to do).
		pub fn drawn_for(who: &T::AccountId) -> Vec<(TaskId, u32)> {
			Drawn::<T>::iter_prefix(who)
				.filter(|(task, _)| {
					Panels::<T>::get(task).map(|p| p.iter().any(|(m, _)| m == who)).unwrap_or(false)
				})
				.collect()
		}
	}

	impl<T: Config> EvaluationTasks<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn open_task(
			opener: &T::AccountId,
			request: TaskRequest,
			reward: BalanceOf<T>,
		) -> Result<TaskId, DispatchError> {
			let params = Self::params()?;
			// All or nothing, whatever the caller does with an error.
			frame_support::storage::with_storage_layer(|| {
				Self::do_open_task(
					opener,
					request,
					reward,
					params.default_period,
					params.default_period,
					false,
				)
			})
		}
		fn open_task_weight() -> Weight {
			// Spilling reads (and may write) up to `MAX_SPILL` more due lists.
			T::WeightInfo::open_task(T::MaxCriteria::get(), T::MaxUriLen::get())
				.saturating_add(T::DbWeight::get().reads(MAX_SPILL as u64))
		}
		fn is_capacity_error(error: &DispatchError) -> bool {
			[Error::<T>::TooManyTasksOpened, Error::<T>::TooManyDirectTasks, Error::<T>::TooManyTasksDue]
				.into_iter()
				.any(|e| DispatchError::from(e) == *error)
		}
		fn consensus_of(task: TaskId) -> Option<Vec<Score>> {
			match Tasks::<T>::get(task)?.status {
				TaskStatus::Settled { consensus, .. } => Some(consensus.into_inner()),
				TaskStatus::Open | TaskStatus::Failed { .. } => None,
			}
		}
	}
}
