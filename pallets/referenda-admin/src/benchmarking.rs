//! Benchmarks for referenda admin (frame-benchmarking v2). Referenda are created through
//! `Polling::create_ongoing` and given real reserved deposits.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{Currency, EnsureOrigin, Get, Polling, ReservableCurrency};
use frame_system::RawOrigin;
use pallet_referenda::{
	BalanceOf, Deposit, ReferendumIndex, ReferendumInfo, ReferendumInfoFor, TallyOf,
};
use sp_runtime::traits::{BlockNumberProvider, Bounded as _, SaturatedConversion, Saturating};

/// An ongoing referendum on the first track whose deposits (of `who`) are really reserved.
fn funded_referendum<T: Config>(who: &T::AccountId) -> ReferendumIndex {
	let class = Pallet::<T>::track_records()[0].track.id;
	let index = <pallet_referenda::Pallet<T> as Polling<TallyOf<T, ()>>>::create_ongoing(class)
		.expect("referendum created");
	let amount: BalanceOf<T> = 1_000u32.into();
	T::Currency::make_free_balance_be(who, BalanceOf::<T>::max_value() / 4u32.into());
	T::Currency::reserve(who, amount.saturating_mul(2u32.into())).expect("funded");
	ReferendumInfoFor::<T>::mutate(index, |info| {
		if let Some(ReferendumInfo::Ongoing(status)) = info {
			status.submission_deposit = Deposit { who: who.clone(), amount };
			status.decision_deposit = Some(Deposit { who: who.clone(), amount });
		}
	});
	index
}

/// Ends referendum `index` as `info` (built from its deposits).
fn end_as<T: Config>(
	index: ReferendumIndex,
	make: impl FnOnce(
		pallet_referenda::BlockNumberFor<T, ()>,
		Deposit<T::AccountId, BalanceOf<T>>,
		Option<Deposit<T::AccountId, BalanceOf<T>>>,
	) -> pallet_referenda::ReferendumInfoOf<T, ()>,
) {
	let Some(ReferendumInfo::Ongoing(status)) = ReferendumInfoFor::<T>::get(index) else {
		panic!("ongoing")
	};
	let now = <T as pallet_referenda::Config>::BlockNumberProvider::current_block_number();
	ReferendumInfoFor::<T>::insert(index, make(now, status.submission_deposit, status.decision_deposit));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_track() -> Result<(), BenchmarkError> {
		let origin = T::TrackOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let tracks = Pallet::<T>::track_records();
		let last = tracks.last().expect("at least one track").clone();
		let mut info = last.track.info.clone();
		info.max_deciding = info.max_deciding.saturating_add(1);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, last.track.id, info.clone(), last.reputation);
		assert_eq!(Pallet::<T>::track_records().last().unwrap().track.info.max_deciding, info.max_deciding);
		Ok(())
	}

	/// Worst case for `n` leaf calls: the proposal is a noted preimage using the whole byte
	/// budget of `ProposalCalls`, nested as deep as allowed, with `n` distinct leaves (each
	/// barred: `n + 1` cool-off writes).
	#[benchmark]
	fn veto(n: Linear<0, { T::MaxLeafCalls::get() }>) -> Result<(), BenchmarkError> {
		let origin = T::VetoOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("proposer", 0, 0);
		let index = funded_referendum::<T>(&who);
		let proposal = T::ProposalCalls::worst_case(n);
		let (leaves, complete) = Pallet::<T>::proposal_calls(&proposal);
		assert!(complete.is_ok(), "the worst case must be inspectable: {complete:?}");
		ReferendumInfoFor::<T>::mutate(index, |info| {
			if let Some(ReferendumInfo::Ongoing(status)) = info {
				status.proposal = proposal.clone();
			}
		});
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, index);
		assert_eq!(T::Currency::reserved_balance(&who), 0u32.into());
		assert!(Pallet::<T>::is_cooling_off(&proposal.hash()));
		assert!(leaves.iter().all(|leaf| Pallet::<T>::is_cooling_off(leaf)), "every leaf is barred");
		Ok(())
	}

	/// The refund branch (the slash branch does the same reads and writes).
	#[benchmark]
	fn settle_submission_deposit() -> Result<(), BenchmarkError> {
		let who: T::AccountId = account("proposer", 0, 0);
		let index = funded_referendum::<T>(&who);
		end_as::<T>(index, |now, s, d| ReferendumInfo::Rejected(now, Some(s), d));
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), index);
		assert_eq!(T::Currency::reserved_balance(&who), 1_000u32.into());
		Ok(())
	}

	#[benchmark]
	fn clear_cool_off() -> Result<(), BenchmarkError> {
		let proposal = T::Hash::default();
		CoolOffs::<T>::insert(proposal, frame_system::Pallet::<T>::block_number());
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), proposal);
		assert!(!CoolOffs::<T>::contains_key(proposal));
		Ok(())
	}

	/// Worst case: the track queue is full and must be scanned.
	#[benchmark]
	fn time_out_stranded() -> Result<(), BenchmarkError> {
		let who: T::AccountId = account("proposer", 0, 0);
		let index = funded_referendum::<T>(&who);
		let track = Pallet::<T>::track_records()[0].track.id;
		let mut queue = pallet_referenda::TrackQueue::<T>::get(track);
		for i in 0..<T as pallet_referenda::Config>::MaxQueued::get() {
			let _ = queue.try_push((index.saturating_add(1).saturating_add(i), 0u32.into()));
		}
		pallet_referenda::TrackQueue::<T>::insert(track, queue);
		ReferendumInfoFor::<T>::mutate(index, |info| {
			if let Some(ReferendumInfo::Ongoing(status)) = info {
				status.in_queue = true;
			}
		});
		let timeout: u32 =
			<T as pallet_referenda::Config>::UndecidingTimeout::get().saturated_into();
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(timeout.saturating_add(1).into());
		frame_system::Pallet::<T>::set_block_number(later);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), index);
		assert!(matches!(ReferendumInfoFor::<T>::get(index), Some(ReferendumInfo::TimedOut(..))));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
