use crate::{
	mock::*, weight::HOUSE, Candidates, ElectionParams, Error, Event, Members, Params, VoterCount,
	Voters,
};
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
fn ballot_held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::Ballot.into(), &who)
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
			ElectionParams {
				candidacy_bond: 1_000,
				min_candidate_reputation: 0,
				desired_members: 2,
				min_members: 2,
			}
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
		// The ballot's storage deposit is held (frozen stake may overlap it).
		assert_eq!(ballot_held(5), BALLOT_DEPOSIT);
		assert_eq!(Balances::balance(&5), 100 - BALLOT_DEPOSIT);
		assert!(events().contains(&Event::Voted {
			who: 5,
			votes: vec![3, 4],
			stake: 100,
			weight,
			deposit: BALLOT_DEPOSIT
		}));
		// A new ballot replaces the old one and keeps its deposit (held once).
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[4]), 50));
		assert_eq!(score_of(3), 0);
		assert_eq!(score_of(4), HOUSE / 20 + crate::weight::house_share(10, 410));
		assert_eq!(frozen(5), 50);
		assert_eq!(ballot_held(5), BALLOT_DEPOSIT);
		assert_eq!(VoterCount::<Test>::get(), 1);
		assert_ok!(Elections::remove_voter(RuntimeOrigin::signed(5)));
		assert_eq!(score_of(4), 0);
		assert_eq!(frozen(5), 0);
		assert_eq!(ballot_held(5), 0);
		assert_eq!(Balances::balance(&5), 100);
		assert!(events().contains(&Event::VoterRemoved { who: 5, deposit: BALLOT_DEPOSIT }));
		assert!(!Voters::<Test>::contains_key(5));
		assert_eq!(VoterCount::<Test>::get(), 0);
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
		// An account that cannot hold the ballot deposit cannot vote.
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 7, BALLOT_DEPOSIT));
		assert_noop!(
			Elections::vote(RuntimeOrigin::signed(7), ballot(&[3]), 1),
			Error::<Test>::InsufficientDepositBalance
		);
	});
}

/// Finding C-1 (council capture by dust ballots): 40 accounts, ten times the old `MaxVoters`,
/// each holding barely more than the ballot deposit, ballot first for one candidate. An honest
/// voter still votes and outweighs them; the dust candidate misses the seat quota, and the
/// council keeps `min_members` seats (an incumbent fills the second).
#[test]
fn dust_ballots_neither_lock_out_honest_voters_nor_shrink_the_council() {
	build_and_execute(|| {
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(4)));
		let dust: Vec<u64> = (100..140).collect();
		let issuance_before = Balances::total_issuance();
		for who in &dust {
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), *who, BALLOT_DEPOSIT + 2));
			assert_ok!(Elections::vote(RuntimeOrigin::signed(*who), ballot(&[3]), 1));
		}
		// What the attack costs: every dust ballot holds a deposit.
		let attack_cost: u64 = dust.iter().map(|who| ballot_held(*who)).sum();
		assert_eq!(attack_cost, 40 * BALLOT_DEPOSIT);
		// The honest voter (stake 100 > any dust account's) is not locked out, and counts.
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[4]), 100));
		assert_eq!(VoterCount::<Test>::get(), 41);
		assert!(score_of(4) > score_of(3), "100 of stake outweighs 40 × 1");
		// The quota is a quarter of the weight cast (two seats): 40 dust ballots (0.04 of a house)
		// fall short of it, 4 (0.12) reaches it. Incumbent 1 keeps the second seat.
		let cast = crate::CastWeight::<Test>::get();
		assert!(score_of(3) < cast / 4 && score_of(4) >= cast / 4);
		run_to(10);
		assert_eq!(Members::<Test>::get().into_inner(), vec![1, 4]);
		// Deposits come back in full when the dust ballots are removed.
		for who in &dust {
			assert_ok!(Elections::remove_voter(RuntimeOrigin::signed(*who)));
			assert_eq!(Balances::balance(who), BALLOT_DEPOSIT + 2);
		}
		assert_eq!(Balances::total_issuance(), issuance_before + 40 * (BALLOT_DEPOSIT + 2));
	});
}

/// The other half of C-1: a dust ballot seats nobody (below `MinElectedWeight`), and a real
/// ballot for a single candidate seats that candidate beside an incumbent, never alone.
#[test]
fn a_single_approved_candidate_cannot_become_a_one_member_council() {
	build_and_execute(|| {
		ReputationTable::mutate(|t| {
			t.insert(2, 200);
		});
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 100, BALLOT_DEPOSIT + 2));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(100), ballot(&[3]), 1));
		run_to(10);
		assert_eq!(Members::<Test>::get().into_inner(), vec![1, 2]);
		assert!(events().contains(&Event::EmptyTerm { round: 0 }));
		// Next term, one real ballot (stake 50 and reputation) for 3 alone.
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[3]), 50));
		run_to(20);
		// Incumbent 2 (reputation 200) keeps a seat beside the elected 3.
		assert_eq!(Members::<Test>::get().into_inner(), vec![2, 3]);
		assert_eq!(Council::get(), vec![2, 3]);
		assert!(events().contains(&Event::NewTerm { round: 1, members: vec![2, 3] }));
		// Governance cannot lower the floor to one member.
		let params = Params::<Test>::get();
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { min_members: 1, ..params }),
			Error::<Test>::MinMembersOutOfRange
		);
	});
}

/// Finding L-1 (stale ballots): a candidate renounces and stands again; a ballot cast for the
/// earlier candidacy, when replaced or removed, must not subtract weight it never added to the
/// new candidacy's score.
#[test]
fn stale_ballots_of_a_renounced_candidacy_do_not_erase_fresh_support() {
	build_and_execute(|| {
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(4)));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[3, 4]), 100));
		assert_ok!(Elections::renounce_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_eq!(score_of(3), 0);
		assert_ok!(Elections::vote(RuntimeOrigin::signed(6), ballot(&[3]), 50));
		let fresh = HOUSE / 20;
		assert_eq!(score_of(3), fresh);
		// 5 removes its ballot: 4 loses 5's weight, 3 keeps 6's support.
		assert_ok!(Elections::remove_voter(RuntimeOrigin::signed(5)));
		assert_eq!(score_of(3), fresh);
		assert_eq!(score_of(4), 0);
		// Replacing a stale ballot does not erase it either.
		assert_ok!(Elections::vote(RuntimeOrigin::signed(1), ballot(&[3]), 10));
		assert_ok!(Elections::renounce_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(3)));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(6), ballot(&[3]), 50));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(1), ballot(&[3]), 10));
		let one = HOUSE / 100 + crate::weight::house_share(100, 410);
		assert_eq!(score_of(3), fresh + one);
		// (build_and_execute checks try_state: every score equals its ballots.)
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
fn parameters_are_governed_within_their_ranges() {
	build_and_execute(|| {
		let params = ElectionParams {
			candidacy_bond: 5,
			min_candidate_reputation: 1,
			desired_members: 3,
			min_members: 2,
		};
		assert_noop!(Elections::set_params(RuntimeOrigin::signed(1), params), DispatchError::BadOrigin);
		// desired_members: min_members..=MaxMembers (3).
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { desired_members: 4, ..params }),
			Error::<Test>::DesiredMembersOutOfRange
		);
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { desired_members: 1, ..params }),
			Error::<Test>::MinMembersOutOfRange
		);
		// min_members: MinMembersFloor (2)..=desired_members, and at most the sitting council (2).
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { min_members: 1, ..params }),
			Error::<Test>::MinMembersOutOfRange
		);
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { min_members: 3, ..params }),
			Error::<Test>::MinMembersOutOfRange
		);
		// candidacy_bond ≤ MaxCandidacyBond (1,000).
		assert_noop!(
			Elections::set_params(RuntimeOrigin::root(), ElectionParams { candidacy_bond: 1_001, ..params }),
			Error::<Test>::CandidacyBondTooHigh
		);
		assert_ok!(Elections::set_params(
			RuntimeOrigin::root(),
			ElectionParams { candidacy_bond: 1_000, ..params }
		));
		// min_candidate_reputation ≤ MaxMinCandidateReputation (1,000).
		assert_noop!(
			Elections::set_params(
				RuntimeOrigin::root(),
				ElectionParams { min_candidate_reputation: 1_001, ..params }
			),
			Error::<Test>::MinCandidateReputationTooHigh
		);
		assert_ok!(Elections::set_params(
			RuntimeOrigin::root(),
			ElectionParams { min_candidate_reputation: 1_000, ..params }
		));
		assert_ok!(Elections::set_params(RuntimeOrigin::root(), params));
		assert!(events().contains(&Event::ParamsSet { params }));
		assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(5)));
		assert_eq!(held(5), 5);
	});
}

#[test]
fn ties_are_broken_by_account_id_and_seats_are_capped() {
	build_and_execute(|| {
		for who in [3, 4, 1] {
			assert_ok!(Elections::submit_candidacy(RuntimeOrigin::signed(who)));
		}
		// 1 leads; 3 and 4 tie for the second (last) seat on 5's weight: 3, the lower id, wins.
		assert_ok!(Elections::vote(RuntimeOrigin::signed(5), ballot(&[4, 3]), 50));
		assert_ok!(Elections::vote(RuntimeOrigin::signed(6), ballot(&[1]), 100));
		assert!(score_of(1) > score_of(3) && score_of(3) == score_of(4));
		run_to(10);
		assert_eq!(Members::<Test>::get().into_inner(), vec![1, 3]);
	});
}
