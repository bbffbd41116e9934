//! The operator lifecycle (apply → approve → remove/resign → withdraw), the session manager
//! pallet-session calls at every rotation, and the state invariants.

use crate::{pallet::*, types::*, SessionInterface};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get, ValidatorRegistration,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult, Perbill,
};

/// Sessions from the one a set change is made in to the one it is active in: pallet-session
/// queues the next set one session ahead (so nodes learn GRANDPA's next voters in advance).
pub const SESSIONS_UNTIL_ACTIVE: SessionIndex = 2;

/// The first session in which a validator removed during `current` is no longer in the set.
pub fn inactive_from(current: SessionIndex) -> SessionIndex {
	current.saturating_add(SESSIONS_UNTIL_ACTIVE)
}

/// The first block at which the bond of a validator leaving at block `now` may be withdrawn:
/// it may validate until `SESSIONS_UNTIL_ACTIVE` more sessions have ended (each at most
/// `max_session_blocks` long), and unbonds for `unbonding_period` blocks after that.
pub fn withdrawable_at<BlockNumber: Saturating + From<u32> + Copy>(
	now: BlockNumber,
	max_session_blocks: BlockNumber,
	unbonding_period: BlockNumber,
) -> BlockNumber {
	now.saturating_add(max_session_blocks.saturating_mul(SESSIONS_UNTIL_ACTIVE.into()))
		.saturating_add(unbonding_period)
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_apply(who: T::AccountId, bond: BalanceOf<T>) -> DispatchResult {
		ensure!(!Operators::<T>::contains_key(&who), Error::<T>::AlreadyOperator);
		ensure!(bond >= Params::<T>::get().min_bond, Error::<T>::BondTooSmall);
		ensure!(T::KeysRegistry::is_registered(&who), Error::<T>::NoSessionKeys);
		let applicants = ApplicantCount::<T>::get();
		ensure!(applicants < T::MaxApplicants::get(), Error::<T>::TooManyApplicants);
		let spendable = T::Currency::reducible_balance(
			&who,
			Preservation::Preserve,
			Fortitude::Polite,
		);
		ensure!(spendable >= bond, Error::<T>::InsufficientBalance);

		T::Currency::hold(&HoldReason::ValidatorBond.into(), &who, bond)?;
		Operators::<T>::insert(
			&who,
			Operator { bond, status: OperatorStatus::Applied, last_offence: None },
		);
		ApplicantCount::<T>::put(applicants.saturating_add(1));
		Self::deposit_event(Event::Applied { who, bond });
		Ok(())
	}

	pub(crate) fn do_withdraw_application(who: T::AccountId) -> DispatchResult {
		let operator = Operators::<T>::get(&who).ok_or(Error::<T>::NotApplicant)?;
		ensure!(operator.status == OperatorStatus::Applied, Error::<T>::NotApplicant);
		let bond = Self::release_bond(&who, operator.bond)?;
		Operators::<T>::remove(&who);
		ApplicantCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		Self::deposit_event(Event::ApplicationWithdrawn { who, bond });
		Ok(())
	}

	pub(crate) fn do_approve(who: T::AccountId) -> DispatchResult {
		let mut operator = Operators::<T>::get(&who).ok_or(Error::<T>::NotApplicant)?;
		ensure!(operator.status == OperatorStatus::Applied, Error::<T>::NotApplicant);
		// The keys may have been purged since the application.
		ensure!(T::KeysRegistry::is_registered(&who), Error::<T>::NoSessionKeys);
		let mut validators = Validators::<T>::get();
		let position = match validators.binary_search(&who) {
			// Unreachable while the operator is `Applied` (checked by `try_state`).
			Ok(_) => return Err(Error::<T>::AlreadyOperator.into()),
			Err(position) => position,
		};
		validators
			.try_insert(position, who.clone())
			.map_err(|_| Error::<T>::TooManyValidators)?;

		operator.status = OperatorStatus::Validating;
		Operators::<T>::insert(&who, operator);
		Validators::<T>::put(validators);
		ApplicantCount::<T>::mutate(|n| *n = n.saturating_sub(1));
		SetChanged::<T>::put(true);
		let active_from = inactive_from(CurrentSession::<T>::get());
		Self::deposit_event(Event::Approved { who, active_from });
		Ok(())
	}

	pub(crate) fn do_remove(who: T::AccountId, slash: Perbill) -> DispatchResult {
		ensure!(slash <= T::MaxSlash::get(), Error::<T>::SlashTooHigh);
		let mut operator = Operators::<T>::get(&who).ok_or(Error::<T>::NotOperator)?;
		match operator.status {
			OperatorStatus::Applied => {
				let slashed = Self::slash_bond(&who, &mut operator, slash)?;
				Self::release_bond(&who, operator.bond)?;
				Operators::<T>::remove(&who);
				ApplicantCount::<T>::mutate(|n| *n = n.saturating_sub(1));
				Self::deposit_event(Event::ApplicationRejected { who, slashed });
			},
			OperatorStatus::Validating => {
				Self::leave_set(&who)?;
				let slashed = Self::slash_bond(&who, &mut operator, slash)?;
				let (inactive_from, withdrawable_at) = Self::start_unbonding(&who, operator);
				Self::deposit_event(Event::Removed { who, slashed, inactive_from, withdrawable_at });
			},
			OperatorStatus::Unbonding { .. } => {
				let amount = Self::slash_bond(&who, &mut operator, slash)?;
				Operators::<T>::insert(&who, operator);
				Self::deposit_event(Event::BondSlashed { who, amount });
			},
		}
		Ok(())
	}

	pub(crate) fn do_resign(who: T::AccountId) -> DispatchResult {
		let operator = Operators::<T>::get(&who).ok_or(Error::<T>::NotValidator)?;
		ensure!(operator.status == OperatorStatus::Validating, Error::<T>::NotValidator);
		Self::leave_set(&who)?;
		let (inactive_from, withdrawable_at) = Self::start_unbonding(&who, operator);
		Self::deposit_event(Event::Resigned { who, inactive_from, withdrawable_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_bond(who: T::AccountId) -> DispatchResult {
		let operator = Operators::<T>::get(&who).ok_or(Error::<T>::NotOperator)?;
		let OperatorStatus::Unbonding { withdrawable_at } = operator.status else {
			return Err(Error::<T>::NotUnbonding.into())
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= withdrawable_at, Error::<T>::StillUnbonding);
		// Unreachable with `withdrawable_at` computed from `MaxSessionBlocks`, unless BABE
		// stalled for whole epochs: the bond stays while the node is still an authority.
		ensure!(!T::Sessions::in_session_set(&who), Error::<T>::StillInSessionSet);
		let amount = Self::release_bond(&who, operator.bond)?;
		Operators::<T>::remove(&who);
		Self::deposit_event(Event::BondWithdrawn { who, amount });
		Ok(())
	}

	pub(crate) fn do_purge_keys(who: T::AccountId) -> DispatchResult {
		if let Some(operator) = Operators::<T>::get(&who) {
			ensure!(
				matches!(operator.status, OperatorStatus::Unbonding { .. }),
				Error::<T>::OperatorHasKeysInUse
			);
		}
		ensure!(!T::Sessions::in_session_set(&who), Error::<T>::StillInSessionSet);
		T::Sessions::purge_keys(&who)?;
		Self::deposit_event(Event::KeysPurged { who });
		Ok(())
	}

	/// Checks every field of `params` against its range (`min_validators` against the current
	/// set size); the error names the first field outside it. No accepted value prices every
	/// operator out, lets a departed validator leave before it can be slashed, or locks a bond
	/// for longer than `MaxUnbondingPeriod` blocks.
	pub fn validate_params(params: &ParamsOf<T>, set_size: u32) -> Result<(), Error<T>> {
		ensure!(params.min_validators > 0, Error::<T>::MinValidatorsZero);
		ensure!(
			params.min_validators <= set_size && params.min_validators <= T::MaxValidators::get(),
			Error::<T>::MinValidatorsAboveSet
		);
		ensure!(params.min_bond >= T::Currency::minimum_balance(), Error::<T>::MinBondTooLow);
		ensure!(params.min_bond <= T::MaxMinBond::get(), Error::<T>::MinBondTooHigh);
		ensure!(
			params.unbonding_period >= T::MinUnbondingPeriod::get(),
			Error::<T>::UnbondingTooShort
		);
		ensure!(
			params.unbonding_period <= T::MaxUnbondingPeriod::get(),
			Error::<T>::UnbondingTooLong
		);
		ensure!(params.offence_slash <= T::MaxSlash::get(), Error::<T>::OffenceSlashTooHigh);
		Ok(())
	}

	/// Takes `who` out of the approved set, refusing to go below `min_validators`.
	pub(crate) fn leave_set(who: &T::AccountId) -> DispatchResult {
		let mut validators = Validators::<T>::get();
		let position = validators.binary_search(who).map_err(|_| Error::<T>::NotValidator)?;
		ensure!(
			validators.len() as u32 > Params::<T>::get().min_validators,
			Error::<T>::TooFewValidators
		);
		validators.remove(position);
		Validators::<T>::put(validators);
		SetChanged::<T>::put(true);
		Ok(())
	}

	/// Marks a departed validator's bond as unbonding; returns (inactive from, withdrawable at).
	pub(crate) fn start_unbonding(
		who: &T::AccountId,
		mut operator: OperatorOf<T>,
	) -> (SessionIndex, BlockNumberFor<T>) {
		let withdrawable = withdrawable_at(
			frame_system::Pallet::<T>::block_number(),
			T::MaxSessionBlocks::get(),
			Params::<T>::get().unbonding_period,
		);
		operator.status = OperatorStatus::Unbonding { withdrawable_at: withdrawable };
		Operators::<T>::insert(who, operator);
		(inactive_from(CurrentSession::<T>::get()), withdrawable)
	}

	/// Burns `slash` of the operator's bond from the hold; returns the amount burnt.
	pub(crate) fn slash_bond(
		who: &T::AccountId,
		operator: &mut OperatorOf<T>,
		slash: Perbill,
	) -> Result<BalanceOf<T>, DispatchError> {
		let amount = slash * operator.bond;
		if amount.is_zero() {
			return Ok(amount)
		}
		let burnt = T::Currency::burn_held(
			&HoldReason::ValidatorBond.into(),
			who,
			amount,
			Precision::BestEffort,
			Fortitude::Force,
		)?;
		operator.bond = operator.bond.saturating_sub(burnt);
		Ok(burnt)
	}

	/// Releases the bond's hold; returns the amount released.
	fn release_bond(who: &T::AccountId, bond: BalanceOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		T::Currency::release(&HoldReason::ValidatorBond.into(), who, bond, Precision::BestEffort)
	}

	/// The approved set, for the runtime API.
	pub fn approved_validators() -> Vec<T::AccountId> {
		Validators::<T>::get().into_inner()
	}

	/// An operator's record, for the runtime API.
	pub fn operator(who: &T::AccountId) -> Option<OperatorOf<T>> {
		Operators::<T>::get(who)
	}

	/// Invariants: the set is sorted, unique, within bounds and exactly the `Validating`
	/// operators; the applicant count is exact; every operator's bond is what is held.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let validators = Validators::<T>::get();
		ensure!(
			validators.windows(2).all(|pair| pair[0] < pair[1]),
			"validators are not sorted and unique"
		);
		ensure!(
			validators.len() as u32 >= Params::<T>::get().min_validators,
			"fewer validators than min_validators"
		);
		let mut applicants = 0u32;
		let mut validating = 0usize;
		for (who, operator) in Operators::<T>::iter() {
			match operator.status {
				OperatorStatus::Applied => applicants += 1,
				OperatorStatus::Validating => {
					ensure!(
						validators.binary_search(&who).is_ok(),
						"a validating operator is not in the set"
					);
					validating += 1;
				},
				OperatorStatus::Unbonding { .. } => ensure!(
					validators.binary_search(&who).is_err(),
					"an unbonding operator is still in the set"
				),
			}
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ValidatorBond.into(), &who) ==
					operator.bond,
				"an operator's held bond differs from its record"
			);
		}
		ensure!(validating == validators.len(), "a validator has no operator record");
		ensure!(applicants == ApplicantCount::<T>::get(), "applicant count is wrong");
		ensure!(applicants <= T::MaxApplicants::get(), "too many applicants");
		ensure!(
			DisabledOffenders::<T>::get().iter().all(|who| Operators::<T>::get(who)
				.is_some_and(|operator| operator.last_offence.is_some())),
			"a disabled offender has no offence on record"
		);
		Ok(())
	}
}

/// pallet-session asks for the next set at every rotation; it gets one only when it changed.
impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::take() {
			return None
		}
		let validators = Validators::<T>::get().into_inner();
		Self::deposit_event(Event::SetQueued {
			session: new_index,
			validators: validators.len() as u32,
		});
		Some(validators)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Some(Validators::<T>::get().into_inner())
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(start_index: SessionIndex) {
		Self::note_session_start(start_index);
	}
}
