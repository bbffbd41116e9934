//! Offences the chain proves by itself: pallet-offences hands every reported offence (a BABE or
//! GRANDPA equivocation, with a key-ownership proof checked against the session it happened in)
//! to this pallet, which
//! 1. burns `offence_slash` of the offender's bond, at most once per offender and session, and
//!    never for a session older than one it was already punished for (one report names every
//!    offender of the same slot again, one misbehaving node often equivocates in BABE and GRANDPA
//!    at once, and a GRANDPA report may name any session its authority set lasted: without the
//!    order, reports alternating between two sessions would slash 10% each time);
//! 2. disables it for the rest of the session through pallet-session (its blocks are refused;
//!    pallet-session disables at most a third of the set, so finality survives), and again at
//!    every new session while it is still in the session set;
//! 3. takes it out of the approved set, so it stops validating two sessions later, and starts
//!    its unbonding; unless that would go below `min_validators`: then it stays, disabled, and
//!    `OffenderKept` tells governance to decide. An offender already unbonding has its
//!    unbonding extended to a full `unbonding_period` from the report, so governance has that
//!    long to review the offence.
//!
//! Steps 2 and 3 run for every report, slashed or not.
//!
//! An operator that already withdrew its bond is out of reach: the unbonding period is what
//! keeps departed validators slashable.

use crate::{pallet::*, types::*, SessionInterface, WeightInfo};
use frame_support::{pallet_prelude::Weight, traits::Get};
use sp_runtime::{traits::Saturating, Perbill};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

impl<T: Config> Pallet<T> {
	/// Punishes `who` for an offence in `session`; returns the weight used.
	pub(crate) fn punish_offender(who: &T::AccountId, session: SessionIndex) -> Weight {
		let Some(mut operator) = Operators::<T>::get(who) else {
			return T::DbWeight::get().reads(1)
		};
		let params = Params::<T>::get();
		if operator.last_offence.is_none_or(|last| last < session) {
			// Burning from a hold the pallet created cannot fail; a failure would only leave the
			// bond untouched (it is reported as 0 slashed).
			let slashed = Self::slash_bond(who, &mut operator, params.offence_slash).unwrap_or_default();
			operator.last_offence = Some(session);
			Self::deposit_event(Event::OffenceSlashed { who: who.clone(), session, slashed });
		}

		if T::Sessions::disable(who, params.offence_slash) {
			DisabledOffenders::<T>::mutate(|offenders| {
				if !offenders.contains(who) {
					// Bounded by the session set's size; a full list only skips re-disabling.
					let _ = offenders.try_push(who.clone());
				}
			});
		}

		match operator.status {
			OperatorStatus::Validating if Self::leave_set(who).is_ok() => {
				let (inactive_from, withdrawable_at) = Self::start_unbonding(who, operator);
				Self::deposit_event(Event::OffenderRemoved {
					who: who.clone(),
					inactive_from,
					withdrawable_at,
				});
			},
			OperatorStatus::Validating => {
				Operators::<T>::insert(who, operator);
				Self::deposit_event(Event::OffenderKept { who: who.clone() });
			},
			OperatorStatus::Unbonding { withdrawable_at } => {
				let review_until = frame_system::Pallet::<T>::block_number()
					.saturating_add(params.unbonding_period);
				operator.status =
					OperatorStatus::Unbonding { withdrawable_at: withdrawable_at.max(review_until) };
				Operators::<T>::insert(who, operator);
			},
			OperatorStatus::Applied => {
				Operators::<T>::insert(who, operator);
			},
		}
		T::WeightInfo::on_offence(T::MaxValidators::get())
	}
}

/// pallet-offences' handler. The identification (`Id`, from pallet-session's historical module)
/// carries nothing this pallet needs: the bond is read from the operator's record.
impl<T: Config, Id> OnOffenceHandler<T::AccountId, (T::AccountId, Id), Weight> for Pallet<T> {
	fn on_offence(
		offenders: &[OffenceDetails<T::AccountId, (T::AccountId, Id)>],
		_slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		// One offence names at most the validators of one session.
		offenders
			.iter()
			.take(T::MaxValidators::get() as usize)
			.fold(Weight::zero(), |weight, details| {
				weight.saturating_add(Self::punish_offender(&details.offender.0, session))
			})
	}
}
