//! Benchmarks for evaluation (frame-benchmarking v2), each at its worst case: full tasks, the
//! most criteria, the longest URI.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get, Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use perspective_primitives::ReputationScore;
use sp_runtime::traits::{Bounded, One, Saturating};

const REPUTATION: ReputationScore = 1_000_000;

/// Parameters inside the runtime's bounds (`check_params` accepts them): each value is capped
/// by its bound.
fn bench_params<T: Config>() -> ParamsOf<T> {
	let max_period: BlockNumberFor<T> = BlockNumberFor::<T>::from(100u32).min(T::MaxWindow::get());
	EvaluationParams {
		min_bond: BalanceOf::<T>::from(1_000u32).min(T::MaxMinBond::get()),
		unbonding_delay: BlockNumberFor::<T>::from(10u32).min(T::MaxUnbondingDelay::get()),
		min_reward: BalanceOf::<T>::from(1_000u32).min(T::MaxMinReward::get()),
		min_period: One::one(),
		max_period,
		default_period: BlockNumberFor::<T>::from(10u32).min(max_period),
		min_evaluators: 1,
		tolerance: 10,
		no_show_slash: sp_arithmetic::Perbill::from_percent(10),
		no_show_penalty: T::MaxReputationPenalty::get().min(1_000),
		outlier_penalty: T::MaxReputationPenalty::get().min(1_000),
		accuracy_reward: T::MaxReputationReward::get().min(1_000),
		base_reputation: T::MaxBaseReputation::get().min(1_000),
	}
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	let _ = T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	T::BenchmarkHelper::set_reputation(&who, REPUTATION);
	who
}

fn evaluator<T: Config>(i: u32) -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>("evaluator", i);
	Pallet::<T>::register(RawOrigin::Signed(who.clone()).into(), 10_000u32.into())?;
	Ok(who)
}

fn scores<T: Config>() -> Vec<Score> {
	(0..T::MaxCriteria::get()).map(|c| (50 + c % 10) as Score).collect()
}

/// A task with the most criteria and the longest URI, accepting every evaluator; returns it
/// and its opener.
fn task<T: Config>() -> Result<(TaskId, T::AccountId), BenchmarkError> {
	Params::<T>::put(bench_params::<T>());
	let opener = funded::<T>("opener", 0);
	let criteria = (0..T::MaxCriteria::get())
		.map(|c| {
			let mut name = vec![b'c'; T::MaxCriterionNameLen::get() as usize];
			name[0] = c as u8;
			name
		})
		.collect();
	let period: BlockNumberFor<T> = 10u32.into();
	Pallet::<T>::open_task(
		RawOrigin::Signed(opener.clone()).into(),
		SubjectKind::ModelOutput,
		H256::repeat_byte(1),
		vec![b'u'; T::MaxUriLen::get() as usize],
		criteria,
		1_000_000u32.into(),
		period,
		period,
		1,
		T::MaxEvaluatorsPerTask::get(),
	)
	.map_err(|e| e.error)?;
	Ok((NextTaskId::<T>::get() - 1, opener))
}

fn commit_as<T: Config>(who: &T::AccountId, task: TaskId) -> Result<(), BenchmarkError> {
	let salt = [7u8; 32];
	let commitment = commitment_of(task, who, &scores::<T>(), &salt);
	Pallet::<T>::commit(RawOrigin::Signed(who.clone()).into(), task, commitment)?;
	Ok(())
}

fn reveal_as<T: Config>(who: &T::AccountId, task: TaskId) -> Result<(), BenchmarkError> {
	Pallet::<T>::reveal(RawOrigin::Signed(who.clone()).into(), task, scores::<T>(), [7u8; 32])?;
	Ok(())
}

fn go_to<T: Config>(n: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(n);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		Params::<T>::put(bench_params::<T>());
		let who = funded::<T>("evaluator", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 10_000u32.into());
		assert!(Evaluators::<T>::contains_key(&who));
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		Params::<T>::put(bench_params::<T>());
		let who = evaluator::<T>(0)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 1_000u32.into());
		assert_eq!(Evaluators::<T>::get(&who).map(|i| i.bond), Some(11_000u32.into()));
		Ok(())
	}

	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		Params::<T>::put(bench_params::<T>());
		let who = evaluator::<T>(0)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Evaluators::<T>::get(&who).and_then(|i| i.unbonding_at).is_some());
		Ok(())
	}

	#[benchmark]
	fn withdraw() -> Result<(), BenchmarkError> {
		Params::<T>::put(bench_params::<T>());
		let who = evaluator::<T>(0)?;
		Pallet::<T>::unbond(RawOrigin::Signed(who.clone()).into())?;
		go_to::<T>(frame_system::Pallet::<T>::block_number().saturating_add(100u32.into()));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Evaluators::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn open_task(
		c: Linear<1, { T::MaxCriteria::get() }>,
		u: Linear<0, { T::MaxUriLen::get() }>,
	) -> Result<(), BenchmarkError> {
		Params::<T>::put(bench_params::<T>());
		let opener = funded::<T>("opener", 0);
		let criteria: Vec<Vec<u8>> = (0..c)
			.map(|i| {
				let mut name = vec![b'c'; T::MaxCriterionNameLen::get() as usize];
				name[0] = i as u8;
				name
			})
			.collect();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(opener),
			SubjectKind::ModelOutput,
			H256::repeat_byte(1),
			vec![b'u'; u as usize],
			criteria,
			1_000_000u32.into(),
			10u32.into(),
			10u32.into(),
			1,
			T::MaxEvaluatorsPerTask::get(),
		);
		assert_eq!(NextTaskId::<T>::get(), 1);
		Ok(())
	}

	/// The last commitment of a full task (the duplicate check scans all the others).
	#[benchmark]
	fn commit() -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		let max = T::MaxEvaluatorsPerTask::get();
		for i in 1..max {
			commit_as::<T>(&evaluator::<T>(i)?, task)?;
		}
		let who = evaluator::<T>(0)?;
		let commitment = commitment_of(task, &who, &scores::<T>(), &[7u8; 32]);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), task, commitment);
		assert_eq!(Evaluations::<T>::get(task).len() as u32, max);
		Ok(())
	}

	/// The last reveal of a full task with the most criteria.
	#[benchmark]
	fn reveal() -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		let max = T::MaxEvaluatorsPerTask::get();
		let all: Vec<T::AccountId> = (0..max).map(evaluator::<T>).collect::<Result<_, _>>()?;
		for who in &all {
			commit_as::<T>(who, task)?;
		}
		go_to::<T>(Tasks::<T>::get(task).map(|t| t.commit_end).unwrap_or_default());
		let last = all.last().cloned().ok_or(BenchmarkError::Stop("no evaluator"))?;
		for who in &all[..all.len() - 1] {
			reveal_as::<T>(who, task)?;
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(last), task, scores::<T>(), [7u8; 32]);
		assert_eq!(Tasks::<T>::get(task).map(|t| t.revealed), Some(max));
		Ok(())
	}

	/// Settling a task where all `e` evaluators revealed and agree: each is paid from the pot
	/// and gains reputation.
	#[benchmark]
	fn settle_revealed(e: Linear<1, { T::MaxEvaluatorsPerTask::get() }>) -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		let all: Vec<T::AccountId> = (0..e).map(evaluator::<T>).collect::<Result<_, _>>()?;
		for who in &all {
			commit_as::<T>(who, task)?;
		}
		let t = Tasks::<T>::get(task).ok_or(BenchmarkError::Stop("no task"))?;
		go_to::<T>(t.commit_end);
		for who in &all {
			reveal_as::<T>(who, task)?;
		}
		go_to::<T>(t.reveal_end);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), task);
		assert!(matches!(Tasks::<T>::get(task).map(|t| t.status), Some(TaskStatus::Settled { .. })));
		Ok(())
	}

	/// Settling a task where none of the `e` evaluators revealed: each loses part of the bond
	/// and reputation, the task fails and the opener is refunded.
	#[benchmark]
	fn settle_missed(e: Linear<1, { T::MaxEvaluatorsPerTask::get() }>) -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		for i in 0..e {
			commit_as::<T>(&evaluator::<T>(i)?, task)?;
		}
		let t = Tasks::<T>::get(task).ok_or(BenchmarkError::Stop("no task"))?;
		go_to::<T>(t.reveal_end);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), task);
		assert!(matches!(Tasks::<T>::get(task).map(|t| t.status), Some(TaskStatus::Failed { .. })));
		Ok(())
	}

	/// The hook's own overhead: looking at `v` blocks' (empty) lists of due tasks after
	/// falling behind. Settling each task it finds is charged with `settle_*`.
	#[benchmark]
	fn on_initialize_visits(v: Linear<1, { T::MaxSettlementsPerBlock::get() + 1 }>) {
		let now: BlockNumberFor<T> = 1_000u32.into();
		go_to::<T>(now);
		SettlementCursor::<T>::put(now.saturating_sub((v - 1).into()));
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(SettlementCursor::<T>::get(), Some(now.saturating_add(One::one())));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin = T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = bench_params::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);
		assert_eq!(Params::<T>::get(), Some(params));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
