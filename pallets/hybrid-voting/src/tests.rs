use crate::{
	mock::*, tally::reputation_house_passes, Conviction, Direction, Error, Event, FreezeReason,
	HouseThresholds, HybridVote, OnReputationReduced, VotingFor,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectFreeze, Mutate},
		tokens::{Fortitude, Preservation},
		VoteTally,
	},
};
use proptest::prelude::*;
use sp_runtime::{Perbill, TokenError};

fn aye(balance: u64, conviction: Conviction) -> HybridVote<u64> {
	HybridVote { direction: Direction::Aye, conviction, balance }
}
fn nay(balance: u64, conviction: Conviction) -> HybridVote<u64> {
	HybridVote { direction: Direction::Nay, conviction, balance }
}
fn abstain(balance: u64) -> HybridVote<u64> {
	HybridVote { direction: Direction::Abstain, conviction: Conviction::None, balance }
}
fn frozen(who: u64) -> u64 {
	Balances::balance_frozen(&FreezeReason::Voting.into(), &who)
}
fn voting_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Voting(e) = r.event { Some(e) } else { None })
		.collect()
}

#[test]
fn a_vote_counts_in_both_houses_and_freezes_balance() {
	build_and_execute(|| {
		open_poll(0, 0);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(2), 0, aye(150, Conviction::Locked2x)));
		let t = tally(0);
		assert_eq!((t.token_ayes, t.token_nays, t.token_support), (300, 0, 150));
		// Reputation counts one-to-one: 400 reputation votes, and 400 of support.
		assert_eq!((t.reputation_ayes, t.reputation_nays, t.reputation_support), (400, 0, 400));
		assert_eq!(t.reputation_total, 1_400);
		assert_eq!(frozen(2), 150);
		assert!(voting_events().contains(&Event::Voted {
			who: 2,
			poll_index: 0,
			vote: aye(150, Conviction::Locked2x),
			reputation: 400,
			token_votes: 300,
			reputation_votes: 400,
		}));
		// The frozen part cannot be spent.
		assert_eq!(Balances::reducible_balance(&2, Preservation::Expendable, Fortitude::Polite), 50);
		assert_noop!(
			<Balances as Mutate<u64>>::transfer(&2, &9, 60, Preservation::Expendable),
			TokenError::Frozen
		);
	});
}

#[test]
fn changing_a_vote_replaces_it() {
	build_and_execute(|| {
		open_poll(0, 0);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(3), 0, aye(300, Conviction::Locked1x)));
		assert_ok!(Voting::vote(RuntimeOrigin::signed(3), 0, nay(100, Conviction::None)));
		let t = tally(0);
		assert_eq!((t.token_ayes, t.token_nays, t.token_support), (0, 10, 0));
		assert_eq!((t.reputation_ayes, t.reputation_nays, t.reputation_support), (0, 900, 0));
		assert_eq!(frozen(3), 100);
		assert_eq!(Voting::votes_of(&3).len(), 1);
	});
}

#[test]
fn abstain_counts_for_support_only() {
	build_and_execute(|| {
		open_poll(0, 1);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(1), 0, abstain(80)));
		let t = tally(0);
		assert_eq!((t.token_ayes, t.token_nays, t.token_support), (0, 0, 80));
		assert_eq!((t.reputation_ayes, t.reputation_nays, t.reputation_support), (0, 0, 100));
		assert_noop!(
			Voting::vote(
				RuntimeOrigin::signed(1),
				0,
				HybridVote {
					direction: Direction::Abstain,
					conviction: Conviction::Locked1x,
					balance: 1
				}
			),
			Error::<Test>::ConvictionOnAbstain
		);
	});
}

#[test]
fn vote_errors_change_nothing() {
	build_and_execute(|| {
		open_poll(0, 0);
		// More than the free balance.
		assert_noop!(
			Voting::vote(RuntimeOrigin::signed(1), 0, aye(101, Conviction::None)),
			Error::<Test>::InsufficientFunds
		);
		// Account 4 has no reputation; a zero-balance vote carries nothing.
		assert_noop!(
			Voting::vote(RuntimeOrigin::signed(4), 0, aye(0, Conviction::None)),
			Error::<Test>::NoVotingPower
		);
		assert_noop!(
			Voting::vote(RuntimeOrigin::signed(1), 7, aye(10, Conviction::None)),
			Error::<Test>::NotOngoing
		);
		end_poll(0, true);
		assert_noop!(
			Voting::vote(RuntimeOrigin::signed(1), 0, aye(10, Conviction::None)),
			Error::<Test>::NotOngoing
		);
		assert_noop!(Voting::remove_vote(RuntimeOrigin::signed(1), 0), Error::<Test>::NotVoter);
		assert_noop!(Voting::unlock(RuntimeOrigin::signed(1), 1), Error::<Test>::NothingToUnlock);
	});
}

#[test]
fn reputation_only_votes_freeze_nothing() {
	build_and_execute(|| {
		open_poll(0, 0);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(1), 0, aye(0, Conviction::None)));
		assert_eq!(tally(0).reputation_ayes, 100);
		assert_eq!(tally(0).token_ayes, 0);
		assert_eq!(frozen(1), 0);
	});
}

#[test]
fn max_votes_is_enforced() {
	build_and_execute(|| {
		for i in 0..4 {
			open_poll(i, 1);
		}
		for i in 0..3 {
			assert_ok!(Voting::vote(RuntimeOrigin::signed(5), i, aye(10, Conviction::None)));
		}
		assert_noop!(
			Voting::vote(RuntimeOrigin::signed(5), 3, aye(10, Conviction::None)),
			Error::<Test>::MaxVotesReached
		);
		// Changing an existing vote is still possible.
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 2, nay(20, Conviction::None)));
	});
}

#[test]
fn freezes_overlap_across_polls() {
	build_and_execute(|| {
		open_poll(0, 1);
		open_poll(1, 1);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 0, aye(50, Conviction::None)));
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 1, nay(80, Conviction::None)));
		assert_eq!(frozen(5), 80);
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(5), 1));
		assert_eq!(frozen(5), 50);
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(5), 0));
		assert_eq!(frozen(5), 0);
		assert!(!VotingFor::<Test>::contains_key(5));
	});
}

#[test]
fn removing_an_ongoing_vote_counts_it_out() {
	build_and_execute(|| {
		open_poll(0, 0);
		let empty = tally(0);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(3), 0, aye(200, Conviction::Locked6x)));
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(3), 0));
		assert_eq!(tally(0), empty);
		assert_eq!(frozen(3), 0, "no conviction lock for votes removed from ongoing polls");
		assert!(voting_events().contains(&Event::VoteRemoved { who: 3, poll_index: 0 }));
	});
}

#[test]
fn winning_conviction_votes_stay_locked_losing_ones_do_not() {
	build_and_execute(|| {
		open_poll(0, 1);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 0, aye(100, Conviction::Locked2x)));
		assert_ok!(Voting::vote(RuntimeOrigin::signed(6), 0, nay(100, Conviction::Locked2x)));
		System::set_block_number(5);
		end_poll(0, true);

		// The loser is free at once.
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(6), 0));
		assert_eq!(frozen(6), 0);

		// The winner stays locked for 2 periods × 10 blocks from the end (block 5).
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(5), 0));
		assert_eq!(frozen(5), 100);
		System::set_block_number(24);
		assert_noop!(Voting::unlock(RuntimeOrigin::signed(1), 5), Error::<Test>::NothingToUnlock);
		System::set_block_number(25);
		assert_ok!(Voting::unlock(RuntimeOrigin::signed(1), 5));
		assert_eq!(frozen(5), 0);
		assert!(!VotingFor::<Test>::contains_key(5));
	});
}

#[test]
fn votes_on_cancelled_polls_release_freely() {
	build_and_execute(|| {
		open_poll(0, 1);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 0, aye(100, Conviction::Locked6x)));
		Polls::mutate(|p| p.remove(&0));
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(5), 0));
		assert_eq!(frozen(5), 0);
	});
}

#[test]
fn a_penalty_lowers_reputation_in_ongoing_votes_only() {
	build_and_execute(|| {
		open_poll(0, 0);
		open_poll(1, 0);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(3), 0, aye(10, Conviction::None)));
		assert_ok!(Voting::vote(RuntimeOrigin::signed(3), 1, nay(10, Conviction::None)));
		end_poll(1, false);
		assert_eq!(tally(0).reputation_ayes, 900);

		ReputationTable::mutate(|t| t.insert(3, 100));
		<Voting as OnReputationReduced<u64>>::on_reputation_reduced(&3, 100);
		assert_eq!(tally(0).reputation_ayes, 100);
		assert_eq!(tally(0).reputation_support, 100);
		assert!(voting_events().contains(&Event::VoteReputationReduced {
			who: 3,
			poll_index: 0,
			from: 900,
			to: 100
		}));
		// The finished poll's record is left alone.
		assert_eq!(Voting::votes_of(&3)[1].1.reputation, 900);

		// Gains do not raise a recorded vote; voting again refreshes it.
		ReputationTable::mutate(|t| t.insert(3, 2_500));
		assert_eq!(tally(0).reputation_ayes, 100);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(3), 0, aye(10, Conviction::None)));
		assert_eq!(tally(0).reputation_ayes, 2_500);
	});
}

#[test]
fn a_poll_passes_only_if_both_houses_pass() {
	build_and_execute(|| {
		// Class 0: the reputation house needs 50% approval and 10% support of 1_400.
		open_poll(0, 0);
		// Token whales vote aye, reputation holders vote nay.
		assert_ok!(Voting::vote(RuntimeOrigin::signed(6), 0, aye(600, Conviction::Locked1x)));
		assert_ok!(Voting::vote(RuntimeOrigin::signed(2), 0, nay(1, Conviction::None)));
		let t = tally(0);
		assert_eq!(t.token_approval(), Perbill::from_rational(600u32, 600 + 0));
		assert!(!t.reputation_passes(&0));
		assert_eq!(t.approval(0), Perbill::zero());
		assert_eq!(t.support(0), Perbill::zero());

		// Reputation ayes of 100 + 900 against 400 nays: 71% approval, 1000/1400 support: passes.
		assert_ok!(Voting::vote(RuntimeOrigin::signed(1), 0, aye(0, Conviction::None)));
		assert_ok!(Voting::vote(RuntimeOrigin::signed(3), 0, aye(0, Conviction::None)));
		assert_eq!((tally(0).reputation_ayes, tally(0).reputation_nays), (1_000, 400));
		let t = tally(0);
		assert!(t.reputation_passes(&0));
		assert_eq!(t.approval(0), t.token_approval());
		assert_eq!(t.support(0), Perbill::from_rational(600u32, 1_000));
		assert_eq!(t.ayes(0), 600);
	});
}

#[test]
fn empty_reputation_electorate_passes_only_zero_thresholds() {
	let strict = HouseThresholds {
		min_approval: Perbill::from_percent(50),
		min_support: Perbill::from_percent(1),
	};
	assert!(!reputation_house_passes(0, 0, 0, 0, &strict));
	assert!(reputation_house_passes(0, 0, 0, 0, &HouseThresholds::default()));
	// Support above the electorate (reputation gained after the poll opened) caps at 100%.
	assert!(reputation_house_passes(10, 0, 5_000, 100, &strict));
}

#[derive(Clone, Debug)]
enum Op {
	Vote(u64, u8, u8, u8, u64),
	Remove(u64, u8),
	Penalize(u64, u128),
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(1u64..7, 0u8..3, 0u8..3, 0u8..7, 0u64..700).prop_map(|(w, p, d, c, b)| Op::Vote(w, p, d, c, b)),
		(1u64..7, 0u8..3).prop_map(|(w, p)| Op::Remove(w, p)),
		(1u64..4, 0u128..900).prop_map(|(w, r)| Op::Penalize(w, r)),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]
	/// Any sequence of votes, changes, removals and penalties keeps every tally equal to the sum
	/// of its recorded votes and every freeze equal to what the votes need (checked by
	/// `do_try_state` after each step); approval stays within 0..=100%.
	#[test]
	fn tallies_equal_the_sum_of_votes(ops in proptest::collection::vec(op(), 1..40)) {
		new_test_ext().execute_with(|| {
			for p in 0..3 { open_poll(p, p % 2); }
			for op in ops {
				let _ = match op {
					Op::Vote(who, poll, d, c, balance) => {
						let direction = [Direction::Aye, Direction::Nay, Direction::Abstain][d as usize];
						let conviction = if direction == Direction::Abstain { Conviction::None } else {
							[Conviction::None, Conviction::Locked1x, Conviction::Locked2x, Conviction::Locked3x,
							 Conviction::Locked4x, Conviction::Locked5x, Conviction::Locked6x][c as usize]
						};
						Voting::vote(RuntimeOrigin::signed(who), poll, HybridVote { direction, conviction, balance })
					},
					Op::Remove(who, poll) => Voting::remove_vote(RuntimeOrigin::signed(who), poll),
					Op::Penalize(who, score) => {
						let current = ReputationTable::get().get(&who).copied().unwrap_or(0);
						let score = score.min(current);
						ReputationTable::mutate(|t| t.insert(who, score));
						<Voting as OnReputationReduced<u64>>::on_reputation_reduced(&who, score);
						Ok(())
					},
				};
				Voting::do_try_state().expect("invariants hold");
			}
		});
	}

	/// Adding an aye never lowers token approval, adding a nay never raises it.
	#[test]
	fn approval_is_monotone(ayes in 0u64..1_000_000, nays in 0u64..1_000_000, extra in 1u64..1_000_000) {
		new_test_ext().execute_with(|| {
			let base = crate::HybridTally::<Test>::from_parts((ayes, nays, ayes), (0, 0, 0, 0));
			let more_ayes = crate::HybridTally::<Test>::from_parts((ayes + extra, nays, ayes + extra), (0, 0, 0, 0));
			let more_nays = crate::HybridTally::<Test>::from_parts((ayes, nays + extra, ayes), (0, 0, 0, 0));
			prop_assert!(more_ayes.token_approval() >= base.token_approval());
			prop_assert!(more_nays.token_approval() <= base.token_approval());
			Ok(())
		})?;
	}
}

/// Finding H-1: under √reputation, 100 accounts holding 1,000 reputation each (100,000 in all)
/// cast 3,162 aye votes against 316 for one account holding the same 100,000: ten times the say
/// for the same record. Linear counting gives both sides exactly the same weight.
#[test]
fn reputation_split_across_sybils_outweighs_nobody() {
	build_and_execute(|| {
		let sybils: Vec<u64> = (100..200).collect();
		ReputationTable::mutate(|t| {
			t.insert(7, 100_000);
			for who in &sybils {
				t.insert(*who, 1_000);
			}
		});
		open_poll(0, 0);
		assert_ok!(Voting::vote(RuntimeOrigin::signed(7), 0, nay(0, Conviction::None)));
		for who in &sybils {
			assert_ok!(Voting::vote(RuntimeOrigin::signed(*who), 0, aye(0, Conviction::None)));
		}
		let t = tally(0);
		assert_eq!(t.reputation_ayes, 100_000);
		assert_eq!(t.reputation_nays, 100_000);
		// Equal records, equal say: exactly 50% approval in the reputation house.
		assert!(!reputation_house_passes(
			t.reputation_ayes,
			t.reputation_nays,
			t.reputation_support,
			t.reputation_total,
			&HouseThresholds { min_approval: Perbill::from_parts(500_000_001), min_support: Perbill::zero() },
		));
	});
}

proptest! {
	/// The weighting the pallet is configured with is split-neutral: the reputation votes of N
	/// accounts never exceed those of one account holding their summed reputation.
	#[test]
	fn splitting_reputation_never_gains_votes(parts in proptest::collection::vec(0u128..1u128 << 100, 1..64)) {
		use sp_runtime::traits::Convert;
		type Weighting = <Test as crate::Config>::ReputationWeighting;
		let total: u128 = parts.iter().sum();
		let split: u128 = parts.iter().map(|r| Weighting::convert(*r)).sum();
		prop_assert!(split <= Weighting::convert(total));
	}
}
