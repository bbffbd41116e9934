//! # Validator set
//!
//! Who validates on Perspective is decided on chain. An operator starts a node, sets its session
//! keys with `session.setKeys`, and applies with a bond; governance (a council motion or a
//! referendum) approves it. pallet-session picks the approved set up at the next session
//! rotation and makes it the BABE and GRANDPA authority set one session later. Governance
//! removes validators the same way (optionally slashing part of the bond), and validators may
//! resign; a departed validator's bond stays held for `unbonding_period` blocks after the last
//! block it could validate in.
//!
//! Offences the chain proves by itself (BABE and GRANDPA equivocations, through
//! pallet-offences) burn `offence_slash` of the offender's bond, disable it for the rest of the
//! session and remove it from the set, unless that would go below `min_validators`: then it
//! stays disabled and governance is told (`offences.rs`).
//!
//! The set is bounded (`MaxValidators`) and never shrinks below `min_validators`, the size
//! finality needs; an operator whose node is in the session set cannot purge its keys. This
//! pallet is pallet-session's `SessionManager` (it reports the approved set when it changed),
//! and it rotates sessions when the consensus engine ends an epoch, from its own hook, at the
//! benchmarked cost of a rotation (`sessions.rs`).
//!
//! Lifecycle and checks are in `operators.rs`; see the crate README for the timeline.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod offences;
mod operators;
pub mod runtime_api;
mod sessions;
pub use sessions::{RotatedByValidatorSet, SessionInterface, SessionPallet};
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

/// Sets up state the benchmarks cannot reach through this pallet's `Config`.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Register session keys for `who`, so that `KeysRegistry::is_registered(who)` holds.
	fn register_session_keys(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			ValidatorRegistration,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{StaticLookup, Zero},
		Perbill,
	};

	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	pub type ParamsOf<T> = ValidatorSetParams<BalanceOf<T>, BlockNumberFor<T>>;
	pub type OperatorOf<T> = Operator<BalanceOf<T>, BlockNumberFor<T>>;
	pub type ValidatorsOf<T> =
		BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxValidators>;
	pub(crate) type AccountIdLookupOf<T> =
		<<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Whether an account has session keys registered (pallet-session).
		type KeysRegistry: ValidatorRegistration<Self::AccountId>;
		/// Ends sessions when the consensus engine's epoch is over, purges keys and disables
		/// offenders (pallet-session, through [`SessionPallet`]).
		type Sessions: SessionInterface<Self::AccountId, BlockNumberFor<Self>>;
		/// Origin that approves and removes validators (governance).
		type ManagerOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Origin that changes the parameters (governance).
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most validators in the set; at most the BABE and GRANDPA `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Most applications waiting for governance at once.
		#[pallet::constant]
		type MaxApplicants: Get<u32>;
		/// Largest `min_bond` governance may set, so that operators can still afford to apply
		/// (and the set can still grow).
		#[pallet::constant]
		type MaxMinBond: Get<BalanceOf<Self>>;
		/// Most blocks a session can last (BABE: the epoch length in slots, since a block takes
		/// at least one slot). A departing validator may validate for two more sessions, so its
		/// unbonding starts `2 × MaxSessionBlocks` after it left.
		#[pallet::constant]
		type MaxSessionBlocks: Get<BlockNumberFor<Self>>;
		/// Shortest `unbonding_period` governance may set, in blocks, so a departed validator
		/// stays slashable.
		#[pallet::constant]
		type MinUnbondingPeriod: Get<BlockNumberFor<Self>>;
		/// Longest `unbonding_period` governance may set, in blocks, so bonds cannot be locked
		/// for good.
		#[pallet::constant]
		type MaxUnbondingPeriod: Get<BlockNumberFor<Self>>;
		/// Largest fraction of a bond one `remove`, or one offence (`offence_slash`), may burn.
		#[pallet::constant]
		type MaxSlash: Get<Perbill>;
		type WeightInfo: WeightInfo;
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An operator's bond, from application until it is withdrawn.
		#[codec(index = 0)]
		ValidatorBond,
	}

	/// Bond, minimum set size and unbonding period.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery>;

	/// The approved validators, sorted. pallet-session queues this set at the next rotation.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageValue<_, ValidatorsOf<T>, ValueQuery>;

	/// Every operator that applied and has not withdrawn its bond.
	#[pallet::storage]
	pub type Operators<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OperatorOf<T>, OptionQuery>;

	/// Number of operators with status `Applied` (at most `MaxApplicants`).
	#[pallet::storage]
	pub type ApplicantCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The session the chain is in (pallet-session tells this pallet when one starts).
	#[pallet::storage]
	pub type CurrentSession<T: Config> = StorageValue<_, SessionIndex, ValueQuery>;

	/// Offenders disabled by an offence report: disabled again at every new session while they
	/// are still in the session set (pallet-session forgets disablements when the set changes).
	/// At most the session set's size.
	#[pallet::storage]
	pub type DisabledOffenders<T: Config> = StorageValue<_, ValidatorsOf<T>, ValueQuery>;

	/// `Validators` changed since pallet-session last asked for the next set.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub params: ParamsOf<T>,
		/// The initial validators; each has `params.min_bond` held as its bond. Their session
		/// keys come from pallet-session's genesis config.
		pub validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// An empty config leaves the pallet unconfigured (a chain needs validators).
			if self.validators.is_empty() {
				return
			}
			if let Err(e) = Pallet::<T>::validate_params(&self.params, self.validators.len() as u32) {
				panic!("invalid validator-set genesis params: {e:?}");
			}
			Params::<T>::put(&self.params);
			let mut validators = self.validators.clone();
			validators.sort();
			validators.dedup();
			assert_eq!(validators.len(), self.validators.len(), "duplicate genesis validator");
			for who in &validators {
				T::Currency::hold(&HoldReason::ValidatorBond.into(), who, self.params.min_bond)
					.expect("a genesis validator cannot pay its bond");
				Operators::<T>::insert(
					who,
					Operator {
						bond: self.params.min_bond,
						status: OperatorStatus::Validating,
						last_offence: None,
					},
				);
			}
			let bounded: ValidatorsOf<T> =
				validators.try_into().expect("more genesis validators than MaxValidators");
			Validators::<T>::put(bounded);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` applied to validate, with `bond` held.
		Applied { who: T::AccountId, bond: BalanceOf<T> },
		/// `who` withdrew its application; its bond was released.
		ApplicationWithdrawn { who: T::AccountId, bond: BalanceOf<T> },
		/// Governance rejected `who`'s application; the bond minus `slashed` was released.
		ApplicationRejected { who: T::AccountId, slashed: BalanceOf<T> },
		/// Governance approved `who`: it validates from session `active_from` (the set is
		/// queued at the next rotation and active one session later).
		Approved { who: T::AccountId, active_from: SessionIndex },
		/// Governance removed `who`: it stops validating from session `inactive_from`; the bond
		/// minus `slashed` can be withdrawn from block `withdrawable_at`.
		Removed {
			who: T::AccountId,
			slashed: BalanceOf<T>,
			inactive_from: SessionIndex,
			withdrawable_at: BlockNumberFor<T>,
		},
		/// `who` resigned: it stops validating from session `inactive_from`; its bond can be
		/// withdrawn from block `withdrawable_at`.
		Resigned {
			who: T::AccountId,
			inactive_from: SessionIndex,
			withdrawable_at: BlockNumberFor<T>,
		},
		/// The chain proved an offence by `who` in session `session` (an equivocation): `slashed`
		/// of its bond was burnt and it is disabled for the rest of the session.
		OffenceSlashed { who: T::AccountId, session: SessionIndex, slashed: BalanceOf<T> },
		/// An offender was taken out of the approved set: it stops validating from session
		/// `inactive_from`; its bond can be withdrawn from block `withdrawable_at`.
		OffenderRemoved {
			who: T::AccountId,
			inactive_from: SessionIndex,
			withdrawable_at: BlockNumberFor<T>,
		},
		/// An offender stays in the set, disabled, because removing it would go below
		/// `min_validators`: governance must decide (`remove`, or approve more validators).
		OffenderKept { who: T::AccountId },
		/// `who` purged its session keys; their deposit was released.
		KeysPurged { who: T::AccountId },
		/// Governance burnt `amount` of an unbonding operator's bond.
		BondSlashed { who: T::AccountId, amount: BalanceOf<T> },
		/// `who`'s unbonded bond was released.
		BondWithdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// The approved set was handed to pallet-session for session `session`.
		SetQueued { session: SessionIndex, validators: u32 },
		/// Governance changed the parameters.
		ParamsSet { params: ParamsOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// This account already applied, validates, or still has a bond unbonding.
		AlreadyOperator,
		/// The bond is below the minimum bond (`validatorSet.params().minBond`).
		BondTooSmall,
		/// The account has no session keys: generate them on the validator node
		/// (`author_rotateKeysWithOwner`) and register them with `session.setKeys` first.
		NoSessionKeys,
		/// The account's free balance cannot cover the bond (and stay alive).
		InsufficientBalance,
		/// Too many applications are waiting for governance; try again after some are decided.
		TooManyApplicants,
		/// The account has not applied (or its application was already decided).
		NotApplicant,
		/// The account is not a validator.
		NotValidator,
		/// The account has neither applied nor validates nor has a bond unbonding.
		NotOperator,
		/// The validator set is full (`MaxValidators`).
		TooManyValidators,
		/// The set would shrink below `min_validators`, the size finality needs.
		TooFewValidators,
		/// The account's bond is not unbonding: resign or be removed first.
		NotUnbonding,
		/// The bond is still unbonding; it can be withdrawn from the block in the operator's
		/// status (`withdrawableAt`).
		StillUnbonding,
		/// The account validates, or is queued to, in pallet-session's set (possibly for up to two
		/// sessions after leaving): its keys cannot be purged yet.
		StillInSessionSet,
		/// The account applied or validates: resign (or withdraw the application) before purging
		/// its session keys.
		OperatorHasKeysInUse,
		/// `min_validators` must be at least 1.
		MinValidatorsZero,
		/// `min_validators` cannot exceed the current set size (nor `MaxValidators`, runtime: 32).
		MinValidatorsAboveSet,
		/// `min_bond` must be at least the existential deposit.
		MinBondTooLow,
		/// `min_bond` must be at most `MaxMinBond` (runtime: 10,000 PRSP).
		MinBondTooHigh,
		/// `unbonding_period` must be at least `MinUnbondingPeriod` blocks (runtime: 20, two
		/// sessions).
		UnbondingTooShort,
		/// `unbonding_period` must be at most `MaxUnbondingPeriod` blocks (runtime: 28 days).
		UnbondingTooLong,
		/// The slash must be at most `MaxSlash` of the bond (runtime: 50%).
		SlashTooHigh,
		/// `offence_slash` must be at most `MaxSlash` (runtime: 50%).
		OffenceSlashTooHigh,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Rotates the session when the consensus engine's epoch is over.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::rotate_if_due(now)
		}

		fn integrity_test() {
			assert!(!T::MaxSessionBlocks::get().is_zero(), "sessions last at least one block");
			assert!(
				T::MinUnbondingPeriod::get() <= T::MaxUnbondingPeriod::get(),
				"the unbonding period needs a non-empty range"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Apply to validate, holding `bond` (at least `min_bond`). The account's session keys
		/// must already be registered (`session.setKeys`). Governance then approves or rejects.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply())]
		pub fn apply(origin: OriginFor<T>, #[pallet::compact] bond: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply(who, bond)
		}

		/// Withdraw a pending application; the bond is released at once.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_application())]
		pub fn withdraw_application(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_application(who)
		}

		/// Approve an applicant (governance). It is queued at the next session rotation and
		/// validates from the session after.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::approve(T::MaxValidators::get()))]
		pub fn approve(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::ManagerOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_approve(who)
		}

		/// Remove a validator, reject an applicant, or slash an unbonding operator (governance).
		/// `slash` of the bond is burnt (at most `MaxSlash`). A removed validator's remaining
		/// bond unbonds.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove(T::MaxValidators::get()))]
		pub fn remove(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
			slash: Perbill,
		) -> DispatchResult {
			T::ManagerOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_remove(who, slash)
		}

		/// Leave the validator set; the bond unbonds.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::resign(T::MaxValidators::get()))]
		pub fn resign(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_resign(who)
		}

		/// Release an unbonded bond once its unbonding period is over.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw_bond())]
		pub fn withdraw_bond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_bond(who)
		}

		/// Change the minimum bond, minimum set size, unbonding period and offence slash
		/// (governance). A new unbonding period applies to validators leaving from now on.
		/// Every field must lie in its documented range (see the errors and the README); the
		/// error names the first field outside.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			Self::validate_params(&params, Validators::<T>::decode_len().unwrap_or(0) as u32)?;
			Params::<T>::put(&params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}

		/// Remove the caller's session keys and release their deposit. Refused while the
		/// account applied or validates, and while pallet-session still has it in the current
		/// or queued set (up to two sessions after it left): an authority cannot drop out of the
		/// set without leaving it through `resign`. (`session.purgeKeys` is filtered out by the
		/// runtime for this reason.)
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::purge_keys())]
		pub fn purge_keys(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_purge_keys(who)
		}
	}
}
