//! # Contributions
//!
//! Contribution accounting: data providers, model trainers and evaluators earn rewards in
//! proportion to measured value, and claim them at a cost that does not grow with the network.
//!
//! 1. **Registry**: in two phases, so a registration cannot be front-run: first
//!    `commit_registration(registration_commitment_of(content_hash, owner, salt))` (a small
//!    deposit held), then, in a later block and within `MaxCommitmentAge` blocks, `register` a
//!    contribution (kind, content hash, URI, metadata, parents, salt) with a refundable deposit
//!    held; the content hash must be new. Owners `update` the URI and metadata (not while the
//!    contribution is being evaluated) and `retire` contributions (which drops their URI and
//!    metadata).
//! 2. **Scoring**: registration opens an evaluation task (through [`EvaluationTasks`], paid by
//!    the registrant's `evaluation_fee`). If none can be opened in that block (e.g. its task
//!    capacity is full), the registration stands, unscored and with no fee held, and the owner
//!    calls `request_evaluation` later. When a task settles, the quality (mean consensus score)
//!    accepts the contribution (points in its kind's pool, reputation) or rejects it (part of
//!    the deposit burnt, reputation lost). Accurate evaluators earn participation points per
//!    seat they held on the task's panel (drawn by lot by the evaluation pallet; never the
//!    owner).
//! 3. **Royalties**: a governance-set fraction of an accepted contribution's points flows to its
//!    accepted parents, and on to theirs, for a bounded number of generations.
//! 4. **Epochs**: every `epoch_length` blocks the hook closes the epoch in O(pools): it mints
//!    each pool's share of `epoch_emission` and records the pool's reward per point.
//! 5. **Claims**: `claim` values the account's points of its last epoch with that epoch's reward
//!    per point, adds what was valued before and pays it: O(1) in epochs and accounts.
//!
//! The maths is in [`rewards`] (pure, property-tested); epochs and claims in `accounting.rs`;
//! scoring in `scoring.rs`. See the crate README for the formulas.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use perspective_primitives::evaluation::{
	EvaluationTasks, OnTaskSettled, Score, SettledTask, TaskId, TaskRequest,
};

mod accounting;
pub mod rewards;
pub mod runtime_api;
mod scoring;
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

/// Most ancestors the `lineage` query walks, and most generations.
pub const MAX_LINEAGE_ENTRIES: u32 = 1_024;
pub const MAX_LINEAGE_DEPTH: u32 = 16;

/// Largest `royalty` governance may set: a contribution's owner always keeps at least half of
/// the points it earns (a royalty of 100% would hand every point of new work to its ancestors).
pub const MAX_ROYALTY: sp_arithmetic::Perbill = sp_arithmetic::Perbill::from_percent(50);

/// Smallest `acceptance_threshold` governance may set, out of 100: work its peers rate below the
/// middle of the scale is never accepted, so it never earns points or reputation.
pub const MIN_ACCEPTANCE_THRESHOLD: Score = 50;

/// Largest `rejection_slash` governance may set: an owner whose work is rejected (a peer
/// judgement a colluding majority could force) always gets at least half of its deposit back.
pub const MAX_REJECTION_SLASH: sp_arithmetic::Perbill = sp_arithmetic::Perbill::from_percent(50);

/// Domain tag of registration commitments (16 bytes), so a registration commitment can never
/// be valid for another purpose (an evaluation commitment, say).
pub const REGISTRATION_COMMITMENT_TAG: [u8; 16] = *b"prsp/contrib/reg";

/// The commitment `owner` submits with `commit_registration` before registering `content_hash`:
/// `blake2_256(SCALE(REGISTRATION_COMMITMENT_TAG, content_hash, owner, salt))`. SCALE encodes
/// the tag, the content hash and the salt as raw bytes and the account as its own encoding (32
/// bytes for an `AccountId32`). `salt` should be 32 fresh random bytes: the commitment then
/// reveals nothing about the content hash until `register` discloses both.
pub fn registration_commitment_of<AccountId: codec::Encode>(
	content_hash: sp_core::H256,
	owner: &AccountId,
	salt: &[u8; 32],
) -> sp_core::H256 {
	use codec::Encode;
	sp_core::H256(sp_io::hashing::blake2_256(
		&(REGISTRATION_COMMITMENT_TAG, content_hash, owner, salt).encode(),
	))
}

/// Sets up state the benchmarks cannot reach through this pallet's `Config`.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<Balance> {
	/// Make the evaluation pallet accept tasks; returns a reward pot it accepts.
	fn prepare_evaluation() -> Balance;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::Precision,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use perspective_primitives::{ReputationProvider, ReputationUpdater};
	use sp_core::H256;
	use sp_runtime::traits::{AccountIdConversion, Saturating, Zero};

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type ParamsOf<T> = ContributionParams<BalanceOf<T>, BlockNumberFor<T>>;
	pub type EarningsOf<T> = Earnings<BalanceOf<T>>;
	pub type EpochStateOf<T> = EpochState<BlockNumberFor<T>>;
	pub type ClosedEpochOf<T> = ClosedEpoch<BalanceOf<T>, BlockNumberFor<T>>;
	pub type ParentsOf<T> = BoundedVec<ContributionId, <T as Config>::MaxParents>;
	pub type ContributionInfoOf<T> =
		ContributionInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	pub type RegistrationCommitmentOf<T> = RegistrationCommitment<BalanceOf<T>, BlockNumberFor<T>>;

	/// A registered contribution.
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
	pub struct ContributionRecord<T: Config> {
		pub owner: T::AccountId,
		pub kind: ContributionKind,
		/// Hash of the content; unique across the registry.
		pub content_hash: H256,
		/// Where the content can be fetched (emptied on retirement).
		pub uri: BoundedVec<u8, T::MaxUriLen>,
		/// Free-form description (licence, format, training recipe, ...; emptied on retirement).
		pub metadata: BoundedVec<u8, T::MaxMetadataLen>,
		/// Earlier contributions this one derives from (e.g. a model's training datasets); each
		/// was accepted and live when this one was registered.
		pub parents: ParentsOf<T>,
		/// Held from the owner; released on retirement, partly burnt on rejection.
		pub deposit: BalanceOf<T>,
		pub registered_at: BlockNumberFor<T>,
		pub status: ContributionStatus,
		/// Retired by its owner: no longer receives royalties, deposit released, URI and
		/// metadata dropped.
		pub retired: bool,
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in and rewards are minted and paid in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Opens the evaluation tasks that score contributions.
		type Evaluation: EvaluationTasks<Self::AccountId, BalanceOf<Self>>;
		/// Reputation gained by accepted and lost by rejected contributions.
		type Reputation: ReputationProvider<Self::AccountId> + ReputationUpdater<Self::AccountId>;
		/// Origin that may change the parameters.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The reward pot's account is derived from this.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Criteria every contribution is scored on (one score each, 0..=100).
		type ScoringCriteria: Get<Vec<Vec<u8>>>;
		/// Longest URI, in bytes (at most the evaluation pallet's).
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// Longest metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;
		/// Most parents per contribution.
		#[pallet::constant]
		type MaxParents: Get<u32>;
		/// Most generations of parents that royalties may reach.
		#[pallet::constant]
		type MaxRoyaltyDepth: Get<u32>;
		/// Most accurate evaluators credited per task (the evaluation pallet's `MaxPanelSize`:
		/// a panel has at most that many members). Each is credited per seat it held.
		#[pallet::constant]
		type MaxParticipants: Get<u32>;
		/// Held from an account for each registration commitment it makes; released when
		/// `register` uses the commitment or the account cancels it. Pays for the commitment's
		/// storage (a commitment nobody uses stays until its maker cancels it).
		#[pallet::constant]
		type RegistrationCommitDeposit: Get<BalanceOf<Self>>;
		/// Most blocks between a registration commitment and the `register` that uses it (at
		/// least 1: the commitment must be in an earlier block). An older commitment is refused
		/// (`CommitmentExpired`); its maker cancels it to get the deposit back.
		#[pallet::constant]
		type MaxCommitmentAge: Get<BlockNumberFor<Self>>;
		/// Most `epoch_emission` governance may set: the most this pallet mints per epoch, in
		/// all pools together. With `MinEpochLength` it caps minting at
		/// `MaxEpochEmission / MinEpochLength` per block, whatever governance decides.
		#[pallet::constant]
		type MaxEpochEmission: Get<BalanceOf<Self>>;
		/// Shortest `epoch_length` governance may set, in blocks (at least 1): every epoch writes
		/// one `ClosedEpochs` entry and may mint up to `MaxEpochEmission`.
		#[pallet::constant]
		type MinEpochLength: Get<BlockNumberFor<Self>>;
		/// Longest `epoch_length` governance may set, in blocks: rewards become claimable when
		/// an epoch closes.
		#[pallet::constant]
		type MaxEpochLength: Get<BlockNumberFor<Self>>;
		/// Largest deposit a registration may require: `deposit_base + deposit_per_byte ×
		/// (MaxUriLen + MaxMetadataLen)` must not exceed it.
		#[pallet::constant]
		type MaxDeposit: Get<BalanceOf<Self>>;
		/// Largest `evaluation_fee` governance may set.
		#[pallet::constant]
		type MaxEvaluationFee: Get<BalanceOf<Self>>;
		/// Smallest `evaluation_fee` governance may set. The runtime sets it to the largest
		/// `min_reward` the evaluation pallet accepts, so no pair of accepted parameters makes
		/// every registration fail with `RewardTooLow`.
		#[pallet::constant]
		type MinEvaluationFee: Get<BalanceOf<Self>>;
		/// Largest `acceptance_reputation`: the reputation one accepted contribution earns.
		#[pallet::constant]
		type MaxReputationReward: Get<perspective_primitives::ReputationScore>;
		/// Largest `rejection_penalty`: the reputation one rejected contribution costs.
		#[pallet::constant]
		type MaxReputationPenalty: Get<perspective_primitives::ReputationScore>;
		/// Weight information for this pallet.
		type WeightInfo: WeightInfo;
		/// Prepares the evaluation pallet for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<BalanceOf<Self>>;
	}

	/// Why this pallet holds balance.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A contribution's deposit.
		#[codec(index = 0)]
		ContributionDeposit,
		/// The deposit of a registration commitment, until `register` uses it or its maker
		/// cancels it.
		#[codec(index = 1)]
		RegistrationCommitment,
	}

	/// Parameters set by governance.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, OptionQuery>;

	/// The id the next contribution gets.
	#[pallet::storage]
	pub type NextContributionId<T: Config> = StorageValue<_, ContributionId, ValueQuery>;

	/// Every contribution, live or retired.
	#[pallet::storage]
	pub type Registry<T: Config> =
		StorageMap<_, Twox64Concat, ContributionId, ContributionRecord<T>>;

	/// Contributions by content hash (no two share one).
	#[pallet::storage]
	pub type ByContentHash<T: Config> = StorageMap<_, Identity, H256, ContributionId>;

	/// Registration commitments by maker and commitment (`registration_commitment_of`): the
	/// block each was made in and the deposit held for it. Removed when `register` uses one or
	/// its maker cancels it.
	#[pallet::storage]
	pub type RegistrationCommitments<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		H256,
		RegistrationCommitmentOf<T>,
	>;

	/// The contribution each open evaluation task scores; removed when the task settles.
	#[pallet::storage]
	pub type ScoringTasks<T: Config> = StorageMap<_, Twox64Concat, TaskId, ContributionId>;

	/// The open epoch (absent until parameters are set).
	#[pallet::storage]
	pub type CurrentEpoch<T: Config> = StorageValue<_, EpochStateOf<T>, OptionQuery>;

	/// Closed epochs: what each pool minted and its reward per point.
	#[pallet::storage]
	pub type ClosedEpochs<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, ClosedEpochOf<T>>;

	/// Each earning account's points of its last epoch and its valued, unclaimed rewards.
	#[pallet::storage]
	pub type AccountEarnings<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EarningsOf<T>>;

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
					panic!("invalid contributions genesis params: {e:?}");
				}
				Params::<T>::put(params);
				Pallet::<T>::start_rewards(Zero::zero(), &params);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `owner` registered contribution `id`, holding `deposit`; evaluation task `task`
		/// scores it. `task` is `None` when no task could be opened in this block: the
		/// contribution is unscored (no fee held) and `ScoringDeferred` says why.
		ContributionRegistered {
			id: ContributionId,
			owner: T::AccountId,
			kind: ContributionKind,
			content_hash: H256,
			parents: ParentsOf<T>,
			deposit: BalanceOf<T>,
			task: Option<TaskId>,
		},
		/// No evaluation task could be opened for the new contribution `id` (`error`, e.g. the
		/// evaluation pallet's `TooManyTasksOpened` when the block's task capacity is full). It
		/// is registered all the same, unscored and with no fee held; its owner calls
		/// `request_evaluation(id)` in a later block.
		ScoringDeferred { id: ContributionId, error: DispatchError },
		/// `owner` committed to a registration (`commitment`), holding `deposit`; it can
		/// `register` with it from the next block on.
		RegistrationCommitted { owner: T::AccountId, commitment: H256, deposit: BalanceOf<T> },
		/// `owner` cancelled its registration commitment; `refunded` was released.
		RegistrationCommitmentCancelled { owner: T::AccountId, commitment: H256, refunded: BalanceOf<T> },
		/// `register` used `owner`'s registration commitment for contribution `id`; its deposit
		/// (`refunded`) was released.
		RegistrationCommitmentUsed {
			owner: T::AccountId,
			commitment: H256,
			id: ContributionId,
			refunded: BalanceOf<T>,
		},
		/// The owner changed the URI or metadata; the deposit is now `deposit`.
		ContributionUpdated { id: ContributionId, deposit: BalanceOf<T> },
		/// The owner retired `id`: `refunded` was released, its URI and metadata dropped.
		ContributionRetired { id: ContributionId, refunded: BalanceOf<T> },
		/// A new evaluation of an unscored contribution was opened (its owner paid the fee).
		EvaluationRequested { id: ContributionId, task: TaskId },
		/// `id`'s quality reached the threshold: `points` in its kind's pool this epoch
		/// (`kept` by the owner, the rest as royalties to its parents).
		ContributionAccepted { id: ContributionId, quality: Score, points: Points, kept: Points },
		/// `id`'s quality was below the threshold: `slashed` of the deposit burnt, `refunded`
		/// released.
		ContributionRejected {
			id: ContributionId,
			quality: Score,
			slashed: BalanceOf<T>,
			refunded: BalanceOf<T>,
		},
		/// Too few evaluators revealed on `task`; `id` stays unscored.
		ContributionUnscored { id: ContributionId, task: TaskId },
		/// `points` of a royalty from contribution `from` went to its parent `to`.
		RoyaltyCredited { from: ContributionId, to: ContributionId, points: Points },
		/// `evaluators` accurate evaluators of `task`, holding `seats` panel seats between them,
		/// earned `points_per_seat` participation points per seat.
		ParticipationCredited { task: TaskId, evaluators: u32, seats: u32, points_per_seat: Points },
		/// Epoch `epoch` closed: `rewards` minted per pool for `points`.
		EpochClosed { epoch: EpochIndex, points: PerPool<Points>, rewards: PerPool<BalanceOf<T>> },
		/// `who` claimed `amount`. An `amount` of 0 cleared points earned only in closed epochs
		/// that minted nothing for their pools (their earnings record is removed).
		RewardsClaimed { who: T::AccountId, amount: BalanceOf<T> },
		/// Governance set new parameters.
		ParamsSet { params: ParamsOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The pallet has no parameters yet; governance must set them first.
		NotConfigured,
		/// Governance gives this kind of contribution no rewards (pool weight zero).
		KindNotRewarded,
		/// A contribution with this content hash is already registered.
		DuplicateContent,
		/// The URI is longer than `MaxUriLen`.
		UriTooLong,
		/// The metadata is longer than `MaxMetadataLen`.
		MetadataTooLong,
		/// More parents than `MaxParents`.
		TooManyParents,
		/// A parent is listed twice.
		DuplicateParent,
		/// No contribution with this id.
		ContributionNotFound,
		/// A listed parent does not exist.
		ParentNotFound,
		/// A parent must be an accepted contribution (wait until its evaluation settles):
		/// lineage, and the royalties it carries, only link peer-accepted work.
		ParentNotAccepted,
		/// The account's free balance cannot cover the deposit.
		InsufficientBalance,
		/// Only the contribution's owner may do this.
		NotOwner,
		/// The contribution is retired.
		Retired,
		/// The contribution was rejected; register an improved version instead.
		ContributionRejected,
		/// The contribution is being evaluated; wait for the task to settle.
		EvaluationPending,
		/// No evaluation of this contribution was ever opened (none could be when it was
		/// registered): `request_evaluation` first. A retired contribution keeps its content
		/// hash, so a contribution faces an evaluation before its deposit comes back.
		NeverEvaluated,
		/// The contribution is being evaluated: its URI, metadata and deposit cannot change
		/// until the task settles (the deposit at stake is the one registered).
		BeingEvaluated,
		/// The caller has no registration commitment for this content hash and salt: call
		/// `commit_registration(registration_commitment_of(content_hash, caller, salt))` in an
		/// earlier block first (a commitment is used once; cancelled ones are gone).
		NoRegistrationCommitment,
		/// The registration commitment was made in this block: register in a later block (the
		/// commitment must be in a block before the registration).
		CommitmentTooRecent,
		/// The registration commitment is older than `MaxCommitmentAge` blocks: cancel it (its
		/// deposit is released) and commit again.
		CommitmentExpired,
		/// The caller already made this registration commitment.
		CommitmentExists,
		/// Only an unscored contribution (its evaluation failed, or none could be opened when it
		/// was registered) can be evaluated again.
		NotUnscored,
		/// Nothing to claim: no earnings, or no rewards from closed epochs while points earned
		/// in the open epoch remain (they become claimable when it closes).
		NothingToClaim,
		/// `epoch_length` must be at least `MinEpochLength` blocks (runtime: 10).
		EpochLengthTooShort,
		/// `epoch_length` must be at most `MaxEpochLength` blocks (runtime: 30 days).
		EpochLengthTooLong,
		/// `epoch_emission` must be at most `MaxEpochEmission` (runtime: 1,000 PRSP per epoch).
		EpochEmissionTooHigh,
		/// `pool_weights` must give at least one pool a non-zero weight.
		NoRewardedPool,
		/// `royalty` must be at most 50% (`MAX_ROYALTY`).
		RoyaltyTooHigh,
		/// `royalty_depth` must be at most `MaxRoyaltyDepth` (runtime: 2).
		RoyaltyDepthTooDeep,
		/// `acceptance_threshold` must be at least 50 (`MIN_ACCEPTANCE_THRESHOLD`).
		AcceptanceThresholdTooLow,
		/// `acceptance_threshold` must be at most 100 (`MAX_SCORE`, the top of the scale).
		AcceptanceThresholdAboveScale,
		/// `deposit_base` must be at most `MaxDeposit` (runtime: 1,000 PRSP).
		DepositBaseTooHigh,
		/// `deposit_base + deposit_per_byte × (MaxUriLen + MaxMetadataLen)` must be at most
		/// `MaxDeposit` (runtime: 1,000 PRSP).
		DepositPerByteTooHigh,
		/// `evaluation_fee` must be at most `MaxEvaluationFee` (runtime: 1,000 PRSP).
		EvaluationFeeTooHigh,
		/// `evaluation_fee` must be at least `MinEvaluationFee` (runtime: 10 PRSP, the largest
		/// `min_reward` an evaluation task may require).
		EvaluationFeeTooLow,
		/// `rejection_slash` must be at most 50% (`MAX_REJECTION_SLASH`).
		RejectionSlashTooHigh,
		/// `acceptance_reputation` must be at most `MaxReputationReward` (runtime: 10,000).
		AcceptanceReputationTooHigh,
		/// `rejection_penalty` must be at most `MaxReputationPenalty` (runtime: 50,000).
		RejectionPenaltyTooHigh,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			match CurrentEpoch::<T>::get() {
				Some(epoch) if now >= epoch.ends_at => {
					Self::close_epoch(now, epoch);
					// Charged as measured with 100,000 earning accounts and 1,000 closed epochs
					// in storage: the same storage accesses as in a small state, each through a
					// deeper trie.
					T::WeightInfo::close_epoch_at_scale().max(T::WeightInfo::on_initialize_close_epoch())
				},
				_ => T::WeightInfo::on_initialize_idle(),
			}
		}

		fn integrity_test() {
			assert!(T::MaxParents::get() > 0, "contributions need room for parents");
			assert!(
				!T::MaxCommitmentAge::get().is_zero(),
				"a registration commitment must stay usable in at least the block after it"
			);
			assert!(
				!T::MinEpochLength::get().is_zero() &&
					T::MinEpochLength::get() <= T::MaxEpochLength::get(),
				"epochs need a non-empty range of lengths of at least one block"
			);
			assert!(
				Self::max_settlement_weight().all_lt(T::BlockWeights::get().max_block),
				"scoring one contribution must fit in a block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a contribution: `kind`, the hash of its content, where to fetch it, a
		/// description, the earlier contributions it derives from and the `salt` of the
		/// caller's registration commitment. The caller must have made the commitment
		/// `registration_commitment_of(content_hash, caller, salt)` with `commit_registration`
		/// in an earlier block, at most `MaxCommitmentAge` blocks ago; registering uses it up
		/// and releases its deposit. Holds the deposit (`deposit_base + deposit_per_byte × (URI
		/// + metadata bytes)`) and pays `evaluation_fee` into the evaluation task that scores
		/// it.
		///
		/// If the evaluation pallet cannot open the task now (this block's task capacity is
		/// full, the fee is not affordable, ...), the contribution is registered all the same:
		/// status `Unscored { task: None }`, no fee held, event `ScoringDeferred`. The owner
		/// then calls `request_evaluation` in a later block. A failed `register` would disclose
		/// the content hash on chain, and anyone can fill a block's task capacity (finding H1).
		///
		/// Weight: the benchmark runs the runtime's own evaluation pallet, so opening the task
		/// is measured in it (the deferred case is cheaper).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(
			origin: OriginFor<T>,
			kind: ContributionKind,
			content_hash: H256,
			uri: Vec<u8>,
			metadata: Vec<u8>,
			parents: Vec<ContributionId>,
			salt: [u8; 32],
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let params = Self::params()?;
			ensure!(!params.pool_weights.get(kind.into()).is_zero(), Error::<T>::KindNotRewarded);
			ensure!(!ByContentHash::<T>::contains_key(content_hash), Error::<T>::DuplicateContent);
			let uri: BoundedVec<u8, T::MaxUriLen> =
				uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
			let metadata: BoundedVec<u8, T::MaxMetadataLen> =
				metadata.try_into().map_err(|_| Error::<T>::MetadataTooLong)?;
			let parents = Self::checked_parents(parents)?;
			let commitment = registration_commitment_of(content_hash, &owner, &salt);
			let committed = Self::usable_commitment(&owner, commitment)?;
			let deposit = Self::deposit_for(&params, uri.len(), metadata.len());

			// Use the commitment first, so that its deposit can go towards the contribution's.
			let released = Self::drop_commitment(&owner, commitment, committed.deposit)?;
			T::Currency::hold(&HoldReason::ContributionDeposit.into(), &owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;

			let id = NextContributionId::<T>::get();
			// The content hash is claimed even if no scoring task can be opened now (H1): a
			// copier who committed in this block could otherwise fill the block's task capacity
			// so that this call fails, disclosing the hash, and register it in the next block.
			// The storage layer leaves nothing of a failed opening (no task, no fee held),
			// whatever `T::Evaluation` does on error.
			let opened = frame_support::storage::with_storage_layer(|| {
				Self::open_scoring_task(&owner, id, kind, content_hash, &uri, &params)
			});
			let (status, task, deferred) = match opened {
				Ok(task) => (ContributionStatus::Evaluating { task }, Some(task), None),
				// Only for lack of room in this block: any other failure (e.g. the owner cannot
				// pay the fee) fails the registration, so evaluation cannot be skipped by choice.
				Err(error) if T::Evaluation::is_capacity_error(&error) =>
					(ContributionStatus::Unscored { task: None }, None, Some(error)),
				Err(error) => return Err(error),
			};
			NextContributionId::<T>::put(id.saturating_add(1));
			ByContentHash::<T>::insert(content_hash, id);
			Registry::<T>::insert(
				id,
				ContributionRecord::<T> {
					owner: owner.clone(),
					kind,
					content_hash,
					uri,
					metadata,
					parents: parents.clone(),
					deposit,
					registered_at: frame_system::Pallet::<T>::block_number(),
					status,
					retired: false,
				},
			);
			Self::deposit_event(Event::RegistrationCommitmentUsed {
				owner: owner.clone(),
				commitment,
				id,
				refunded: released,
			});
			Self::deposit_event(Event::ContributionRegistered {
				id,
				owner,
				kind,
				content_hash,
				parents,
				deposit,
				task,
			});
			if let Some(error) = deferred {
				Self::deposit_event(Event::ScoringDeferred { id, error });
			}
			Ok(())
		}

		/// Change a contribution's URI and metadata (owner only). The deposit follows the new
		/// size. Not while the contribution is being evaluated (`BeingEvaluated`): reveals are
		/// public before settlement, and an owner facing rejection must not shrink the deposit
		/// at stake.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update())]
		pub fn update(
			origin: OriginFor<T>,
			id: ContributionId,
			uri: Vec<u8>,
			metadata: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Self::params()?;
			let mut record = Self::owned(&who, id)?;
			ensure!(!record.retired, Error::<T>::Retired);
			ensure!(
				!matches!(record.status, ContributionStatus::Rejected { .. }),
				Error::<T>::ContributionRejected
			);
			ensure!(
				!matches!(record.status, ContributionStatus::Evaluating { .. }),
				Error::<T>::BeingEvaluated
			);
			record.uri = uri.try_into().map_err(|_| Error::<T>::UriTooLong)?;
			record.metadata = metadata.try_into().map_err(|_| Error::<T>::MetadataTooLong)?;
			let deposit = Self::deposit_for(&params, record.uri.len(), record.metadata.len());
			let reason = HoldReason::ContributionDeposit.into();
			if deposit > record.deposit {
				T::Currency::hold(&reason, &who, deposit.saturating_sub(record.deposit))
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			} else if deposit < record.deposit {
				T::Currency::release(&reason, &who, record.deposit.saturating_sub(deposit), Precision::BestEffort)?;
			}
			record.deposit = deposit;
			Registry::<T>::insert(id, record);
			Self::deposit_event(Event::ContributionUpdated { id, deposit });
			Ok(())
		}

		/// Retire a contribution (owner only): its deposit is released, its URI and metadata
		/// are dropped (the deposit paid for them) and it no longer receives royalties. The
		/// record (owner, kind, status), its content hash and its place in lineages stay. Points
		/// already earned stay claimable. Not while it is being evaluated, nor before any
		/// evaluation was opened (`NeverEvaluated`: registering without one and retiring would
		/// keep the content hash taken at no cost).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire())]
		pub fn retire(origin: OriginFor<T>, id: ContributionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Self::owned(&who, id)?;
			ensure!(!record.retired, Error::<T>::Retired);
			ensure!(
				!matches!(record.status, ContributionStatus::Evaluating { .. }),
				Error::<T>::EvaluationPending
			);
			ensure!(
				!matches!(record.status, ContributionStatus::Unscored { task: None }),
				Error::<T>::NeverEvaluated
			);
			let refunded = T::Currency::release(
				&HoldReason::ContributionDeposit.into(),
				&who,
				record.deposit,
				Precision::BestEffort,
			)?;
			record.deposit = Zero::zero();
			record.uri = BoundedVec::new();
			record.metadata = BoundedVec::new();
			record.retired = true;
			Registry::<T>::insert(id, record);
			Self::deposit_event(Event::ContributionRetired { id, refunded });
			Ok(())
		}

		/// Open a new evaluation for an unscored contribution (owner only; pays
		/// `evaluation_fee`): its last evaluation failed for lack of reveals, or none could be
		/// opened when it was registered (`ScoringDeferred`). Unlike `register`, this fails if
		/// the task cannot be opened now; try again in a later block.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::request_evaluation())]
		pub fn request_evaluation(origin: OriginFor<T>, id: ContributionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Self::params()?;
			let mut record = Self::owned(&who, id)?;
			ensure!(!record.retired, Error::<T>::Retired);
			ensure!(matches!(record.status, ContributionStatus::Unscored { .. }), Error::<T>::NotUnscored);
			let task = Self::open_scoring_task(
				&who,
				id,
				record.kind,
				record.content_hash,
				&record.uri,
				&params,
			)?;
			record.status = ContributionStatus::Evaluating { task };
			Registry::<T>::insert(id, record);
			Self::deposit_event(Event::EvaluationRequested { id, task });
			Ok(())
		}

		/// Pay the caller everything earned in closed epochs.
		///
		/// Points earned in closed epochs that minted nothing for their pools (governance set
		/// `epoch_emission` or the pool's weight to 0) are worth 0: if the caller has nothing
		/// else (no rewards, no points in the open epoch), the claim succeeds with 0, clears
		/// those points and removes the earnings record (`RewardsClaimed { amount: 0 }`). With
		/// nothing to pay but points in the open epoch, it fails with `NothingToClaim`.
		///
		/// Weight: O(1); charged as measured with 100,000 earning accounts and 1,000 closed
		/// epochs in storage.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::claim_at_scale().max(T::WeightInfo::claim()))]
		pub fn claim(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(&who)
		}

		/// Set the parameters (governance). The first call (if genesis set none) opens epoch 0.
		/// Every field must lie in its documented range (see the errors and the README's
		/// "Parameters"); the error names the first field outside.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::check_params(&params)?;
			Params::<T>::put(params);
			if !CurrentEpoch::<T>::exists() {
				Self::start_rewards(frame_system::Pallet::<T>::block_number(), &params);
			}
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Commit to registering a contribution, without disclosing it: `commitment =
		/// registration_commitment_of(content_hash, caller, salt)` (runtime API
		/// `registration_commitment`; ask your own node, the salt is secret until `register`).
		/// Holds `RegistrationCommitDeposit`. From the next block on, and for at most
		/// `MaxCommitmentAge` blocks, `register` with the same content hash and salt uses it.
		///
		/// Why: `register` discloses the content hash; without a commitment anyone could copy a
		/// pending registration and get it included first. A copier's own commitment must be in
		/// a block before its `register`, which the author's `register` (already in the pool,
		/// with its older commitment) would then precede. `register` does not fail when no
		/// scoring task can be opened (H1), so filling the block's task capacity cannot make it
		/// fail and disclose the content hash.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::commit_registration())]
		pub fn commit_registration(origin: OriginFor<T>, commitment: H256) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(
				!RegistrationCommitments::<T>::contains_key(&owner, commitment),
				Error::<T>::CommitmentExists
			);
			let deposit = T::RegistrationCommitDeposit::get();
			T::Currency::hold(&HoldReason::RegistrationCommitment.into(), &owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			RegistrationCommitments::<T>::insert(
				&owner,
				commitment,
				RegistrationCommitmentOf::<T> {
					made_at: frame_system::Pallet::<T>::block_number(),
					deposit,
				},
			);
			Self::deposit_event(Event::RegistrationCommitted { owner, commitment, deposit });
			Ok(())
		}

		/// Cancel one of the caller's unused registration commitments (e.g. an expired one):
		/// its deposit is released.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel_registration_commitment())]
		pub fn cancel_registration_commitment(origin: OriginFor<T>, commitment: H256) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let committed = RegistrationCommitments::<T>::get(&owner, commitment)
				.ok_or(Error::<T>::NoRegistrationCommitment)?;
			let refunded = Self::drop_commitment(&owner, commitment, committed.deposit)?;
			Self::deposit_event(Event::RegistrationCommitmentCancelled { owner, commitment, refunded });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn params() -> Result<ParamsOf<T>, DispatchError> {
			Params::<T>::get().ok_or_else(|| Error::<T>::NotConfigured.into())
		}

		/// Checks every field of `p` against its range; the error names the first field
		/// outside it. No accepted value mints more than `MaxEpochEmission` per epoch (epochs
		/// last at least `MinEpochLength` blocks), leaves every kind unrewarded, makes
		/// registration unaffordable or hands an owner's points or deposit away wholesale.
		pub fn check_params(p: &ParamsOf<T>) -> Result<(), Error<T>> {
			ensure!(p.epoch_length >= T::MinEpochLength::get(), Error::<T>::EpochLengthTooShort);
			ensure!(p.epoch_length <= T::MaxEpochLength::get(), Error::<T>::EpochLengthTooLong);
			ensure!(
				p.epoch_emission <= T::MaxEpochEmission::get(),
				Error::<T>::EpochEmissionTooHigh
			);
			ensure!(
				RewardPool::ALL.iter().any(|pool| !p.pool_weights.get(*pool).is_zero()),
				Error::<T>::NoRewardedPool
			);
			ensure!(p.royalty <= MAX_ROYALTY, Error::<T>::RoyaltyTooHigh);
			ensure!(p.royalty_depth <= T::MaxRoyaltyDepth::get(), Error::<T>::RoyaltyDepthTooDeep);
			ensure!(
				p.acceptance_threshold >= MIN_ACCEPTANCE_THRESHOLD,
				Error::<T>::AcceptanceThresholdTooLow
			);
			ensure!(
				p.acceptance_threshold <= perspective_primitives::evaluation::MAX_SCORE,
				Error::<T>::AcceptanceThresholdAboveScale
			);
			ensure!(p.deposit_base <= T::MaxDeposit::get(), Error::<T>::DepositBaseTooHigh);
			ensure!(
				Self::max_deposit_for(p) <= T::MaxDeposit::get(),
				Error::<T>::DepositPerByteTooHigh
			);
			ensure!(
				p.evaluation_fee <= T::MaxEvaluationFee::get(),
				Error::<T>::EvaluationFeeTooHigh
			);
			ensure!(
				p.evaluation_fee >= T::MinEvaluationFee::get(),
				Error::<T>::EvaluationFeeTooLow
			);
			ensure!(p.rejection_slash <= MAX_REJECTION_SLASH, Error::<T>::RejectionSlashTooHigh);
			ensure!(
				p.acceptance_reputation <= T::MaxReputationReward::get(),
				Error::<T>::AcceptanceReputationTooHigh
			);
			ensure!(
				p.rejection_penalty <= T::MaxReputationPenalty::get(),
				Error::<T>::RejectionPenaltyTooHigh
			);
			Ok(())
		}

		/// The deposit of a registration with the longest URI and metadata.
		pub fn max_deposit_for(p: &ParamsOf<T>) -> BalanceOf<T> {
			Self::deposit_for(p, T::MaxUriLen::get() as usize, T::MaxMetadataLen::get() as usize)
		}

		/// The account rewards are minted into and claimed from.
		pub fn pot_account() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		pub(crate) fn deposit_for(params: &ParamsOf<T>, uri: usize, metadata: usize) -> BalanceOf<T> {
			let bytes: BalanceOf<T> = (uri.saturating_add(metadata) as u32).into();
			params.deposit_base.saturating_add(params.deposit_per_byte.saturating_mul(bytes))
		}

		/// `owner`'s registration commitment `commitment` if `register` may use it now: made
		/// in an earlier block, at most `MaxCommitmentAge` blocks ago.
		fn usable_commitment(
			owner: &T::AccountId,
			commitment: H256,
		) -> Result<RegistrationCommitmentOf<T>, DispatchError> {
			let committed = RegistrationCommitments::<T>::get(owner, commitment)
				.ok_or(Error::<T>::NoRegistrationCommitment)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(committed.made_at < now, Error::<T>::CommitmentTooRecent);
			ensure!(
				now.saturating_sub(committed.made_at) <= T::MaxCommitmentAge::get(),
				Error::<T>::CommitmentExpired
			);
			Ok(committed)
		}

		fn owned(who: &T::AccountId, id: ContributionId) -> Result<ContributionRecord<T>, DispatchError> {
			let record = Registry::<T>::get(id).ok_or(Error::<T>::ContributionNotFound)?;
			ensure!(&record.owner == who, Error::<T>::NotOwner);
			Ok(record)
		}

		/// Removes `owner`'s registration commitment and releases its `deposit`; returns the
		/// amount released.
		fn drop_commitment(
			owner: &T::AccountId,
			commitment: H256,
			deposit: BalanceOf<T>,
		) -> Result<BalanceOf<T>, DispatchError> {
			RegistrationCommitments::<T>::remove(owner, commitment);
			T::Currency::release(
				&HoldReason::RegistrationCommitment.into(),
				owner,
				deposit,
				Precision::BestEffort,
			)
		}

		fn checked_parents(parents: Vec<ContributionId>) -> Result<ParentsOf<T>, DispatchError> {
			let parents: ParentsOf<T> = parents.try_into().map_err(|_| Error::<T>::TooManyParents)?;
			for (i, parent) in parents.iter().enumerate() {
				ensure!(!parents[..i].contains(parent), Error::<T>::DuplicateParent);
			}
			for parent in parents.iter() {
				let record = Registry::<T>::get(parent).ok_or(Error::<T>::ParentNotFound)?;
				// A retired parent is still a valid ancestor (it earns no royalty): otherwise its
				// owner could retire it just ahead of a child's `register` to make that fail and
				// disclose the child's content hash.
				ensure!(
					matches!(record.status, ContributionStatus::Accepted { .. }),
					Error::<T>::ParentNotAccepted
				);
			}
			Ok(parents)
		}

		fn open_scoring_task(
			owner: &T::AccountId,
			id: ContributionId,
			kind: ContributionKind,
			content_hash: H256,
			uri: &[u8],
			params: &ParamsOf<T>,
		) -> Result<TaskId, DispatchError> {
			let request = TaskRequest {
				kind: kind.into(),
				content_hash,
				uri: uri.to_vec(),
				criteria: T::ScoringCriteria::get(),
			};
			let task = T::Evaluation::open_task(owner, request, params.evaluation_fee)?;
			ScoringTasks::<T>::insert(task, id);
			Ok(task)
		}

		/// A contribution as the runtime API shows it.
		pub fn contribution(id: ContributionId) -> Option<ContributionInfoOf<T>> {
			let c = Registry::<T>::get(id)?;
			Some(ContributionInfo {
				id,
				owner: c.owner,
				kind: c.kind,
				content_hash: c.content_hash,
				uri: c.uri.into_inner(),
				metadata: c.metadata.into_inner(),
				parents: c.parents.into_inner(),
				deposit: c.deposit,
				registered_at: c.registered_at,
				status: c.status,
				retired: c.retired,
			})
		}

		/// `id`'s ancestors, breadth first, each with its generation (1 = parent), up to
		/// `max_depth` generations (at most `MAX_LINEAGE_DEPTH`) and `MAX_LINEAGE_ENTRIES`
		/// entries. An ancestor reached through several paths is listed once.
		pub fn lineage(id: ContributionId, max_depth: u32) -> Vec<(ContributionId, u32)> {
			let max_depth = max_depth.min(MAX_LINEAGE_DEPTH);
			let mut found: Vec<(ContributionId, u32)> = Vec::new();
			let mut seen = alloc::collections::btree_set::BTreeSet::from([id]);
			let mut frontier = Registry::<T>::get(id).map(|c| c.parents.into_inner()).unwrap_or_default();
			let mut depth = 1;
			while depth <= max_depth && !frontier.is_empty() {
				let mut next = Vec::new();
				for parent in frontier {
					if found.len() as u32 >= MAX_LINEAGE_ENTRIES {
						return found;
					}
					if !seen.insert(parent) {
						continue;
					}
					found.push((parent, depth));
					if let Some(c) = Registry::<T>::get(parent) {
						next.extend(c.parents.into_inner());
					}
				}
				frontier = next;
				depth += 1;
			}
			found
		}
	}
}
