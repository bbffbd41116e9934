//! Benchmarks for the reputation pallet (frame-benchmarking v2).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use sp_runtime::traits::{One, Saturating};

#[benchmarks]
mod benchmarks {
	use super::*;

	fn seed<T: Config>(who: &T::AccountId) {
		Pallet::<T>::add(who, 1_000_000_000, ReputationReason::Genesis);
		// Let time pass so that both the score and the total need decaying.
		let later = frame_system::Pallet::<T>::block_number().saturating_add(1_000u32.into());
		frame_system::Pallet::<T>::set_block_number(later);
	}

	#[benchmark]
	fn set_half_life() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let half_life = T::MinHalfLife::get().saturating_add(One::one());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, half_life);
		assert_eq!(Pallet::<T>::half_life(), half_life);
		Ok(())
	}

	#[benchmark]
	fn grant() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("who", 0, 0);
		seed::<T>(&who);
		// Within the grant budget (the grant period is read and written either way).
		let amount = T::MaxGrant::get().min(10);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), amount);
		assert!(Pallet::<T>::score_of(&who) > amount);
		Ok(())
	}

	/// The `OnReduced` hook is excluded here; its own bound is added to the call weight.
	#[benchmark]
	fn revoke() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("who", 0, 0);
		seed::<T>(&who);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), 10);
		assert!(Pallet::<T>::score_of(&who) > 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

