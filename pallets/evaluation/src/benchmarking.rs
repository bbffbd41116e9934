//! Benchmarks for evaluation (frame-benchmarking v2), each at its worst case: full panels, the
//! most criteria, the longest URI, a sortition tree at `MaxEvaluators`.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
	BoundedVec,
};
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
		min_period: T::MinWindow::get(),
		max_period,
		default_period: BlockNumberFor::<T>::from(10u32).min(max_period),
		panel_size: T::MaxPanelSize::get(),
		quorum: 1,
		tolerance: 10,
		no_show_slash: sp_arithmetic::Perbill::from_percent(10),
		outlier_slash: sp_arithmetic::Perbill::from_percent(5),
		no_show_penalty: T::MaxReputationPenalty::get().min(1_000),
		outlier_penalty: T::MaxReputationPenalty::get().min(1_000),
		accuracy_reward: T::MaxReputationReward::get().min(1_000),
	}
}

/// Fills slots `first..=last` of the sortition tree with weight-1 placeholders (written
/// directly: node `i` covers slots `i − lowbit(i) + 1 ..= i`), so that the tree is as deep and
/// as full as it gets. Slots outside the range must be empty.
fn fill_with_dust<T: Config>(first: u32, last: u32) {
	let capacity = T::MaxEvaluators::get();
	for slot in first..=last {
		SlotOwners::<T>::insert(slot, (account::<T::AccountId>("dust", slot, 0), 1u128));
	}
	for i in 1..=capacity {
		let low = i & i.wrapping_neg();
		let (from, to) = ((i - low + 1).max(first), i.min(last));
		if from <= to {
			SortitionNodes::<T>::insert(i, (to - from + 1) as u128);
		}
	}
	SlotCount::<T>::put(last);
	TotalDrawWeight::<T>::mutate(|t| *t = t.saturating_add((last + 1 - first) as u128));
}

/// Runs the draw steps of the hook until the tasks opened in this block have their panels.
fn draw_now<T: Config>() {
	for _ in 0..DRAW_DELAY {
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		go_to::<T>(next);
		Pallet::<T>::draw_queued(next);
	}
}

/// `n` evaluators with bonds so large that the dust filling the rest of a full tree is
/// (almost) never drawn.
fn whales<T: Config>(n: u32) -> Result<Vec<T::AccountId>, BenchmarkError> {
	// One slot stays free for the opener (see `draw_panel`).
	fill_with_dust::<T>(1, T::MaxEvaluators::get().saturating_sub(n + 1));
	(0..n)
		.map(|i| {
			let who = funded::<T>("evaluator", i);
			Pallet::<T>::register(RawOrigin::Signed(who.clone()).into(), 1_000_000_000u32.into())?;
			Ok(who)
		})
		.collect()
}

/// The members of `task`'s panel.
fn panel<T: Config>(task: TaskId) -> Vec<T::AccountId> {
	Panels::<T>::get(task).map(|p| p.into_iter().map(|(who, _)| who).collect()).unwrap_or_default()
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

	/// Into slot 1 of an empty tree: the update walks every level.
	#[benchmark]
	fn register() {
		Params::<T>::put(bench_params::<T>());
		let who = funded::<T>("evaluator", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 10_000u32.into());
		assert_eq!(Evaluators::<T>::get(&who).and_then(|i| i.slot), Some(1));
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

	/// Leaving slot 1 of a full tree: the last slot moves into the gap (three updates).
	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		Params::<T>::put(bench_params::<T>());
		let who = evaluator::<T>(0)?;
		fill_with_dust::<T>(2, T::MaxEvaluators::get());
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
		);
		assert_eq!(NextTaskId::<T>::get(), 1);
		Ok(())
	}

	/// The last commitment of a full panel (the duplicate check scans all the others).
	#[benchmark]
	fn commit() -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		whales::<T>(T::MaxPanelSize::get())?;
		draw_now::<T>();
		let members = panel::<T>(task);
		let (last, others) = members.split_last().ok_or(BenchmarkError::Stop("empty panel"))?;
		for who in others {
			commit_as::<T>(who, task)?;
		}
		let commitment = commitment_of(task, last, &scores::<T>(), &[7u8; 32]);
		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), task, commitment);
		assert_eq!(Evaluations::<T>::get(task).len(), members.len());
		Ok(())
	}

	/// The last reveal of a full panel with the most criteria.
	#[benchmark]
	fn reveal() -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		whales::<T>(T::MaxPanelSize::get())?;
		draw_now::<T>();
		let members = panel::<T>(task);
		for who in &members {
			commit_as::<T>(who, task)?;
		}
		go_to::<T>(Tasks::<T>::get(task).map(|t| t.commit_end).unwrap_or_default());
		let (last, others) = members.split_last().ok_or(BenchmarkError::Stop("empty panel"))?;
		for who in others {
			reveal_as::<T>(who, task)?;
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), task, scores::<T>(), [7u8; 32]);
		assert_eq!(Tasks::<T>::get(task).map(|t| t.revealed), Some(members.len() as u32));
		Ok(())
	}

	/// Settling a task where every member of a panel drawn from `e` evaluators revealed and
	/// agrees: each is paid from the pot and gains reputation.
	#[benchmark]
	fn settle_revealed(e: Linear<1, { T::MaxPanelSize::get() }>) -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		whales::<T>(e)?;
		draw_now::<T>();
		let members = panel::<T>(task);
		for who in &members {
			commit_as::<T>(who, task)?;
		}
		let t = Tasks::<T>::get(task).ok_or(BenchmarkError::Stop("no task"))?;
		go_to::<T>(t.commit_end);
		for who in &members {
			reveal_as::<T>(who, task)?;
		}
		go_to::<T>(t.reveal_end);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), task);
		assert!(matches!(Tasks::<T>::get(task).map(|t| t.status), Some(TaskStatus::Settled { .. })));
		Ok(())
	}

	/// Settling a task where no member of a panel drawn from `e` evaluators revealed: each
	/// loses part of the bond (and leaves the tree) and reputation, the task fails and the
	/// opener is refunded.
	#[benchmark]
	fn settle_missed(e: Linear<1, { T::MaxPanelSize::get() }>) -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		let mut params = bench_params::<T>();
		// Each slash takes the bond below `min_bond`: the evaluator leaves the tree too.
		params.min_bond = 1_000_000_000u32.into();
		params.no_show_slash = MAX_NO_SHOW_SLASH;
		Params::<T>::put(params);
		whales::<T>(e)?;
		draw_now::<T>();
		let t = Tasks::<T>::get(task).ok_or(BenchmarkError::Stop("no task"))?;
		go_to::<T>(t.reveal_end);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), task);
		assert!(matches!(Tasks::<T>::get(task).map(|t| t.status), Some(TaskStatus::Failed { .. })));
		Ok(())
	}

	/// Drawing a full panel from a full tree, landing on `m` evaluators (each gets a seat
	/// record and a pending task).
	#[benchmark]
	fn draw_panel(m: Linear<0, { T::MaxPanelSize::get() }>) -> Result<(), BenchmarkError> {
		let (task, opener) = task::<T>()?;
		ToDraw::<T>::kill();
		let drawn = m > 0;
		if drawn {
			whales::<T>(m)?;
			// The opener is an evaluator too: its interval is cut out of every draw.
			Pallet::<T>::register(RawOrigin::Signed(opener).into(), 10_000u32.into())?;
		}
		let seed = T::Hash::default();
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			Pallet::<T>::draw_panel(task, (&seed, &seed), now);
		}
		assert_eq!(Panels::<T>::get(task).map(|p| p.is_empty()), Some(!drawn));
		Ok(())
	}

	/// Deleting `n` finished tasks with full panels and verdicts.
	#[benchmark]
	fn prune_tasks(n: Linear<0, { T::MaxTasksPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let (task, opener) = task::<T>()?;
		let record = Tasks::<T>::get(task).ok_or(BenchmarkError::Stop("no task"))?;
		let full_panel: PanelOf<T> = (0..T::MaxPanelSize::get())
			.map(|i| (account::<T::AccountId>("member", i, 0), 1u32))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| BenchmarkError::Stop("panel"))?;
		let verdicts: VerdictsOf<T> = full_panel
			.iter()
			.map(|(who, _)| (who.clone(), Verdict::Unscored))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| BenchmarkError::Stop("verdicts"))?;
		let now: BlockNumberFor<T> = 1_000u32.into();
		let mut scheduled: BoundedVec<TaskId, T::MaxTasksPerBlock> = BoundedVec::new();
		for id in 0..n as TaskId {
			let id = id + 1_000;
			let mut r = record.clone();
			r.opener = opener.clone();
			r.status = TaskStatus::Failed { at: One::one() };
			Tasks::<T>::insert(id, r);
			Panels::<T>::insert(id, full_panel.clone());
			Verdicts::<T>::insert(id, verdicts.clone());
			scheduled.try_push(id).map_err(|_| BenchmarkError::Stop("schedule"))?;
		}
		PruneAt::<T>::insert(now, scheduled);
		#[block]
		{
			Pallet::<T>::prune_due(now);
		}
		assert!(!Tasks::<T>::contains_key(1_000) || n == 0);
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
