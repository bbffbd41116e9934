use crate::{mock::*, Error, Event, ReputationProvider, ReputationReason, ReputationUpdater};
use frame_support::{assert_noop, assert_ok, weights::Weight};
use sp_runtime::DispatchError;

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Reputation(e) = r.event { Some(e) } else { None })
		.last()
		.expect("a reputation event")
}

#[test]
fn genesis_scores_and_total() {
	build_and_execute(|| {
		assert_eq!(Reputation::reputation_of(&1), 1_000_000_000);
		assert_eq!(Reputation::reputation_of(&2), 500_000_000);
		assert_eq!(Reputation::reputation_of(&3), 0);
		assert_eq!(Reputation::total_reputation(), 1_500_000_000);
		assert_eq!(Reputation::half_life(), HALF_LIFE);
	});
}

/// Every key and value in storage except the block number (which `run_to` sets).
fn storage_but_the_block_number() -> Vec<(Vec<u8>, Vec<u8>)> {
	let number = frame_support::storage::storage_prefix(b"System", b"Number");
	let mut pairs = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if next[..] != number[..] {
			pairs.push((next.clone(), sp_io::storage::get(&next).expect("a listed key").to_vec()));
		}
		key = next;
	}
	pairs
}

#[test]
fn scores_halve_every_half_life_without_writes() {
	build_and_execute(|| {
		let stored = storage_but_the_block_number();
		assert!(!stored.is_empty());
		// Halfway through a half-life the factor is 2^-0.5.
		run_to(HALF_LIFE / 2);
		assert_eq!(Reputation::reputation_of(&1), 707_106_781);
		run_to(HALF_LIFE);
		assert_eq!(Reputation::reputation_of(&1), 500_000_000);
		assert_eq!(Reputation::total_reputation(), 750_000_000);
		run_to(3 * HALF_LIFE);
		assert_eq!(Reputation::reputation_of(&1), 125_000_000);
		assert_eq!(Reputation::reputation_of(&2), 62_500_000);
		assert_eq!(Reputation::total_reputation(), 187_500_000);
		// Decay is computed when read: nothing in storage changed but the block number.
		assert_eq!(storage_but_the_block_number(), stored);
	});
}

#[test]
fn no_extrinsic_lets_an_account_raise_its_own_score() {
	build_and_execute(|| {
		assert_noop!(
			Reputation::grant(RuntimeOrigin::signed(1), 1, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Reputation::revoke(RuntimeOrigin::signed(1), 2, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(Reputation::set_half_life(RuntimeOrigin::signed(1), 0), DispatchError::BadOrigin);
	});
}

#[test]
fn governance_grant_and_revoke_emit_events() {
	build_and_execute(|| {
		assert_ok!(Reputation::grant(RuntimeOrigin::root(), 3, 40));
		assert_eq!(Reputation::reputation_of(&3), 40);
		assert_eq!(
			last_event(),
			Event::ReputationRewarded {
				who: 3,
				amount: 40,
				score: 40,
				reason: ReputationReason::Governance
			}
		);
		assert_eq!(Reputation::total_reputation(), 1_500_000_040);

		// Revoking more than the score removes only what is there.
		assert_ok!(Reputation::revoke(RuntimeOrigin::root(), 3, 100));
		assert_eq!(Reputation::reputation_of(&3), 0);
		assert_eq!(
			last_event(),
			Event::ReputationPenalized {
				who: 3,
				amount: 40,
				score: 0,
				reason: ReputationReason::Governance
			}
		);
		assert_eq!(Reputation::total_reputation(), 1_500_000_000);
		assert!(!crate::Scores::<Test>::contains_key(3), "zero scores are not stored");
		assert_eq!(Reduced::get(), vec![(3, 0)]);
	});
}

#[test]
fn errors() {
	build_and_execute(|| {
		assert_noop!(Reputation::grant(RuntimeOrigin::root(), 3, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Reputation::revoke(RuntimeOrigin::root(), 1, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Reputation::revoke(RuntimeOrigin::root(), 3, 5), Error::<Test>::NoReputation);
		assert_noop!(
			Reputation::set_half_life(RuntimeOrigin::root(), 9),
			Error::<Test>::HalfLifeTooShort
		);
	});
}

#[test]
fn trait_updates_carry_their_reason_and_notify_reductions() {
	build_and_execute(|| {
		assert_eq!(
			<Reputation as ReputationUpdater<u64>>::reward(&2, 100, ReputationReason::AccurateEvaluation),
			500_000_100
		);
		assert_eq!(
			<Reputation as ReputationUpdater<u64>>::penalize(&2, 50, ReputationReason::MissedReveal),
			(500_000_050, Weight::from_parts(1, 0)),
			"the new score and the weight the OnReduced hook reported"
		);
		assert_eq!(
			last_event(),
			Event::ReputationPenalized {
				who: 2,
				amount: 50,
				score: 500_000_050,
				reason: ReputationReason::MissedReveal
			}
		);
		assert_eq!(Reduced::get(), vec![(2, 500_000_050)]);
		// Zero-amount updates change nothing and emit nothing.
		let events = System::events().len();
		assert_eq!(
			<Reputation as ReputationUpdater<u64>>::penalize(&2, 0, ReputationReason::MissedReveal),
			(500_000_050, Weight::zero())
		);
		assert_eq!(System::events().len(), events);
	});
}

#[test]
fn updates_apply_to_the_decayed_score() {
	build_and_execute(|| {
		run_to(HALF_LIFE);
		assert_ok!(Reputation::grant(RuntimeOrigin::root(), 1, 100));
		assert_eq!(Reputation::reputation_of(&1), 500_000_100);
		run_to(2 * HALF_LIFE);
		assert_eq!(Reputation::reputation_of(&1), 250_000_050);
		assert_eq!(Reputation::total_reputation(), 375_000_050);
	});
}

#[test]
fn changing_the_half_life_applies_from_then_on() {
	build_and_execute(|| {
		run_to(HALF_LIFE);
		assert_ok!(Reputation::set_half_life(RuntimeOrigin::root(), 2 * HALF_LIFE));
		assert_eq!(last_event(), Event::HalfLifeSet { half_life: 2 * HALF_LIFE });
		// Already decayed by one half-life; the next halving takes twice as long.
		assert_eq!(Reputation::reputation_of(&1), 500_000_000);
		run_to(3 * HALF_LIFE);
		assert_eq!(Reputation::reputation_of(&1), 250_000_000);
		// Zero switches decay off.
		assert_ok!(Reputation::set_half_life(RuntimeOrigin::root(), 0));
		run_to(100 * HALF_LIFE);
		assert_eq!(Reputation::reputation_of(&1), 250_000_000);
	});
}

#[test]
fn total_bounds_every_score_through_many_operations() {
	build_and_execute(|| {
		for step in 1..200u64 {
			run_to(step * 7);
			let who = step % 5;
			if step % 3 == 0 {
				<Reputation as ReputationUpdater<u64>>::penalize(
					&who,
					u128::from(step) * 1_000_003,
					ReputationReason::InaccurateEvaluation,
				);
			} else {
				<Reputation as ReputationUpdater<u64>>::reward(
					&who,
					u128::from(step) * 999_983,
					ReputationReason::AcceptedContribution,
				);
			}
			Reputation::do_try_state().expect("total >= sum of scores");
		}
	});
}

/// Every bounded input: one step outside its range is refused with its own error, and the bound
/// itself is accepted, so a missing or off-by-one bound fails here.
#[test]
fn every_parameter_is_bounded_with_a_typed_error() {
	build_and_execute(|| {
		// Half-life: zero (no decay, an explicit choice) or at least MinHalfLife.
		assert_noop!(
			Reputation::set_half_life(RuntimeOrigin::root(), MIN_HALF_LIFE - 1),
			Error::<Test>::HalfLifeTooShort
		);
		assert_ok!(Reputation::set_half_life(RuntimeOrigin::root(), MIN_HALF_LIFE));
		assert_ok!(Reputation::set_half_life(RuntimeOrigin::root(), 0));
		// One grant: 1..=MaxGrant.
		assert_noop!(Reputation::grant(RuntimeOrigin::root(), 3, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Reputation::grant(RuntimeOrigin::root(), 3, MAX_GRANT + 1),
			Error::<Test>::GrantTooLarge
		);
		assert_ok!(Reputation::grant(RuntimeOrigin::root(), 3, MAX_GRANT));
		assert_eq!(Reputation::reputation_of(&3), MAX_GRANT);
	});
}

#[test]
fn grants_share_one_budget_per_grant_period() {
	build_and_execute(|| {
		assert_eq!(Reputation::grant_budget(), MAX_GRANT);
		assert_ok!(Reputation::grant(RuntimeOrigin::root(), 3, 600));
		assert_eq!(Reputation::grant_budget(), MAX_GRANT - 600);
		// One more than what is left is refused; exactly what is left is granted.
		assert_noop!(
			Reputation::grant(RuntimeOrigin::root(), 4, MAX_GRANT - 600 + 1),
			Error::<Test>::GrantBudgetExceeded
		);
		assert_ok!(Reputation::grant(RuntimeOrigin::root(), 4, MAX_GRANT - 600));
		assert_eq!(Reputation::grant_budget(), 0);
		// The period began at block 1, with the first grant: it lasts until block
		// 1 + GRANT_PERIOD.
		run_to(GRANT_PERIOD - 1);
		assert_noop!(Reputation::grant(RuntimeOrigin::root(), 3, 1), Error::<Test>::GrantBudgetExceeded);
		run_to(GRANT_PERIOD);
		assert_eq!(Reputation::grant_budget(), MAX_GRANT);
		assert_ok!(Reputation::grant(RuntimeOrigin::root(), 3, MAX_GRANT));
		assert_eq!(
			crate::Granted::<Test>::get(),
			crate::GrantPeriodState { started_at: 1 + GRANT_PERIOD, granted: MAX_GRANT }
		);
	});
}

/// The adversarial review's C-1 impact: a captured governance origin (a one-member council's
/// motions execute at once) grants itself reputation to hold the reputation house. One call of
/// `u128::MAX` is refused, and any number of calls in one grant period mint at most `MaxGrant`.
#[test]
fn captured_governance_cannot_mint_unbounded_reputation() {
	build_and_execute(|| {
		let attacker = 9;
		let total = Reputation::total_reputation();
		assert_noop!(
			Reputation::grant(RuntimeOrigin::root(), attacker, u128::MAX),
			Error::<Test>::GrantTooLarge
		);
		let mut granted = 0;
		for _ in 0..100 {
			if Reputation::grant(RuntimeOrigin::root(), attacker, MAX_GRANT / 4).is_ok() {
				granted += MAX_GRANT / 4;
			}
		}
		assert_eq!(granted, MAX_GRANT);
		assert_eq!(Reputation::reputation_of(&attacker), MAX_GRANT);
		assert_eq!(Reputation::total_reputation(), total + MAX_GRANT);
	});
}

#[test]
#[should_panic(expected = "invalid reputation genesis: half_life must be 0 or at least MinHalfLife")]
fn genesis_half_life_is_checked_against_the_same_range() {
	use sp_runtime::BuildStorage;
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let _ = crate::GenesisConfig::<Test> { half_life: MIN_HALF_LIFE - 1, scores: vec![] }
		.assimilate_storage(&mut storage);
}

/// Review follow-up to C-1: a captured council strips rivals of reputation (their votes in the
/// reputation house, their candidacies) with `revoke`. What it removes counts against the same
/// budget as grants: at most `MaxGrant` per period, however many calls.
#[test]
fn captured_governance_cannot_strip_unbounded_reputation() {
	build_and_execute(|| {
		let rival = 1;
		let before = Reputation::reputation_of(&rival);
		assert!(before > 2 * MAX_GRANT);
		assert_ok!(Reputation::revoke(RuntimeOrigin::root(), rival, MAX_GRANT - 1));
		assert_noop!(
			Reputation::revoke(RuntimeOrigin::root(), rival, 2),
			Error::<Test>::RevokeBudgetExceeded
		);
		assert_ok!(Reputation::revoke(RuntimeOrigin::root(), rival, 1));
		assert_eq!(Reputation::reputation_of(&rival), before - MAX_GRANT);
		// Revoking from an account with less than asked counts only what was removed.
		run_to(1 + GRANT_PERIOD);
		assert_ok!(Reputation::grant(RuntimeOrigin::root(), 3, 10));
		assert_ok!(Reputation::revoke(RuntimeOrigin::root(), 3, MAX_GRANT));
		assert_eq!(crate::Revoked::<Test>::get().granted, 10);
	});
}
