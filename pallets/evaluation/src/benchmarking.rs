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
use frame_support::traits::fungible::MutateHold;
use sp_runtime::{
	traits::{Bounded, One, Saturating, Zero},
	SaturatedConversion,
};

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
		appeal_period: Zero::zero(),
		appeal_bond_base: BalanceOf::<T>::from(1_000u32).min(T::MaxAppealBondBase::get()),
		max_appeal_rounds: T::MaxAppealRounds::get(),
		governance_period: T::MinWindow::get(),
	}
}

/// `bench_params` with appeals on.
fn appeal_params<T: Config>() -> ParamsOf<T> {
	ParamsOf::<T> { appeal_period: T::MinWindow::get(), ..bench_params::<T>() }
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
	// `c % 10` is below 10, so the conversion never fails: scores 50..=59.
	(0..T::MaxCriteria::get()).map(|c| 50 + Score::try_from(c % 10).unwrap_or_default()).collect()
}

/// A task with the most criteria and the longest URI, accepting every evaluator; returns it
/// and its opener.
fn task<T: Config>() -> Result<(TaskId, T::AccountId), BenchmarkError> {
	task_with::<T>(bench_params::<T>())
}

/// [`task`] opened under `params`.
fn task_with<T: Config>(params: ParamsOf<T>) -> Result<(TaskId, T::AccountId), BenchmarkError> {
	Params::<T>::put(params);
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

	/// The pledge that completes the first appeal's bond after `MaxAppealBackers − 1` others:
	/// the round (a full panel, every member revealed) is archived, its consensus computed, and
	/// the appeal round queued for its draw.
	#[benchmark]
	fn appeal() -> Result<(), BenchmarkError> {
		let (task, _) = task_with::<T>(appeal_params::<T>())?;
		whales::<T>(T::MaxPanelSize::get())?;
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
		let params = appeal_params::<T>();
		let required = disputes::appeal_bond(params.appeal_bond_base.saturated_into(), 1);
		let mut raised = 0u128;
		for i in 0..T::MaxAppealBackers::get().saturating_sub(1) {
			let pledge = disputes::min_pledge(required, raised, T::MaxAppealBackers::get());
			if pledge == required.saturating_sub(raised) {
				break;
			}
			let backer = funded::<T>("backer", i);
			Pallet::<T>::appeal(RawOrigin::Signed(backer).into(), task, pledge.saturated_into())?;
			raised = raised.saturating_add(pledge);
		}
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), task, required.saturating_sub(raised).saturated_into());
		assert_eq!(Tasks::<T>::get(task).map(|t| t.round), Some(1));
		assert!(Rounds::<T>::contains_key(task, 0));
		Ok(())
	}

	#[benchmark]
	fn decide_dispute() -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		let until = frame_system::Pallet::<T>::block_number().saturating_add(10u32.into());
		Disputes::<T>::insert(
			task,
			DisputeRecord::<T> { appeals: BoundedVec::new(), decision: None, governance_until: Some(until) },
		);
		let origin = T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, task, scores::<T>());
		assert!(Disputes::<T>::get(task).and_then(|d| d.decision).is_some());
		Ok(())
	}

	/// Settling a dispute whose rounds hold `m` members: every other member an outlier (its
	/// slash takes the bond below `min_bond`, so it also leaves the tree), the rest within
	/// tolerance (round 0 paid from the pot, later rounds from the penalties); every appeal with
	/// `MaxAppealBackers` backers, alternately upheld (refunded and paid) and rejected
	/// (slashed); the verdict decided by governance.
	#[benchmark]
	fn settle_dispute(m: Linear<1, { MaxDisputeMembers::<T>::get() }>) -> Result<(), BenchmarkError> {
		let (task, _) = task::<T>()?;
		let mut params = appeal_params::<T>();
		params.min_bond = 1_000_000_000u32.into();
		params.outlier_slash = MAX_NO_SHOW_SLASH;
		Params::<T>::put(params);
		let rounds = T::MaxAppealRounds::get() + 1;
		let honest = scores::<T>();
		let liar: Vec<Score> = honest.iter().map(|s| s.saturating_add(40)).collect();
		let mut placed = 0u32;
		for round in 0..rounds {
			let mut members: RoundMembersOf<T> = BoundedVec::new();
			let capacity = round_seats(T::MaxPanelSize::get(), round);
			while placed < m && (members.len() as u32) < capacity {
				let who = funded::<T>("member", placed);
				if SlotCount::<T>::get() < T::MaxEvaluators::get() {
					Pallet::<T>::register(RawOrigin::Signed(who.clone()).into(), 1_000_000_000u32.into())?;
				} else {
					// A small test tree is full: a bonded evaluator outside it.
					let bond: BalanceOf<T> = 1_000_000_000u32.into();
					T::Currency::hold(&HoldReason::EvaluatorBond.into(), &who, bond)?;
					Evaluators::<T>::insert(
						&who,
						EvaluatorInfo {
							bond,
							unbonding_at: None,
							pending_tasks: 0,
							slot: None,
							accurate: 0,
							outliers: 0,
							missed: 0,
							earned: Zero::zero(),
						},
					);
				}
				let scores = if placed % 2 == 0 { liar.clone() } else { honest.clone() };
				Drawn::<T>::insert(&who, task, 1u32);
				Evaluators::<T>::mutate(&who, |i| {
					if let Some(i) = i {
						i.pending_tasks += 1;
					}
				});
				let scores: ScoresOf<T> = scores.try_into().map_err(|_| BenchmarkError::Stop("scores"))?;
				members.try_push((who, 1, Some(scores))).map_err(|_| BenchmarkError::Stop("round"))?;
				placed += 1;
			}
			let consensus: ScoresOf<T> = honest.clone().try_into().map_err(|_| BenchmarkError::Stop("scores"))?;
			Rounds::<T>::insert(task, round, RoundRecord { panel_size: capacity, quorum: 1, members, consensus: Some(consensus) });
		}
		let mut appeals: BoundedVec<AppealOf<T>, MaxAppeals<T>> = BoundedVec::new();
		for round in 1..=rounds {
			let contested = if round % 2 == 0 { honest.clone() } else { liar.clone() };
			let mut backers: BackersOf<T> = BoundedVec::new();
			let each: BalanceOf<T> = 1_000u32.into();
			for b in 0..T::MaxAppealBackers::get() {
				let backer = funded::<T>("backer", round * 100 + b);
				T::Currency::hold(&HoldReason::AppealBond.into(), &backer, each)?;
				backers.try_push((backer, each)).map_err(|_| BenchmarkError::Stop("backers"))?;
			}
			let bond = each.saturating_mul(T::MaxAppealBackers::get().into());
			let contested: ScoresOf<T> = contested.try_into().map_err(|_| BenchmarkError::Stop("scores"))?;
			appeals.try_push(AppealRecord { round, bond, backers, contested }).map_err(|_| BenchmarkError::Stop("appeals"))?;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let decision: ScoresOf<T> = honest.clone().try_into().map_err(|_| BenchmarkError::Stop("scores"))?;
		Disputes::<T>::insert(task, DisputeRecord::<T> { appeals, decision: Some(decision), governance_until: Some(now) });
		Tasks::<T>::mutate(task, |t| {
			if let Some(t) = t {
				t.round = rounds;
				t.due = now;
			}
		});
		// Appealed tasks leave the hook's due lists.
		DueAt::<T>::iter_keys().collect::<Vec<_>>().into_iter().for_each(|b| Pallet::<T>::forget_due(task, b));
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), task);
		assert!(matches!(Tasks::<T>::get(task).map(|t| t.status), Some(TaskStatus::Settled { .. })));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
