//! # Hybrid voting
//!
//! Votes on `pallet-referenda` polls with **two weights at once**: a token weight (balance
//! frozen for the vote, with an optional conviction multiplier and lock) and a reputation weight
//! (the voter's reputation when the vote is cast). The [`tally::HybridTally`] counts a token
//! house and a reputation house; a referendum passes only if each house meets its own
//! thresholds. See the crate README for the formulas and the rules below in full.
//!
//! - Votes can be changed (vote again) or removed while the poll is ongoing.
//! - A removed vote of a finished poll leaves a lock only if the voter's side won and they used
//!   conviction: `lock_periods × VoteLockingPeriod` blocks from the poll's end.
//! - Reputation is a snapshot taken when the vote is cast: later gains (or decay) do not change
//!   it (vote again to refresh it), but a **penalty** lowers the snapshot of every ongoing vote
//!   at once (through `OnReputationReduced`), so a penalized account cannot keep influence it
//!   has lost. The reputation house's electorate is the total reputation when the poll opened.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod runtime_api;
pub mod tally;
pub mod vote;
pub mod weights;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::{fungible, Polling};
pub use perspective_primitives::{HouseThresholds, ReputationHouse};
use perspective_primitives::{OnReputationReduced, ReputationProvider, ReputationScore};
use scale_info::TypeInfo;

pub use tally::HybridTally;
pub use vote::{Conviction, Direction, HybridVote, PriorLock, VoteRecord};

/// The balance type of the currency votes freeze.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// The tally type this pallet provides to the poll provider.
pub type TallyOf<T> = HybridTally<T>;
/// Poll index of the poll provider.
pub type PollIndexOf<T> = <<T as Config>::Polls as Polling<TallyOf<T>>>::Index;
/// Poll class (referendum track) of the poll provider.
pub type ClassOf<T> = <<T as Config>::Polls as Polling<TallyOf<T>>>::Class;

/// Sets up state the benchmarks cannot reach through this pallet's `Config`.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Give `who` (at least) `score` reputation.
	fn set_reputation(who: &AccountId, score: ReputationScore);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectFreeze, MutateFreeze},
			PollStatus,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Convert, Saturating, Zero};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency whose free balance is frozen for votes.
		type Currency: MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The overarching freeze reason.
		type RuntimeFreezeReason: From<FreezeReason>;
		/// The polls (referenda) being voted on.
		type Polls: Polling<
			TallyOf<Self>,
			Votes = BalanceOf<Self>,
			Moment = BlockNumberFor<Self>,
		>;
		/// Reputation of voters and the total (the reputation house's electorate).
		type Reputation: ReputationProvider<Self::AccountId>;
		/// The reputation house's thresholds per class.
		type Houses: ReputationHouse<ClassOf<Self>>;
		/// Turns reputation into reputation-house votes. Must be split-neutral
		/// (`w(a) + w(b) ≤ w(a + b)`), or Sybils gain votes by splitting reputation:
		/// [`tally::LinearReputation`].
		type ReputationWeighting: Convert<ReputationScore, ReputationScore>;
		/// The token house's electorate: the balance that could vote (active issuance).
		type MaxTurnout: Get<BalanceOf<Self>>;
		/// Maximum number of polls an account can have votes recorded on at once.
		#[pallet::constant]
		type MaxVotes: Get<u32>;
		/// Blocks one conviction lock period lasts.
		#[pallet::constant]
		type VoteLockingPeriod: Get<BlockNumberFor<Self>>;
		/// Weight information for the calls of this pallet.
		type WeightInfo: WeightInfo;
		/// Gives accounts reputation in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet freezes balance.
	#[pallet::composite_enum]
	pub enum FreezeReason {
		/// Balance frozen for votes and conviction locks.
		#[codec(index = 0)]
		Voting,
	}

	/// Everything an account has voted, and the lock left by finished polls.
	#[derive(
		Encode,
		Decode,
		DecodeWithMemTracking,
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		frame_support::DefaultNoBound,
		TypeInfo,
		MaxEncodedLen,
	)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct Voting<T: Config> {
		/// Votes by poll index, sorted.
		pub votes: BoundedVec<(PollIndexOf<T>, VoteRecord<BalanceOf<T>>), T::MaxVotes>,
		/// Lock left by won votes with conviction that were removed.
		pub prior: PriorLock<BlockNumberFor<T>, BalanceOf<T>>,
	}

	/// Each account's votes and lock.
	#[pallet::storage]
	pub type VotingFor<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Voting<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` voted on `poll_index`; `token_votes` and `reputation_votes` are what the vote
		/// added to each house.
		Voted {
			who: T::AccountId,
			poll_index: PollIndexOf<T>,
			vote: HybridVote<BalanceOf<T>>,
			reputation: ReputationScore,
			token_votes: BalanceOf<T>,
			reputation_votes: ReputationScore,
		},
		/// `who` removed their vote on `poll_index`.
		VoteRemoved { who: T::AccountId, poll_index: PollIndexOf<T> },
		/// A penalty lowered the reputation counted in `who`'s vote on `poll_index`.
		VoteReputationReduced {
			who: T::AccountId,
			poll_index: PollIndexOf<T>,
			from: ReputationScore,
			to: ReputationScore,
		},
		/// The balance frozen for `who`'s votes changed to `frozen`.
		FrozenUpdated { who: T::AccountId, frozen: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The poll is not ongoing (not submitted, already decided, cancelled or killed).
		NotOngoing,
		/// The vote's balance is more than the account's free balance.
		InsufficientFunds,
		/// The vote carries neither balance nor reputation.
		NoVotingPower,
		/// Abstain votes cannot use conviction.
		ConvictionOnAbstain,
		/// The account already has votes recorded on `MaxVotes` polls; remove some first.
		MaxVotesReached,
		/// The account has no vote on this poll.
		NotVoter,
		/// Nothing is frozen for this account, or nothing can be unfrozen yet.
		NothingToUnlock,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let max = <T as frame_system::Config>::BlockWeights::get().max_block;
			let worst = T::WeightInfo::vote_new(T::MaxVotes::get())
				.max(T::WeightInfo::vote_existing(T::MaxVotes::get()))
				.max(T::WeightInfo::remove_vote(T::MaxVotes::get()))
				.max(T::WeightInfo::reduce_reputation(T::MaxVotes::get()));
			assert!(!worst.any_gt(max), "the worst-case vote must fit in a block");
			assert!(T::MaxVotes::get() > 0, "MaxVotes must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Vote on an ongoing poll, or change an existing vote. Freezes `vote.balance` of the
		/// caller's free balance (freezes for several polls overlap: the largest applies) and
		/// records the caller's current reputation alongside.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::vote_new(T::MaxVotes::get())
				.max(T::WeightInfo::vote_existing(T::MaxVotes::get()))
		)]
		pub fn vote(
			origin: OriginFor<T>,
			#[pallet::compact] poll_index: PollIndexOf<T>,
			vote: HybridVote<BalanceOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::try_vote(&who, poll_index, vote)
		}

		/// Remove the caller's vote on a poll. On an ongoing poll the vote is counted out; on a
		/// finished one a won vote with conviction leaves its lock behind. The frozen balance is
		/// recomputed at once.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_vote(T::MaxVotes::get()))]
		pub fn remove_vote(
			origin: OriginFor<T>,
			#[pallet::compact] poll_index: PollIndexOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::try_remove_vote(&who, poll_index)
		}

		/// Release whatever part of `target`'s frozen balance no vote or lock needs any more.
		/// Anyone may call it for anyone.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unlock(T::MaxVotes::get()))]
		pub fn unlock(origin: OriginFor<T>, target: T::AccountId) -> DispatchResult {
			ensure_signed(origin)?;
			let frozen = T::Currency::balance_frozen(&FreezeReason::Voting.into(), &target);
			ensure!(!frozen.is_zero(), Error::<T>::NothingToUnlock);
			let needed = VotingFor::<T>::mutate_exists(&target, |voting| {
				let Some(v) = voting else { return Zero::zero() };
				v.prior.rejig(frame_system::Pallet::<T>::block_number());
				let needed = Self::needed_freeze(v);
				if v.votes.is_empty() && v.prior.is_empty() {
					*voting = None;
				}
				needed
			});
			ensure!(needed < frozen, Error::<T>::NothingToUnlock);
			Self::apply_freeze(&target, needed)
		}
	}

	impl<T: Config> Pallet<T> {
		fn try_vote(
			who: &T::AccountId,
			poll_index: PollIndexOf<T>,
			vote: HybridVote<BalanceOf<T>>,
		) -> DispatchResult {
			ensure!(vote.balance <= T::Currency::balance(who), Error::<T>::InsufficientFunds);
			ensure!(
				vote.direction != Direction::Abstain || vote.conviction == Conviction::None,
				Error::<T>::ConvictionOnAbstain
			);
			let reputation = T::Reputation::reputation_of(who);
			ensure!(!vote.balance.is_zero() || reputation > 0, Error::<T>::NoVotingPower);
			let record = VoteRecord { vote, reputation };

			let mut voting = VotingFor::<T>::get(who).unwrap_or_default();
			let position = voting.votes.binary_search_by_key(&poll_index, |(index, _)| *index);
			if position.is_err() {
				ensure!(
					(voting.votes.len() as u32) < T::MaxVotes::get(),
					Error::<T>::MaxVotesReached
				);
			}
			T::Polls::try_access_poll(poll_index, |status| {
				let PollStatus::Ongoing(tally, _class) = status else {
					return Err(Error::<T>::NotOngoing.into());
				};
				match position {
					Ok(i) => {
						tally.remove(&voting.votes[i].1);
						voting.votes[i].1 = record;
					},
					Err(i) => voting
						.votes
						.try_insert(i, (poll_index, record))
						.map_err(|_| Error::<T>::MaxVotesReached)?,
				}
				tally.add(&record);
				Ok(())
			})?;

			let needed = Self::needed_freeze(&voting);
			VotingFor::<T>::insert(who, voting);
			Self::apply_freeze(who, needed)?;
			Self::deposit_event(Event::Voted {
				who: who.clone(),
				poll_index,
				vote,
				reputation,
				token_votes: vote.conviction.votes(vote.balance),
				reputation_votes: if vote.direction == Direction::Abstain {
					0
				} else {
					T::ReputationWeighting::convert(reputation)
				},
			});
			Ok(())
		}

		fn try_remove_vote(who: &T::AccountId, poll_index: PollIndexOf<T>) -> DispatchResult {
			let mut voting = VotingFor::<T>::get(who).ok_or(Error::<T>::NotVoter)?;
			let i = voting
				.votes
				.binary_search_by_key(&poll_index, |(index, _)| *index)
				.map_err(|_| Error::<T>::NotVoter)?;
			let (_, record) = voting.votes.remove(i);
			let period = T::VoteLockingPeriod::get();
			T::Polls::try_access_poll(poll_index, |status| {
				match status {
					PollStatus::Ongoing(tally, _) => tally.remove(&record),
					PollStatus::Completed(end, approved) => {
						let won = match record.vote.direction {
							Direction::Aye => approved,
							Direction::Nay => !approved,
							Direction::Abstain => false,
						};
						let periods = record.vote.conviction.lock_periods();
						if won && periods > 0 {
							let until = end.saturating_add(period.saturating_mul(periods.into()));
							voting.prior.accumulate(until, record.vote.balance);
						}
					},
					// Cancelled, killed or unknown: nothing is owed.
					PollStatus::None => {},
				}
				Ok(())
			})?;
			voting.prior.rejig(frame_system::Pallet::<T>::block_number());
			let needed = Self::needed_freeze(&voting);
			if voting.votes.is_empty() && voting.prior.is_empty() {
				VotingFor::<T>::remove(who);
			} else {
				VotingFor::<T>::insert(who, voting);
			}
			Self::apply_freeze(who, needed)?;
			Self::deposit_event(Event::VoteRemoved { who: who.clone(), poll_index });
			Ok(())
		}

		/// The balance `voting` needs frozen: the largest of any recorded vote and the prior lock.
		pub fn needed_freeze(voting: &Voting<T>) -> BalanceOf<T> {
			voting
				.votes
				.iter()
				.map(|(_, record)| record.vote.balance)
				.fold(voting.prior.amount, |a, b| a.max(b))
		}

		fn apply_freeze(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			let id = FreezeReason::Voting.into();
			if T::Currency::balance_frozen(&id, who) == amount {
				return Ok(());
			}
			if amount.is_zero() {
				T::Currency::thaw(&id, who)?;
			} else {
				T::Currency::set_freeze(&id, who, amount)?;
			}
			Self::deposit_event(Event::FrozenUpdated { who: who.clone(), frozen: amount });
			Ok(())
		}

		/// Lowers the reputation snapshot of `who`'s votes on ongoing polls to `new_score`.
		/// Returns how many votes were visited.
		pub(crate) fn reduce_reputation(who: &T::AccountId, new_score: ReputationScore) -> u32 {
			let Some(mut voting) = VotingFor::<T>::get(who) else { return 0 };
			let mut changed = false;
			for (poll_index, record) in voting.votes.iter_mut() {
				if record.reputation <= new_score {
					continue;
				}
				let from = record.reputation;
				let reduced = VoteRecord { vote: record.vote, reputation: new_score };
				let applied = T::Polls::access_poll(*poll_index, |status| match status {
					PollStatus::Ongoing(tally, _) => {
						tally.remove(record);
						tally.add(&reduced);
						true
					},
					_ => false,
				});
				if applied {
					*record = reduced;
					changed = true;
					Self::deposit_event(Event::VoteReputationReduced {
						who: who.clone(),
						poll_index: *poll_index,
						from,
						to: new_score,
					});
				}
			}
			let visited = voting.votes.len() as u32;
			if changed {
				VotingFor::<T>::insert(who, voting);
			}
			visited
		}

		/// Invariants: every account's freeze is exactly what its votes and lock need, no empty
		/// record is stored, votes are sorted, and every ongoing poll's tally equals the sum of
		/// the votes recorded on it.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut sums: BTreeMap<PollIndexOf<T>, TallyOf<T>> = BTreeMap::new();
			for (who, voting) in VotingFor::<T>::iter() {
				ensure!(
					!(voting.votes.is_empty() && voting.prior.is_empty()),
					"an empty voting record is stored"
				);
				ensure!(
					voting.votes.windows(2).all(|w| w[0].0 < w[1].0),
					"votes are not sorted by poll"
				);
				ensure!(
					T::Currency::balance_frozen(&FreezeReason::Voting.into(), &who) ==
						Self::needed_freeze(&voting),
					"frozen balance differs from what the votes need"
				);
				for (poll_index, record) in voting.votes.iter() {
					if let Some((tally, class)) = T::Polls::as_ongoing(*poll_index) {
						let sum = sums.entry(*poll_index).or_insert_with(|| {
							let mut empty = <TallyOf<T> as frame_support::traits::VoteTally<
								BalanceOf<T>,
								ClassOf<T>,
							>>::new(class);
							empty.reputation_total = tally.reputation_total;
							empty
						});
						sum.add(record);
					}
				}
			}
			for (poll_index, sum) in sums {
				let (tally, _) = T::Polls::as_ongoing(poll_index).ok_or("poll vanished")?;
				ensure!(tally == sum, "a tally differs from the sum of its votes");
			}
			Ok(())
		}

		/// The balance frozen for `who`'s votes and locks.
		pub fn frozen_for_voting(who: &T::AccountId) -> BalanceOf<T> {
			T::Currency::balance_frozen(&FreezeReason::Voting.into(), who)
		}

		/// All polls `who` has votes on, with the records (for the runtime API / UIs).
		pub fn votes_of(who: &T::AccountId) -> Vec<(PollIndexOf<T>, VoteRecord<BalanceOf<T>>)> {
			VotingFor::<T>::get(who).map(|v| v.votes.into_inner()).unwrap_or_default()
		}
	}

	impl<T: Config> OnReputationReduced<T::AccountId> for Pallet<T> {
		fn on_reputation_reduced(who: &T::AccountId, new_score: ReputationScore) -> Weight {
			let visited = Self::reduce_reputation(who, new_score);
			T::WeightInfo::reduce_reputation(visited)
		}
		fn max_weight() -> Weight {
			T::WeightInfo::reduce_reputation(T::MaxVotes::get())
		}
	}
}
