//! Session rotation, driven by this pallet's hook every `session_length` blocks.
//!
//! pallet-session could rotate by itself (`ShouldEndSession`), but its hook then declares the
//! whole block's weight, which leaves no room for transactions in every rotation block. Here
//! pallet-session is told never to end a session on its own ([`RotatedByValidatorSet`]), and this
//! pallet's `on_initialize` rotates it through [`RotateSession`], charging the benchmarked cost of
//! a rotation instead.

use crate::{pallet::*, types::SessionIndex, WeightInfo};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::Weight,
	traits::{EstimateNextSessionRotation, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	Permill,
};

/// Starts a new session (pallet-session's `rotate_session`).
pub trait RotateSession {
	fn rotate();
}

/// [`RotateSession`] through pallet-session.
pub struct SessionPallet<T>(PhantomData<T>);
impl<T: pallet_session::Config> RotateSession for SessionPallet<T> {
	fn rotate() {
		pallet_session::Pallet::<T>::rotate_session()
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
	/// The block at which the current session ends (`None` while unconfigured).
	pub fn next_rotation() -> Option<BlockNumberFor<T>> {
		let length = Params::<T>::get().session_length;
		(!length.is_zero()).then(|| SessionStartedAt::<T>::get().saturating_add(length))
	}

	/// Rotates the session when it is due; returns the weight used.
	pub(crate) fn rotate_if_due(now: BlockNumberFor<T>) -> Weight {
		match Self::next_rotation() {
			Some(due) if now >= due => {
				T::Sessions::rotate();
				T::WeightInfo::rotate_session(T::MaxValidators::get())
			},
			_ => T::WeightInfo::on_initialize_idle(),
		}
	}

	/// Records the start of session `index` (pallet-session calls `start_session`).
	pub(crate) fn note_session_start(index: SessionIndex) {
		CurrentSession::<T>::put(index);
		SessionStartedAt::<T>::put(frame_system::Pallet::<T>::block_number());
	}
}

/// pallet-session's `NextSessionRotation`, from the governance-set session length.
impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		Params::<T>::get().session_length
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let length = Params::<T>::get().session_length;
		let progress = (!length.is_zero()).then(|| {
			// The current block counts as elapsed: the last block of a session reports 100%.
			let elapsed = now
				.saturating_sub(SessionStartedAt::<T>::get())
				.saturating_add(One::one())
				.min(length);
			Permill::from_rational(elapsed, length)
		});
		(progress, T::DbWeight::get().reads(2))
	}

	fn estimate_next_session_rotation(_now: BlockNumberFor<T>) -> (Option<BlockNumberFor<T>>, Weight) {
		(Self::next_rotation(), T::DbWeight::get().reads(2))
	}
}
