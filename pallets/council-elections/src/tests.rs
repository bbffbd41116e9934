use crate::{mock::*, weight::HOUSE, Candidates, ElectionParams, Error, Event, Members, Voters};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectFreeze, InspectHold},
	BoundedVec,
};
use sp_runtime::DispatchError;

fn ballot(votes: &[u64]) -> BoundedVec<u64, frame_support::traits::ConstU32<2>> {
	BoundedVec::truncate_from(votes.to_vec())
}
fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Elections(e) = r.event { Some(e) } else { None })
		.collect()
}
fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::Candidacy.into(), &who)
}
fn frozen(who: u64) -> u64 {
	Balances::balance_frozen(&crate::FreezeReason::Voting.into(), &who)
}
fn score_of(who: u64) -> u128 {
	Candidates::<Test>::get().iter().find(|c| c.who == who).map(|c| c.score).unwrap_or(0)
}

#[test]
fn genesis_sets_the_council() {
	build_and_execute(|| {
		assert_eq!(Members::<Test>::get().into_inner(), vec![1, 2]);
		assert_eq!(Council::get(), vec![1, 2]);
	});
}

#[test]
fn candidacy_needs_reputation_and_holds_a_bond() {
	build_and_execute(|| {
		assert_noop!(
			Elections::submit_candidacy(RuntimeOrigin::signed(5)),
			Error::<Test>::InsufficientReputation
		);
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_eq!(held(3), BOND);
		assert_eq!(Balances::balance(&3), 100 - BOND);
		assert!(events().contains(&Event::CandidateSubmitted { who: 3, bond: BOND }));
		assert_noop!(
			Elections::submit_candidacy(RuntimeOrigin::signed(3)),
			Error::<Test>::AlreadyCandidate
		);
		assert_ok!(Elections::renounce_candidacy(RuntimeOrigin::signed(3)));
		assert_eq!(held(3), 0);
		assert_eq!(Balances::balance(&3), 100);
		assert_noop!(
			Elections::renounce_candidacy(RuntimeOrigin::signed(3)),
			Error::<Test>::NotCandidate
		);
	});
}

#[test]
fn candidate_list_and_bond_are_bounded() {
	build_and_execute(|| {
		ReputationTable::mutate(|t| {
			t.insert(6, 100);
		});
		for who in 1..=4 {
			assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(who)));
		}
		assert_noop!(
			Elections::submit_candidacy(RuntimeOrigin::signed(6)),
			Error::<Test>::TooManyCandidates
		);
		assert_ok!(Elections::renounce_candidacy(RuntimeOrigin::signed(4)));
		// Account 6 cannot afford a bond larger than its balance.
		assert_ok!(Elections::set_params(
			RuntimeOrigin::root(),
			ElectionParams { candidacy_bond: 1_000, min_candidate_reputation: 0, desired_members: 2 }
		));
		assert_noop!(
			Elections::submit_candidacy(RuntimeOrigin::signed(6)),
			Error::<Test>::InsufficientBondBalance
		);
	});
}

#[test]
fn ballots_carry_hybrid_weight_and_freeze_stake() {
	build_and_execute(|| {
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(4)));
		// Account 5: stake 100 of 1_000 turnout (0.1) + reputation 10 of 410 total.
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[3, 4]), 100));
		let weight = HOUSE / 10 + crate::weight::house_share(10, 410);
		assert_eq!(score_of(3), weight);
		assert_eq!(score_of(4), weight);
		assert_eq!(frozen(5), 100);
		assert!(events().contains(&Event::Voted { who: 5, votes: vec![3, 4], stake: 100, weight }));
		// A new ballot replaces the old one.
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[4]), 50));
		assert_eq!(score_of(3), 0);
		assert_eq!(score_of(4), HOUSE / 20 + crate::weight::house_share(10, 410));
		assert_eq!(frozen(5), 50);
		assert_ok!(Elections::remove_voter(RuntimeOrigin::signed(5)));
		assert_eq!(score_of(4), 0);
		assert_eq!(frozen(5), 0);
		assert!(!Voters::<Test>::contains_key(5));
	});
}

#[test]
fn ballot_errors() {
	build_and_execute(|| {
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_noop!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[]), 10), Error::<Test>::NoVotes);
		assert_noop!(
			Elections::vote(RuntimeOrigin::signed(5), ballot(&[3, 3]), 10),
			Error::<Test>::DuplicateVote
		);
		assert_noop!(
			Elections::vote(RuntimeOrigin::signed(5), ballot(&[4]), 10),
			Error::<Test>::NotCandidate
		);
		assert_noop!(
			Elections::vote(RuntimeOrigin::signed(5), ballot(&[3]), 101),
			Error::<Test>::InsufficientFunds
		);
		// Account 6 has no reputation; with no stake it has no weight.
		assert_noop!(
			Elections::vote(RuntimeOrigin::signed(6), ballot(&[3]), 0),
			Error::<Test>::NoVotingPower
		);
		assert_noop!(Elections::remove_voter(RuntimeOrigin::signed(6)), Error::<Test>::NotVoter);
		for who in [1, 2, 4, 6] {
			assert_ok!(Elections::vote(RuntimeOrigin::signed(who), ballot(&[3]), 1));
		}
		assert_noop!(
			Elections::vote(RuntimeOrigin::signed(5), ballot(&[3]), 1),
			Error::<Test>::TooManyVoters
		);
		// Re-voting does not need a new slot.
		assert_ok!(Elections::vote(RuntimeOrigin::signed(4), ballot(&[3]), 2));
	});
}

#[test]
fn the_election_seats_the_best_qualified_candidates() {
	build_and_execute(|| {
		for who in [3, 4] {
			assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(who)));
		}
		ReputationTable::mutate(|t| {
			t.insert(6, 60);
		});
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(6)));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(1), ballot(&[3, 6]), 100));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(2), ballot(&[4, 6]), 10));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[6]), 100));
		// Account 6 has the highest score but loses its reputation before the election.
		ReputationTable::mutate(|t| {
			t.insert(6, 0);
		});
		run_to(10);
		assert_eq!(Members::<Test>::get().into_inner(), vec![3, 4]);
		assert_eq!(Council::get(), vec![3, 4]);
		assert!(events().contains(&Event::NewTerm { round: 0, members: vec![3, 4] }));
		// Every bond is released, the next term starts empty.
		for who in [3, 4, 6] {
			assert_eq!(held(who), 0);
		}
		assert!(Candidates::<Test>::get().is_empty());
		// Past-term ballots keep their stake frozen until removed, and no longer count.
		assert_eq!(frozen(1), 100);
		assert_ok!(Elections::remove_voter(RuntimeOrigin::signed(1)));
		assert_eq!(frozen(1), 0);
	});
}

#[test]
fn a_term_without_qualified_candidates_keeps_the_council() {
	build_and_execute(|| {
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		run_to(10);
		assert_eq!(Members::<Test>::get().into_inner(), vec![1, 2]);
		assert!(events().contains(&Event::EmptyTerm { round: 0 }));
		assert_eq!(held(3), 0);
	});
}

#[test]
fn parameters_are_governed() {
	build_and_execute(|| {
		let params =
			ElectionParams { candidacy_bond: 5, min_candidate_reputation: 1, desired_members: 3 };
		assert_noop!(Elections::set_params(RuntimeOrigin::signed(1), params), DispatchError::BadOrigin);
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { desired_members: 4, ..params }),
			Error::<Test>::InvalidParams
		);
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { desired_members: 0, ..params }),
			Error::<Test>::InvalidParams
		);
		assert_ok!(Elections::set_params(RuntimeOrigin::root(), params));
		assert!(events().contains(&Event::ParamsSet { params }));
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(5)));
		assert_eq!(held(5), 5);
	});
}
