//! Benchmarks for council elections (frame-benchmarking v2), at full candidate lists.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::RawOrigin;

use sp_runtime::traits::{Bounded, One, Saturating, Zero};

const REPUTATION: ReputationScore = 1_000_000_000;

fn funded<T: Config<I>, I: 'static>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let _ = T::Currency::set_balance(&who, BalanceOf::<T, I>::max_value() / 1_000u32.into());
	T::BenchmarkHelper::set_reputation(&who, REPUTATION);
	who
}

fn set_params<T: Config<I>, I: 'static>() {
	Params::<T, I>::put(ElectionParams {
		candidacy_bond: 1_000u32.into(),
		min_candidate_reputation: 1,
		desired_members: T::MaxMembers::get(),
		min_members: T::MinMembersFloor::get(),
	});
}

/// A full sitting council whose members all qualify (the election reads each one's reputation).
fn full_council<T: Config<I>, I: 'static>() {
	let mut members: Vec<T::AccountId> =
		(0..T::MaxMembers::get()).map(|i| funded::<T, I>("member", i)).collect();
	members.sort();
	Members::<T, I>::put(BoundedVec::truncate_from(members));
}

/// `n` candidates; returns them.
fn candidates<T: Config<I>, I: 'static>(n: u32) -> Result<Vec<T::AccountId>, BenchmarkError> {
	set_params::<T, I>();
	let mut all = Vec::new();
	for i in 0..n {
		let who = funded::<T, I>("candidate", i);
		Pallet::<T, I>::submit_candidacy(RawOrigin::Signed(who.clone()).into())?;
		all.push(who);
	}
	Ok(all)
}

#[instance_benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_candidacy(c: Linear<0, { T::MaxCandidates::get().saturating_sub(1) }>) -> Result<(), BenchmarkError> {
		candidates::<T, I>(c)?;
		let who = funded::<T, I>("new", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who));
		assert_eq!(Candidates::<T, I>::get().len() as u32, c + 1);
		Ok(())
	}

	#[benchmark]
	fn renounce_candidacy(c: Linear<1, { T::MaxCandidates::get() }>) -> Result<(), BenchmarkError> {
		let all = candidates::<T, I>(c)?;
		let last = all.last().expect("c >= 1").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(last));
		assert_eq!(Candidates::<T, I>::get().len() as u32, c - 1);
		Ok(())
	}

	/// A first ballot of `v` approvals (the deposit is held: more storage than replacing a
	/// ballot, which only re-scores), with a full candidate list.
	#[benchmark]
	fn vote(v: Linear<1, { T::MaxVotesPerVoter::get() }>) -> Result<(), BenchmarkError> {
		let all = candidates::<T, I>(T::MaxCandidates::get())?;
		let voter = funded::<T, I>("voter", 0);
		let votes: BoundedVec<_, T::MaxVotesPerVoter> =
			BoundedVec::truncate_from(all.iter().rev().take(v as usize).cloned().collect());
		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()), votes, 20u32.into());
		let ballot = Voters::<T, I>::get(&voter).ok_or(BenchmarkError::Stop("no ballot"))?;
		assert_eq!(ballot.stake, 20u32.into());
		assert_eq!(ballot.deposit, T::BallotDeposit::get());
		Ok(())
	}

	#[benchmark]
	fn remove_voter(v: Linear<1, { T::MaxVotesPerVoter::get() }>) -> Result<(), BenchmarkError> {
		let all = candidates::<T, I>(T::MaxCandidates::get())?;
		let voter = funded::<T, I>("voter", 0);
		let votes: BoundedVec<_, T::MaxVotesPerVoter> =
			BoundedVec::truncate_from(all.iter().rev().take(v as usize).cloned().collect());
		Pallet::<T, I>::vote(RawOrigin::Signed(voter.clone()).into(), votes, 10u32.into())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(voter.clone()));
		assert!(!Voters::<T, I>::contains_key(&voter));
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin = T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		full_council::<T, I>();
		let params = ElectionParams {
			candidacy_bond: 1u32.into(),
			min_candidate_reputation: 2,
			desired_members: T::MaxMembers::get(),
			min_members: T::MaxMembers::get(),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);
		assert_eq!(Params::<T, I>::get(), params);
		Ok(())
	}

	/// The election hook with `c` candidates, each approved by a voter, and a full sitting
	/// council (each incumbent's reputation is read to fill seats up to `min_members`).
	#[benchmark]
	fn election(c: Linear<1, { T::MaxCandidates::get() }>) -> Result<(), BenchmarkError> {
		full_council::<T, I>();
		let all = candidates::<T, I>(c)?;
		for (i, candidate) in all.iter().enumerate() {
			let voter = funded::<T, I>("voter", i as u32);
			let votes: BoundedVec<_, T::MaxVotesPerVoter> =
				BoundedVec::truncate_from(vec![candidate.clone()]);
			Pallet::<T, I>::vote(RawOrigin::Signed(voter).into(), votes, (i as u32 + 1).into())?;
		}
		let term = T::TermDuration::get();
		let mut now = frame_system::Pallet::<T>::block_number();
		while now.is_zero() || !(now % term).is_zero() {
			now = now.saturating_add(One::one());
		}
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T, I>::on_initialize(now);
		}
		assert!(Candidates::<T, I>::get().is_empty());
		// Whoever reached the seat quota, topped up to the floor (or the full sitting council).
		assert!(Members::<T, I>::get().len() as u32 >= T::MinMembersFloor::get());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
