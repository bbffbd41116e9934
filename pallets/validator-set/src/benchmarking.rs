//! Benchmarks for the validator set (frame-benchmarking v2). `approve`, `remove` and `resign`
//! rewrite the sorted set, so they are measured over its size `v`.

use super::*;
use frame_benchmarking::v2::*;
use alloc::vec::Vec;
use frame_support::traits::{
	fungible::{Inspect, Mutate, MutateHold},
	EnsureOrigin, Get, Hooks,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Bounded, One, StaticLookup},
	Perbill,
};

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let _ = T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

fn min_bond<T: Config>() -> BalanceOf<T> {
	Params::<T>::get().min_bond.max(T::Currency::minimum_balance())
}

/// A funded operator with session keys and a pending application.
fn applicant<T: Config>(i: u32) -> T::AccountId {
	let who = funded::<T>("applicant", i);
	T::BenchmarkHelper::register_session_keys(&who);
	Pallet::<T>::do_apply(who.clone(), min_bond::<T>()).expect("the applicant can apply");
	who
}

/// Grows the approved set to `size` validators (bonded, recorded) and lowers `min_validators`
/// to `min` so removals are allowed.
fn set_of_size<T: Config>(size: u32, min: u32) {
	let mut validators = Validators::<T>::get();
	let mut i = 0;
	while (validators.len() as u32) < size {
		let who = funded::<T>("validator", i);
		i += 1;
		T::Currency::hold(&HoldReason::ValidatorBond.into(), &who, min_bond::<T>())
			.expect("funded");
		Operators::<T>::insert(
			&who,
			Operator {
				bond: min_bond::<T>(),
				status: OperatorStatus::Validating,
				last_offence: None,
			},
		);
		let position = validators.binary_search(&who).unwrap_or_else(|p| p);
		validators.try_insert(position, who).expect("size <= MaxValidators");
	}
	Validators::<T>::put(validators);
	Params::<T>::mutate(|p| p.min_validators = min.max(1));
}

fn lookup<T: Config>(who: &T::AccountId) -> AccountIdLookupOf<T> {
	T::Lookup::unlookup(who.clone())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply() {
		let who = funded::<T>("applicant", 0);
		T::BenchmarkHelper::register_session_keys(&who);
		let bond = min_bond::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), bond);

		assert_eq!(Operators::<T>::get(&who).map(|o| o.status), Some(OperatorStatus::Applied));
	}

	#[benchmark]
	fn withdraw_application() {
		let who = applicant::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Operators::<T>::get(&who).is_none());
	}

	/// The set holds `v` validators before the approval.
	#[benchmark]
	fn approve(v: Linear<1, { T::MaxValidators::get() - 1 }>) -> Result<(), BenchmarkError> {
		set_of_size::<T>(v, 1);
		let who = applicant::<T>(0);
		let origin =
			T::ManagerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup::<T>(&who));

		assert!(Validators::<T>::get().contains(&who));
		Ok(())
	}

	/// The set holds `v` validators before the removal; the bond is slashed.
	#[benchmark]
	fn remove(v: Linear<2, { T::MaxValidators::get() }>) -> Result<(), BenchmarkError> {
		set_of_size::<T>(v, 1);
		let who = Validators::<T>::get()[0].clone();
		let origin =
			T::ManagerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup::<T>(&who), Perbill::from_percent(10).min(T::MaxSlash::get()));

		assert!(!Validators::<T>::get().contains(&who));
		Ok(())
	}

	/// The set holds `v` validators before the resignation.
	#[benchmark]
	fn resign(v: Linear<2, { T::MaxValidators::get() }>) {
		set_of_size::<T>(v, 1);
		let who = Validators::<T>::get()[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Validators::<T>::get().contains(&who));
	}

	/// A validator that left (not one of the genesis validators, which the session set holds).
	#[benchmark]
	fn withdraw_bond() {
		set_of_size::<T>(Validators::<T>::decode_len().unwrap_or(0) as u32 + 1, 1);
		let who: T::AccountId = account("validator", 0, 0);
		Pallet::<T>::do_resign(who.clone()).expect("the set is above its minimum");
		let Some(OperatorStatus::Unbonding { withdrawable_at }) =
			Operators::<T>::get(&who).map(|operator| operator.status)
		else {
			panic!("a resigned validator unbonds")
		};
		frame_system::Pallet::<T>::set_block_number(withdrawable_at);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Operators::<T>::get(&who).is_none());
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let params = ValidatorSetParams {
			min_bond: min_bond::<T>().min(T::MaxMinBond::get()),
			min_validators: 1,
			unbonding_period: T::MinUnbondingPeriod::get(),
			offence_slash: T::MaxSlash::get(),
		};
		set_of_size::<T>(1, 1);
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params.clone());

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// An account that never validated (or whose bond was withdrawn) drops its session keys.
	#[benchmark]
	fn purge_keys() {
		let who = funded::<T>("retired", 0);
		T::BenchmarkHelper::register_session_keys(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		frame_system::Pallet::<T>::assert_last_event(
			<T as frame_system::Config>::RuntimeEvent::from(Event::<T>::KeysPurged { who }).into(),
		);
	}

	/// A block in which no session ends: the hook asks the consensus engine.
	#[benchmark]
	fn on_initialize_idle() {
		let now: BlockNumberFor<T> = One::one();
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(CurrentSession::<T>::get(), 0);
	}

	/// A rotation that hands over a changed set of `v` validators with session keys, while the
	/// set queued at the previous rotation (also changed) becomes the authority set. The hook
	/// charges this on top of `on_initialize_idle` (the check that the epoch is over).
	#[benchmark]
	fn rotate_session(v: Linear<1, { T::MaxValidators::get() }>) {
		let mut validators: Vec<T::AccountId> = (0..v)
			.map(|i| {
				let who = funded::<T>("validator", i);
				T::BenchmarkHelper::register_session_keys(&who);
				who
			})
			.collect();
		validators.sort();
		let set: ValidatorsOf<T> = validators.try_into().expect("v <= MaxValidators");
		Validators::<T>::put(set);
		SetChanged::<T>::put(true);
		T::Sessions::rotate();
		SetChanged::<T>::put(true);
		let session = CurrentSession::<T>::get();
		// Every validator of the set is a punished offender, disabled again at the new session.
		DisabledOffenders::<T>::put(Validators::<T>::get());

		#[block]
		{
			T::Sessions::rotate();
		}

		assert_eq!(CurrentSession::<T>::get(), session + 1);
	}

	/// The chain reports an offence by a validator of a set of `v`: its bond is slashed, it is
	/// disabled and leaves the set.
	#[benchmark]
	fn on_offence(v: Linear<2, { T::MaxValidators::get() }>) {
		set_of_size::<T>(v, 1);
		let who = Validators::<T>::get()[0].clone();
		let session = CurrentSession::<T>::get();

		#[block]
		{
			Pallet::<T>::punish_offender(&who, session);
		}

		let operator = Operators::<T>::get(&who).expect("still unbonding");
		assert_eq!(operator.last_offence, Some(session));
		assert!(!Validators::<T>::get().contains(&who));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

