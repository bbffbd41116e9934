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

		assert_eq!(System::block_number(), 10);
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, Perbill::from_percent(10)));
		// Removed at block 10 in session 2: out from session 4 (at the latest block 20, two
		// sessions of at most 5 blocks), bond free 5 unbonding blocks later.
		assert_eq!(
			last_event(),
			Event::Removed { who: NEWCOMER, slashed: 100, inactive_from: 4, withdrawable_at: 25 }
				.into()
		);
		assert_eq!(Balances::total_issuance(), issuance - 100);
		assert_eq!(held_bond(NEWCOMER), MIN_BOND - 100);
		assert_eq!(
			Operators::<Test>::get(NEWCOMER).unwrap().status,
			OperatorStatus::Unbonding { withdrawable_at: 25 }
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

		run_block(24);
		assert_noop!(
			ValidatorSet::withdraw_bond(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::StillUnbonding
		);
		run_block(25);
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
			Event::Resigned { who: NEWCOMER, inactive_from: 2, withdrawable_at: 16 }.into()
		);
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, Perbill::from_percent(50)));
		assert_eq!(last_event(), Event::BondSlashed { who: NEWCOMER, amount: 500 }.into());
		assert_eq!(held_bond(NEWCOMER), 500);
		run_to_session(3);
		assert_noop!(
			ValidatorSet::withdraw_bond(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::StillUnbonding
		);
		run_block(16);
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
			ValidatorSet::set_params(RuntimeOrigin::root(), with(|p| p.unbonding_period = 0)),
			Error::<Test>::UnbondingTooShort
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
fn unbonding_counts_from_the_last_block_a_validator_can_validate_in() {
	// Removed in session s: still validating in s + 1 (already queued), out from s + 2.
	assert_eq!(inactive_from(7), 9);
	// Leaving at block 100 with sessions of at most 10 blocks: out by block 120 at the latest.
	assert_eq!(withdrawable_at(100u64, 10, 0), 120);
	assert_eq!(withdrawable_at(100u64, 10, 50), 170);
	assert_eq!(withdrawable_at(u64::MAX - 1, 10, 50), u64::MAX);
}

#[test]
fn the_hook_rotates_sessions_when_the_epoch_ends() {
	use crate::WeightInfo;
	use frame_support::traits::Hooks;
	run_test(|| {
		run_to_session(1);
		assert_eq!(System::block_number(), SESSION_LENGTH);
		assert_eq!(crate::CurrentSession::<Test>::get(), 1);
		run_to_session(2);
		assert_eq!(System::block_number(), 2 * SESSION_LENGTH);

		// The hook charges a rotation only in the block that ends the epoch.
		System::set_block_number(2 * SESSION_LENGTH + 1);
		let idle = ValidatorSet::on_initialize(2 * SESSION_LENGTH + 1);
		assert_eq!(idle, <() as WeightInfo>::on_initialize_idle());
		assert_eq!(crate::CurrentSession::<Test>::get(), 2);
		System::set_block_number(3 * SESSION_LENGTH);
		let rotation = ValidatorSet::on_initialize(3 * SESSION_LENGTH);
		assert_eq!(
			rotation,
			<() as WeightInfo>::on_initialize_idle()
				.saturating_add(<() as WeightInfo>::rotate_session(6))
		);
		assert_eq!(crate::CurrentSession::<Test>::get(), 3);
		// pallet-session never rotates by itself.
		assert_eq!(Session::on_initialize(4 * SESSION_LENGTH), frame_support::weights::Weight::zero());
		assert_eq!(crate::CurrentSession::<Test>::get(), 3);
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

		assert_noop!(
			set(params_with(|p| p.unbonding_period = MIN_UNBONDING_PERIOD - 1)),
			E::UnbondingTooShort
		);
		assert_ok!(set(params_with(|p| p.unbonding_period = MIN_UNBONDING_PERIOD)));
		assert_noop!(
			set(params_with(|p| p.unbonding_period = MAX_UNBONDING_PERIOD + 1)),
			E::UnbondingTooLong
		);
		assert_ok!(set(params_with(|p| p.unbonding_period = MAX_UNBONDING_PERIOD)));

		let above = Perbill::from_parts(MaxSlash::get().deconstruct() + 1);
		assert_noop!(set(params_with(|p| p.offence_slash = above)), E::OffenceSlashTooHigh);
		assert_ok!(set(params_with(|p| p.offence_slash = MaxSlash::get())));
		assert_ok!(set(params()));

		// The slash of one `remove` (the applicant's bond is 1,000).
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		let above = Perbill::from_parts(MaxSlash::get().deconstruct() + 1);
		assert_noop!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, above), E::SlashTooHigh);
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), NEWCOMER, MaxSlash::get()));
		assert_eq!(last_event(), Event::ApplicationRejected { who: NEWCOMER, slashed: 500 }.into());
	});
}

/// A captured governance origin cannot brick the validator set: bonds nobody can pay or that
/// never unbond, and whole-bond slashes (by `remove` or per offence) are all refused.
#[test]
fn captured_governance_cannot_brick_the_validator_set() {
	run_test(|| {
		type E = Error<Test>;
		assert_noop!(set(params_with(|p| p.min_bond = Balance::MAX)), E::MinBondTooHigh);
		assert_noop!(set(params_with(|p| p.unbonding_period = u64::MAX)), E::UnbondingTooLong);
		assert_noop!(
			set(params_with(|p| p.offence_slash = Perbill::from_percent(100))),
			E::OffenceSlashTooHigh
		);
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
#[should_panic(expected = "invalid validator-set genesis params: UnbondingTooLong")]
fn genesis_params_are_checked_against_the_same_ranges() {
	use sp_runtime::BuildStorage;
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let _ = crate::GenesisConfig::<Test> {
		params: params_with(|p| p.unbonding_period = MAX_UNBONDING_PERIOD + 1),
		validators: GENESIS.to_vec(),
	}
	.assimilate_storage(&mut storage);
}

fn disabled() -> Vec<u32> {
	pallet_session::Pallet::<Test>::disabled_validators()
}

#[test]
fn an_offence_slashes_once_per_session_and_disables_the_offender() {
	run_test(|| {
		apply_and_approve(NEWCOMER);
		run_to_session(2);
		assert_eq!(session_validators(), vec![1, 2, 3, 4, NEWCOMER]);
		let issuance = Balances::total_issuance();

		report_offence(2, 2);
		// 10% of the bond burnt; disabled at once (index 1 in the session set); kept in the set
		// because 5 − 1 ≥ min_validators (4) allows a removal, so it is removed.
		assert!(System::events().iter().any(|r| r.event ==
			Event::OffenceSlashed { who: 2, session: 2, slashed: 100 }.into()));
		assert_eq!(held_bond(2), MIN_BOND - 100);
		assert_eq!(Balances::total_issuance(), issuance - 100);
		assert_eq!(disabled(), vec![1]);
		assert_eq!(
			last_event(),
			Event::OffenderRemoved { who: 2, inactive_from: 4, withdrawable_at: 25 }.into()
		);
		assert!(!Validators::<Test>::get().contains(&2));

		// The same session's offence again (another report of the same slot, or GRANDPA after
		// BABE): no second slash.
		report_offence(2, 2);
		assert_eq!(held_bond(2), MIN_BOND - 100);
		assert_eq!(Balances::total_issuance(), issuance - 100);

		// It stays disabled while it is still in the session set, across the rotation that
		// changes the set, and is gone two sessions after the offence.
		run_to_session(3);
		assert!(session_validators().contains(&2));
		assert!(disabled().contains(&(session_validators().iter().position(|v| *v == 2).unwrap() as u32)));
		run_to_session(4);
		assert!(!session_validators().contains(&2));
		assert!(crate::DisabledOffenders::<Test>::get().is_empty());

		// An offence from a later session is punished again, even while unbonding.
		report_offence(2, 3);
		assert_eq!(held_bond(2), MIN_BOND - 190);
	});
}

#[test]
fn an_offender_the_set_cannot_spare_stays_disabled_and_governance_is_told() {
	run_test(|| {
		// Four validators, min_validators 4: removing one would break finality's floor.
		report_offence(3, 0);
		assert_eq!(last_event(), Event::OffenderKept { who: 3 }.into());
		assert!(Validators::<Test>::get().contains(&3));
		assert_eq!(
			Operators::<Test>::get(3).unwrap().status,
			OperatorStatus::Validating,
			"still validating, not unbonding"
		);
		assert_eq!(disabled(), vec![2]);
		assert_eq!(held_bond(3), MIN_BOND - 100);
		// pallet-session disables at most ⌊(4 − 1) / 3⌋ = 1 validator: a second offender is
		// slashed but not disabled, so finality keeps its two thirds.
		report_offence(4, 0);
		assert_eq!(held_bond(4), MIN_BOND - 100);
		assert_eq!(disabled(), vec![2]);
		// Disablements survive rotations while the offender is in the set.
		run_to_session(2);
		assert_eq!(disabled(), vec![2]);
		// Governance decides: after approving a fifth validator it can remove the offender.
		apply_and_approve(NEWCOMER);
		assert_ok!(ValidatorSet::remove(RuntimeOrigin::root(), 3, Perbill::zero()));
	});
}

#[test]
fn offences_by_unknown_accounts_are_ignored() {
	run_test(|| {
		let issuance = Balances::total_issuance();
		report_offence(KEYLESS, 0);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(disabled().is_empty());
	});
}

#[test]
fn keys_cannot_be_purged_while_they_are_in_use() {
	run_test(|| {
		// A validator: refused (its node is an authority).
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(1)),
			Error::<Test>::OperatorHasKeysInUse
		);
		// An applicant: refused too (approval would need the keys).
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(NEWCOMER), MIN_BOND));
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::OperatorHasKeysInUse
		);
		assert_ok!(ValidatorSet::approve(RuntimeOrigin::root(), NEWCOMER));
		run_to_session(2);
		// Resigned, but pallet-session still has it in the set for two sessions.
		assert_ok!(ValidatorSet::resign(RuntimeOrigin::signed(NEWCOMER)));
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::StillInSessionSet
		);
		run_to_session(4);
		assert!(!session_validators().contains(&NEWCOMER));
		assert_ok!(ValidatorSet::purge_keys(RuntimeOrigin::signed(NEWCOMER)));
		assert_eq!(last_event(), Event::KeysPurged { who: NEWCOMER }.into());
		assert!(pallet_session::NextKeys::<Test>::get(NEWCOMER).is_none());
		// A non-operator with keys may purge them; without keys it is session's own error.
		assert_ok!(ValidatorSet::purge_keys(RuntimeOrigin::signed(POOR)));
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(KEYLESS)),
			pallet_session::Error::<Test>::NoKeys
		);
	});
}

#[test]
fn reports_naming_an_older_session_do_not_slash_again_but_still_disable() {
	run_test(|| {
		// A GRANDPA report may name any session its authority set lasted: reports alternating
		// between two sessions must not slash 10% each time.
		report_offence(3, 2);
		assert_eq!(held_bond(3), MIN_BOND - 100);
		report_offence(3, 1);
		report_offence(3, 2);
		assert_eq!(held_bond(3), MIN_BOND - 100, "one slash for sessions up to 2");
		assert_eq!(Operators::<Test>::get(3).unwrap().last_offence, Some(2));
		// A later session's offence is punished.
		report_offence(3, 3);
		assert_eq!(held_bond(3), MIN_BOND - 190);
	});
}

#[test]
fn an_offence_by_an_unbonding_operator_extends_its_unbonding() {
	run_test(|| {
		apply_and_approve(NEWCOMER);
		run_to_session(2);
		assert_ok!(ValidatorSet::resign(RuntimeOrigin::signed(NEWCOMER)));
		// Resigned at block 10: withdrawable at 10 + 2 × 5 + 5.
		assert_eq!(
			Operators::<Test>::get(NEWCOMER).unwrap().status,
			OperatorStatus::Unbonding { withdrawable_at: 25 }
		);
		run_block(24);
		// Reported at block 24: governance gets a full unbonding period from the report.
		report_offence(NEWCOMER, 3);
		assert_eq!(
			Operators::<Test>::get(NEWCOMER).unwrap().status,
			OperatorStatus::Unbonding { withdrawable_at: 29 }
		);
		run_block(25);
		assert_noop!(
			ValidatorSet::withdraw_bond(RuntimeOrigin::signed(NEWCOMER)),
			Error::<Test>::StillUnbonding
		);
	});
}
