//! Benchmarks for hybrid voting (frame-benchmarking v2). Every call is measured with the voter
//! already holding `v` votes, up to `MaxVotes`.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, Zero};

const SEED: u32 = 0;

fn funded_voter<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("voter", 0, SEED);
	let _ = T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	T::BenchmarkHelper::set_reputation(&who, 1_000_000_000_000);
	who
}

fn a_vote<T: Config>(direction: Direction) -> HybridVote<BalanceOf<T>> {
	HybridVote { direction, conviction: Conviction::Locked6x, balance: 1_000u32.into() }
}

/// Opens `n` polls and has `who` vote aye on each; returns the poll indices.
fn vote_on_new_polls<T: Config>(who: &T::AccountId, n: u32) -> Result<Vec<PollIndexOf<T>>, BenchmarkError> {
	// `create_ongoing` opens polls without a decision slot, so `MaxVotes` of them fit even
	// where a track decides fewer at a time.
	let (class, _) = T::Polls::max_ongoing();
	let mut polls = Vec::new();
	for _ in 0..n {
		let index = T::Polls::create_ongoing(class.clone()).map_err(|_| BenchmarkError::Weightless)?;
		Pallet::<T>::vote(RawOrigin::Signed(who.clone()).into(), index, a_vote::<T>(Direction::Aye))?;
		polls.push(index);
	}
	Ok(polls)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A vote on a new poll with `v` other votes already recorded.
	#[benchmark]
	fn vote_new(v: Linear<0, { T::MaxVotes::get().saturating_sub(1) }>) -> Result<(), BenchmarkError> {
		let who = funded_voter::<T>();
		vote_on_new_polls::<T>(&who, v)?;
		let (class, _) = T::Polls::max_ongoing();
		let index = T::Polls::create_ongoing(class).map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		vote(RawOrigin::Signed(who.clone()), index, a_vote::<T>(Direction::Aye));
		assert_eq!(VotingFor::<T>::get(&who).map(|v| v.votes.len()), Some(v as usize + 1));
		Ok(())
	}

	/// Changing an existing vote among `v` recorded votes.
	#[benchmark]
	fn vote_existing(v: Linear<1, { T::MaxVotes::get() }>) -> Result<(), BenchmarkError> {
		let who = funded_voter::<T>();
		let polls = vote_on_new_polls::<T>(&who, v)?;
		#[extrinsic_call]
		vote(RawOrigin::Signed(who.clone()), polls[0], a_vote::<T>(Direction::Nay));
		let record = VotingFor::<T>::get(&who).expect("voted").votes[0].1;
		assert_eq!(record.vote.direction, Direction::Nay);
		Ok(())
	}

	/// Removing a vote on an ongoing poll among `v` recorded votes.
	#[benchmark]
	fn remove_vote(v: Linear<1, { T::MaxVotes::get() }>) -> Result<(), BenchmarkError> {
		let who = funded_voter::<T>();
		let polls = vote_on_new_polls::<T>(&who, v)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), polls[0]);
		assert_eq!(VotingFor::<T>::get(&who).map(|v| v.votes.len()).unwrap_or(0), v as usize - 1);
		Ok(())
	}

	/// Releasing an expired conviction lock while `v` votes are still recorded.
	#[benchmark]
	fn unlock(v: Linear<0, { T::MaxVotes::get().saturating_sub(1) }>) -> Result<(), BenchmarkError> {
		let who = funded_voter::<T>();
		// A won poll with the largest vote: removing it leaves a lock above the other votes.
		let (class, _) = T::Polls::max_ongoing();
		let won = T::Polls::create_ongoing(class).map_err(|_| BenchmarkError::Weightless)?;
		let big = HybridVote { balance: 2_000u32.into(), ..a_vote::<T>(Direction::Aye) };
		Pallet::<T>::vote(RawOrigin::Signed(who.clone()).into(), won, big)?;
		vote_on_new_polls::<T>(&who, v)?;
		T::Polls::end_ongoing(won, true).map_err(|_| BenchmarkError::Weightless)?;
		Pallet::<T>::remove_vote(RawOrigin::Signed(who.clone()).into(), won)?;
		frame_system::Pallet::<T>::set_block_number(
			frame_system::pallet_prelude::BlockNumberFor::<T>::max_value() / 2u32.into(),
		);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), who.clone());
		let frozen = <T::Currency as frame_support::traits::fungible::InspectFreeze<_>>::balance_frozen(
			&FreezeReason::Voting.into(),
			&who,
		);
		assert_eq!(frozen, if v == 0 { Zero::zero() } else { 1_000u32.into() });
		Ok(())
	}

	/// The `OnReputationReduced` hook with `v` ongoing votes to re-count.
	#[benchmark]
	fn reduce_reputation(v: Linear<0, { T::MaxVotes::get() }>) -> Result<(), BenchmarkError> {
		let who = funded_voter::<T>();
		vote_on_new_polls::<T>(&who, v)?;
		#[block]
		{
			Pallet::<T>::reduce_reputation(&who, 1);
		}
		if let Some(voting) = VotingFor::<T>::get(&who) {
			assert!(voting.votes.iter().all(|(_, r)| r.reputation <= 1));
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
