//! Sessions: when they end (the consensus engine decides: one session is one BABE epoch), how
//! this pallet rotates them, and what it asks of pallet-session (keys, disabling).
//!
//! pallet-session could rotate by itself (`ShouldEndSession`), but its hook then declares the
//! whole block's weight, which leaves no room for transactions in every rotation block. Here
//! pallet-session is told never to end a session on its own ([`RotatedByValidatorSet`]); this
//! pallet's `on_initialize` asks the consensus engine whether the epoch is over and rotates
//! through [`SessionInterface`], charging the benchmarked cost of a rotation instead.

use crate::{pallet::*, types::SessionIndex, WeightInfo};
use core::marker::PhantomData;
use frame_support::{pallet_prelude::Weight, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{DispatchResult, Perbill};
use sp_staking::offence::OffenceSeverity;

/// What the validator set needs from the session layer.
pub trait SessionInterface<AccountId, BlockNumber> {
	/// Whether the current session is over at block `now` (BABE: its epoch ended).
	fn should_end_session(now: BlockNumber) -> bool;
	/// Starts a new session.
	fn rotate();
	/// Whether `who` validates in the current session or is queued for the next one.
	fn in_session_set(who: &AccountId) -> bool;
	/// Removes `who`'s session keys and releases their deposit.
	fn purge_keys(who: &AccountId) -> DispatchResult;
	/// Disables `who` for the rest of the current session (its blocks are refused); returns
	/// whether it is disabled now. The session layer may refuse (it disables at most a third of
	/// the set, so that finality survives).
	fn disable(who: &AccountId, severity: Perbill) -> bool;
}

/// [`SessionInterface`] through pallet-session, with `EndsSession` (the consensus engine)
/// deciding when a session is over.
pub struct SessionPallet<T, EndsSession>(PhantomData<(T, EndsSession)>);
impl<T, EndsSession> SessionInterface<T::AccountId, BlockNumberFor<T>>
	for SessionPallet<T, EndsSession>
where
	T: pallet_session::Config<ValidatorId = <T as frame_system::Config>::AccountId>,
	EndsSession: pallet_session::ShouldEndSession<BlockNumberFor<T>>,
{
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		EndsSession::should_end_session(now)
	}

	fn rotate() {
		pallet_session::Pallet::<T>::rotate_session()
	}

	fn in_session_set(who: &T::AccountId) -> bool {
		pallet_session::Pallet::<T>::validators().contains(who) ||
			pallet_session::Pallet::<T>::queued_keys().iter().any(|(queued, _)| queued == who)
	}

	fn purge_keys(who: &T::AccountId) -> DispatchResult {
		pallet_session::Pallet::<T>::purge_keys(frame_system::RawOrigin::Signed(who.clone()).into())
	}

	fn disable(who: &T::AccountId, severity: Perbill) -> bool {
		pallet_session::Pallet::<T>::report_offence(who.clone(), OffenceSeverity(severity));
		pallet_session::Pallet::<T>::validator_id_to_index(who)
			.is_some_and(|index| pallet_session::Pallet::<T>::disabled_validators().contains(&index))
	}
}

/// pallet-session's `ShouldEndSession`: never by itself; this pallet rotates sessions.
pub struct RotatedByValidatorSet;
impl<BlockNumber> pallet_session::ShouldEndSession<BlockNumber> for RotatedByValidatorSet {
	fn should_end_session(_now: BlockNumber) -> bool {
		false
	}
}

impl<T: Config> Pallet<T> {
	/// Rotates the session when the consensus engine says it is over; returns the weight used.
	pub(crate) fn rotate_if_due(now: BlockNumberFor<T>) -> Weight {
		if Params::<T>::get().min_validators == 0 {
			// Unconfigured (no genesis validators): nothing to rotate.
			return T::WeightInfo::on_initialize_idle()
		}
		if T::Sessions::should_end_session(now) {
			T::Sessions::rotate();
			T::WeightInfo::on_initialize_idle()
				.saturating_add(T::WeightInfo::rotate_session(T::MaxValidators::get()))
		} else {
			T::WeightInfo::on_initialize_idle()
		}
	}

	/// Records the start of session `index` (pallet-session calls `start_session`) and keeps
	/// punished offenders disabled while they are still in the session set.
	pub(crate) fn note_session_start(index: SessionIndex) {
		CurrentSession::<T>::put(index);
		let severity = Params::<T>::get().offence_slash;
		DisabledOffenders::<T>::mutate(|offenders| {
			offenders.retain(|who| {
				let in_set = T::Sessions::in_session_set(who);
				if in_set {
					T::Sessions::disable(who, severity);
				}
				in_set
			})
		});
	}
}

