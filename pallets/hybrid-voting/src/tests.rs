use crate::{
	mock::*, tally::reputation_house_passes, Conviction, Direction, Error, Event, FreezeReason,
	HouseThresholds, HybridVote, OnReputationReduced, PriorLock, VoteRecord, VotingFor,
};
use alloc::collections::btree_map::BTreeMap;
use core::cell::RefCell;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectFreeze, Mutate},
		tokens::{Fortitude, Preservation},
		VoteTally,
	},
};
use proptest::prelude::*;
use sp_runtime::{DispatchError, Perbill, TokenError};

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

/// `assert_noop!` that also sees the mock's polls: they live in a thread-local outside storage
/// (`mock::Polls`), which `assert_noop!`'s storage-root comparison cannot see, so a refused call
/// that changed a tally would otherwise pass.
macro_rules! assert_refused {
	($call:expr, $error:expr $(,)?) => {{
		let polls = Polls::get();
		assert_noop!($call, $error);
		assert_eq!(Polls::get(), polls, "a refused call changed a poll");
	}};
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
		assert_refused!(
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
		assert_refused!(
			Voting::vote(RuntimeOrigin::signed(1), 0, aye(101, Conviction::None)),
			Error::<Test>::InsufficientFunds
		);
		// Account 4 has no reputation; a zero-balance vote carries nothing.
		assert_refused!(
			Voting::vote(RuntimeOrigin::signed(4), 0, aye(0, Conviction::None)),
			Error::<Test>::NoVotingPower
		);
		assert_refused!(
			Voting::vote(RuntimeOrigin::signed(1), 7, aye(10, Conviction::None)),
			Error::<Test>::NotOngoing
		);
		end_poll(0, true);
		assert_refused!(
			Voting::vote(RuntimeOrigin::signed(1), 0, aye(10, Conviction::None)),
			Error::<Test>::NotOngoing
		);
		assert_refused!(Voting::remove_vote(RuntimeOrigin::signed(1), 0), Error::<Test>::NotVoter);
		assert_refused!(Voting::unlock(RuntimeOrigin::signed(1), 1), Error::<Test>::NothingToUnlock);
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
		assert_refused!(
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

/// `FrozenUpdated` reports each change of an account's freeze, and only changes: a vote that
/// freezes more, a change or removal that frees some, and the unlock that releases a lock; an
/// overlapping smaller vote, a reputation-only vote and a lock left behind change nothing.
#[test]
fn frozen_updated_reports_each_change_of_the_freeze() {
	build_and_execute(|| {
		let updates = || freeze_updates(&voting_events());
		open_poll(0, 1);
		open_poll(1, 1);
		// A vote freezes its balance.
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 0, aye(100, Conviction::Locked2x)));
		assert_eq!(updates(), vec![(5, 100)]);
		assert_eq!(frozen(5), 100);
		// A smaller vote on another poll overlaps with it: the freeze stays, no event.
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 1, nay(40, Conviction::None)));
		assert_eq!(updates(), vec![(5, 100)]);
		// Raised above the first, it freezes more; removed, the freeze falls back to 100.
		assert_ok!(Voting::vote(RuntimeOrigin::signed(5), 1, nay(300, Conviction::None)));
		assert_eq!(updates(), vec![(5, 100), (5, 300)]);
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(5), 1));
		assert_eq!(updates(), vec![(5, 100), (5, 300), (5, 100)]);
		assert_eq!(frozen(5), 100);
		// A reputation-only vote freezes nothing.
		assert_ok!(Voting::vote(RuntimeOrigin::signed(1), 0, aye(0, Conviction::None)));
		assert_eq!(updates().len(), 3);
		// Poll 0 passes at block 5: the won vote leaves a lock of 100 until 5 + 2 × 10 = 25, so
		// removing it changes nothing ...
		System::set_block_number(5);
		end_poll(0, true);
		assert_ok!(Voting::remove_vote(RuntimeOrigin::signed(5), 0));
		assert_eq!(updates().len(), 3);
		assert_eq!(frozen(5), 100);
		// ... until unlock releases it.
		System::set_block_number(25);
		assert_ok!(Voting::unlock(RuntimeOrigin::signed(1), 5));
		System::assert_last_event(Event::FrozenUpdated { who: 5, frozen: 0 }.into());
		assert_eq!(updates(), vec![(5, 100), (5, 300), (5, 100), (5, 0)]);
		assert_eq!(frozen(5), 0);
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

// ---------------------------------------------------------------------------------------------
// Model-based property test
// ---------------------------------------------------------------------------------------------
//
// Random sequences of votes, changes, removals, unlocks, reputation changes, polls opening,
// ending and being cancelled, and time passing. A small model, written from the README and not
// from the pallet's code (it never calls `HybridTally::add`, `Conviction::votes` or
// `lock_periods`), predicts each call's result (`Ok` or the exact error), every ongoing poll's
// tally, each account's votes, lock and freeze, and the events. Over the whole run every kind of
// outcome must occur at least once, so the test cannot pass on a `vote` that always fails.

/// Free balance of each account in the mock: 100 × its number for 1..=6, nothing for 7.
fn model_free(who: u64) -> u64 {
	if (1..=6).contains(&who) {
		who * 100
	} else {
		0
	}
}

const CONVICTIONS: [Conviction; 7] = [
	Conviction::None,
	Conviction::Locked1x,
	Conviction::Locked2x,
	Conviction::Locked3x,
	Conviction::Locked4x,
	Conviction::Locked5x,
	Conviction::Locked6x,
];
/// README: token votes are 0.1 × balance without conviction, `k` × balance at `Locked{k}x`.
fn model_token_votes(conviction: usize, balance: u64) -> u64 {
	if conviction == 0 {
		balance / 10
	} else {
		conviction as u64 * balance
	}
}
/// README: lock periods after a won poll, per conviction.
const LOCK_PERIODS: [u64; 7] = [0, 1, 2, 4, 8, 16, 32];
/// `VoteLockingPeriod` and `MaxVotes` of the mock.
const LOCKING_PERIOD: u64 = 10;
const MAX_VOTES: usize = 3;
/// Accounts the operations act on (7 has neither balance nor reputation at first).
const ACCOUNTS: core::ops::RangeInclusive<u64> = 1..=7;

#[derive(Clone, Copy, Debug, PartialEq)]
enum ModelPoll {
	Ongoing { class: u8, electorate: u128 },
	Completed { end: u64, approved: bool },
	Cancelled,
}

#[derive(Clone, Copy, Debug)]
struct ModelVote {
	direction: Direction,
	conviction: usize,
	balance: u64,
	reputation: u128,
}

struct Model {
	now: u64,
	reputation: BTreeMap<u64, u128>,
	/// By poll index.
	polls: Vec<ModelPoll>,
	votes: BTreeMap<u64, BTreeMap<u8, ModelVote>>,
	/// (until, amount) of each account's lock from won conviction votes.
	prior: BTreeMap<u64, (u64, u64)>,
	frozen: BTreeMap<u64, u64>,
}

impl Model {
	fn new() -> Self {
		Model {
			now: 1,
			reputation: [(1, 100), (2, 400), (3, 900)].into_iter().collect(),
			polls: Vec::new(),
			votes: BTreeMap::new(),
			prior: BTreeMap::new(),
			frozen: BTreeMap::new(),
		}
	}

	fn reputation(&self, who: u64) -> u128 {
		self.reputation.get(&who).copied().unwrap_or(0)
	}

	fn prior(&self, who: u64) -> (u64, u64) {
		self.prior.get(&who).copied().unwrap_or((0, 0))
	}

	fn frozen(&self, who: u64) -> u64 {
		self.frozen.get(&who).copied().unwrap_or(0)
	}

	fn vote_count(&self, who: u64) -> usize {
		self.votes.get(&who).map_or(0, |v| v.len())
	}

	/// What `who`'s freeze must cover: its largest recorded vote, or its lock if larger.
	fn needed(&self, who: u64, prior: (u64, u64)) -> u64 {
		self.votes
			.get(&who)
			.into_iter()
			.flat_map(|v| v.values())
			.map(|v| v.balance)
			.fold(prior.1, u64::max)
	}

	fn open(&mut self, class: u8) -> u8 {
		let index = self.polls.len() as u8;
		let electorate = self.reputation.values().sum();
		self.polls.push(ModelPoll::Ongoing { class, electorate });
		index
	}

	fn is_ongoing(&self, poll: u8) -> bool {
		matches!(self.polls.get(poll as usize), Some(ModelPoll::Ongoing { .. }))
	}

	/// `vote`: the expected error, or whether the vote is new on this poll.
	fn vote(&mut self, who: u64, poll: u8, direction: Direction, conviction: usize, balance: u64) -> Result<bool, Error<Test>> {
		if balance > model_free(who) {
			return Err(Error::<Test>::InsufficientFunds);
		}
		if direction == Direction::Abstain && conviction != 0 {
			return Err(Error::<Test>::ConvictionOnAbstain);
		}
		let reputation = self.reputation(who);
		if balance == 0 && reputation == 0 {
			return Err(Error::<Test>::NoVotingPower);
		}
		let new = !self.votes.get(&who).map_or(false, |v| v.contains_key(&poll));
		if new && self.vote_count(who) >= MAX_VOTES {
			return Err(Error::<Test>::MaxVotesReached);
		}
		if !self.is_ongoing(poll) {
			return Err(Error::<Test>::NotOngoing);
		}
		self.votes
			.entry(who)
			.or_default()
			.insert(poll, ModelVote { direction, conviction, balance, reputation });
		// Voting does not drop an expired lock (`remove_vote` and `unlock` do).
		let needed = self.needed(who, self.prior(who));
		self.frozen.insert(who, needed);
		Ok(new)
	}

	/// Drops whatever is left of `who`'s record once it holds no vote and no locked amount.
	fn tidy(&mut self, who: u64) {
		if self.vote_count(who) == 0 {
			self.votes.remove(&who);
			if self.prior(who).1 == 0 {
				self.prior.remove(&who);
			}
		}
	}

	/// `remove_vote`: the expected error, or which case it was.
	fn remove(&mut self, who: u64, poll: u8) -> Result<&'static str, Error<Test>> {
		let vote = self
			.votes
			.get_mut(&who)
			.and_then(|v| v.remove(&poll))
			.ok_or(Error::<Test>::NotVoter)?;
		let case = match self.polls[poll as usize] {
			ModelPoll::Ongoing { .. } => "remove_vote on an ongoing poll",
			ModelPoll::Cancelled => "remove_vote on a cancelled poll",
			ModelPoll::Completed { end, approved } => {
				let won = match vote.direction {
					Direction::Aye => approved,
					Direction::Nay => !approved,
					Direction::Abstain => false,
				};
				let periods = LOCK_PERIODS[vote.conviction];
				if won && periods > 0 {
					let (until, amount) = self.prior(who);
					self.prior.insert(
						who,
						(until.max(end + periods * LOCKING_PERIOD), amount.max(vote.balance)),
					);
					"remove_vote of a won conviction vote (lock left)"
				} else {
					"remove_vote on a completed poll (nothing owed)"
				}
			},
		};
		if self.now >= self.prior(who).0 {
			self.prior.remove(&who);
		}
		self.tidy(who);
		let needed = self.needed(who, self.prior(who));
		self.frozen.insert(who, needed);
		Ok(case)
	}

	/// `unlock`: the expected error, or success.
	fn unlock(&mut self, target: u64) -> Result<(), Error<Test>> {
		let frozen = self.frozen(target);
		if frozen == 0 {
			return Err(Error::<Test>::NothingToUnlock);
		}
		let prior = self.prior(target);
		let prior = if self.now >= prior.0 { (0, 0) } else { prior };
		let needed = self.needed(target, prior);
		if needed >= frozen {
			// Refused: nothing is written, not even the expired lock's removal.
			return Err(Error::<Test>::NothingToUnlock);
		}
		if prior == (0, 0) {
			self.prior.remove(&target);
		} else {
			self.prior.insert(target, prior);
		}
		self.tidy(target);
		self.frozen.insert(target, needed);
		Ok(())
	}

	/// A penalty to `score`: lowers the snapshot of `who`'s votes on ongoing polls. Returns
	/// the (poll, from) of each vote it lowered.
	fn penalize(&mut self, who: u64, score: u128) -> Vec<(u8, u128)> {
		self.reputation.insert(who, score);
		let ongoing: Vec<bool> = (0..self.polls.len() as u8).map(|p| self.is_ongoing(p)).collect();
		let mut lowered = Vec::new();
		for (poll, vote) in self.votes.get_mut(&who).into_iter().flat_map(|v| v.iter_mut()) {
			if ongoing[*poll as usize] && vote.reputation > score {
				lowered.push((*poll, vote.reputation));
				vote.reputation = score;
			}
		}
		lowered
	}

	/// The tally of `poll` summed from the recorded votes (README "The tally").
	fn tally(&self, poll: u8, electorate: u128) -> crate::TallyOf<Test> {
		let (mut ayes, mut nays, mut support) = (0u64, 0u64, 0u64);
		let (mut r_ayes, mut r_nays, mut r_support) = (0u128, 0u128, 0u128);
		for vote in self.votes.values().filter_map(|v| v.get(&poll)) {
			let token = model_token_votes(vote.conviction, vote.balance);
			match vote.direction {
				Direction::Aye => {
					ayes += token;
					support += vote.balance;
					r_ayes += vote.reputation;
					r_support += vote.reputation;
				},
				Direction::Nay => {
					nays += token;
					r_nays += vote.reputation;
				},
				Direction::Abstain => {
					support += vote.balance;
					r_support += vote.reputation;
				},
			}
		}
		crate::HybridTally::<Test>::from_parts(
			(ayes, nays, support),
			(r_ayes, r_nays, r_support, electorate),
		)
	}

	/// Compares the chain with the model.
	fn check(&self) -> Result<(), TestCaseError> {
		prop_assert_eq!(System::block_number(), self.now);
		for who in ACCOUNTS {
			let votes: Vec<(u8, VoteRecord<u64>)> = self
				.votes
				.get(&who)
				.into_iter()
				.flat_map(|v| v.iter())
				.map(|(poll, v)| {
					let vote = HybridVote {
						direction: v.direction,
						conviction: CONVICTIONS[v.conviction],
						balance: v.balance,
					};
					(*poll, VoteRecord { vote, reputation: v.reputation })
				})
				.collect();
			prop_assert_eq!(Voting::votes_of(&who), votes.clone(), "votes of {}", who);
			let (until, amount) = self.prior(who);
			let record = VotingFor::<Test>::get(who);
			prop_assert_eq!(record.is_some(), !votes.is_empty() || amount > 0, "record of {}", who);
			if let Some(record) = record {
				prop_assert_eq!(record.prior, PriorLock { until, amount }, "lock of {}", who);
			}
			prop_assert_eq!(frozen(who), self.frozen(who), "freeze of {}", who);
		}
		let polls = Polls::get();
		prop_assert_eq!(polls.len(), self.polls.iter().filter(|p| **p != ModelPoll::Cancelled).count());
		for (index, poll) in self.polls.iter().enumerate() {
			let actual = polls.get(&(index as u8)).cloned();
			let expected = match *poll {
				ModelPoll::Ongoing { class, electorate } =>
					Some(TestPollState::Ongoing(self.tally(index as u8, electorate), class)),
				ModelPoll::Completed { end, approved } => Some(TestPollState::Completed(end, approved)),
				ModelPoll::Cancelled => None,
			};
			prop_assert_eq!(actual, expected, "poll {}", index);
		}
		Ok(())
	}
}

#[derive(Clone, Debug)]
enum Op {
	/// `balance` is `percent` of the voter's free balance (above 100: more than it has).
	Vote { who: u64, poll: u8, direction: u8, conviction: u8, percent: u64 },
	/// `who` and `poll` select mostly among the accounts that have votes and their polls.
	Remove { who: u8, poll: u8 },
	/// `target` selects mostly among the accounts that have a lock.
	Unlock { target: u8 },
	/// A penalty (through `OnReputationReduced`) if below the current reputation, else a gain.
	SetReputation { who: u64, score: u128 },
	Open { class: u8 },
	End { poll: u8, approved: bool },
	Cancel { poll: u8 },
	Advance { blocks: u64 },
}

fn model_op() -> impl Strategy<Value = Op> {
	prop_oneof![
		8 => (1u64..8, any::<u8>(), 0u8..3, 0u8..7, 0u64..=110).prop_map(|(who, poll, direction, conviction, percent)| {
			Op::Vote { who, poll, direction, conviction, percent }
		}),
		4 => (any::<u8>(), any::<u8>()).prop_map(|(who, poll)| Op::Remove { who, poll }),
		2 => any::<u8>().prop_map(|target| Op::Unlock { target }),
		2 => (1u64..8, 0u128..1_200).prop_map(|(who, score)| Op::SetReputation { who, score }),
		2 => (0u8..2).prop_map(|class| Op::Open { class }),
		2 => (any::<u8>(), any::<bool>()).prop_map(|(poll, approved)| Op::End { poll, approved }),
		1 => any::<u8>().prop_map(|poll| Op::Cancel { poll }),
		2 => (1u64..300).prop_map(|blocks| Op::Advance { blocks }),
	]
}

/// The `FrozenUpdated` events among `events`.
fn freeze_updates(events: &[Event<Test>]) -> Vec<(u64, u64)> {
	events
		.iter()
		.filter_map(|e| match e {
			Event::FrozenUpdated { who, frozen } => Some((*who, *frozen)),
			_ => None,
		})
		.collect()
}

/// Runs `ops` against the pallet and the model; counts each outcome in `seen`.
fn run_against_model(ops: Vec<Op>, seen: &RefCell<BTreeMap<&'static str, u32>>) -> Result<(), TestCaseError> {
	let count = |kind: &'static str| *seen.borrow_mut().entry(kind).or_default() += 1;
	new_test_ext().execute_with(|| {
		let mut m = Model::new();
		for class in [0, 1, 0] {
			let index = m.open(class);
			open_poll(index, class);
		}
		m.check()?;
		for op in ops {
			let events_before = voting_events().len();
			let frozen_before: Vec<u64> = ACCOUNTS.map(|who| m.frozen(who)).collect();
			// Events the operation must emit besides `FrozenUpdated`.
			let mut expected_events: Vec<Event<Test>> = Vec::new();
			let mut refused = false;
			match op {
				Op::Vote { who, poll, direction, conviction, percent } => {
					// Mostly an ongoing poll, sometimes any poll or one that does not exist yet.
					let ongoing: Vec<u8> = (0..m.polls.len() as u8).filter(|p| m.is_ongoing(*p)).collect();
					let poll = if poll % 5 != 0 && !ongoing.is_empty() {
						ongoing[poll as usize % ongoing.len()]
					} else {
						(poll as usize % (m.polls.len() + 1)) as u8
					};
					let direction = [Direction::Aye, Direction::Nay, Direction::Abstain][direction as usize];
					let conviction = match direction {
						// Abstain mostly without conviction (with it: `ConvictionOnAbstain`).
						Direction::Abstain if conviction < 5 => 0,
						Direction::Abstain => conviction as usize - 4,
						_ => conviction as usize,
					};
					let balance = model_free(who) * percent / 100;
					let vote = HybridVote { direction, conviction: CONVICTIONS[conviction], balance };
					let result = Voting::vote(RuntimeOrigin::signed(who), poll, vote);
					match m.vote(who, poll, direction, conviction, balance) {
						Ok(new) => {
							prop_assert_eq!(result, Ok(()), "{:?}", op);
							count(if new { "vote (new)" } else { "vote (changed)" });
							if conviction > 0 {
								count("vote with conviction");
							}
							let reputation = m.reputation(who);
							expected_events.push(Event::Voted {
								who,
								poll_index: poll,
								vote,
								reputation,
								token_votes: model_token_votes(conviction, balance),
								reputation_votes: if direction == Direction::Abstain { 0 } else { reputation },
							});
						},
						Err(e) => {
							refused = true;
							count(match e {
								Error::<Test>::NotOngoing if (poll as usize) < m.polls.len() =>
									"vote refused: NotOngoing (finished poll)",
								Error::<Test>::NotOngoing => "vote refused: NotOngoing (no such poll)",
								Error::<Test>::MaxVotesReached => "vote refused: MaxVotesReached",
								Error::<Test>::InsufficientFunds => "vote refused: InsufficientFunds",
								Error::<Test>::NoVotingPower => "vote refused: NoVotingPower",
								Error::<Test>::ConvictionOnAbstain => "vote refused: ConvictionOnAbstain",
								_ => "vote refused: other",
							});
							prop_assert_eq!(result, Err(DispatchError::from(e)), "{:?}", op);
						},
					}
				},
				Op::Remove { who, poll } => {
					// Mostly a voter and one of its own polls.
					let voters: Vec<u64> = m.votes.keys().copied().collect();
					let who = if who % 4 != 0 && !voters.is_empty() {
						voters[who as usize % voters.len()]
					} else {
						who as u64 % 7 + 1
					};
					let own: Vec<u8> = m.votes.get(&who).map(|v| v.keys().copied().collect()).unwrap_or_default();
					let finished: Vec<u8> = own.iter().copied().filter(|p| !m.is_ongoing(*p)).collect();
					let poll = match poll % 4 {
						1 if !finished.is_empty() => finished[poll as usize % finished.len()],
						1 | 2 | 3 if !own.is_empty() => own[poll as usize % own.len()],
						_ => (poll as usize % (m.polls.len() + 1)) as u8,
					};
					let result = Voting::remove_vote(RuntimeOrigin::signed(who), poll);
					match m.remove(who, poll) {
						Ok(case) => {
							prop_assert_eq!(result, Ok(()), "{:?}", op);
							count(case);
							expected_events.push(Event::VoteRemoved { who, poll_index: poll });
						},
						Err(e) => {
							refused = true;
							count("remove_vote refused: NotVoter");
							prop_assert_eq!(result, Err(DispatchError::from(e)), "{:?}", op);
						},
					}
				},
				Op::Unlock { target } => {
					// Mostly an account with a lock, often one whose lock has expired.
					let locked: Vec<u64> = ACCOUNTS.filter(|who| m.prior(*who).1 > 0).collect();
					let expired: Vec<u64> =
						locked.iter().copied().filter(|who| m.now >= m.prior(*who).0).collect();
					let target = match target % 4 {
						1 | 2 if !expired.is_empty() => expired[target as usize % expired.len()],
						1 | 2 | 3 if !locked.is_empty() => locked[target as usize % locked.len()],
						_ => target as u64 % 7 + 1,
					};
					let result = Voting::unlock(RuntimeOrigin::signed(1), target);
					match m.unlock(target) {
						Ok(()) => {
							prop_assert_eq!(result, Ok(()), "{:?}", op);
							count("unlock released balance");
						},
						Err(e) => {
							refused = true;
							count("unlock refused: NothingToUnlock");
							prop_assert_eq!(result, Err(DispatchError::from(e)), "{:?}", op);
						},
					}
				},
				Op::SetReputation { who, score } => {
					let current = m.reputation(who);
					ReputationTable::mutate(|t| t.insert(who, score));
					if score < current {
						<Voting as OnReputationReduced<u64>>::on_reputation_reduced(&who, score);
						let lowered = m.penalize(who, score);
						if !lowered.is_empty() {
							count("penalty lowered an ongoing vote");
						}
						for (poll, from) in lowered {
							expected_events.push(Event::VoteReputationReduced {
								who,
								poll_index: poll,
								from,
								to: score,
							});
						}
					} else {
						m.reputation.insert(who, score);
					}
				},
				Op::Open { class } =>
					if m.polls.len() < 24 {
						let index = m.open(class);
						open_poll(index, class);
					},
				Op::End { poll, approved } => {
					let poll = (poll as usize % m.polls.len()) as u8;
					if m.is_ongoing(poll) {
						end_poll(poll, approved);
						m.polls[poll as usize] = ModelPoll::Completed { end: m.now, approved };
						count("poll completed");
					}
				},
				Op::Cancel { poll } => {
					let poll = (poll as usize % m.polls.len()) as u8;
					if m.is_ongoing(poll) {
						Polls::mutate(|p| p.remove(&poll));
						m.polls[poll as usize] = ModelPoll::Cancelled;
						count("poll cancelled");
					}
				},
				Op::Advance { blocks } => {
					m.now += blocks;
					System::set_block_number(m.now);
				},
			}

			// Events: a refused call emits nothing; otherwise the expected events, and
			// `FrozenUpdated` exactly when an account's freeze changed.
			let events = voting_events()[events_before..].to_vec();
			if refused {
				prop_assert!(events.is_empty(), "a refused {:?} emitted {:?}", op, events);
			}
			for event in &expected_events {
				prop_assert!(events.contains(event), "{:?} did not emit {:?}: {:?}", op, event, events);
			}
			let changed: Vec<(u64, u64)> = ACCOUNTS
				.zip(frozen_before)
				.filter(|(who, before)| m.frozen(*who) != *before)
				.map(|(who, _)| (who, m.frozen(who)))
				.collect();
			prop_assert_eq!(freeze_updates(&events), changed.clone(), "{:?}", op);
			if !changed.is_empty() {
				count("FrozenUpdated");
			}
			prop_assert_eq!(events.len(), expected_events.len() + changed.len(), "{:?}: {:?}", op, events);

			m.check()?;
			Voting::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
		}
		Ok(())
	})
}

/// The model test: 512 random runs of up to 120 operations, each step checked against the model,
/// and every kind of outcome seen at least once over the whole run.
#[test]
fn votes_tallies_freezes_and_locks_follow_an_independent_model() {
	use proptest::test_runner::TestRunner;
	let seen = RefCell::new(BTreeMap::new());
	let mut runner = TestRunner::new(ProptestConfig {
		cases: 512,
		failure_persistence: None,
		..ProptestConfig::default()
	});
	let ops = proptest::collection::vec(model_op(), 1..120);
	if let Err(e) = runner.run(&ops, |ops| run_against_model(ops, &seen)) {
		panic!("{e}");
	}
	let seen = seen.into_inner();
	for kind in [
		"vote (new)",
		"vote (changed)",
		"vote with conviction",
		"vote refused: NotOngoing (finished poll)",
		"vote refused: NotOngoing (no such poll)",
		"vote refused: MaxVotesReached",
		"vote refused: InsufficientFunds",
		"vote refused: NoVotingPower",
		"vote refused: ConvictionOnAbstain",
		"remove_vote on an ongoing poll",
		"remove_vote on a cancelled poll",
		"remove_vote of a won conviction vote (lock left)",
		"remove_vote on a completed poll (nothing owed)",
		"remove_vote refused: NotVoter",
		"unlock released balance",
		"unlock refused: NothingToUnlock",
		"penalty lowered an ongoing vote",
		"poll completed",
		"poll cancelled",
		"FrozenUpdated",
	] {
		assert!(seen.get(kind).copied().unwrap_or(0) > 0, "never happened: {kind} (seen: {seen:#?})");
	}
	assert_eq!(seen.get("vote refused: other"), None, "{seen:#?}");
}

proptest! {
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

/// The tallies referenda's benchmarks build (`unanimity`, `rejection`, `from_requirements`) are
/// what they claim in both houses, on a track with reputation thresholds (class 0) and one
/// without (class 1); otherwise those benchmarks would measure the wrong branch. Runs with the
/// benchmark suites (`--features runtime-benchmarks`).
#[cfg(feature = "runtime-benchmarks")]
#[test]
fn benchmark_tallies_meet_what_they_promise() {
	use frame_support::traits::Get;
	build_and_execute(|| {
		let turnout: u64 = <Test as crate::Config>::MaxTurnout::get();
		for class in [0u8, 1] {
			let all = crate::TallyOf::<Test>::unanimity(class);
			assert_eq!((all.approval(class), all.support(class)), (Perbill::one(), Perbill::one()));
			assert!(all.reputation_passes(&class));
			// A full-turnout nay in both houses.
			let none = crate::TallyOf::<Test>::rejection(class);
			assert_eq!((none.token_ayes, none.token_nays, none.token_support), (0, turnout, 0));
			assert_eq!((none.reputation_ayes, none.reputation_nays), (0, 1));
			assert_eq!(none.approval(class), Perbill::zero());
			for (support, approval) in [(10, 50), (25, 60), (100, 100), (1, 99)] {
				let (support, approval) = (Perbill::from_percent(support), Perbill::from_percent(approval));
				let t = crate::TallyOf::<Test>::from_requirements(support, approval, class);
				assert!(t.support(class) >= support, "support {support:?} in class {class}");
				assert!(t.approval(class) >= approval, "approval {approval:?} in class {class}");
			}
		}
	});
}
