//! # Evaluation
//!
//! Peer evaluation of AI outputs by commit-reveal, with a robust consensus, rewards and
//! penalties.
//!
//! 1. **Evaluators** register with a bond (held; governance sets the minimum) and leave with
//!    `unbond` + `withdraw` after a delay. Their weight is `bond × (reputation + base)`.
//! 2. **Tasks**: anyone (or another pallet through [`EvaluationTasks`]) opens a task on a
//!    subject (content hash, URI, kind) with up to `MaxCriteria` named criteria and funds a
//!    reward pot (held from the opener).
//! 3. **Commit** (commit window): `blake2_256(SCALE(tag, task, evaluator, scores, salt))`, bound
//!    to the evaluator and task so a copied commitment is useless to anyone else.
//! 4. **Reveal** (reveal window): the scores and salt; precise errors otherwise.
//! 5. **Settlement** (any account with `settle`, or the hook, at most `MaxSettlementsPerBlock`
//!    per block): per criterion the consensus is the κ = ½ weighted median of the reveals;
//!    evaluators within tolerance share the pot by weight × closeness and gain reputation,
//!    outliers get nothing and lose reputation, no-shows lose part of their bond and
//!    reputation. Too few reveals fail the task and refund the opener.
//!
//! The maths is in [`consensus`] (pure, property-tested, shared with the simulator); the
//! storage side of settlement in `settlement.rs`. See the crate README for the formulas.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use perspective_primitives::evaluation::{
	EvaluationTasks, OnTaskSettled, Score, SettledTask, SubjectKind, TaskId, TaskRequest, MAX_SCORE,
};

pub mod consensus;
pub mod runtime_api;
mod settlement;
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

use codec::Encode;
use sp_arithmetic::Perbill;
use sp_core::H256;

/// Domain tag of commitments, so a commitment hash can never be valid for another purpose.
pub const COMMITMENT_TAG: [u8; 16] = *b"prsp/eval/commit";

/// κ of the weighted median: the consensus is backed by at least half the weight.
pub const KAPPA: Perbill = Perbill::from_percent(50);

/// Largest `no_show_slash` governance may set: a no-show never loses more than half its bond on
/// one task (it may be committed to `MaxPendingPerEvaluator` tasks when its node goes down).
pub const MAX_NO_SHOW_SLASH: Perbill = Perbill::from_percent(50);

/// The commitment an evaluator submits: `blake2_256(SCALE(COMMITMENT_TAG, task, who, scores,
/// salt))`. SCALE encodes the tag and salt as raw bytes, the task id as 8 little-endian bytes
/// and the scores with a compact length prefix.
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
			fungible::{Inspect, Mutate, MutateHold},
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
		<T as Config>::MaxEvaluatorsPerTask,
	>;
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
		/// Reveals needed for a consensus.
		pub min_evaluators: u32,
		/// Commitments accepted.
		pub max_evaluators: u32,
		pub committed: u32,
		pub revealed: u32,
		pub status: TaskStatus<ScoresOf<T>, BlockNumberFor<T>>,
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds and reward pots are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Reputation: read for weights, changed by verdicts.
		type Reputation: ReputationProvider<Self::AccountId> + ReputationUpdater<Self::AccountId>;
		/// Told about every settled or failed task.
		type OnSettled: OnTaskSettled<Self::AccountId>;
		/// Origin that may change the parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most criteria per task.
		#[pallet::constant]
		type MaxCriteria: Get<u32>;
		/// Longest criterion name, in bytes.
		#[pallet::constant]
		type MaxCriterionNameLen: Get<u32>;
		/// Longest subject URI, in bytes.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// Most evaluators per task.
		#[pallet::constant]
		type MaxEvaluatorsPerTask: Get<u32>;
		/// Most open tasks one evaluator may have committed to.
		#[pallet::constant]
		type MaxPendingPerEvaluator: Get<u32>;
		/// Most tasks due for settlement at the same block.
		#[pallet::constant]
		type MaxTasksPerBlock: Get<u32>;
		/// Most tasks the hook settles per block; the rest wait for the next block.
		#[pallet::constant]
		type MaxSettlementsPerBlock: Get<u32>;
		/// Largest `min_bond` governance may set, so that becoming an evaluator stays
		/// affordable.
		#[pallet::constant]
		type MaxMinBond: Get<BalanceOf<Self>>;
		/// Largest `min_reward` governance may set, so that opening a task (and registering a
		/// contribution, whose `evaluation_fee` must cover it) stays affordable.
		#[pallet::constant]
		type MaxMinReward: Get<BalanceOf<Self>>;
		/// Longest commit or reveal window governance may allow (`max_period`), in blocks: a
		/// task's reward, its evaluators' pending slots and a contribution's scoring are tied
		/// up for at most twice this.
		#[pallet::constant]
		type MaxWindow: Get<BlockNumberFor<Self>>;
		/// Longest `unbonding_delay` governance may set, in blocks.
		#[pallet::constant]
		type MaxUnbondingDelay: Get<BlockNumberFor<Self>>;
		/// Largest `accuracy_reward`: the reputation one evaluator can gain from one task.
		#[pallet::constant]
		type MaxReputationReward: Get<perspective_primitives::ReputationScore>;
		/// Largest `no_show_penalty` and `outlier_penalty`: the reputation one evaluator can lose
		/// on one task.
		#[pallet::constant]
		type MaxReputationPenalty: Get<perspective_primitives::ReputationScore>;
		/// Largest `base_reputation` (beyond it reputation would no longer weigh in the
		/// evaluator weight `bond × (reputation + base_reputation)`).
		#[pallet::constant]
		type MaxBaseReputation: Get<perspective_primitives::ReputationScore>;
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

	/// Commitments and reveals of open tasks; removed at settlement.
	#[pallet::storage]
	pub type Evaluations<T: Config> = StorageMap<
		_,
		Twox64Concat,
		TaskId,
		BoundedVec<EvaluationOf<T>, T::MaxEvaluatorsPerTask>,
		ValueQuery,
	>;

	/// Each finished task's verdicts, one per participant.
	#[pallet::storage]
	pub type Verdicts<T: Config> = StorageMap<_, Twox64Concat, TaskId, VerdictsOf<T>>;

	/// Open tasks by the block their reveal window ends (when they become due).
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
		/// `who` deviated beyond tolerance on `task`: no payout, reputation lost.
		EvaluatorOutlier { task: TaskId, who: T::AccountId, deviation: u32 },
		/// `who` committed to `task` but never revealed: `slashed` burnt from the bond.
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
		/// `task` failed with `revealed` of `required` reveals; `refunded` to the opener.
		TaskFailed { task: TaskId, revealed: u32, required: u32, refunded: BalanceOf<T> },
		/// The hook's per-block budget ran out: `remaining` tasks due at `due` wait for the
		/// next block (or anyone's `settle`).
		SettlementDeferred { due: BlockNumberFor<T>, remaining: u32 },
		/// Governance set new parameters.
		ParamsSet { params: ParamsOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The pallet has no parameters yet; governance must set them first.
		NotConfigured,
		/// The account is already a registered evaluator.
		AlreadyEvaluator,
		/// The account is not a registered evaluator.
		NotEvaluator,
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
		/// The evaluator has committed to the maximum number of open tasks.
		TooManyPendingTasks,
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
		/// Minimum evaluators must be at least the governance minimum and at most the maximum,
		/// which must not exceed `MaxEvaluatorsPerTask`.
		BadEvaluatorBounds,
		/// Too many tasks are due at that block; choose other windows.
		TooManyTasksDue,
		/// The task's opener cannot evaluate it.
		OpenerCannotEvaluate,
		/// The commit window is over.
		CommitClosed,
		/// This evaluator has already committed to this task.
		AlreadyCommitted,
		/// The task has its maximum number of evaluators.
		TaskFull,
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
		/// `max_period` must be at most `MaxWindow` blocks (runtime: 7 days).
		MaxPeriodTooLong,
		/// `min_period` must be at most `max_period`.
		MinPeriodAboveMaxPeriod,
		/// `default_period` must lie in `min_period..=max_period`.
		DefaultPeriodOutOfRange,
		/// `min_evaluators` must be at least 1.
		MinEvaluatorsZero,
		/// `min_evaluators` must be at most `MaxEvaluatorsPerTask` (runtime: 32).
		MinEvaluatorsAboveMax,
		/// `tolerance` must be at most 100 (`MAX_SCORE`, the top of the score scale).
		ToleranceAboveScale,
		/// `no_show_slash` must be at most 50% (`MAX_NO_SHOW_SLASH`).
		NoShowSlashTooHigh,
		/// `no_show_penalty` must be at most `MaxReputationPenalty` (runtime: 50,000).
		NoShowPenaltyTooHigh,
		/// `outlier_penalty` must be at most `MaxReputationPenalty` (runtime: 50,000).
		OutlierPenaltyTooHigh,
		/// `accuracy_reward` must be at most `MaxReputationReward` (runtime: 10,000).
		AccuracyRewardTooHigh,
		/// `base_reputation` must be at most `MaxBaseReputation` (runtime: 1,000,000).
		BaseReputationTooHigh,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::settle_due(now)
		}

		fn integrity_test() {
			assert!(T::MaxCriteria::get() > 0 && T::MaxEvaluatorsPerTask::get() > 0);
			assert!(
				T::MaxSettlementsPerBlock::get() > 0,
				"the hook must make progress or due tasks pile up"
			);
			// The hook must be able to settle the largest possible task on its own.
			let task = Self::settlement_weight(T::MaxEvaluatorsPerTask::get())
				.saturating_add(T::WeightInfo::on_initialize_visits(T::MaxSettlementsPerBlock::get() + 1));
			let budget = Self::hook_budget();
			assert!(!task.any_gt(budget), "a full task ({task:?}) must fit in the hook's budget ({budget:?})");
			assert!(!T::MaxWindow::get().is_zero(), "governance needs room for a non-zero window");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register as an evaluator, holding `bond` (at least the minimum bond).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(origin: OriginFor<T>, #[pallet::compact] bond: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Self::params()?;
			ensure!(!Evaluators::<T>::contains_key(&who), Error::<T>::AlreadyEvaluator);
			ensure!(bond >= params.min_bond, Error::<T>::BondTooLow);
			Self::hold(HoldReason::EvaluatorBond, &who, bond)?;
			Evaluators::<T>::insert(
				&who,
				EvaluatorInfo {
					bond,
					unbonding_at: None,
					pending_tasks: 0,
					accurate: 0,
					outliers: 0,
					missed: 0,
					earned: Zero::zero(),
				},
			);
			Self::deposit_event(Event::EvaluatorRegistered { who, bond });
			Ok(())
		}

		/// Add `amount` to the caller's bond (e.g. to get back above the minimum after a slash).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, #[pallet::compact] amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(info.unbonding_at.is_none(), Error::<T>::Unbonding);
			Self::hold(HoldReason::EvaluatorBond, &who, amount)?;
			info.bond = info.bond.saturating_add(amount);
			let bond = info.bond;
			Evaluators::<T>::insert(&who, info);
			Self::deposit_event(Event::BondIncreased { who, bond });
			Ok(())
		}

		/// Stop taking tasks. The bond can be withdrawn after the unbonding delay, once every
		/// task the caller committed to has settled.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Self::params()?;
			let mut info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(info.unbonding_at.is_none(), Error::<T>::Unbonding);
			let unlock_at =
				frame_system::Pallet::<T>::block_number().saturating_add(params.unbonding_delay);
			info.unbonding_at = Some(unlock_at);
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
		/// from the caller until settlement). Commitments are accepted for `commit_period`
		/// blocks, reveals for the `reveal_period` blocks after that; the task needs
		/// `min_evaluators` reveals and accepts `max_evaluators` commitments.
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
			min_evaluators: u32,
			max_evaluators: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (criteria_len, uri_len) = (criteria.len() as u32, uri.len() as u32);
			Self::do_open_task(
				&who,
				TaskRequest { kind, content_hash, uri, criteria },
				reward,
				commit_period,
				reveal_period,
				min_evaluators,
				max_evaluators,
			)?;
			Ok(Some(T::WeightInfo::open_task(criteria_len, uri_len)).into())
		}

		/// Commit to a task: `commitment = blake2_256(SCALE(tag, task, caller, scores, salt))`
		/// (see [`commitment_of`] and the README). Records the caller's weight now.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::commit())]
		pub fn commit(origin: OriginFor<T>, task: TaskId, commitment: H256) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Self::params()?;
			let record = Tasks::<T>::get(task).ok_or(Error::<T>::TaskNotFound)?;
			ensure!(record.status == TaskStatus::Open, Error::<T>::AlreadySettled);
			ensure!(who != record.opener, Error::<T>::OpenerCannotEvaluate);
			ensure!(
				frame_system::Pallet::<T>::block_number() < record.commit_end,
				Error::<T>::CommitClosed
			);
			let mut info = Evaluators::<T>::get(&who).ok_or(Error::<T>::NotEvaluator)?;
			ensure!(info.unbonding_at.is_none(), Error::<T>::Unbonding);
			ensure!(info.bond >= params.min_bond, Error::<T>::BondTooLow);
			ensure!(
				info.pending_tasks < T::MaxPendingPerEvaluator::get(),
				Error::<T>::TooManyPendingTasks
			);
			let mut evaluations = Evaluations::<T>::get(task);
			ensure!(!evaluations.iter().any(|e| e.who == who), Error::<T>::AlreadyCommitted);
			ensure!((evaluations.len() as u32) < record.max_evaluators, Error::<T>::TaskFull);
			let weight = Self::weight_of(&who, info.bond, &params);
			evaluations
				.try_push(EvaluationEntry { who: who.clone(), commitment, weight, scores: None })
				.map_err(|_| Error::<T>::TaskFull)?;
			info.pending_tasks.saturating_inc();
			Evaluations::<T>::insert(task, evaluations);
			Evaluators::<T>::insert(&who, info);
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

		/// Settle a task whose reveal window has ended (any account may call this; the hook
		/// does it too, `MaxSettlementsPerBlock` per block).
		#[pallet::call_index(7)]
		#[pallet::weight(Pallet::<T>::settlement_weight(T::MaxEvaluatorsPerTask::get()))]
		pub fn settle(origin: OriginFor<T>, task: TaskId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let record = Tasks::<T>::get(task).ok_or(Error::<T>::TaskNotFound)?;
			ensure!(record.status == TaskStatus::Open, Error::<T>::AlreadySettled);
			ensure!(
				frame_system::Pallet::<T>::block_number() >= record.reveal_end,
				Error::<T>::NotDue
			);
			DueAt::<T>::mutate(record.reveal_end, |due| due.retain(|id| *id != task));
			let used = Self::do_settle(task, record)?;
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
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn params() -> Result<ParamsOf<T>, DispatchError> {
			Params::<T>::get().ok_or_else(|| Error::<T>::NotConfigured.into())
		}

		/// Checks every field of `p` against its range; the error names the first field
		/// outside it. No accepted value stops tasks from being opened, settled or paid for:
		/// windows are at least one block and at most `MaxWindow`, bonds and rewards are
		/// affordable, and the reputation one task moves is bounded.
		pub fn check_params(p: &ParamsOf<T>) -> Result<(), Error<T>> {
			ensure!(p.min_bond <= T::MaxMinBond::get(), Error::<T>::MinBondTooHigh);
			ensure!(
				p.unbonding_delay <= T::MaxUnbondingDelay::get(),
				Error::<T>::UnbondingDelayTooLong
			);
			ensure!(p.min_reward <= T::MaxMinReward::get(), Error::<T>::MinRewardTooHigh);
			ensure!(!p.min_period.is_zero(), Error::<T>::MinPeriodZero);
			ensure!(p.max_period <= T::MaxWindow::get(), Error::<T>::MaxPeriodTooLong);
			ensure!(p.min_period <= p.max_period, Error::<T>::MinPeriodAboveMaxPeriod);
			ensure!(
				p.min_period <= p.default_period && p.default_period <= p.max_period,
				Error::<T>::DefaultPeriodOutOfRange
			);
			ensure!(p.min_evaluators > 0, Error::<T>::MinEvaluatorsZero);
			ensure!(
				p.min_evaluators <= T::MaxEvaluatorsPerTask::get(),
				Error::<T>::MinEvaluatorsAboveMax
			);
			ensure!(p.tolerance <= MAX_SCORE, Error::<T>::ToleranceAboveScale);
			ensure!(p.no_show_slash <= MAX_NO_SHOW_SLASH, Error::<T>::NoShowSlashTooHigh);
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
				p.base_reputation <= T::MaxBaseReputation::get(),
				Error::<T>::BaseReputationTooHigh
			);
			Ok(())
		}

		/// `bond × (reputation + base_reputation)`, saturating.
		pub(crate) fn weight_of(who: &T::AccountId, bond: BalanceOf<T>, params: &ParamsOf<T>) -> u128 {
			use sp_runtime::SaturatedConversion;
			let reputation =
				T::Reputation::reputation_of(who).saturating_add(params.base_reputation);
			bond.saturated_into::<u128>().saturating_mul(reputation)
		}

		fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
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
			min_evaluators: u32,
			max_evaluators: u32,
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
			ensure!(
				min_evaluators >= params.min_evaluators &&
					min_evaluators <= max_evaluators &&
					max_evaluators <= T::MaxEvaluatorsPerTask::get(),
				Error::<T>::BadEvaluatorBounds
			);
			let now = frame_system::Pallet::<T>::block_number();
			let commit_end = now.saturating_add(commit_period);
			let reveal_end = commit_end.saturating_add(reveal_period);
			let task = NextTaskId::<T>::get();
			DueAt::<T>::try_mutate(reveal_end, |due| due.try_push(task))
				.map_err(|_| Error::<T>::TooManyTasksDue)?;
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
					min_evaluators,
					max_evaluators,
					committed: 0,
					revealed: 0,
					status: TaskStatus::Open,
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
				min_evaluators: t.min_evaluators,
				max_evaluators: t.max_evaluators,
				committed: t.committed,
				revealed: t.revealed,
				status,
				verdicts: Verdicts::<T>::get(task).map(|v| v.into_inner()).unwrap_or_default(),
			})
		}

		/// An evaluator's record, for the runtime API.
		pub fn evaluator(who: &T::AccountId) -> Option<EvaluatorOf<T>> {
			Evaluators::<T>::get(who)
		}
	}

	impl<T: Config> EvaluationTasks<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn open_task(
			opener: &T::AccountId,
			request: TaskRequest,
			reward: BalanceOf<T>,
		) -> Result<TaskId, DispatchError> {
			let params = Self::params()?;
			Self::do_open_task(
				opener,
				request,
				reward,
				params.default_period,
				params.default_period,
				params.min_evaluators,
				T::MaxEvaluatorsPerTask::get(),
			)
		}
		fn open_task_weight() -> Weight {
			T::WeightInfo::open_task(T::MaxCriteria::get(), T::MaxUriLen::get())
		}
		fn consensus_of(task: TaskId) -> Option<Vec<Score>> {
			match Tasks::<T>::get(task)?.status {
				TaskStatus::Settled { consensus, .. } => Some(consensus.into_inner()),
				TaskStatus::Open | TaskStatus::Failed { .. } => None,
			}
		}
	}
}
