//! Behaviour of the validator set as operators and governance see it: bonds held and released,
//! errors, events, and the set pallet-session hands to the consensus engines.

use crate::{mock::*, operators::*, Error, Event, OperatorStatus, Operators, Validators};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::Mutate,
};
use sp_runtime::{DispatchError, Perbill};

fn session_validators() -> Vec<AccountId> {
	pallet_session::Validators::<Test>::get()
}

fn apply_and_approve(who: AccountId) {
	assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(who), MIN_BOND));
	assert_ok!(ValidatorSet::approve(RuntimeOrigin::root(), who));
}

/// A funded account with session keys.
fn operator_with_keys(who: AccountId) {
	Balances::mint_into(&who, ENDOWMENT).unwrap();
	assert_ok!(set_session_keys(who));
}

#[test]
fn genesis_validators_are_bonded_and_authorities() {
	run_test(|| {
		assert_eq!(Validators::<Test>::get().into_inner(), GENESIS.to_vec());
		assert_eq!(session_validators(), GENESIS.to_vec());
		assert_eq!(ActiveAuthorities::get(), GENESIS.to_vec());
		for who in GENESIS {
			assert_eq!(held_bond(who), MIN_BOND);
			assert_eq!(Balances::free_balance(who), ENDOWMENT - MIN_BOND);
		}
	});
}

#[test]
fn an_approved_operator_validates_from_the_session_after_next() {
	run_test(|| {
		run_to_session(1);
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND * 2));
		assert_eq!(last_event(), Event::Applied { who: NEWCOMER, bond: MIN_BOND * 2 }.into());
		assert_eq!(held_bond(NEWCOMER), MIN_BOND * 2);
		assert_eq!(Balances::free_balance(NEWCOMER), ENDOWMENT - MIN_BOND * 2);

		assert_ok!(ValidatorSet::approve(RuntimeOrigin::root(), NEWCOMER));
		assert_eq!(last_event(), Event::Approved { who: NEWCOMER, active_from: 3 }.into());
		assert_eq!(Validators::<Test>::get().into_inner(), vec![1, 2, 3, 4, NEWCOMER]);

		// Rotation into session 2 queues the new set; session 2 still runs with the old one.
		run_to_session(2);
		assert!(System::events()
			.iter()
			.any(|r| r.event == Event::SetQueued { session: 3, validators: 5 }.into()));
		assert_eq!(session_validators(), GENESIS.to_vec());
		assert!(pallet_session::QueuedKeys::<Test>::get().iter().any(|(who, _)| *who == NEWCOMER));

		run_to_session(3);
		assert_eq!(session_validators(), vec![1, 2, 3, 4, NEWCOMER]);
		assert_eq!(ActiveAuthorities::get(), vec![1, 2, 3, 4, NEWCOMER]);
	});
}

#[test]
fn an_unchanged_set_is_not_handed_over_again() {
	run_test(|| {
		run_to_session(3);
		assert!(!System::events()
			.iter()
			.any(|r| matches!(r.event, RuntimeEvent::ValidatorSet(Event::SetQueued { .. }))));
		assert_eq!(session_validators(), GENESIS.to_vec());
	});
}

#[test]
fn session_keys_need_an_ownership_proof() {
	run_test(|| {
		// Keys without the proof their private keys sign (`author_rotateKeysWithOwner`).
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(KEYLESS), keys_of(KEYLESS), vec![]),
			pallet_session::Error::<Test>::InvalidProof
		);
	});
}

#[test]
fn applications_need_keys_a_sufficient_bond_and_funds() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(KEYLESS), MIN_BOND),
			Error::<Test>::NoSessionKeys
		);
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND - 1),
			Error::<Test>::BondTooSmall
		);
		// POOR has 500 and the bond is 1,000.
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(POOR), MIN_BOND),
			Error::<Test>::InsufficientBalance
		);
		// The whole balance would reap the account.
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(1), MIN_BOND),
			Error::<Test>::AlreadyOperator
		);
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND),
			Error::<Test>::AlreadyOperator
		);
	});
}

#[test]
fn applications_are_bounded() {
	run_test(|| {
		for who in [NEWCOMER, 8, 9] {
			if who != NEWCOMER {
				operator_with_keys(who);
			}
			assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(who), MIN_BOND));
		}
		operator_with_keys(10);
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(10), MIN_BOND),
			Error::<Test>::TooManyApplicants
		);
		// A decided application frees a slot.
		assert_ok!(ValidatorSet::approve(RuntimeOrigin::root(), 8));
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(10), MIN_BOND));
	});
}

#[test]
fn withdrawing_an_application_releases_the_bond() {
	run_test(|| {
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		assert_ok!(ValidatorSet::withdraw_application(RuntimeOrigin::signed(NEWCOMER)));
		assert_eq!(
			last_event(),
			Event::ApplicationWithdrawn { who: NEWCOMER, bond: MIN_BOND }.into()
		);
		assert_eq!(held_bond(NEWCOMER), 0);
		assert_eq!(Balances::free_balance(NEWCOMER), ENDOWMENT);
		assert!(Operators::<Test>::get(NEWCOMER).is_none());
		assert_noop!(
			ValidatorSet::withdraw_application(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::NotApplicant
		);
		assert_noop!(
			ValidatorSet::withdraw_application(RuntimeOrigin::signed(1)),
			Error::<Test>::NotApplicant
		);
	});
}

#[test]
fn only_governance_approves_or_removes() {
	run_test(|| {
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		assert_noop!(
			ValidatorSet::approve(RuntimeOrigin::signed(1), NEWCOMER),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove(RuntimeOrigin::signed(1), 2, Perbill::zero()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::set_params(RuntimeOrigin::signed(1), params()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn approval_requires_a_pending_application_and_keys_still_set() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::approve(RuntimeOrigin::root(), NEWCOMER),
			Error::<Test>::NotApplicant
		);
		assert_noop!(ValidatorSet::approve(RuntimeOrigin::root(), 1), Error::<Test>::NotApplicant);
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(NEWCOMER)));
		assert_noop!(
			ValidatorSet::approve(RuntimeOrigin::root(), NEWCOMER),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn the_set_is_bounded() {
	run_test(|| {
		apply_and_approve(NEWCOMER);
		operator_with_keys(8);
		apply_and_approve(8);
		operator_with_keys(9);
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(9), MIN_BOND));
		assert_noop!(
			ValidatorSet::approve(RuntimeOrigin::root(), 9),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn the_set_never_shrinks_below_min_validators() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::remove(RuntimeOrigin::root(), 2, Perbill::zero()),
			Error::<Test>::TooFewValidators
		);
		assert_noop!(ValidatorSet::resign(RuntimeOrigin::signed(2)), Error::<Test>::TooFewValidators);
		apply_and_approve(NEWCOMER);
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), 2, Perbill::zero()));
		assert_noop!(ValidatorSet::resign(RuntimeOrigin::signed(3)), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn removal_slashes_stops_validating_and_unbonds() {
	run_test(|| {
		apply_and_approve(NEWCOMER);
		run_to_session(2);
		assert_eq!(session_validators(), vec![1, 2, 3, 4, NEWCOMER]);
		let issuance = Balances::total_issuance();

		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, Perbill::from_percent(10)));
		// Removed during session 2: out from session 4, bond free from session 4 + 1.
		assert_eq!(
			last_event(),
			Event::Removed { who: NEWCOMER, slashed: 100, inactive_from: 4, withdrawable_from: 5 }
				.into()
		);
		assert_eq!(Balances::total_issuance(), issuance - 100);
		assert_eq!(held_bond(NEWCOMER), MIN_BOND - 100);
		assert_eq!(
			Operators::<Test>::get(NEWCOMER).unwrap().status,
			OperatorStatus::Unbonding { withdrawable_from: 5 }
		);

		run_to_session(3);
		assert!(session_validators().contains(&NEWCOMER), "still validates during session 3");
		run_to_session(4);
		assert_eq!(session_validators(), GENESIS.to_vec());
		assert_eq!(ActiveAuthorities::get(), GENESIS.to_vec());
		assert_noop!(
			ValidatorSet::withdraw_bond(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::StillUnbonding
		);

		run_to_session(5);
		assert_ok!(ValidatorSet::withdraw_bond(RuntimeOrigin::signed(NEWCOMER)));
		assert_eq!(last_event(), Event::BondWithdrawn { who: NEWCOMER, amount: 900 }.into());
		assert_eq!(held_bond(NEWCOMER), 0);
		assert_eq!(Balances::free_balance(NEWCOMER), ENDOWMENT - 100);
		assert!(Operators::<Test>::get(NEWCOMER).is_none());
		// The operator may apply again.
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
	});
}

#[test]
fn an_unbonding_operator_can_still_be_slashed() {
	run_test(|| {
		apply_and_approve(NEWCOMER);
		assert_ok!(ValidatorSet::resign(RuntimeOrigin::signed(NEWCOMER)));
		assert_eq!(
			last_event(),
			Event::Resigned { who: NEWCOMER, inactive_from: 2, withdrawable_from: 3 }.into()
		);
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, Perbill::from_percent(50)));
		assert_eq!(last_event(), Event::BondSlashed { who: NEWCOMER, amount: 500 }.into());
		assert_eq!(held_bond(NEWCOMER), 500);
		run_to_session(3);
		assert_ok!(ValidatorSet::withdraw_bond(RuntimeOrigin::signed(NEWCOMER)));
		assert_eq!(Balances::free_balance(NEWCOMER), ENDOWMENT - 500);
	});
}

#[test]
fn rejecting_an_application_may_slash_it() {
	run_test(|| {
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		let issuance = Balances::total_issuance();
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, Perbill::from_percent(20)));
		assert_eq!(last_event(), Event::ApplicationRejected { who: NEWCOMER, slashed: 200 }.into());
		assert_eq!(Balances::total_issuance(), issuance - 200);
		assert_eq!(Balances::free_balance(NEWCOMER), ENDOWMENT - 200);
		assert_eq!(held_bond(NEWCOMER), 0);
		assert!(Operators::<Test>::get(NEWCOMER).is_none());
		assert_noop!(
			ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, Perbill::zero()),
			Error::<Test>::NotOperator
		);
	});
}

#[test]
fn withdraw_bond_needs_an_unbonding_bond() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::withdraw_bond(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			ValidatorSet::withdraw_bond(RuntimeOrigin::signed(1)),
			Error::<Test>::NotUnbonding
		);
		assert_noop!(ValidatorSet::resign(RuntimeOrigin::signed(NEWCOMER)), Error::<Test>::NotValidator);
	});
}

#[test]
fn params_are_validated() {
	run_test(|| {
		let with = |f: fn(&mut crate::ValidatorSetParams<Balance, u64>)| {
			let mut p = params();
			f(&mut p);
			p
		};
		assert_noop!(
			ValidatorSet::set_params(RuntimeOrigin::root(), with(|p| p.min_validators = 0)),
			Error::<Test>::MinValidatorsZero
		);
		assert_noop!(
			ValidatorSet::set_params(RuntimeOrigin::root(), with(|p| p.min_validators = 5)),
			Error::<Test>::MinValidatorsAboveSet
		);
		assert_noop!(
			ValidatorSet::set_params(RuntimeOrigin::root(), with(|p| p.min_bond = 9)),
			Error::<Test>::MinBondTooLow
		);
		assert_noop!(
			ValidatorSet::set_params(RuntimeOrigin::root(), with(|p| p.session_length = 0)),
			Error::<Test>::SessionLengthTooShort
		);
		let lowered = with(|p| {
			p.min_validators = 3;
			p.min_bond = 2_000;
		});
		assert_ok!(ValidatorSet::set_params(RuntimeOrigin::root(), lowered.clone()));
		assert_eq!(last_event(), Event::ParamsSet { params: lowered }.into());
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND),
			Error::<Test>::BondTooSmall
		);
		assert_ok!(ValidatorSet::resign(RuntimeOrigin::signed(4)));
	});
}

#[test]
fn unbonding_periods_follow_the_session_queue() {
	// Removed in session s: still validating in s + 1 (already queued), out from s + 2.
	assert_eq!(inactive_from(7), 9);
	assert_eq!(withdrawable_from(7, 0), 9);
	assert_eq!(withdrawable_from(7, 3), 12);
	assert_eq!(withdrawable_from(u32::MAX - 1, 3), u32::MAX);
}

#[test]
fn the_hook_rotates_sessions_every_session_length_blocks() {
	use frame_support::traits::{EstimateNextSessionRotation, Hooks};
	use crate::WeightInfo;
	run_test(|| {
		assert_eq!(ValidatorSet::estimate_next_session_rotation(1).0, Some(SESSION_LENGTH));
		run_to_session(1);
		assert_eq!(System::block_number(), SESSION_LENGTH);
		assert_eq!(crate::SessionStartedAt::<Test>::get(), SESSION_LENGTH);
		assert_eq!(crate::CurrentSession::<Test>::get(), 1);
		run_to_session(2);
		assert_eq!(System::block_number(), 2 * SESSION_LENGTH);

		// Governance shortens sessions: the new length counts from the current session's start.
		let mut shorter = params();
		shorter.session_length = 3;
		// Two sessions of 3 blocks: the unbonding stays above its 5-block minimum.
		shorter.unbonding_sessions = 2;
		assert_ok!(ValidatorSet::set_params(RuntimeOrigin::root(), shorter));
		assert_eq!(ValidatorSet::estimate_next_session_rotation(0).0, Some(2 * SESSION_LENGTH + 3));
		run_block(2 * SESSION_LENGTH + 1);
		assert_eq!(
			ValidatorSet::estimate_current_session_progress(2 * SESSION_LENGTH + 1).0,
			Some(sp_runtime::Permill::from_rational(2u32, 3))
		);
		run_to_session(3);
		assert_eq!(System::block_number(), 2 * SESSION_LENGTH + 3);

		// The hook charges a rotation only in the rotation block.
		let idle = ValidatorSet::on_initialize(2 * SESSION_LENGTH + 4);
		assert_eq!(idle, <() as WeightInfo>::on_initialize_idle());
		assert_eq!(crate::CurrentSession::<Test>::get(), 3);
		System::set_block_number(2 * SESSION_LENGTH + 6);
		let rotation = ValidatorSet::on_initialize(2 * SESSION_LENGTH + 6);
		assert_eq!(rotation, <() as WeightInfo>::rotate_session(6));
		assert_eq!(crate::CurrentSession::<Test>::get(), 4);
		// pallet-session never rotates by itself.
		assert_eq!(Session::on_initialize(2 * SESSION_LENGTH + 9), frame_support::weights::Weight::zero());
		assert_eq!(crate::CurrentSession::<Test>::get(), 4);
	});
}

/// The mock's parameters with `f` applied.
fn params_with(f: impl FnOnce(&mut crate::ValidatorSetParams<Balance, u64>)) -> crate::ValidatorSetParams<Balance, u64> {
	let mut p = params();
	f(&mut p);
	p
}

fn set(p: crate::ValidatorSetParams<Balance, u64>) -> sp_runtime::DispatchResult {
	ValidatorSet::set_params(RuntimeOrigin::root(), p)
}

/// Every bounded field: one step outside its range is refused with that field's own error, and
/// the bound itself is accepted, so a missing or off-by-one bound fails here.
#[test]
fn every_parameter_is_bounded_with_a_typed_error() {
	run_test(|| {
		type E = Error<Test>;
		// The set has 4 validators; MaxValidators is 6.
		assert_noop!(set(params_with(|p| p.min_validators = 0)), E::MinValidatorsZero);
		assert_ok!(set(params_with(|p| p.min_validators = 1)));
		assert_noop!(set(params_with(|p| p.min_validators = 5)), E::MinValidatorsAboveSet);
		assert_ok!(set(params_with(|p| p.min_validators = 4)));

		// The existential deposit is 10.
		assert_noop!(set(params_with(|p| p.min_bond = 9)), E::MinBondTooLow);
		assert_ok!(set(params_with(|p| p.min_bond = 10)));
		assert_noop!(set(params_with(|p| p.min_bond = MAX_MIN_BOND + 1)), E::MinBondTooHigh);
		assert_ok!(set(params_with(|p| p.min_bond = MAX_MIN_BOND)));

		// One unbonding session keeps the unbonding period within its own range here.
		assert_noop!(
			set(params_with(|p| p.session_length = MIN_SESSION_LENGTH - 1)),
			E::SessionLengthTooShort
		);
		assert_ok!(set(params_with(|p| {
			p.session_length = MIN_SESSION_LENGTH;
			p.unbonding_sessions = 2;
		})));
		assert_noop!(
			set(params_with(|p| p.session_length = MAX_SESSION_LENGTH + 1)),
			E::SessionLengthTooLong
		);
		assert_ok!(set(params_with(|p| p.session_length = MAX_SESSION_LENGTH)));

		// Unbonding: 1 session of 5 blocks is the shortest allowed, one block less is refused.
		assert_noop!(
			set(params_with(|p| {
				p.session_length = MIN_UNBONDING_PERIOD - 1;
				p.unbonding_sessions = 1;
			})),
			E::UnbondingTooShort
		);
		assert_noop!(set(params_with(|p| p.unbonding_sessions = 0)), E::UnbondingTooShort);
		assert_ok!(set(params_with(|p| {
			p.session_length = MIN_UNBONDING_PERIOD;
			p.unbonding_sessions = 1;
		})));
		// 5 sessions of 100 blocks is the longest allowed; a sixth is refused.
		assert_noop!(
			set(params_with(|p| {
				p.session_length = MAX_SESSION_LENGTH;
				p.unbonding_sessions = 6;
			})),
			E::UnbondingTooLong
		);
		assert_ok!(set(params_with(|p| {
			p.session_length = MAX_SESSION_LENGTH;
			p.unbonding_sessions = 5;
		})));
		assert_ok!(set(params()));

		// The slash of one `remove` (the applicant's bond is 1,000).
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		let above = Perbill::from_parts(MaxSlash::get().deconstruct() + 1);
		assert_noop!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, above), E::SlashTooHigh);
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, MaxSlash::get()));
		assert_eq!(last_event(), Event::ApplicationRejected { who: NEWCOMER, slashed: 500 }.into());
	});
}

/// A captured governance origin cannot brick the validator set: sessions that never end, bonds
/// nobody can pay or that never unbond, and whole-bond slashes are all refused.
#[test]
fn captured_governance_cannot_brick_the_validator_set() {
	run_test(|| {
		type E = Error<Test>;
		assert_noop!(set(params_with(|p| p.session_length = u64::MAX)), E::SessionLengthTooLong);
		assert_noop!(set(params_with(|p| p.min_bond = Balance::MAX)), E::MinBondTooHigh);
		assert_noop!(set(params_with(|p| p.unbonding_sessions = u32::MAX)), E::UnbondingTooLong);
		assert_noop!(
			ValidatorSet::remove(RuntimeOrigin::root(), 1, Perbill::from_percent(100)),
			E::SlashTooHigh
		);
		assert_eq!(crate::Params::<Test>::get(), params(), "nothing was written");
		assert_eq!(held_bond(1), MIN_BOND);
		// Sessions keep rotating.
		run_to_session(1);
		assert_eq!(System::block_number(), SESSION_LENGTH);
	});
}

#[test]
#[should_panic(expected = "invalid validator-set genesis params: SessionLengthTooLong")]
fn genesis_params_are_checked_against_the_same_ranges() {
	use sp_runtime::BuildStorage;
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let _ = crate::GenesisConfig::<Test> {
		params: params_with(|p| p.session_length = MAX_SESSION_LENGTH + 1),
		validators: GENESIS.to_vec(),
	}
	.assimilate_storage(&mut storage);
}
