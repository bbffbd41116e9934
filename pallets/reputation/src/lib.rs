//! # Reputation
//!
//! A non-transferable score per account that decays exponentially with a governance-set
//! half-life. No extrinsic lets an account raise its own score: other pallets change it through
//! [`ReputationUpdater`] (accurate evaluations, accepted contributions, penalties), and a
//! governance origin can grant or revoke it directly. Reads go through [`ReputationProvider`]
//! or the [`runtime_api::ReputationApi`] runtime API.
//!
//! Storage is O(1) per operation: each score is stored with the decay-clock reading at its last
//! update and decayed lazily on read and write (see [`decay`]). The decayed total is kept the
//! same way, rounded up, so it always bounds the sum of all scores and can serve as the
//! denominator of the reputation house in governance.
//!
//! See the crate README for the formulas.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;
pub use perspective_primitives::{
	OnReputationReduced, ReputationProvider, ReputationReason, ReputationScore, ReputationUpdater,
};

pub mod decay;
pub mod runtime_api;
pub mod weights;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A score together with the decay-clock reading at which it was last written.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct DecayingScore {
	/// The score at `clock`.
	pub value: ReputationScore,
	/// Decay-clock reading (half-lives × 1e18) when `value` was written.
	pub clock: u128,
}

/// The decay clock: how many half-lives (× 1e18) have elapsed since genesis, piecewise linear
/// in blocks with a slope that changes when governance changes the half-life.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct DecayClock<BlockNumber> {
	/// Clock reading at `since`.
	pub reading: u128,
	/// Block at which the current half-life took effect.
	pub since: BlockNumber,
	/// Half-life in blocks; zero switches decay off.
	pub half_life: BlockNumber,
}

/// What governance granted in the current grant period (see `grant`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct GrantPeriodState<BlockNumber> {
	/// The block the period started: the first grant after the previous period ended.
	pub started_at: BlockNumber,
	/// Reputation granted since `started_at` (at most `MaxGrant`).
	pub granted: ReputationScore,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_arithmetic::Rounding;
	use sp_runtime::traits::{SaturatedConversion, Saturating};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Origin that may change the half-life and grant or revoke reputation directly.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Told about every penalty, so that reputation snapshots elsewhere can shrink with it.
		type OnReduced: OnReputationReduced<Self::AccountId>;
		/// Smallest non-zero half-life governance may set, in blocks (zero is always allowed
		/// and switches decay off).
		#[pallet::constant]
		type MinHalfLife: Get<BlockNumberFor<Self>>;
		/// Most reputation governance may grant per grant period, in one call or several: a
		/// captured governance origin cannot mint itself more than this per `GrantPeriod`.
		#[pallet::constant]
		type MaxGrant: Get<ReputationScore>;
		/// Length of a grant period, in blocks. A period starts with the first grant after the
		/// previous one ended, so any `GrantPeriod` blocks see at most `2 × MaxGrant` granted.
		#[pallet::constant]
		type GrantPeriod: Get<BlockNumberFor<Self>>;
		/// Weight information for the calls of this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The decay clock.
	#[pallet::storage]
	pub type Clock<T: Config> = StorageValue<_, DecayClock<BlockNumberFor<T>>, ValueQuery>;

	/// Each account's score as of its last update.
	#[pallet::storage]
	pub type Scores<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, DecayingScore>;

	/// The sum of all scores as of its last update, rounded up when decayed.
	#[pallet::storage]
	pub type Total<T: Config> = StorageValue<_, DecayingScore, ValueQuery>;

	/// Reputation governance granted in the current grant period.
	#[pallet::storage]
	pub type Granted<T: Config> =
		StorageValue<_, GrantPeriodState<BlockNumberFor<T>>, ValueQuery>;

	/// Reputation governance revoked in the current revocation period (same length and budget
	/// as grants): a captured council cannot strip its rivals of their reputation (and so of
	/// their votes and candidacies) faster than it could grant itself reputation.
	#[pallet::storage]
	pub type Revoked<T: Config> =
		StorageValue<_, GrantPeriodState<BlockNumberFor<T>>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` gained `amount` reputation and now has `score`.
		ReputationRewarded {
			who: T::AccountId,
			amount: ReputationScore,
			score: ReputationScore,
			reason: ReputationReason,
		},
		/// `who` lost `amount` reputation (at most what they had) and now has `score`.
		ReputationPenalized {
			who: T::AccountId,
			amount: ReputationScore,
			score: ReputationScore,
			reason: ReputationReason,
		},
		/// Governance set the half-life (blocks; zero switches decay off).
		HalfLifeSet { half_life: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount must be greater than zero.
		ZeroAmount,
		/// The account has no reputation to revoke.
		NoReputation,
		/// The half-life must be zero (no decay) or at least `MinHalfLife` blocks (runtime:
		/// 1 day).
		HalfLifeTooShort,
		/// One grant must be at most `MaxGrant` (runtime: 100,000 reputation).
		GrantTooLarge,
		/// Grants in the current grant period would exceed `MaxGrant` (runtime: 100,000
		/// reputation per 30 days); wait for the period to end.
		GrantBudgetExceeded,
		/// Revocations in the current period would remove more than `MaxGrant` (runtime:
		/// 100,000 reputation per 30 days); wait for the period to end.
		RevokeBudgetExceeded,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Half-life in blocks (zero: no decay).
		pub half_life: BlockNumberFor<T>,
		/// Accounts that start with reputation.
		pub scores: alloc::vec::Vec<(T::AccountId, ReputationScore)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				self.half_life.is_zero() || self.half_life >= T::MinHalfLife::get(),
				"invalid reputation genesis: half_life must be 0 or at least MinHalfLife"
			);
			Clock::<T>::put(DecayClock {
				reading: 0,
				since: frame_system::Pallet::<T>::block_number(),
				half_life: self.half_life,
			});
			for (who, score) in &self.scores {
				assert!(!Scores::<T>::contains_key(who), "duplicate reputation genesis account");
				Pallet::<T>::add(who, *score, ReputationReason::Genesis);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::MinHalfLife::get().is_zero(), "MinHalfLife must be at least one block");
			assert!(
				!T::WeightInfo::grant()
					.saturating_add(T::WeightInfo::revoke())
					.saturating_add(T::OnReduced::max_weight())
					.any_gt(<T as frame_system::Config>::BlockWeights::get().max_block),
				"a reputation update must fit in a block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set the half-life of reputation, in blocks. Zero switches decay off. Scores decay
		/// with the old half-life up to this block and with the new one afterwards.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_half_life())]
		pub fn set_half_life(origin: OriginFor<T>, half_life: BlockNumberFor<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(
				half_life.is_zero() || half_life >= T::MinHalfLife::get(),
				Error::<T>::HalfLifeTooShort
			);
			let now = frame_system::Pallet::<T>::block_number();
			Clock::<T>::put(DecayClock { reading: Self::clock_now(), since: now, half_life });
			Self::deposit_event(Event::HalfLifeSet { half_life });
			Ok(())
		}

		/// Grant `amount` reputation to `who` (governance only). At most `MaxGrant` per grant
		/// period (`GrantPeriod` blocks), in one call or several.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::grant())]
		pub fn grant(
			origin: OriginFor<T>,
			who: T::AccountId,
			#[pallet::compact] amount: ReputationScore,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			ensure!(amount <= T::MaxGrant::get(), Error::<T>::GrantTooLarge);
			let period = Self::grant_period_now();
			let granted = period.granted.saturating_add(amount);
			ensure!(granted <= T::MaxGrant::get(), Error::<T>::GrantBudgetExceeded);
			Granted::<T>::put(GrantPeriodState { started_at: period.started_at, granted });
			Self::add(&who, amount, ReputationReason::Governance);
			Ok(())
		}

		/// Revoke up to `amount` reputation from `who` (governance only). What is removed counts
		/// against a budget of `MaxGrant` per `GrantPeriod`, like grants.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::revoke().saturating_add(T::OnReduced::max_weight()))]
		pub fn revoke(
			origin: OriginFor<T>,
			who: T::AccountId,
			#[pallet::compact] amount: ReputationScore,
		) -> DispatchResultWithPostInfo {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			let score = Self::score_of(&who);
			ensure!(score > 0, Error::<T>::NoReputation);
			let period = Self::period_now(Revoked::<T>::get());
			let revoked = period.granted.saturating_add(amount.min(score));
			ensure!(revoked <= T::MaxGrant::get(), Error::<T>::RevokeBudgetExceeded);
			Revoked::<T>::put(GrantPeriodState { started_at: period.started_at, granted: revoked });
			let (_, hook_weight) = Self::subtract(&who, amount, ReputationReason::Governance);
			Ok(Some(T::WeightInfo::revoke().saturating_add(hook_weight)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The decay clock's reading now.
		pub fn clock_now() -> u128 {
			let clock = Clock::<T>::get();
			let now = frame_system::Pallet::<T>::block_number();
			let blocks: u128 = now.saturating_sub(clock.since).saturated_into();
			clock
				.reading
				.saturating_add(decay::clock_advance(blocks, clock.half_life.saturated_into()))
		}

		fn decayed(score: DecayingScore, now: u128, rounding: Rounding) -> ReputationScore {
			decay::decay(score.value, now.saturating_sub(score.clock), rounding)
		}

		/// `who`'s score now (decayed, rounded down).
		pub fn score_of(who: &T::AccountId) -> ReputationScore {
			Scores::<T>::get(who)
				.map(|s| Self::decayed(s, Self::clock_now(), Rounding::Down))
				.unwrap_or(0)
		}

		/// The total now (decayed, rounded up).
		pub fn total() -> ReputationScore {
			Self::decayed(Total::<T>::get(), Self::clock_now(), Rounding::Up)
		}

		/// The current half-life in blocks.
		pub fn half_life() -> BlockNumberFor<T> {
			Clock::<T>::get().half_life
		}

		/// The grant period in force now: the stored one, or a fresh one starting at this
		/// block if the stored one has ended (or nothing was granted yet).
		pub fn grant_period_now() -> GrantPeriodState<BlockNumberFor<T>> {
			Self::period_now(Granted::<T>::get())
		}

		/// `period` if it is still running, else a fresh one starting at this block.
		fn period_now(
			period: GrantPeriodState<BlockNumberFor<T>>,
		) -> GrantPeriodState<BlockNumberFor<T>> {
			let now = frame_system::Pallet::<T>::block_number();
			if period.granted == 0 || now >= period.started_at.saturating_add(T::GrantPeriod::get())
			{
				GrantPeriodState { started_at: now, granted: 0 }
			} else {
				period
			}
		}

		/// How much governance may still grant in the current grant period.
		pub fn grant_budget() -> ReputationScore {
			T::MaxGrant::get().saturating_sub(Self::grant_period_now().granted)
		}

		pub(crate) fn add(
			who: &T::AccountId,
			amount: ReputationScore,
			reason: ReputationReason,
		) -> ReputationScore {
			let now = Self::clock_now();
			let score = Self::score_of(who).saturating_add(amount);
			// The total may saturate at u128::MAX; accounts then saturate first, keeping
			// total >= every account.
			let total = Self::total().saturating_add(amount);
			Scores::<T>::insert(who, DecayingScore { value: score, clock: now });
			Total::<T>::put(DecayingScore { value: total, clock: now });
			Self::deposit_event(Event::ReputationRewarded {
				who: who.clone(),
				amount,
				score,
				reason,
			});
			score
		}

		/// Returns the new score and the weight the `OnReduced` hook used.
		pub(crate) fn subtract(
			who: &T::AccountId,
			amount: ReputationScore,
			reason: ReputationReason,
		) -> (ReputationScore, Weight) {
			let now = Self::clock_now();
			let before = Self::score_of(who);
			let removed = amount.min(before);
			let score = before - removed;
			let total = Self::total().saturating_sub(removed);
			if score == 0 {
				Scores::<T>::remove(who);
			} else {
				Scores::<T>::insert(who, DecayingScore { value: score, clock: now });
			}
			Total::<T>::put(DecayingScore { value: total, clock: now });
			Self::deposit_event(Event::ReputationPenalized {
				who: who.clone(),
				amount: removed,
				score,
				reason,
			});
			let hook_weight =
				if removed > 0 { T::OnReduced::on_reputation_reduced(who, score) } else { Weight::zero() };
			(score, hook_weight)
		}

		/// Invariants: the decayed total bounds the sum of all decayed scores (and so every
		/// single score), and no zero score is stored.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let now = Self::clock_now();
			let mut sum: ReputationScore = 0;
			for (_, score) in Scores::<T>::iter() {
				ensure!(score.value > 0, "a zero score is stored");
				ensure!(score.clock <= now, "a score is from the future");
				sum = sum.saturating_add(Self::decayed(score, now, Rounding::Down));
			}
			ensure!(sum <= Self::total(), "the total is below the sum of all scores");
			let now = frame_system::Pallet::<T>::block_number();
			for period in [Granted::<T>::get(), Revoked::<T>::get()] {
				ensure!(period.granted <= T::MaxGrant::get(), "a governance budget is overspent");
				ensure!(period.started_at <= now, "a governance period starts in the future");
			}
			Ok(())
		}
	}

	impl<T: Config> ReputationProvider<T::AccountId> for Pallet<T> {
		fn reputation_of(who: &T::AccountId) -> ReputationScore {
			Self::score_of(who)
		}
		fn total_reputation() -> ReputationScore {
			Self::total()
		}
	}

	impl<T: Config> ReputationUpdater<T::AccountId> for Pallet<T> {
		fn reward(
			who: &T::AccountId,
			amount: ReputationScore,
			reason: ReputationReason,
		) -> ReputationScore {
			if amount == 0 {
				return Self::score_of(who);
			}
			Self::add(who, amount, reason)
		}
		fn penalize(
			who: &T::AccountId,
			amount: ReputationScore,
			reason: ReputationReason,
		) -> (ReputationScore, Weight) {
			if amount == 0 {
				return (Self::score_of(who), Weight::zero());
			}
			Self::subtract(who, amount, reason)
		}
		fn update_weight() -> Weight {
			T::WeightInfo::grant()
				.max(T::WeightInfo::revoke())
				.saturating_add(T::OnReduced::max_weight())
		}
	}
}

extern crate alloc;
