//! Tests of the evaluation pallet: panels drawn by lot, per-seat settlement, task capacity,
//! pruning, parameters, and the attacks of the 2026-12 adversarial review (C-2, H-1, H-2, M-1,
//! M-2), each replayed against the new design.
//!
//! A task opened in block n is drawn in block n + 2 (`DRAW_DELAY`), from the randomness the
//! hooks of blocks n + 1 and n + 2 read (so from `RandomSeed` in those hooks), the task id and
//! the sortition tree as it was at the end of block n. A test that needs a panel of a given
//! shape finds a seed with [`seed_where`] (a fresh externality per seed, same setup) and then
//! replays that setup under that seed, so it never depends on one hash value.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		Get, Hooks,
	},
	weights::Weight,
};
use perspective_primitives::ReputationReason;
use sp_runtime::{traits::BadOrigin, DispatchError};

type E = crate::Error<Test>;

/// The reward pot of the tasks [`open`] opens.
const REWARD: u64 = 1_000;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn salt(who: u64) -> [u8; 32] {
	[who as u8; 32]
}

fn held_bond(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who)
}

fn held_reward(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::TaskReward.into(), &who)
}

fn reputation(who: u64) -> u128 {
	ReputationTable::get().get(&who).copied().unwrap_or(0)
}

/// Gives `who` 10,000 more.
fn fund(who: u64) {
	assert_ok!(<Balances as Mutate<u64>>::mint_into(&who, 10_000));
}

fn register_all(accounts: &[(u64, u64)]) {
	for (who, bond) in accounts {
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(*who), *bond));
	}
}

/// Opens a direct task with two criteria (`accuracy`, `safety`) and returns its id.
fn open_with(opener: u64, reward: u64, commit_period: u64, reveal_period: u64) -> TaskId {
	assert_ok!(Evaluation::open_task(
		RuntimeOrigin::signed(opener),
		SubjectKind::ModelOutput,
		H256::repeat_byte(7),
		b"ipfs://output".to_vec(),
		vec![b"accuracy".to_vec(), b"safety".to_vec()],
		reward,
		commit_period,
		reveal_period,
	));
	NextTaskId::<Test>::get() - 1
}

/// A direct two-criteria task with reward 1,000 and windows of 5 blocks: opened at block 1 it
/// is drawn at 3 (`DRAW_DELAY` = 2 blocks later), takes commits from its draw until before
/// 1 + 2 + 5 = 8 and reveals before 13, and falls due at 13.
fn open(opener: u64) -> TaskId {
	open_with(opener, REWARD, PERIOD, PERIOD)
}

/// What another pallet (contributions) asks for: one criterion, default windows.
fn request() -> TaskRequest {
	TaskRequest {
		kind: SubjectKind::Dataset,
		content_hash: H256::repeat_byte(3),
		uri: b"ipfs://data".to_vec(),
		criteria: vec![b"quality".to_vec()],
	}
}

fn open_by_pallet(opener: u64, reward: u64) -> Result<TaskId, DispatchError> {
	<Evaluation as EvaluationTasks<u64, u64>>::open_task(&opener, request(), reward)
}

fn consensus_of(task: TaskId) -> Option<Vec<Score>> {
	<Evaluation as EvaluationTasks<u64, u64>>::consensus_of(task)
}

/// The drawn panel of `task` (empty before the draw).
fn drawn(task: TaskId) -> Vec<(u64, u32)> {
	Panels::<Test>::get(task).map(|p| p.into_inner()).unwrap_or_default()
}

fn seats_of(panel: &[(u64, u32)], who: u64) -> u32 {
	panel.iter().filter(|(w, _)| *w == who).map(|(_, s)| *s).sum()
}

/// The seat counts of a panel, sorted.
fn shape(panel: &[(u64, u32)]) -> Vec<u32> {
	let mut seats: Vec<u32> = panel.iter().map(|(_, s)| *s).collect();
	seats.sort();
	seats
}

fn next_block() {
	run_to(System::block_number() + 1);
}

fn commit(task: TaskId, who: u64, scores: &[Score]) {
	assert_ok!(Evaluation::commit(
		RuntimeOrigin::signed(who),
		task,
		commitment_of(task, &who, scores, &salt(who))
	));
}

fn reveal(task: TaskId, who: u64, scores: &[Score]) {
	assert_ok!(Evaluation::reveal(RuntimeOrigin::signed(who), task, scores.to_vec(), salt(who)));
}

/// Every member commits now (within the commit window), then, from the commit window's end,
/// reveals. Leaves the chain at the task's `commit_end`.
fn commit_reveal_all(task: TaskId, members: &[(u64, Vec<Score>)]) {
	for (who, scores) in members {
		commit(task, *who, scores);
	}
	run_to(Tasks::<Test>::get(task).unwrap().commit_end);
	for (who, scores) in members {
		reveal(task, *who, scores);
	}
}

fn commit_reveal(task: TaskId, who: u64, scores: &[Score]) {
	commit_reveal_all(task, &[(who, scores.to_vec())]);
}

/// Each member of `task`'s panel does what is due at this block: commit `scores(who)` in the
/// commit window, reveal it in the reveal window.
fn act(task: TaskId, scores: impl Fn(u64) -> Vec<Score>) {
	let Some(record) = Tasks::<Test>::get(task) else { return };
	if record.status != TaskStatus::Open {
		return;
	}
	let now = System::block_number();
	let evaluations = Evaluations::<Test>::get(task);
	for (who, _) in drawn(task) {
		let entry = evaluations.iter().find(|e| e.who == who);
		if now < record.commit_end {
			if entry.is_none() {
				commit(task, who, &scores(who));
			}
		} else if now < record.reveal_end && entry.map_or(false, |e| e.scores.is_none()) {
			reveal(task, who, &scores(who));
		}
	}
}

/// No task is still open at or after the block it fell due.
fn assert_nothing_overdue() {
	let now = System::block_number();
	for (id, t) in Tasks::<Test>::iter() {
		if t.status == TaskStatus::Open {
			assert!(
				t.reveal_end > now,
				"task {id}, due at {}, is still open at {now}",
				t.reveal_end
			);
		}
	}
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Evaluation(e) = r.event { Some(e) } else { None })
		.collect()
}

/// The block a task opened at block 1 is drawn in.
const DRAWN_AT: u64 = 1 + DRAW_DELAY as u64;

/// Under `seed`: runs `setup`, opens a task at block 1 and runs to its draw at block 3
/// ([`DRAWN_AT`]). Returns the task and its panel.
fn drawn_task(seed: u64, setup: impl Fn()) -> (TaskId, Vec<(u64, u32)>) {
	RandomSeed::set(seed);
	setup();
	let task = open(OPENER);
	run_to(DRAWN_AT - 1);
	assert!(Panels::<Test>::get(task).is_none(), "drawn before block {DRAWN_AT}");
	run_to(DRAWN_AT);
	(task, drawn(task))
}

/// The first seed under which [`drawn_task`] with `setup` draws a panel that is `wanted` (the
/// seed holds in every block up to the draw, so the two blocks' randomness both derive from it).
fn seed_where(setup: impl Fn(), wanted: impl Fn(&[(u64, u32)]) -> bool) -> u64 {
	(0..1_000u64)
		.find(|seed| {
			new_test_ext().execute_with(|| {
				let (_, panel) = drawn_task(*seed, &setup);
				wanted(&panel)
			})
		})
		.expect("one of 1,000 seeds draws the wanted panel")
}

/// The mock's parameters with `f` applied.
fn params_with(f: impl FnOnce(&mut EvaluationParams<u64, u64>)) -> EvaluationParams<u64, u64> {
	let mut p = params();
	f(&mut p);
	p
}

// ---------------------------------------------------------------------------------------------
// Registration, bonds, the sortition tree
// ---------------------------------------------------------------------------------------------

#[test]
fn register_holds_the_bond_and_puts_the_evaluator_in_the_draw() {
	build_and_execute(|| {
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(1), 150));
		assert_eq!(held_bond(1), 150);
		assert_eq!(Balances::balance(&1), 10_000 - 150);
		System::assert_last_event(Event::EvaluatorRegistered { who: 1, bond: 150 }.into());
		let info = Evaluators::<Test>::get(1).unwrap();
		assert_eq!(
			(info.bond, info.slot, info.pending_tasks, info.unbonding_at),
			(150, Some(1), 0, None)
		);
		assert_eq!(SlotOwners::<Test>::get(1), Some((1, 150)));
		assert_eq!((SlotCount::<Test>::get(), TotalDrawWeight::<Test>::get()), (1, 150));

		assert_noop!(Evaluation::register(RuntimeOrigin::signed(1), 150), E::AlreadyEvaluator);
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(2), MIN_BOND - 1), E::BondTooLow);
		// Holding the whole balance would leave nothing to keep the account alive.
		assert_noop!(
			Evaluation::register(RuntimeOrigin::signed(2), 10_000),
			E::InsufficientBalance
		);
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(99), 100), E::InsufficientBalance);
		assert_noop!(Evaluation::bond_extra(RuntimeOrigin::signed(2), 10), E::NotEvaluator);
		assert_noop!(Evaluation::unbond(RuntimeOrigin::signed(2)), E::NotEvaluator);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(2)), E::NotEvaluator);

		// A second evaluator takes the next slot; an added bond is the new draw weight.
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(2), 100));
		assert_eq!(Evaluators::<Test>::get(2).unwrap().slot, Some(2));
		assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(1), 50));
		System::assert_last_event(Event::BondIncreased { who: 1, bond: 200 }.into());
		assert_eq!(held_bond(1), 200);
		assert_eq!(Evaluators::<Test>::get(1).unwrap().bond, 200);
		assert_eq!(SlotOwners::<Test>::get(1), Some((1, 200)));
		assert_eq!(SlotOwners::<Test>::get(2), Some((2, 100)));
		assert_eq!((SlotCount::<Test>::get(), TotalDrawWeight::<Test>::get()), (2, 300));
		assert_noop!(
			Evaluation::bond_extra(RuntimeOrigin::signed(1), 10_000),
			E::InsufficientBalance
		);
	});
}

/// Every call that reads the parameters (`register`, `bond_extra`, `unbond`, `open_task` and the
/// pallet-facing `open_task`, `appeal`, `settle`, and the hook's settlement) fails with
/// `NotConfigured` while there are none; the calls that do not read them (`commit`, `reveal`)
/// still work, and once governance sets parameters the stuck task settles.
#[test]
fn every_call_that_needs_params_fails_before_governance_sets_them() {
	build_and_execute(|| {
		register_all(&[(1, 150)]);
		let task = open(OPENER);
		Params::<Test>::kill();
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(2), 150), E::NotConfigured);
		assert_noop!(Evaluation::bond_extra(RuntimeOrigin::signed(1), 10), E::NotConfigured);
		assert_noop!(Evaluation::unbond(RuntimeOrigin::signed(1)), E::NotConfigured);
		assert_noop!(
			Evaluation::open_task(
				RuntimeOrigin::signed(OPENER),
				SubjectKind::Other,
				H256::zero(),
				vec![],
				vec![b"q".to_vec()],
				100,
				PERIOD,
				PERIOD,
			),
			E::NotConfigured
		);
		assert_noop!(open_by_pallet(OPENER, 100), E::NotConfigured);

		// The draw does not read the parameters; commit and reveal do not either.
		run_to(DRAWN_AT);
		assert_eq!(drawn(task), vec![(1, 3)]);
		commit_reveal(task, 1, &[60, 40]);
		// `appeal` reads them first (before even looking at the task).
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(2), task, 100),
			E::NotConfigured
		);
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(2), 99, 100),
			E::NotConfigured
		);

		// The hook cannot settle the task at its due block (13): it stays open ...
		run_to(13);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Open);
		assert!(!events().iter().any(|e| matches!(e, Event::TaskSettled { .. })));
		assert_eq!(held_reward(OPENER), REWARD);
		// ... and neither can `settle`.
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::NotConfigured);

		// Once governance sets parameters, the fallback settles it.
		assert_ok!(Evaluation::set_params(RuntimeOrigin::root(), params()));
		assert_ok!(Evaluation::settle(RuntimeOrigin::signed(6), task));
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().status,
			TaskStatus::Settled { consensus: vec![60, 40].try_into().unwrap(), at: 13 }
		);
		assert_eq!(held_reward(OPENER), 0);
	});
}

#[test]
fn unbond_leaves_the_draw_at_once_and_withdraw_waits_for_drawn_tasks() {
	build_and_execute(|| {
		register_all(&[(1, 150)]);
		// Drawn at 3, commits before 1 + 2 + 10 = 13, due at 23.
		let task = open_with(OPENER, REWARD, 10, 10);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::NotUnbonding);
		run_to(3);
		assert_eq!(drawn(task), vec![(1, 3)]);
		assert_eq!(Evaluators::<Test>::get(1).unwrap().pending_tasks, 1);

		assert_ok!(Evaluation::unbond(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::UnbondingStarted { who: 1, unlock_at: 13 }.into());
		// Out of the draw at once ...
		let info = Evaluators::<Test>::get(1).unwrap();
		assert_eq!((info.slot, info.unbonding_at), (None, Some(13)));
		assert_eq!((SlotCount::<Test>::get(), TotalDrawWeight::<Test>::get()), (0, 0));
		assert_eq!(SlotOwners::<Test>::get(1), None);
		assert_noop!(Evaluation::unbond(RuntimeOrigin::signed(1)), E::Unbonding);
		assert_noop!(Evaluation::bond_extra(RuntimeOrigin::signed(1), 1), E::Unbonding);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::UnbondingNotOver);
		// ... so a task opened now (in the block of the unbond, which its draw sees) finds
		// nobody to draw at its draw, two blocks later ...
		let later = open(OPENER);
		run_to(4);
		assert_eq!(Tasks::<Test>::get(later).unwrap().status, TaskStatus::Open);
		run_to(5);
		assert_eq!(Tasks::<Test>::get(later).unwrap().status, TaskStatus::Failed { at: 5 });
		System::assert_has_event(
			Event::TaskFailed { task: later, revealed: 0, required: 2, refunded: REWARD }.into(),
		);
		// ... but it keeps the seats it was drawn for, with its bond at stake.
		assert_eq!(Drawn::<Test>::get(1, task), Some(3));
		run_to(13);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::HasPendingTasks);

		// It never commits: at the due block a no-show on 3 seats loses 3 × 10% × 100 = 30.
		run_to(23);
		System::assert_has_event(Event::RevealMissed { task, who: 1, slashed: 30 }.into());
		System::assert_has_event(
			Event::TaskFailed { task, revealed: 0, required: 2, refunded: REWARD }.into(),
		);
		assert_eq!(held_bond(1), 120);
		assert_eq!(Evaluators::<Test>::get(1).unwrap().pending_tasks, 0);
		assert_ok!(Evaluation::withdraw(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::EvaluatorWithdrawn { who: 1, amount: 120 }.into());
		assert_eq!(held_bond(1), 0);
		assert_eq!(Balances::balance(&1), 10_000 - 30);
		assert!(Evaluators::<Test>::get(1).is_none());
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::NotEvaluator);
	});
}

#[test]
fn a_full_draw_refuses_evaluators_until_a_slot_frees() {
	build_and_execute(|| {
		for who in [7, 8, 9, 11, 12, 13] {
			fund(who);
		}
		let eight: Vec<(u64, u64)> = (1..=8).map(|who| (who, 100)).collect();
		register_all(&eight);
		assert_eq!(SlotCount::<Test>::get(), MAX_EVALUATORS);
		assert_eq!(TotalDrawWeight::<Test>::get(), 800);
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(9), 100), E::EvaluatorSetFull);

		// Unbonding frees a slot at once: the last slot's evaluator moves into the gap.
		assert_ok!(Evaluation::unbond(RuntimeOrigin::signed(1)));
		assert_eq!(SlotCount::<Test>::get(), 7);
		assert_eq!(Evaluators::<Test>::get(8).unwrap().slot, Some(1));
		assert_eq!(SlotOwners::<Test>::get(1), Some((8, 100)));
		assert_eq!(SlotOwners::<Test>::get(8), None);
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(9), 100));
		assert_eq!(Evaluators::<Test>::get(9).unwrap().slot, Some(8));
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(11), 100), E::EvaluatorSetFull);

		// Slashed below the minimum bond, an evaluator leaves the draw too. Nobody commits to
		// this task: every member loses at least 10 at the due block.
		let task = open(OPENER);
		run_to(3);
		let slashed: Vec<u64> = drawn(task).iter().map(|(who, _)| *who).collect();
		assert!(!slashed.is_empty() && !slashed.contains(&1));
		run_to(13);
		for who in &slashed {
			let info = Evaluators::<Test>::get(who).unwrap();
			assert!(info.bond < MIN_BOND);
			assert_eq!(info.slot, None);
		}
		assert_eq!(SlotCount::<Test>::get(), MAX_EVALUATORS - slashed.len() as u32);
		// Newcomers take the freed slots; a slashed evaluator then cannot top up back in.
		for who in [11, 12, 13].into_iter().take(slashed.len()) {
			assert_ok!(Evaluation::register(RuntimeOrigin::signed(who), 100));
		}
		assert_eq!(SlotCount::<Test>::get(), MAX_EVALUATORS);
		assert_noop!(
			Evaluation::bond_extra(RuntimeOrigin::signed(slashed[0]), 100),
			E::EvaluatorSetFull
		);
		// An evaluator in the draw may still add to its bond.
		assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(11), 100));
		assert_eq!(
			SlotOwners::<Test>::get(Evaluators::<Test>::get(11).unwrap().slot.unwrap()),
			Some((11, 200))
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Opening tasks
// ---------------------------------------------------------------------------------------------

#[test]
fn open_task_holds_the_reward_books_capacity_and_checks_its_input() {
	build_and_execute(|| {
		let task = open(OPENER);
		assert_eq!(held_reward(OPENER), REWARD);
		let t = Tasks::<Test>::get(task).unwrap();
		assert_eq!(
			(t.commit_end, t.reveal_end, t.panel_size, t.quorum, t.committed, t.revealed),
			(8, 13, 3, 2, 0, 0)
		);
		// The commit window starts at the draw: 1 + DRAW_DELAY + 5.
		assert_eq!(t.commit_end, 1 + DRAW_DELAY as u64 + PERIOD);
		assert_eq!(t.status, TaskStatus::Open);
		assert_eq!(DueAt::<Test>::get(13).into_inner(), vec![task]);
		assert_eq!(PruneAt::<Test>::get(13 + RETENTION).into_inner(), vec![task]);
		assert_eq!(ToDraw::<Test>::get().into_inner(), vec![task]);
		assert_eq!((DirectOpened::<Test>::get(), DirectDueAt::<Test>::get(13)), (1, 1));
		System::assert_last_event(
			Event::TaskOpened {
				task,
				opener: OPENER,
				kind: SubjectKind::ModelOutput,
				content_hash: H256::repeat_byte(7),
				reward: REWARD,
				commit_end: 8,
				reveal_end: 13,
			}
			.into(),
		);

		let attempt = |criteria: Vec<Vec<u8>>, uri: Vec<u8>, reward: u64, c: u64, r: u64| {
			Evaluation::open_task(
				RuntimeOrigin::signed(OPENER),
				SubjectKind::Dataset,
				H256::zero(),
				uri,
				criteria,
				reward,
				c,
				r,
			)
		};
		let two = || vec![b"a".to_vec(), b"b".to_vec()];
		assert_noop!(attempt(vec![], vec![], 100, 5, 5), E::NoCriteria);
		assert_noop!(
			attempt((0..5u8).map(|i| vec![b'a' + i]).collect(), vec![], 100, 5, 5),
			E::TooManyCriteria
		);
		assert_noop!(
			attempt(vec![b"a".to_vec(), b"a".to_vec()], vec![], 100, 5, 5),
			E::DuplicateCriterion
		);
		assert_noop!(attempt(vec![vec![]], vec![], 100, 5, 5), E::BadCriterionName);
		assert_noop!(attempt(vec![vec![b'x'; 17]], vec![], 100, 5, 5), E::BadCriterionName);
		assert_noop!(attempt(two(), vec![0; 65], 100, 5, 5), E::UriTooLong);
		assert_noop!(attempt(two(), vec![], 49, 5, 5), E::RewardTooLow);
		assert_noop!(attempt(two(), vec![], 100, 1, 5), E::PeriodOutOfBounds);
		assert_noop!(attempt(two(), vec![], 100, 5, 21), E::PeriodOutOfBounds);
		// 9,000 left free, 1 of it needed to stay alive.
		assert_noop!(attempt(two(), vec![], 9_000, 5, 5), E::InsufficientBalance);
		// The bounds themselves are accepted: 4 criteria of 16 bytes, a 64-byte URI, windows 2 and
		// 20 (commits from the draw at 3 until before 3 + 2, reveals before 5 + 20).
		let four: Vec<Vec<u8>> = (0..4u8).map(|i| vec![b'a' + i; 16]).collect();
		assert_ok!(attempt(four, vec![0; 64], 50, 2, 20));
		let t = Tasks::<Test>::get(task + 1).unwrap();
		assert_eq!((t.commit_end, t.reveal_end, t.criteria.len()), (5, 25, 4));
		assert_eq!(held_reward(OPENER), REWARD + 50);
	});
}

#[test]
fn other_pallets_open_tasks_with_the_default_windows_outside_the_direct_share() {
	build_and_execute(|| {
		let task = open_by_pallet(OPENER, 500).unwrap();
		let t = Tasks::<Test>::get(task).unwrap();
		// Drawn at 3; the default windows of 5 run from there.
		assert_eq!((t.commit_end, t.reveal_end, t.panel_size, t.quorum), (8, 13, 3, 2));
		assert_eq!(held_reward(OPENER), 500);
		assert_eq!((DirectOpened::<Test>::get(), DirectDueAt::<Test>::get(13)), (0, 0));
		assert_eq!(DueAt::<Test>::get(13).into_inner(), vec![task]);
		let view = Evaluation::task_view(task).unwrap();
		assert_eq!(view.criteria, vec![b"quality".to_vec()]);
		assert_eq!(view.status, TaskStatus::Open);
		assert!(view.panel.is_empty());
		assert_noop!(open_by_pallet(OPENER, 49), E::RewardTooLow);
	});
}

// ---------------------------------------------------------------------------------------------
// Panels by lot
// ---------------------------------------------------------------------------------------------

#[test]
fn panels_are_drawn_two_blocks_later_from_two_blocks_randomness() {
	build_and_execute(|| {
		register_all(&[(1, 100), (2, 100), (3, 100), (4, 100), (5, 100)]);
		let task = open(OPENER);
		// Nothing is drawn in the block the task is opened: its randomness does not exist yet.
		assert_eq!(ToDraw::<Test>::get().into_inner(), vec![task]);
		assert!(Panels::<Test>::get(task).is_none());
		assert!(RandomnessAsked::get().is_empty());
		assert!(Evaluation::task_view(task).unwrap().panel.is_empty());
		for who in 1..=5u64 {
			assert_noop!(
				Evaluation::commit(RuntimeOrigin::signed(who), task, H256::zero()),
				E::PanelNotDrawn
			);
		}

		// Nor in the next block: its hook reads the first half of the seed and queues the task
		// for the draw in the block after.
		run_to(2);
		assert_eq!(RandomnessAsked::get(), vec![2]);
		assert!(ToDraw::<Test>::get().is_empty());
		assert_eq!(Drawing::<Test>::get().map(|(tasks, _)| tasks.into_inner()), Some(vec![task]));
		assert!(Panels::<Test>::get(task).is_none());
		assert!(!events().iter().any(|e| matches!(e, Event::PanelDrawn { .. })));
		assert!(Evaluation::task_view(task).unwrap().panel.is_empty());
		for who in 1..=5u64 {
			assert_noop!(
				Evaluation::commit(RuntimeOrigin::signed(who), task, H256::zero()),
				E::PanelNotDrawn
			);
			assert_eq!(Evaluators::<Test>::get(who).unwrap().pending_tasks, 0);
		}

		// Two blocks after it was opened, the hook draws it (one randomness call per block).
		run_to(3);
		assert_eq!(RandomnessAsked::get(), vec![2, 3]);
		assert!(Drawing::<Test>::get().is_none());
		let panel = drawn(task);
		assert_eq!(panel.iter().map(|(_, s)| *s).sum::<u32>(), 3);
		System::assert_has_event(Event::PanelDrawn { task, panel: panel.clone() }.into());
		assert_eq!(Evaluation::task_view(task).unwrap().panel, panel);
		for (who, seats) in &panel {
			assert!((1..=5).contains(who));
			assert_eq!(Drawn::<Test>::get(who, task), Some(*seats));
			assert_eq!(Evaluators::<Test>::get(who).unwrap().pending_tasks, 1);
			assert_eq!(Evaluation::drawn_for(who), vec![(task, *seats)]);
		}

		// Five evaluators, three seats: someone is left off, and cannot commit.
		let outsider = (1..=5u64).find(|who| seats_of(&panel, *who) == 0).unwrap();
		assert_eq!(Drawn::<Test>::get(outsider, task), None);
		assert_eq!(Evaluators::<Test>::get(outsider).unwrap().pending_tasks, 0);
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(outsider), task, H256::zero()),
			E::NotDrawn
		);
		assert_noop!(Evaluation::commit(RuntimeOrigin::signed(6), task, H256::zero()), E::NotDrawn);

		// A member commits with its seats as weight.
		let (member, seats) = panel[0];
		commit(task, member, &[50, 50]);
		System::assert_last_event(Event::Committed { task, who: member }.into());
		assert_eq!(Evaluations::<Test>::get(task)[0].weight, seats as u128);

		// The panel is drawn once; the hook still reads randomness once per block.
		run_to(4);
		assert_eq!(RandomnessAsked::get(), vec![2, 3, 4]);
		assert_eq!(drawn(task), panel);
		assert_eq!(
			events().iter().filter(|e| matches!(e, Event::PanelDrawn { .. })).count(),
			1
		);
	});

	// The panel depends on the randomness of both hooks (blocks 2 and 3), and on nothing read
	// in the block the task was opened.
	let panel_under = |at_open: u64, at_2: u64, at_3: u64| {
		new_test_ext().execute_with(|| {
			register_all(&[(1, 100), (2, 100), (3, 100), (4, 100), (5, 100)]);
			RandomSeed::set(at_open);
			let task = open(OPENER);
			RandomSeed::set(at_2);
			run_to(2);
			RandomSeed::set(at_3);
			run_to(3);
			drawn(task)
		})
	};
	let base = panel_under(0, 0, 0);
	assert_eq!(base.iter().map(|(_, s)| *s).sum::<u32>(), 3);
	for seed in 1..20u64 {
		assert_eq!(panel_under(seed, 0, 0), base, "the seed at opening must not matter");
	}
	assert!(
		(1..20u64).any(|seed| panel_under(seed, seed, seed) != base),
		"another RandomSeed draws another panel"
	);
	assert!(
		(1..20u64).any(|seed| panel_under(0, seed, 0) != base),
		"the first half of the seed (block n + 1) changes the panel"
	);
	assert!(
		(1..20u64).any(|seed| panel_under(0, 0, seed) != base),
		"the second half of the seed (block n + 2) changes the panel"
	);
}

#[test]
fn the_opener_is_never_drawn_even_holding_almost_all_the_bond() {
	build_and_execute(|| {
		fund(OPENER);
		// The opener holds 99% of the bond.
		register_all(&[(1, 100), (OPENER, 9_900)]);
		for seed in 0..10u64 {
			let own = open_with(OPENER, 50, 20, 20);
			let other = open_with(6, 50, 20, 20);
			RandomSeed::set(seed);
			// Drawn two blocks after they were opened.
			next_block();
			assert!(Panels::<Test>::get(own).is_none() && Panels::<Test>::get(other).is_none());
			next_block();
			assert_eq!(drawn(own), vec![(1, 3)], "seed {seed}");
			assert_eq!(Drawn::<Test>::get(OPENER, own), None);
			assert_noop!(
				Evaluation::commit(RuntimeOrigin::signed(OPENER), own, H256::zero()),
				E::OpenerCannotEvaluate
			);
			// Only its own tasks are closed to it: on another's it holds nearly every seat.
			assert!(seats_of(&drawn(other), OPENER) > 0, "seed {seed}: {:?}", drawn(other));
		}
	});
}

#[test]
fn a_task_nobody_can_be_drawn_for_fails_at_the_draw_and_refunds_the_opener() {
	build_and_execute(|| {
		// The opener is the only evaluator.
		register_all(&[(OPENER, 100)]);
		let task = open(OPENER);
		assert_eq!(held_reward(OPENER), REWARD);
		run_to(2);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Open);
		assert!(SettledLog::get().is_empty());
		run_to(3);
		assert_eq!(RandomnessAsked::get(), vec![2, 3]);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Failed { at: 3 });
		System::assert_has_event(
			Event::TaskFailed { task, revealed: 0, required: 2, refunded: REWARD }.into(),
		);
		assert!(!events().iter().any(|e| matches!(e, Event::PanelDrawn { .. })));
		assert_eq!(Panels::<Test>::get(task).map(|p| p.len()), Some(0));
		assert_eq!(Verdicts::<Test>::get(task).map(|v| v.len()), Some(0));
		assert_eq!(held_reward(OPENER), 0);
		assert_eq!(Balances::balance(&OPENER), 10_000 - 100);
		// It keeps its due slot (one-to-one with its pruning slot); the hook skips it.
		assert_eq!(DueAt::<Test>::get(13).into_inner(), vec![task]);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: None, accurate: vec![] }]
		);
		assert_eq!(consensus_of(task), None);
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(1), task, H256::zero()),
			E::AlreadySettled
		);
		run_to(13);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(1), task), E::AlreadySettled);
		assert_eq!(SettledLog::get().len(), 1);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Failed { at: 3 });
		run_to(13 + RETENTION);
		assert!(Tasks::<Test>::get(task).is_none(), "pruned like any finished task");
	});
}

/// A task opened in block n is drawn in block n + 2 from the tree as it was at the end of block
/// n. A bond change in block c is seen by the draws of the tasks opened in block c (even after
/// the change) or later, never by those of tasks opened before: a change in block n + 1 (after
/// the task was opened, before its draw) or in block n + 2 (the draw's block: the draw runs
/// first in the hook) leaves its panel as it was.
#[test]
fn a_bond_added_in_the_block_of_a_draw_changes_only_later_draws() {
	// Tasks opened at blocks 1, 2 and 3 (drawn at 3, 4 and 5); 4 adds 9,000 to its bond in block
	// `change_at` (after that block's task was opened).
	let scenario = |seed: u64, change_at: Option<u64>| {
		new_test_ext().execute_with(|| {
			RandomSeed::set(seed);
			register_all(&[(1, 100), (2, 100), (3, 100), (4, 100)]);
			let mut tasks = Vec::new();
			for block in 1..=3u64 {
				run_to(block);
				tasks.push(open(OPENER));
				if change_at == Some(block) {
					assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(4), 9_000));
					assert_eq!(TotalDrawWeight::<Test>::get(), 9_400);
				}
			}
			run_to(5);
			Evaluation::do_try_state().unwrap();
			tasks.iter().map(|t| drawn(*t)).collect::<Vec<_>>()
		})
	};
	let (mut without, mut with_extra, mut seen, mut changed) = (0, 0, 0, 0);
	for seed in 0..10 {
		let plain = scenario(seed, None);
		for panel in &plain {
			assert_eq!(panel.iter().map(|(_, s)| *s).sum::<u32>(), 3);
			without += seats_of(panel, 4);
		}
		for change_at in 1..=3u64 {
			let extra = scenario(seed, Some(change_at));
			for (i, opened_at) in (1..=3u64).enumerate() {
				if change_at > opened_at {
					// Made after the task's block (in the block before its draw or in the draw's
					// block): not seen.
					assert_eq!(
						extra[i], plain[i],
						"seed {seed}: a change at {change_at} changed the draw of the task opened at {opened_at}"
					);
				} else {
					seen += 1;
					with_extra += seats_of(&extra[i], 4);
					if extra[i] != plain[i] {
						changed += 1;
					}
				}
			}
		}
	}
	// 60 draws see the change (3 + 2 + 1 per seed): 180 seats, 4 holding 9,100 / 9,400 ≈ 97%
	// of the bond (≈ 174). Without it, 4 holds 25% of 90 seats (≈ 22.5).
	assert_eq!(seen, 60);
	assert!(without <= 40 && with_extra >= 160, "{without} seats without, {with_extra} with");
	assert!(changed > 0);
}

/// A tree change made in the draw block before the hook runs (another pallet's hook, a
/// scheduled call, a migration) cannot reach the draw: the draws run first, and the hook
/// charges their weight.
#[test]
fn a_tree_change_before_the_hook_in_the_draw_block_runs_the_draws_first() {
	let setup = || register_all(&[(1, 100), (2, 100), (3, 100)]);
	for seed in 0..10u64 {
		let undisturbed = new_test_ext().execute_with(|| drawn_task(seed, &setup).1);
		new_test_ext().execute_with(|| {
			RandomSeed::set(seed);
			setup();
			let task = open(OPENER);
			run_to(2);
			// Block 3 starts: a scheduled call changes the tree before this pallet's hook.
			System::set_block_number(3);
			assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(1), 5_000));
			assert_eq!(LastDrawn::<Test>::get(), Some(3));
			assert_eq!(drawn(task), undisturbed, "seed {seed}");
			assert!(EarlyDrawWeight::<Test>::get().is_some());
			let charged = Evaluation::on_initialize(3);
			assert!(EarlyDrawWeight::<Test>::get().is_none(), "the hook charges the early draws");
			assert!(charged.ref_time() > 0);
			// The draws ran once.
			assert_eq!(drawn(task), undisturbed);
			Evaluation::do_try_state().unwrap();
		});
	}
}

/// The grinding attack: once the randomness of a draw is known (the author of block n + 1 knows
/// both halves of the seed of a task opened in block n), try bond amounts offline until one's
/// own accounts hold the panel's majority, and submit that one. Bond changes in block n + 1 are
/// not seen by the draw (nor are registrations or unbonding then): whatever the amount, the
/// panel is the same. The same amounts in block n itself would have changed it, but while block
/// n is built the seed's second half does not exist.
#[test]
fn a_bond_change_in_the_block_before_the_draw_is_not_seen() {
	// The bloc: 4 and 5; honest: 1, 2, 3.
	let amounts: Vec<u64> = (0..20u64).map(|i| 1 + i * 450).collect();
	assert_eq!(amounts.len(), 20);
	let scenario = |seed: u64, change_at: u64, change: &dyn Fn()| {
		new_test_ext().execute_with(|| {
			RandomSeed::set(seed);
			register_all(&[(1, 100), (2, 100), (3, 100), (4, 100), (5, 100)]);
			let task = open(OPENER);
			if change_at == 1 {
				change();
			}
			run_to(2);
			if change_at == 2 {
				change();
			}
			run_to(3);
			Evaluation::do_try_state().unwrap();
			drawn(task)
		})
	};
	let bloc_seats = |panel: &[(u64, u32)]| seats_of(panel, 4) + seats_of(panel, 5);
	let mut majorities_in_block_n = 0;
	for seed in 0..5u64 {
		let plain = scenario(seed, 0, &|| {});
		assert_eq!(plain.iter().map(|(_, s)| *s).sum::<u32>(), 3);
		for &amount in &amounts {
			let one = || {
				assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(4), amount));
				assert_eq!(TotalDrawWeight::<Test>::get(), 500 + amount as u128);
			};
			let both = || {
				assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(4), amount));
				assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(5), amount));
				assert_eq!(TotalDrawWeight::<Test>::get(), 500 + 2 * amount as u128);
			};
			let newcomer = || {
				assert_ok!(Evaluation::register(RuntimeOrigin::signed(6), MIN_BOND + amount));
				assert_eq!(TotalDrawWeight::<Test>::get(), 600 + amount as u128);
			};
			// In block n + 1: the very same panel, whatever the amount.
			assert_eq!(scenario(seed, 2, &one), plain, "seed {seed}, amount {amount}");
			assert_eq!(scenario(seed, 2, &both), plain, "seed {seed}, amount {amount} each");
			assert_eq!(scenario(seed, 2, &newcomer), plain, "seed {seed}, newcomer {amount}");
			// In block n (after the task was opened) the draw sees it.
			if bloc_seats(&scenario(seed, 1, &both)) >= 2 && bloc_seats(&plain) < 2 {
				majorities_in_block_n += 1;
			}
		}
		// Leaving the draw in block n + 1 does not change it either: a bloc account drawn from
		// the snapshot keeps its seats (and its bond at stake).
		let unbond = || {
			assert_ok!(Evaluation::unbond(RuntimeOrigin::signed(4)));
		};
		assert_eq!(scenario(seed, 2, &unbond), plain, "seed {seed}, unbond");
	}
	// Without the snapshot the attack would work: in block n some amounts turn a minority into
	// a majority.
	assert!(majorities_in_block_n > 0);
}

/// An evaluator in the snapshot that unbonds in the block before the draw is still drawn, with
/// the seats it would have had, and stays at stake: `unbonding_delay` is at least one block, so
/// it cannot withdraw before the draw, and afterwards it must wait for the task to settle.
#[test]
fn an_evaluator_that_unbonds_before_the_draw_is_still_drawn_and_at_stake() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Evaluation::set_params(RuntimeOrigin::root(), params_with(|p| p.unbonding_delay = 0)),
			E::UnbondingDelayZero
		);
	});
	let setup = || register_all(&[(1, 100), (2, 100), (3, 100)]);
	let seed = seed_where(&setup, |panel| seats_of(panel, 2) == 1);
	let full = new_test_ext().execute_with(|| drawn_task(seed, &setup).1);
	build_and_execute(|| {
		RandomSeed::set(seed);
		setup();
		let task = open(OPENER);
		run_to(2);
		// 2 leaves the draw in the block before the draw.
		assert_ok!(Evaluation::unbond(RuntimeOrigin::signed(2)));
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(2)), E::UnbondingNotOver);
		run_to(3);
		// The draw is the one it would have been, 2's seat included.
		assert_eq!(drawn(task), full);
		assert_eq!(Drawn::<Test>::get(2, task), Some(1));
		assert_eq!(Evaluators::<Test>::get(2).unwrap().pending_tasks, 1);
		// It never commits: at settlement it is a no-show and loses 10% of min_bond.
		let others: Vec<(u64, Vec<Score>)> =
			full.iter().filter(|(w, _)| *w != 2).map(|(w, _)| (*w, vec![60, 40])).collect();
		commit_reveal_all(task, &others);
		run_to(2 + 10);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(2)), E::HasPendingTasks);
		run_to(13);
		assert_eq!(held_bond(2), 90);
		assert_ok!(Evaluation::withdraw(RuntimeOrigin::signed(2)));
	});
}

/// The opener's interval is cut out of its own task's draw at the slot it held at the end of the
/// opening block, even if it moved since (another evaluator left in the next block and the
/// opener, in the last slot, filled the gap): it is never drawn, every seat is filled, and the
/// panel is the one drawn without the move.
#[test]
fn the_opener_is_never_drawn_even_when_it_moved_slots_before_the_draw() {
	let mut seats = 0;
	for seed in 0..20u64 {
		let unmoved = new_test_ext().execute_with(|| {
			RandomSeed::set(seed);
			register_all(&[(2, 100), (1, 100), (OPENER, 300)]);
			let task = open(OPENER);
			run_to(3);
			drawn(task)
		});
		new_test_ext().execute_with(|| {
			RandomSeed::set(seed);
			register_all(&[(2, 100), (1, 100), (OPENER, 300)]);
			assert_eq!(Evaluators::<Test>::get(OPENER).unwrap().slot, Some(3));
			let task = open(OPENER);
			run_to(2);
			assert_ok!(Evaluation::unbond(RuntimeOrigin::signed(2)));
			assert_eq!(Evaluators::<Test>::get(OPENER).unwrap().slot, Some(1));
			assert_eq!(SlotOwners::<Test>::get(1), Some((OPENER, 300)));
			run_to(3);
			let panel = drawn(task);
			assert_eq!(panel, unmoved, "seed {seed}: moving slots after the opening changes nothing");
			assert_eq!(seats_of(&panel, OPENER), 0, "seed {seed}: {panel:?}");
			assert_eq!(Drawn::<Test>::get(OPENER, task), None);
			// 2 was in the tree at the snapshot: it may be drawn though it is unbonding now.
			assert!(panel.iter().all(|(who, _)| *who == 1 || *who == 2), "seed {seed}: {panel:?}");
			seats += panel.iter().map(|(_, s)| *s).sum::<u32>();
			Evaluation::do_try_state().unwrap();
		});
	}
	assert_eq!(seats, 60, "every seat is filled");
}

/// With the shortest windows governance may set (`min_period` = `MinWindow`, 2 in the mock), the
/// commit window still runs `min_period` blocks from the draw: members drawn at block 3 commit in
/// blocks 3 or 4 and reveal in 5 or 6, so the shortest task is no no-show trap.
#[test]
fn a_short_window_still_leaves_drawn_evaluators_time_to_commit() {
	build_and_execute(|| {
		let min: u64 = <Test as crate::Config>::MinWindow::get();
		assert_eq!((min, params().min_period), (2, 2));
		register_all(&[(1, 100)]);
		let first = open_with(OPENER, REWARD, min, min);
		let second = open_with(OPENER, REWARD, min, min);
		for task in [first, second] {
			let t = Tasks::<Test>::get(task).unwrap();
			// Opened at 1, drawn at 3: commits before 3 + 2, reveals before 5 + 2.
			assert_eq!((t.commit_end, t.reveal_end), (1 + DRAW_DELAY as u64 + min, 7));
			assert_eq!(t.commit_end, 5);
			assert_noop!(
				Evaluation::commit(RuntimeOrigin::signed(1), task, H256::zero()),
				E::PanelNotDrawn
			);
		}
		run_to(2);
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(1), first, H256::zero()),
			E::PanelNotDrawn
		);
		run_to(3);
		assert_eq!((drawn(first), drawn(second)), (vec![(1, 3)], vec![(1, 3)]));
		// The block of the draw ...
		commit(first, 1, &[60, 40]);
		run_to(4);
		// ... and the next one are both in the window.
		commit(second, 1, &[60, 40]);
		assert_noop!(
			Evaluation::reveal(RuntimeOrigin::signed(1), first, vec![60, 40], salt(1)),
			E::RevealTooEarly
		);
		run_to(5);
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(1), first, H256::zero()),
			E::CommitClosed
		);
		reveal(first, 1, &[60, 40]);
		run_to(6);
		reveal(second, 1, &[60, 40]);
		run_to(7);
		for task in [first, second] {
			assert_eq!(
				Tasks::<Test>::get(task).unwrap().status,
				TaskStatus::Settled { consensus: vec![60, 40].try_into().unwrap(), at: 7 }
			);
			System::assert_has_event(
				Event::EvaluatorRewarded { task, who: 1, deviation: 0, payout: REWARD, reputation: 30 }
					.into(),
			);
		}
		assert!(!events().iter().any(|e| matches!(e, Event::RevealMissed { .. })));
		assert_eq!(Evaluators::<Test>::get(1).unwrap().missed, 0);
	});
}

/// Expected seats are linear in bond: one account with 600 and three with 200 each draw the
/// same share of seats (against the same others), ⅓ here.
#[test]
fn splitting_a_bond_across_accounts_does_not_change_its_expected_seats() {
	fn bloc_share(accounts: &[(u64, u64)], bloc: &[u64]) -> f64 {
		new_test_ext().execute_with(|| {
			// No-shows cost nothing here, so bonds (and chances) stay as registered.
			assert_ok!(Evaluation::set_params(
				RuntimeOrigin::root(),
				params_with(|p| p.no_show_slash = Perbill::zero())
			));
			register_all(accounts);
			// 300 tasks: 75 blocks of 2 direct (two windows) and 2 pallet-opened tasks, each
			// block's drawn (two blocks later) under other seeds.
			for block in 1..=75u64 {
				run_to(block);
				open_with(OPENER, 50, PERIOD, PERIOD);
				open_with(OPENER, 50, PERIOD, PERIOD + 1);
				assert_ok!(open_by_pallet(OPENER, 50));
				assert_ok!(open_by_pallet(OPENER, 50));
				RandomSeed::set(block);
			}
			// The last block's tasks are drawn at 77.
			run_to(76);
			assert_eq!(Drawing::<Test>::get().map(|(tasks, _)| tasks.len()), Some(4));
			run_to(77);
			Evaluation::do_try_state().unwrap();
			let (mut bloc_seats, mut all_seats) = (0u32, 0u32);
			for e in events() {
				if let Event::PanelDrawn { panel, .. } = e {
					for (who, seats) in panel {
						all_seats += seats;
						if bloc.contains(&who) {
							bloc_seats += seats;
						}
					}
				}
			}
			assert_eq!(all_seats, 900);
			bloc_seats as f64 / all_seats as f64
		})
	}
	let honest = [(4, 300), (5, 300), (6, 600)];
	let whole: Vec<(u64, u64)> = [(1, 600)].into_iter().chain(honest).collect();
	let split: Vec<(u64, u64)> = [(1, 200), (2, 200), (3, 200)].into_iter().chain(honest).collect();
	let one = bloc_share(&whole, &[1]);
	let three = bloc_share(&split, &[1, 2, 3]);
	let exact = 600.0 / 1_800.0;
	// Sampling error of 900 seats: σ ≈ 0.016.
	assert!((one - exact).abs() < 0.05, "one account: {one}");
	assert!((three - exact).abs() < 0.05, "three accounts: {three}");
}

#[test]
fn a_new_panel_size_applies_to_tasks_opened_afterwards() {
	build_and_execute(|| {
		register_all(&[(1, 100), (2, 100), (3, 100)]);
		let before = open(OPENER);
		assert_ok!(Evaluation::set_params(
			RuntimeOrigin::root(),
			params_with(|p| {
				p.panel_size = 5;
				p.quorum = 4;
			})
		));
		let after = open(OPENER);
		run_to(3);
		let seats = |task| drawn(task).iter().map(|(_, s)| *s).sum::<u32>();
		assert_eq!((seats(before), seats(after)), (3, 5));
		let (b, a) = (Tasks::<Test>::get(before).unwrap(), Tasks::<Test>::get(after).unwrap());
		assert_eq!((b.panel_size, b.quorum, a.panel_size, a.quorum), (3, 2, 5, 4));
	});
}

// ---------------------------------------------------------------------------------------------
// Commit and reveal
// ---------------------------------------------------------------------------------------------

#[test]
fn commit_checks_the_task_the_panel_and_the_window() {
	build_and_execute(|| {
		register_all(&[(1, 100), (OPENER, 100)]);
		let task = open(OPENER);
		let h = H256::repeat_byte(1);
		let c = |who: u64, task: TaskId| Evaluation::commit(RuntimeOrigin::signed(who), task, h);
		assert_noop!(c(1, 9), E::TaskNotFound);
		assert_noop!(c(1, task), E::PanelNotDrawn);
		assert_noop!(c(OPENER, task), E::OpenerCannotEvaluate);
		// Not in the next block either: the panel is drawn two blocks after the opening.
		run_to(2);
		assert_noop!(c(1, task), E::PanelNotDrawn);
		assert_noop!(c(2, task), E::PanelNotDrawn);
		run_to(3);
		// 1 is the only evaluator besides the opener: it holds all three seats.
		assert_eq!(drawn(task), vec![(1, 3)]);
		assert_noop!(c(OPENER, task), E::OpenerCannotEvaluate);
		assert_noop!(c(2, task), E::NotDrawn);
		assert_ok!(c(1, task));
		System::assert_last_event(Event::Committed { task, who: 1 }.into());
		assert_eq!(Tasks::<Test>::get(task).unwrap().committed, 1);
		// Its consensus weight is its seats (not its bond of 100).
		assert_eq!(Evaluations::<Test>::get(task)[0].weight, 3);
		assert_noop!(c(1, task), E::AlreadyCommitted);
		// The window runs 5 blocks from the draw: it is still open at 7 ...
		run_to(7);
		assert_noop!(c(1, task), E::AlreadyCommitted);
		assert_noop!(c(2, task), E::NotDrawn);
		// ... and closed at 1 + 2 + 5 = 8.
		run_to(8);
		assert_noop!(c(1, task), E::CommitClosed);
		assert_noop!(c(2, task), E::CommitClosed);
	});
}

#[test]
fn reveal_errors_are_precise_and_a_wrong_salt_can_be_retried() {
	build_and_execute(|| {
		register_all(&[(1, 100)]);
		let task = open(OPENER);
		run_to(3);
		commit(task, 1, &[70, 80]);
		let r = |who: u64, scores: Vec<Score>, s: [u8; 32]| {
			Evaluation::reveal(RuntimeOrigin::signed(who), task, scores, s)
		};
		assert_noop!(r(1, vec![70, 80], salt(1)), E::RevealTooEarly);
		run_to(7);
		assert_noop!(r(1, vec![70, 80], salt(1)), E::RevealTooEarly);
		run_to(8);
		assert_noop!(r(2, vec![70, 80], salt(2)), E::NoCommitment);
		assert_noop!(r(1, vec![70], salt(1)), E::WrongNumberOfScores);
		assert_noop!(r(1, vec![70, 80, 90], salt(1)), E::WrongNumberOfScores);
		assert_noop!(r(1, vec![70, 101], salt(1)), E::ScoreOutOfRange);
		// Scores are `u16`s on the 0..=100 scale: what a `u8` could not even carry is refused too.
		assert_noop!(r(1, vec![70, 256], salt(1)), E::ScoreOutOfRange);
		assert_noop!(r(1, vec![Score::MAX, 80], salt(1)), E::ScoreOutOfRange);
		assert_noop!(r(1, vec![70, 80], salt(9)), E::CommitmentMismatch);
		assert_noop!(r(1, vec![80, 70], salt(1)), E::CommitmentMismatch);
		assert_noop!(
			Evaluation::reveal(RuntimeOrigin::signed(1), 7, vec![70, 80], salt(1)),
			E::TaskNotFound
		);
		assert_ok!(r(1, vec![70, 80], salt(1)));
		System::assert_last_event(
			Event::Revealed { task, who: 1, scores: vec![70, 80].try_into().unwrap() }.into(),
		);
		assert_eq!(Tasks::<Test>::get(task).unwrap().revealed, 1);
		assert_noop!(r(1, vec![70, 80], salt(1)), E::AlreadyRevealed);
		// A deferred settlement leaves the task open past its reveal window: too late.
		MaxSettlements::set(0);
		run_to(13);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Open);
		assert_noop!(r(1, vec![70, 80], salt(1)), E::RevealTooLate);
		assert_ok!(Evaluation::settle(RuntimeOrigin::signed(6), task));
		assert_noop!(r(1, vec![70, 80], salt(1)), E::AlreadySettled);
	});
}

/// The commitment's preimage byte by byte, as the README documents it for clients: the tag, the
/// task as 8 little-endian bytes, the account (the mock's is a `u64`: 8 little-endian bytes; an
/// `AccountId32` is its 32 raw bytes), the compact length of the scores, then each score as a
/// `u16` in 2 little-endian bytes, then the salt.
#[test]
fn the_commitment_hashes_each_score_as_two_little_endian_bytes() {
	let (task, who, salt) = (3u64, 1u64, [9u8; 32]);
	let preimage = |scores: &[u8]| {
		let mut bytes = b"prsp/eval/commit".to_vec();
		bytes.extend_from_slice(&task.to_le_bytes());
		bytes.extend_from_slice(&who.to_le_bytes());
		bytes.extend_from_slice(scores);
		bytes.extend_from_slice(&salt);
		H256(sp_io::hashing::blake2_256(&bytes))
	};
	// Compact length 2 (`0x08`), then 80 = `50 00` and 90 = `5a 00`.
	assert_eq!(commitment_of(task, &who, &[80, 90], &salt), preimage(&[0x08, 0x50, 0x00, 0x5a, 0x00]));
	// One byte per score (a `Vec<u8>`) is a different preimage.
	assert_ne!(commitment_of(task, &who, &[80, 90], &salt), preimage(&[0x08, 0x50, 0x5a]));
}

#[test]
fn a_copied_commitment_cannot_be_revealed_by_the_copier() {
	let setup = || register_all(&[(1, 100), (2, 100)]);
	let seed = seed_where(&setup, |panel| panel.len() == 2);
	build_and_execute(|| {
		let (task, _) = drawn_task(seed, &setup);
		let honest = commitment_of(task, &1u64, &[70, 80], &salt(1));
		assert_ok!(Evaluation::commit(RuntimeOrigin::signed(1), task, honest));
		// 2 copies the hash and, after 1 reveals, replays its scores and salt.
		assert_ok!(Evaluation::commit(RuntimeOrigin::signed(2), task, honest));
		run_to(8);
		reveal(task, 1, &[70, 80]);
		assert_noop!(
			Evaluation::reveal(RuntimeOrigin::signed(2), task, vec![70, 80], salt(1)),
			E::CommitmentMismatch
		);
		// The commitment also differs per task.
		assert_ne!(honest, commitment_of(task + 1, &1u64, &[70, 80], &salt(1)));
	});
}

// ---------------------------------------------------------------------------------------------
// Settlement, per seat
// ---------------------------------------------------------------------------------------------

#[test]
fn reputation_gain_is_linear_in_seats_and_rounds_down() {
	// accuracy_reward × seats × closeness / best.
	assert_eq!(settlement::reputation_gain(10, 1, 21, 21), 10);
	assert_eq!(settlement::reputation_gain(10, 2, 21, 21), 20);
	assert_eq!(settlement::reputation_gain(10, 1, 17, 21), 8);
	// 2 × 10 × 17 / 21 = 16.19: one account with two seats never gets less than two with one.
	assert_eq!(settlement::reputation_gain(10, 2, 17, 21), 16);
	assert_eq!(settlement::reputation_gain(10, 3, 0, 21), 0);
	assert_eq!(consensus::max_closeness(10, 2), 21);
}

#[test]
fn accurate_evaluators_are_paid_and_gain_reputation_per_seat() {
	let setup = || register_all(&[(1, 100), (2, 100), (3, 100)]);
	let seed = seed_where(&setup, |panel| shape(panel) == vec![1, 2]);
	build_and_execute(|| {
		let (task, panel) = drawn_task(seed, &setup);
		let two = panel.iter().find(|(_, s)| *s == 2).unwrap().0;
		let one = panel.iter().find(|(_, s)| *s == 1).unwrap().0;
		let idle = 1 + 2 + 3 - one - two;
		commit_reveal_all(task, &[(two, vec![70, 80]), (one, vec![70, 80])]);
		run_to(13);

		// Both exact (closeness 2 × 10 + 1 = 21). The pot splits by seats × closeness, 42 : 21
		// of 1,000: 666 and 333, dust 1. Reputation: 10 per seat, so 20 and 10.
		let agreed: ScoresOf<Test> = vec![70, 80].try_into().unwrap();
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().status,
			TaskStatus::Settled { consensus: agreed.clone(), at: 13 }
		);
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: two, deviation: 0, payout: 666, reputation: 20 }
				.into(),
		);
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: one, deviation: 0, payout: 333, reputation: 10 }
				.into(),
		);
		System::assert_has_event(
			Event::TaskSettled { task, consensus: agreed, rewarded: 2, paid: 999, dust: 1 }.into(),
		);
		assert_eq!(Balances::balance(&two), 10_000 - 100 + 666);
		assert_eq!(Balances::balance(&one), 10_000 - 100 + 333);
		assert_eq!(Balances::balance(&OPENER), 10_000 - REWARD + 1);
		assert_eq!(held_reward(OPENER), 0);
		assert_eq!((reputation(two), reputation(one)), (120, 110));
		let log: Vec<(u64, i128, ReputationReason)> = panel
			.iter()
			.map(|(who, seats)| (*who, 10 * *seats as i128, ReputationReason::AccurateEvaluation))
			.collect();
		assert_eq!(ReputationLog::get(), log);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![70, 80]), accurate: panel.clone() }]
		);
		let expected: Vec<(u64, Verdict<u64>)> = panel
			.iter()
			.map(|(who, seats)| {
				let (payout, reputation) = if *seats == 2 { (666, 20) } else { (333, 10) };
				(*who, Verdict::Accurate { deviation: 0, payout, reputation })
			})
			.collect();
		assert_eq!(Verdicts::<Test>::get(task).unwrap().into_inner(), expected);
		let info = Evaluators::<Test>::get(two).unwrap();
		assert_eq!(
			(info.accurate, info.outliers, info.missed, info.earned, info.pending_tasks),
			(1, 0, 0, 666, 0)
		);
		// Per-task state is gone.
		assert!(Evaluations::<Test>::get(task).is_empty());
		assert_eq!(Drawn::<Test>::get(two, task), None);
		assert!(Evaluation::drawn_for(&two).is_empty());
		assert!(DueAt::<Test>::get(13).is_empty());
		assert_eq!(consensus_of(task), Some(vec![70, 80]));
		// The evaluator left off the panel is untouched.
		assert_eq!(
			(Balances::balance(&idle), held_bond(idle), reputation(idle)),
			(9_900, 100, 100)
		);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::AlreadySettled);
	});
}

#[test]
fn an_outlier_loses_bond_and_reputation_per_seat() {
	let setup = || {
		assert_ok!(Evaluation::set_params(
			RuntimeOrigin::root(),
			params_with(|p| {
				p.panel_size = 5;
				p.quorum = 3;
			})
		));
		register_all(&[(1, 200), (2, 200)]);
	};
	let seed = seed_where(&setup, |panel| shape(panel) == vec![2, 3]);
	build_and_execute(|| {
		let (task, panel) = drawn_task(seed, &setup);
		let major = panel.iter().find(|(_, s)| *s == 3).unwrap().0;
		let minor = panel.iter().find(|(_, s)| *s == 2).unwrap().0;
		commit_reveal_all(task, &[(major, vec![70, 80]), (minor, vec![10, 10])]);
		let issuance = Balances::total_issuance();
		run_to(13);

		// 3 of 5 seats back (70, 80); the minority deviates by 60 + 70 = 130 > 2 × 10.
		// Two seats: 2 × 5% × 100 = 10 burnt from its bond, 2 × 20 reputation.
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: minor, deviation: 130, slashed: 10 }.into(),
		);
		assert_eq!(held_bond(minor), 190);
		let info = Evaluators::<Test>::get(minor).unwrap();
		assert_eq!((info.bond, info.outliers, info.accurate, info.pending_tasks), (190, 1, 0, 0));
		assert_eq!(SlotOwners::<Test>::get(info.slot.unwrap()), Some((minor, 190)));
		assert_eq!(TotalDrawWeight::<Test>::get(), 390);
		assert_eq!(Balances::total_issuance(), issuance - 10);
		assert_eq!(Balances::balance(&minor), 10_000 - 200);
		assert_eq!(reputation(minor), 100 - 40);
		// The majority, exact: the whole pot and 3 × 10 reputation.
		System::assert_has_event(
			Event::EvaluatorRewarded {
				task,
				who: major,
				deviation: 0,
				payout: 1_000,
				reputation: 30,
			}
			.into(),
		);
		System::assert_has_event(
			Event::TaskSettled {
				task,
				consensus: vec![70, 80].try_into().unwrap(),
				rewarded: 1,
				paid: 1_000,
				dust: 0,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&major), 10_000 - 200 + 1_000);
		assert_eq!(reputation(major), 130);
		let log: Vec<(u64, i128, ReputationReason)> = panel
			.iter()
			.map(|(who, seats)| {
				if *who == major {
					(*who, 10 * *seats as i128, ReputationReason::AccurateEvaluation)
				} else {
					(*who, -20 * *seats as i128, ReputationReason::InaccurateEvaluation)
				}
			})
			.collect();
		assert_eq!(ReputationLog::get(), log);
		let verdicts = Verdicts::<Test>::get(task).unwrap().into_inner();
		assert!(verdicts.contains(&(minor, Verdict::Outlier { deviation: 130, slashed: 10 })));
		assert!(verdicts
			.contains(&(major, Verdict::Accurate { deviation: 0, payout: 1_000, reputation: 30 })));
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![70, 80]), accurate: vec![(major, 3)] }]
		);
	});
}

#[test]
fn no_shows_lose_bond_and_reputation_per_seat_and_too_few_seats_fail_the_task() {
	let setup = || register_all(&[(1, 100), (2, 100), (3, 100)]);
	let seed = seed_where(&setup, |panel| shape(panel) == vec![1, 2]);
	build_and_execute(|| {
		let (task, panel) = drawn_task(seed, &setup);
		let two = panel.iter().find(|(_, s)| *s == 2).unwrap().0;
		let one = panel.iter().find(|(_, s)| *s == 1).unwrap().0;
		let idle = 1 + 2 + 3 - one - two;
		// Both commit; only the one-seat member reveals.
		commit(task, two, &[50, 50]);
		commit_reveal(task, one, &[50, 50]);
		let issuance = Balances::total_issuance();
		run_to(13);

		// 1 revealed seat < the quorum of 2: the task fails and the opener gets the pot back.
		System::assert_has_event(
			Event::TaskFailed { task, revealed: 1, required: 2, refunded: REWARD }.into(),
		);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Failed { at: 13 });
		assert_eq!(Balances::balance(&OPENER), 10_000);
		assert_eq!(held_reward(OPENER), 0);
		// The no-show held 2 seats: 2 × 10% × 100 = 20 burnt and 2 × 50 reputation.
		System::assert_has_event(Event::RevealMissed { task, who: two, slashed: 20 }.into());
		assert_eq!(held_bond(two), 80);
		assert_eq!(Balances::total_issuance(), issuance - 20);
		assert_eq!(reputation(two), 0);
		assert_eq!(ReputationLog::get(), vec![(two, -100, ReputationReason::MissedReveal)]);
		// The revealer is neither paid nor punished.
		assert_eq!((Balances::balance(&one), held_bond(one), reputation(one)), (9_900, 100, 100));
		assert_eq!(
			Verdicts::<Test>::get(task).unwrap().into_inner(),
			vec![(two, Verdict::Missed { slashed: 20 }), (one, Verdict::Unscored)]
		);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: None, accurate: vec![] }]
		);
		assert_eq!(consensus_of(task), None);

		// Below the minimum bond, the no-show left the draw ...
		let info = Evaluators::<Test>::get(two).unwrap();
		assert_eq!((info.missed, info.slot, info.pending_tasks), (1, None, 0));
		assert_eq!((SlotCount::<Test>::get(), TotalDrawWeight::<Test>::get()), (2, 200));
		// (The slash was made in this block's hook, so a task opened now sees it.)
		let next = open(OPENER);
		run_to(15);
		let next_panel = drawn(next);
		assert_eq!(seats_of(&next_panel, two), 0);
		assert_eq!(seats_of(&next_panel, one) + seats_of(&next_panel, idle), 3);
		// ... until it tops its bond up.
		assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(two), 20));
		System::assert_last_event(Event::BondIncreased { who: two, bond: 100 }.into());
		assert!(Evaluators::<Test>::get(two).unwrap().slot.is_some());
		assert_eq!((SlotCount::<Test>::get(), TotalDrawWeight::<Test>::get()), (3, 300));
	});
}

#[test]
fn the_quorum_counts_seats_not_members() {
	build_and_execute(|| {
		register_all(&[(1, 100)]);
		let task = open(OPENER);
		run_to(3);
		assert_eq!(drawn(task), vec![(1, 3)]);
		commit_reveal(task, 1, &[60, 40]);
		run_to(13);
		// One member, but three seats: at least the quorum of 2.
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().status,
			TaskStatus::Settled { consensus: vec![60, 40].try_into().unwrap(), at: 13 }
		);
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 1, deviation: 0, payout: REWARD, reputation: 30 }
				.into(),
		);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![60, 40]), accurate: vec![(1, 3)] }]
		);
	});
}

#[test]
fn consensus_weight_is_seats_not_bond_or_reputation() {
	let setup = || {
		register_all(&[(1, 100), (2, 1_000)]);
		ReputationTable::mutate(|t| t.insert(2, 1_000));
	};
	let seed = seed_where(&setup, |panel| seats_of(panel, 1) == 2 && seats_of(panel, 2) == 1);
	build_and_execute(|| {
		let (task, _) = drawn_task(seed, &setup);
		commit_reveal_all(task, &[(1, vec![30, 30]), (2, vec![90, 90])]);
		run_to(13);
		// By seats (2 : 1) the consensus is 1's; by bond (100 : 1,000) or bond × reputation it
		// would be 2's.
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().status,
			TaskStatus::Settled { consensus: vec![30, 30].try_into().unwrap(), at: 13 }
		);
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: 2, deviation: 120, slashed: 5 }.into(),
		);
		assert_eq!(Balances::balance(&1), 10_000 - 100 + REWARD);
		assert_eq!(held_bond(2), 995);
	});
}

/// The documented weights (README "Consensus" and "Payouts and penalties, per seat"): the
/// consensus is the seat-weighted median, the pot splits by seats × closeness and reputation
/// grows by `accuracy_reward × seats × closeness / best`. The inputs are chosen so that every
/// plausible alternative gives another number: the member with more seats has less bond and
/// reputation, and the two members differ in closeness.
#[test]
fn consensus_payout_and_reputation_weigh_seats_times_closeness() {
	// 1: bond 100, reputation 100, 2 seats; 2: bond 300, reputation 500, 1 seat.
	let setup = || {
		register_all(&[(1, 100), (2, 300)]);
		ReputationTable::mutate(|t| t.insert(2, 500));
	};
	let seed = seed_where(&setup, |panel| seats_of(panel, 1) == 2 && seats_of(panel, 2) == 1);
	build_and_execute(|| {
		let (task, panel) = drawn_task(seed, &setup);
		commit_reveal_all(task, &[(1, vec![70, 80]), (2, vec![74, 76])]);
		// Each commitment weighs its seats (not the bond, the reputation or the panel size).
		let weights: Vec<(u64, u128)> =
			Evaluations::<Test>::get(task).iter().map(|e| (e.who, e.weight)).collect();
		assert_eq!(weights, vec![(1, 2), (2, 1)]);
		run_to(13);

		// Consensus per criterion, κ = ½ of 3 seats: 1's 2 seats decide, so (70, 80).
		// Unweighted (1 : 1) it would be (74, 80); by bond (100 : 300) or by reputation
		// (100 : 500), (74, 76).
		let consensus: ScoresOf<Test> = vec![70, 80].try_into().unwrap();
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().status,
			TaskStatus::Settled { consensus: consensus.clone(), at: 13 }
		);
		// 2 deviates by 4 + 4 = 8 of the allowed 2 × 10: closeness 21 − 8 = 13; 1's is 21.
		// Pot shares seats × closeness = 2·21 : 1·13 = 42 : 13, so ⌊1000·42/55⌋ = 763 and
		// ⌊1000·13/55⌋ = 236, dust 1. (Seats alone: 666 / 333; closeness alone: 617 / 382;
		// seats + closeness: 621 / 378; bond × closeness: 350 / 650.)
		// Reputation ⌊10 × seats × closeness / 21⌋: 20 and ⌊130/21⌋ = 6. (Per seat only: 20 / 10;
		// closeness only: 10 / 6.)
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 1, deviation: 0, payout: 763, reputation: 20 }
				.into(),
		);
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 2, deviation: 8, payout: 236, reputation: 6 }
				.into(),
		);
		System::assert_has_event(
			Event::TaskSettled { task, consensus, rewarded: 2, paid: 999, dust: 1 }.into(),
		);
		assert_eq!(Balances::balance(&1), 10_000 - 100 + 763);
		assert_eq!(Balances::balance(&2), 10_000 - 300 + 236);
		assert_eq!(Balances::balance(&OPENER), 10_000 - REWARD + 1);
		assert_eq!((reputation(1), reputation(2)), (120, 506));
		let mut accurate = panel.clone();
		accurate.sort();
		assert_eq!(accurate, vec![(1, 2), (2, 1)]);
		assert_eq!(SettledLog::get().len(), 1);
		let mut settled_accurate = SettledLog::get()[0].accurate.clone();
		settled_accurate.sort();
		assert_eq!(settled_accurate, vec![(1, 2), (2, 1)]);
	});
}

#[test]
fn settle_checks_the_task_and_charges_what_it_used() {
	build_and_execute(|| {
		register_all(&[(1, 100)]);
		let task = open(OPENER);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(1), 5), E::TaskNotFound);
		assert_noop!(Evaluation::settle(RuntimeOrigin::none(), task), BadOrigin);
		run_to(3);
		commit_reveal(task, 1, &[60, 40]);
		// The hook defers everything, so the fallback has work.
		MaxSettlements::set(0);
		run_to(12);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::NotDue);
		run_to(13);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Open);
		System::assert_has_event(Event::SettlementDeferred { due: 13, remaining: 1 }.into());
		let info = Evaluation::settle(RuntimeOrigin::signed(6), task).unwrap();
		// Charged for the one member it settled (an accurate reveal: no penalty hook ran), not
		// the declared worst case of a full panel.
		let one_member = <() as crate::weights::WeightInfo>::settle_revealed(1)
			.max(<() as crate::weights::WeightInfo>::settle_missed(1));
		assert_eq!(info.actual_weight, Some(one_member));
		assert!(one_member.all_lt(Evaluation::settlement_weight(5)));
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().status,
			TaskStatus::Settled { consensus: vec![60, 40].try_into().unwrap(), at: 13 }
		);
		assert!(DueAt::<Test>::get(13).is_empty());
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::AlreadySettled);
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(1), task, H256::zero()),
			E::AlreadySettled
		);
		assert_noop!(
			Evaluation::reveal(RuntimeOrigin::signed(1), task, vec![60, 40], salt(1)),
			E::AlreadySettled
		);
	});
}

#[test]
fn the_hook_defers_what_it_cannot_settle_and_catches_up() {
	build_and_execute(|| {
		MaxSettlements::set(2);
		register_all(&[(1, 1_000)]);
		let tasks = vec![
			open(OPENER),
			open(OPENER),
			open_by_pallet(OPENER, 100).unwrap(),
			open_by_pallet(OPENER, 100).unwrap(),
		];
		assert_eq!(DueAt::<Test>::get(13).into_inner(), tasks);
		let is_open = |t: &TaskId| Tasks::<Test>::get(t).unwrap().status == TaskStatus::Open;
		run_to(12);
		assert!(tasks.iter().all(is_open));
		run_to(13);
		// The last two booked are settled; the first two wait.
		assert!(!is_open(&tasks[2]) && !is_open(&tasks[3]));
		assert!(is_open(&tasks[0]) && is_open(&tasks[1]));
		System::assert_has_event(Event::SettlementDeferred { due: 13, remaining: 2 }.into());
		assert_eq!(DueAt::<Test>::get(13).into_inner(), vec![tasks[0], tasks[1]]);
		// Anyone may settle a deferred task right away.
		assert_ok!(Evaluation::settle(RuntimeOrigin::signed(6), tasks[1]));
		assert_eq!(DueAt::<Test>::get(13).into_inner(), vec![tasks[0]]);
		run_to(14);
		assert!(tasks.iter().all(|t| !is_open(t)));
		assert_eq!(SettlementCursor::<Test>::get(), Some(15));
		assert_eq!(held_reward(OPENER), 0);
		// 1 was a no-show on all four, 3 seats each: 4 × 3 × 10 = 120 burnt.
		assert_eq!(held_bond(1), 880);
	});
}

/// The hook never uses more than its budget, however expensive penalties are: each penalty's
/// hook (a governance re-tally) may use 600 ms and the budget is 1 s. Three tasks fall due at
/// 13, each with one member holding all three seats who commits and never reveals, or never
/// commits at all (a no-show either way, penalized either way).
#[test]
fn the_hook_stays_within_its_budget_when_penalties_are_expensive() {
	let scenario = |reported: Weight, commits: bool| {
		new_test_ext().execute_with(|| {
			MaxSettlements::set(10);
			MaxPenaltyHookWeight::set(Weight::from_parts(600_000_000_000, 0));
			PenaltyHookWeight::set(reported);
			register_all(&[(1, 1_000)]);
			let tasks = vec![open(OPENER), open(OPENER), open_by_pallet(OPENER, 100).unwrap()];
			run_to(3);
			if commits {
				for t in &tasks {
					assert_ok!(Evaluation::commit(RuntimeOrigin::signed(1), *t, H256::zero()));
				}
			}
			run_to(12);
			System::set_block_number(13);
			let used = Evaluation::on_initialize(13);
			Evaluation::do_try_state().unwrap();
			let settled = tasks
				.iter()
				.filter(|t| Tasks::<Test>::get(t).unwrap().status != TaskStatus::Open)
				.count();
			(settled, used, Evaluation::hook_budget())
		})
	};
	for commits in [true, false] {
		// Penalties that re-tally nothing leave room for every task.
		let (settled, used, budget) = scenario(Weight::zero(), commits);
		assert_eq!(settled, 3, "commits: {commits}");
		assert!(used.all_lte(budget), "commits: {commits}: {used:?} > {budget:?}");
		// Penalties that really use 600 ms: after one task the next one's worst case no longer
		// fits, whether its no-show committed or not.
		let (settled, used, budget) = scenario(Weight::from_parts(600_000_000_000, 0), commits);
		assert!(used.all_lte(budget), "commits: {commits}: {used:?} > {budget:?}");
		assert_eq!(settled, 1, "commits: {commits}");
	}
}

// ---------------------------------------------------------------------------------------------
// The adversarial review's attacks
// ---------------------------------------------------------------------------------------------

/// C-2: the opener's Sybils (1, 2, 3: no reputation, small bonds) used to commit first to the
/// opener's `min = max = 3` tasks and take 3 × `accuracy_reward` reputation per task, honest
/// evaluators locked out. Now nobody chooses a task: the Sybils evaluate only where the lot puts
/// them, in proportion to their bond, and gain at most `accuracy_reward` per seat.
#[test]
fn sybils_of_the_opener_cannot_staff_its_tasks_or_earn_more_than_their_seats() {
	build_and_execute(|| {
		TestReputation::reset((4..=6).map(|who| (who, 100)));
		register_all(&[(1, 500), (2, 500), (3, 500), (4, 3_000), (5, 3_000), (6, 3_000)]);
		let is_sybil = |who: u64| who <= 3;
		// The Sybils approve the opener's junk; honest evaluators score it low.
		let scores = |who: u64| -> Vec<Score> {
			if who <= 3 {
				vec![100, 100]
			} else {
				vec![10, 10]
			}
		};
		// Free and held balance of the opener and its Sybils.
		let coalition =
			|| [OPENER, 1, 2, 3].iter().map(|w| Balances::total_balance(w)).sum::<u64>();
		let wealth_before = coalition();

		// 100 tasks: 2 per block for 50 blocks, each drawn two blocks later, then commits for 2
		// blocks and reveals for 2 (the last ones fall due at 50 + 2 + 2 + 2 = 56).
		let mut tasks: Vec<TaskId> = Vec::new();
		for block in 1..=56u64 {
			run_to(block);
			// The tasks opened two blocks ago were drawn now (their commit window ends two
			// blocks later): a Sybil left off a panel cannot join it.
			let fresh: Vec<TaskId> = tasks
				.iter()
				.copied()
				.filter(|t| Tasks::<Test>::get(t).map_or(false, |r| r.commit_end == block + 2))
				.collect();
			for task in &fresh {
				let panel = drawn(*task);
				assert_eq!(panel.iter().map(|(_, s)| *s).sum::<u32>(), 3);
				for sybil in 1..=3u64 {
					if seats_of(&panel, sybil) == 0 {
						assert_noop!(
							Evaluation::commit(
								RuntimeOrigin::signed(sybil),
								*task,
								commitment_of(*task, &sybil, &scores(sybil), &salt(sybil))
							),
							E::NotDrawn
						);
					}
				}
			}
			for task in &tasks {
				act(*task, &scores);
			}
			if block <= 50 {
				tasks.push(open_with(OPENER, 50, 2, 2));
				tasks.push(open_with(OPENER, 50, 2, 2));
			}
			if block <= 2 {
				// The old attack: commit in the block the task is opened (or the next one),
				// before anyone.
				for sybil in 1..=3u64 {
					assert_noop!(
						Evaluation::commit(RuntimeOrigin::signed(sybil), tasks[0], H256::zero()),
						E::PanelNotDrawn
					);
				}
			}
		}
		assert_eq!(tasks.len(), 100);
		assert_eq!(
			tasks.iter().filter_map(|t| Tasks::<Test>::get(t)).map(|r| r.reveal_end).max(),
			Some(56)
		);
		// All finished (the earliest already pruned).
		assert!(tasks
			.iter()
			.all(|t| Tasks::<Test>::get(t).map_or(true, |r| r.status != TaskStatus::Open)));
		assert_eq!(SettledLog::get().len(), 100);

		let (mut sybil_seats, mut honest_seats) = (0u32, 0u32);
		for e in events() {
			if let Event::PanelDrawn { panel, .. } = e {
				for (who, seats) in panel {
					if is_sybil(who) {
						sybil_seats += seats;
					} else {
						honest_seats += seats;
					}
				}
			}
		}
		assert_eq!(sybil_seats + honest_seats, 300);
		let gained = |sybils: bool| -> i128 {
			ReputationLog::get()
				.iter()
				.filter(|(who, amount, _)| is_sybil(*who) == sybils && *amount > 0)
				.map(|(_, amount, _)| *amount)
				.sum()
		};
		let (sybil_gain, honest_gain) = (gained(true), gained(false));
		// Never more than accuracy_reward (10) per seat the lot gave them.
		assert!(sybil_gain <= 10 * sybil_seats as i128, "{sybil_gain} > 10 × {sybil_seats}");
		// The lot gives them about their bond share: 1,500 / 10,500 ≈ 14.3% of 300 seats
		// (σ ≈ 2%).
		let share = 1_500.0 / 10_500.0;
		let seat_share = sybil_seats as f64 / 300.0;
		assert!((seat_share - share).abs() < 0.06, "Sybil seat share {seat_share}");
		// Per task, at most their share of the task's budget (3 seats × 10) ...
		assert!(sybil_gain as f64 / 100.0 <= share * 30.0, "{sybil_gain} over 100 tasks");
		// ... and less per seat than honest evaluators: lying pays only where the lot hands
		// them a majority, and costs bond everywhere else.
		assert!(
			sybil_gain * honest_seats as i128 <= honest_gain * sybil_seats as i128,
			"Sybils {sybil_gain} / {sybil_seats} seats, honest {honest_gain} / {honest_seats}"
		);
		assert!(held_bond(1) + held_bond(2) + held_bond(3) < 1_500);
		// The old attack would have made 3 × 10 = 30 per task, 3,000 in all.
		assert!(sybil_gain < 3_000 / 5);
		// The coalition (opener and Sybils) ends poorer: it paid honest evaluators' rewards and
		// lost bond.
		assert!(coalition() < wealth_before);
	});
}

/// H-1: a fresh account has no reputation to lose, so lying used to be free. Now an outlier
/// loses bond, whatever its reputation.
#[test]
fn a_fresh_sybil_that_lies_loses_bond_though_it_has_no_reputation() {
	let setup = || register_all(&[(1, 200), (6, 200)]);
	let seed = seed_where(&setup, |panel| seats_of(panel, 1) == 2 && seats_of(panel, 6) == 1);
	build_and_execute(|| {
		let (task, _) = drawn_task(seed, &setup);
		assert_eq!(reputation(6), 0);
		commit_reveal_all(task, &[(1, vec![70, 80]), (6, vec![0, 0])]);
		let issuance = Balances::total_issuance();
		assert_eq!(held_bond(6), 200);
		run_to(13);
		// Deviation 70 + 80 = 150 > 2 × 10: an outlier on one seat, 5% × 100 = 5 burnt.
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: 6, deviation: 150, slashed: 5 }.into(),
		);
		assert_eq!(held_bond(6), 195);
		assert_eq!(Evaluators::<Test>::get(6).unwrap().bond, 195);
		assert_eq!(Balances::total_issuance(), issuance - 5);
		assert_eq!(Balances::balance(&6), 10_000 - 200);
		// The reputation penalty finds nothing to take.
		assert!(ReputationLog::get().contains(&(6, -20, ReputationReason::InaccurateEvaluation)));
		assert_eq!(reputation(6), 0);
		let verdicts = Verdicts::<Test>::get(task).unwrap().into_inner();
		assert!(verdicts.contains(&(6, Verdict::Outlier { deviation: 150, slashed: 5 })));
	});
}

/// H-2: an attacker filled every due slot with direct tasks so that contributions could not
/// open theirs. Now direct tasks get half of each block's and each due block's slots; tasks from
/// other pallets get the rest and spill to the next block with room.
#[test]
fn direct_tasks_cannot_crowd_out_tasks_opened_by_other_pallets() {
	build_and_execute(|| {
		register_all(&[(1, 100), (2, 100), (3, 100)]);
		let direct = |c: u64, r: u64| {
			Evaluation::open_task(
				RuntimeOrigin::signed(OPENER),
				SubjectKind::Other,
				H256::zero(),
				vec![],
				vec![b"q".to_vec()],
				50,
				c,
				r,
			)
		};
		// Block 1: two direct tasks due at 1 + 2 + 5 + 6 = 14 use the block's direct share.
		assert_ok!(direct(5, 6));
		assert_ok!(direct(5, 6));
		assert_eq!(Tasks::<Test>::get(0).unwrap().reveal_end, 14);
		assert_noop!(direct(5, 5), E::TooManyDirectTasks);
		// Tasks from another pallet (default windows: due at 13) still open in this block.
		let t1 = open_by_pallet(OPENER, 50).unwrap();
		let t2 = open_by_pallet(OPENER, 50).unwrap();
		assert_eq!(DueAt::<Test>::get(13).into_inner(), vec![t1, t2]);
		// Now the block is full, for everyone.
		assert_noop!(open_by_pallet(OPENER, 50), E::TooManyTasksOpened);
		assert_noop!(direct(5, 5), E::TooManyTasksOpened);

		run_to(2);
		// Block 2: due block 14 already holds two direct tasks ...
		assert_noop!(direct(5, 5), E::TooManyTasksDue);
		// ... (another due block is fine) ...
		let c = NextTaskId::<Test>::get();
		assert_ok!(direct(4, 5));
		assert_eq!(Tasks::<Test>::get(c).unwrap().reveal_end, 13);
		// ... but tasks from another pallet still get the rest of it ...
		let t3 = open_by_pallet(OPENER, 50).unwrap();
		let t4 = open_by_pallet(OPENER, 50).unwrap();
		assert_eq!(DueAt::<Test>::get(14).into_inner(), vec![0, 1, t3, t4]);
		// ... and spill to the next block when it is full.
		let t5 = open_by_pallet(OPENER, 50).unwrap();
		let r5 = Tasks::<Test>::get(t5).unwrap();
		assert_eq!((r5.commit_end, r5.reveal_end), (9, 15));
		System::assert_last_event(
			Event::TaskOpened {
				task: t5,
				opener: OPENER,
				kind: SubjectKind::Dataset,
				content_hash: H256::repeat_byte(3),
				reward: 50,
				commit_end: 9,
				reveal_end: 15,
			}
			.into(),
		);
		assert_eq!(DueAt::<Test>::get(15).into_inner(), vec![t5]);
		assert_noop!(open_by_pallet(OPENER, 50), E::TooManyTasksOpened);

		run_to(3);
		// Block 3: other pallets may take the whole block (due block 15 fills up, the last one
		// spills to 16); a direct task then finds the block full.
		let more: Vec<TaskId> = (0..4).map(|_| open_by_pallet(OPENER, 50).unwrap()).collect();
		assert_eq!(DueAt::<Test>::get(15).into_inner(), vec![t5, more[0], more[1], more[2]]);
		assert_eq!(Tasks::<Test>::get(more[3]).unwrap().reveal_end, 16);
		assert_noop!(direct(5, 5), E::TooManyTasksOpened);
	});
}

/// M-1: the hook used to settle fewer tasks per block than could fall due, so a sustained flood
/// of empty tasks delayed every settlement more and more. Now every block takes at most as many
/// tasks as the hook settles: under the worst flood, every task settles in its due block.
#[test]
fn a_sustained_flood_of_empty_tasks_never_delays_any_settlement() {
	build_and_execute(|| {
		register_all(&[(1, 2_000), (2, 2_000), (3, 2_000), (4, 2_000), (5, 2_000)]);
		let mut honest = None;
		for block in 1..=43u64 {
			run_to(block);
			if block <= 30 {
				// The attacker: both direct slots and whatever other pallets' room is left.
				// Nobody commits to its tasks.
				open_with(OPENER, 50, PERIOD, PERIOD);
				open_with(OPENER, 50, PERIOD, PERIOD);
				if block == 10 {
					// A contribution's task, evaluated honestly; drawn at 12, due at 22.
					let task = open_by_pallet(6, REWARD).unwrap();
					assert_eq!(Tasks::<Test>::get(task).unwrap().reveal_end, 22);
					honest = Some(task);
				}
				while open_by_pallet(OPENER, 50).is_ok() {}
				assert_eq!(ToDraw::<Test>::get().len(), 4);
				assert_eq!(DueAt::<Test>::get(block + 12).len(), 4);
			}
			if let Some(task) = honest {
				act(task, |_| vec![75]);
				let status = Tasks::<Test>::get(task).map(|r| r.status);
				match block {
					10..=21 => assert_eq!(status, Some(TaskStatus::Open)),
					// Settled in the very block it fell due ...
					22..=41 => assert_eq!(
						status,
						Some(TaskStatus::Settled {
							consensus: vec![75].try_into().unwrap(),
							at: 22
						})
					),
					// ... and pruned `TaskRetention` blocks later.
					_ => assert_eq!(status, None),
				}
			}
			assert_nothing_overdue();
		}
		let task = honest.unwrap();
		assert!(SettledLog::get().iter().any(|s| s.task == task && s.consensus == Some(vec![75])));
		assert!(!events().iter().any(|e| matches!(e, Event::SettlementDeferred { .. })));
		// 120 tasks, the other 119 failed for lack of reveals.
		assert_eq!(events().iter().filter(|e| matches!(e, Event::TaskFailed { .. })).count(), 119);
		for who in 1..=5u64 {
			assert_eq!(Evaluators::<Test>::get(who).unwrap().pending_tasks, 0);
		}
		assert_eq!(Drawn::<Test>::iter().count(), 0);
		assert_eq!(held_reward(OPENER), 0);
		assert_eq!(held_reward(6), 0);
		assert_eq!(SettlementCursor::<Test>::get(), Some(44));
	});
}

/// M-2: finished tasks used to stay in state forever. Now they are deleted `TaskRetention`
/// blocks after they fell due, settled or failed.
#[test]
fn finished_tasks_are_pruned_after_the_retention_period() {
	build_and_execute(|| {
		register_all(&[(1, 100)]);
		let task = open(OPENER);
		// Opened by the only evaluator: nobody can be drawn, it fails at the draw.
		let failed = open(1);
		run_to(3);
		assert_eq!(Tasks::<Test>::get(failed).unwrap().status, TaskStatus::Failed { at: 3 });
		commit_reveal(task, 1, &[60, 40]);
		run_to(13);
		assert_eq!(consensus_of(task), Some(vec![60, 40]));
		assert_eq!(PruneAt::<Test>::get(13 + RETENTION).into_inner(), vec![task, failed]);

		run_to(13 + RETENTION - 1);
		for id in [task, failed] {
			assert!(Tasks::<Test>::contains_key(id));
			assert!(Verdicts::<Test>::contains_key(id));
			assert!(Panels::<Test>::contains_key(id));
		}
		assert_eq!(consensus_of(task), Some(vec![60, 40]));
		assert!(!events().iter().any(|e| matches!(e, Event::TasksPruned { .. })));

		run_to(13 + RETENTION);
		System::assert_has_event(Event::TasksPruned { tasks: vec![task, failed] }.into());
		for id in [task, failed] {
			assert!(!Tasks::<Test>::contains_key(id));
			assert!(!Verdicts::<Test>::contains_key(id));
			assert!(!Panels::<Test>::contains_key(id));
			assert!(Evaluation::task_view(id).is_none());
		}
		assert_eq!(consensus_of(task), None);
		assert!(PruneAt::<Test>::get(13 + RETENTION).is_empty());
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::TaskNotFound);
		// The evaluator's record keeps its history.
		let info = Evaluators::<Test>::get(1).unwrap();
		assert_eq!((info.accurate, info.pending_tasks, info.earned), (1, 0, REWARD));
	});
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

#[test]
fn set_params_needs_governance_and_valid_values() {
	build_and_execute(|| {
		let mut p = params();
		p.tolerance = 5;
		assert_noop!(Evaluation::set_params(RuntimeOrigin::signed(1), p), BadOrigin);
		assert_ok!(Evaluation::set_params(RuntimeOrigin::root(), p));
		System::assert_last_event(Event::ParamsSet { params: p }.into());
		assert_eq!(Params::<Test>::get(), Some(p));
		let bad = EvaluationParams { tolerance: 101, ..p };
		assert_noop!(Evaluation::set_params(RuntimeOrigin::root(), bad), E::ToleranceAboveScale);
		assert_eq!(Params::<Test>::get(), Some(p), "a refused change writes nothing");
	});
}

/// Every bounded field: one step outside its range is refused with that field's own error, and
/// the bound itself is accepted, so a missing or off-by-one bound fails here.
#[test]
fn every_parameter_is_bounded_with_a_typed_error() {
	build_and_execute(|| {
		let set = |p: EvaluationParams<u64, u64>| Evaluation::set_params(RuntimeOrigin::root(), p);

		assert_noop!(set(params_with(|p| p.min_bond = MAX_MIN_BOND + 1)), E::MinBondTooHigh);
		assert_ok!(set(params_with(|p| p.min_bond = MAX_MIN_BOND)));
		// min_bond above zero.
		assert_noop!(set(params_with(|p| p.min_bond = 0)), E::MinBondZero);
		assert_ok!(set(params_with(|p| p.min_bond = 1)));

		assert_noop!(
			set(params_with(|p| p.unbonding_delay = MAX_UNBONDING_DELAY + 1)),
			E::UnbondingDelayTooLong
		);
		assert_ok!(set(params_with(|p| p.unbonding_delay = MAX_UNBONDING_DELAY)));

		assert_noop!(set(params_with(|p| p.min_reward = MAX_MIN_REWARD + 1)), E::MinRewardTooHigh);
		assert_ok!(set(params_with(|p| p.min_reward = MAX_MIN_REWARD)));

		// min_period at least MinWindow (2 in the mock); zero has its own error.
		let min_window: u64 = <Test as crate::Config>::MinWindow::get();
		assert_eq!(min_window, 2);
		assert_noop!(set(params_with(|p| p.min_period = 0)), E::MinPeriodZero);
		assert_noop!(set(params_with(|p| p.min_period = min_window - 1)), E::MinPeriodTooShort);
		assert_ok!(set(params_with(|p| p.min_period = min_window)));

		assert_noop!(set(params_with(|p| p.max_period = MAX_WINDOW + 1)), E::MaxPeriodTooLong);
		assert_ok!(set(params_with(|p| p.max_period = MAX_WINDOW)));

		// max_period is 20 and default_period 5.
		assert_noop!(
			set(params_with(|p| {
				p.min_period = 21;
				p.default_period = 21;
			})),
			E::MinPeriodAboveMaxPeriod
		);
		assert_ok!(set(params_with(|p| {
			p.min_period = 20;
			p.default_period = 20;
		})));

		// min_period is 2, max_period 20.
		assert_noop!(set(params_with(|p| p.default_period = 1)), E::DefaultPeriodOutOfRange);
		assert_ok!(set(params_with(|p| p.default_period = 2)));
		assert_noop!(set(params_with(|p| p.default_period = 21)), E::DefaultPeriodOutOfRange);
		assert_ok!(set(params_with(|p| p.default_period = 20)));

		// panel_size in 1..=MaxPanelSize (5).
		assert_noop!(set(params_with(|p| p.panel_size = 0)), E::PanelSizeOutOfRange);
		assert_noop!(set(params_with(|p| p.panel_size = 6)), E::PanelSizeOutOfRange);
		assert_ok!(set(params_with(|p| {
			p.panel_size = 1;
			p.quorum = 1;
		})));
		assert_ok!(set(params_with(|p| p.panel_size = 5)));

		// quorum in 1..=panel_size (3).
		assert_noop!(set(params_with(|p| p.quorum = 0)), E::QuorumOutOfRange);
		assert_noop!(set(params_with(|p| p.quorum = 4)), E::QuorumOutOfRange);
		// The default quorum of 2 does not fit a panel of 1.
		assert_noop!(set(params_with(|p| p.panel_size = 1)), E::QuorumOutOfRange);
		assert_ok!(set(params_with(|p| p.quorum = 1)));
		assert_ok!(set(params_with(|p| p.quorum = 3)));

		assert_noop!(set(params_with(|p| p.tolerance = MAX_SCORE + 1)), E::ToleranceAboveScale);
		assert_noop!(set(params_with(|p| p.tolerance = Score::MAX)), E::ToleranceAboveScale);
		assert_ok!(set(params_with(|p| p.tolerance = MAX_SCORE)));

		let above_max_slash = Perbill::from_parts(MAX_NO_SHOW_SLASH.deconstruct() + 1);
		assert_noop!(
			set(params_with(|p| p.no_show_slash = above_max_slash)),
			E::NoShowSlashTooHigh
		);
		assert_ok!(set(params_with(|p| p.no_show_slash = MAX_NO_SHOW_SLASH)));
		assert_noop!(
			set(params_with(|p| p.outlier_slash = above_max_slash)),
			E::OutlierSlashTooHigh
		);
		assert_ok!(set(params_with(|p| p.outlier_slash = MAX_NO_SHOW_SLASH)));

		assert_noop!(
			set(params_with(|p| p.no_show_penalty = MAX_REPUTATION_PENALTY + 1)),
			E::NoShowPenaltyTooHigh
		);
		assert_ok!(set(params_with(|p| p.no_show_penalty = MAX_REPUTATION_PENALTY)));

		assert_noop!(
			set(params_with(|p| p.outlier_penalty = MAX_REPUTATION_PENALTY + 1)),
			E::OutlierPenaltyTooHigh
		);
		assert_ok!(set(params_with(|p| p.outlier_penalty = MAX_REPUTATION_PENALTY)));

		assert_noop!(
			set(params_with(|p| p.accuracy_reward = MAX_REPUTATION_REWARD + 1)),
			E::AccuracyRewardTooHigh
		);
		assert_ok!(set(params_with(|p| p.accuracy_reward = MAX_REPUTATION_REWARD)));

		// appeal_period is 0 (appeals off) or in MinWindow..=MaxWindow (2..=100).
		assert_ok!(set(params_with(|p| p.appeal_period = 0)));
		assert_noop!(
			set(params_with(|p| p.appeal_period = min_window - 1)),
			E::AppealPeriodOutOfRange
		);
		assert_ok!(set(params_with(|p| p.appeal_period = min_window)));
		assert_ok!(set(params_with(|p| p.appeal_period = MAX_WINDOW)));
		assert_noop!(
			set(params_with(|p| p.appeal_period = MAX_WINDOW + 1)),
			E::AppealPeriodOutOfRange
		);

		// appeal_bond_base in 1..=MaxAppealBondBase (1,000).
		let max_bond_base: u64 = <Test as crate::Config>::MaxAppealBondBase::get();
		assert_eq!(max_bond_base, 1_000);
		assert_noop!(set(params_with(|p| p.appeal_bond_base = 0)), E::AppealBondBaseOutOfRange);
		assert_ok!(set(params_with(|p| p.appeal_bond_base = 1)));
		assert_ok!(set(params_with(|p| p.appeal_bond_base = max_bond_base)));
		assert_noop!(
			set(params_with(|p| p.appeal_bond_base = max_bond_base + 1)),
			E::AppealBondBaseOutOfRange
		);

		// max_appeal_rounds at most MaxAppealRounds (2); 0 sends the first appeal to governance.
		let max_rounds: u32 = <Test as crate::Config>::MaxAppealRounds::get();
		assert_eq!(max_rounds, 2);
		assert_ok!(set(params_with(|p| p.max_appeal_rounds = 0)));
		assert_ok!(set(params_with(|p| p.max_appeal_rounds = max_rounds)));
		assert_noop!(
			set(params_with(|p| p.max_appeal_rounds = max_rounds + 1)),
			E::TooManyAppealRounds
		);

		// governance_period in MinWindow..=MaxGovernancePeriod (2..=100).
		let max_governance: u64 = <Test as crate::Config>::MaxGovernancePeriod::get();
		assert_eq!(max_governance, 100);
		assert_noop!(set(params_with(|p| p.governance_period = 0)), E::GovernancePeriodOutOfRange);
		assert_noop!(
			set(params_with(|p| p.governance_period = min_window - 1)),
			E::GovernancePeriodOutOfRange
		);
		assert_ok!(set(params_with(|p| p.governance_period = min_window)));
		assert_ok!(set(params_with(|p| p.governance_period = max_governance)));
		assert_noop!(
			set(params_with(|p| p.governance_period = max_governance + 1)),
			E::GovernancePeriodOutOfRange
		);
	});
}

/// A captured governance origin cannot brick evaluation: windows of years, unaffordable bonds
/// or pots, unbounded reputation per task or slashes of whole bonds are all refused.
#[test]
fn captured_governance_cannot_brick_evaluation() {
	build_and_execute(|| {
		let set = |p: EvaluationParams<u64, u64>| Evaluation::set_params(RuntimeOrigin::root(), p);
		assert_noop!(
			set(params_with(|p| {
				p.max_period = u64::MAX;
				p.default_period = u64::MAX;
			})),
			E::MaxPeriodTooLong
		);
		assert_noop!(set(params_with(|p| p.min_bond = u64::MAX)), E::MinBondTooHigh);
		// Free slots in the draw, or windows too short for drawn evaluators to act in.
		assert_noop!(set(params_with(|p| p.min_bond = 0)), E::MinBondZero);
		assert_noop!(set(params_with(|p| p.min_period = 1)), E::MinPeriodTooShort);
		assert_noop!(set(params_with(|p| p.min_reward = u64::MAX)), E::MinRewardTooHigh);
		assert_noop!(set(params_with(|p| p.unbonding_delay = u64::MAX)), E::UnbondingDelayTooLong);
		assert_noop!(set(params_with(|p| p.accuracy_reward = u128::MAX)), E::AccuracyRewardTooHigh);
		assert_noop!(set(params_with(|p| p.no_show_slash = Perbill::one())), E::NoShowSlashTooHigh);
		assert_noop!(
			set(params_with(|p| p.outlier_slash = Perbill::one())),
			E::OutlierSlashTooHigh
		);
		assert_noop!(set(params_with(|p| p.panel_size = u32::MAX)), E::PanelSizeOutOfRange);
		// Appeal windows of years, free or unaffordable appeals, unbounded appeal panels, or a
		// governance stage that never ends.
		assert_noop!(set(params_with(|p| p.appeal_period = u64::MAX)), E::AppealPeriodOutOfRange);
		assert_noop!(set(params_with(|p| p.appeal_bond_base = 0)), E::AppealBondBaseOutOfRange);
		assert_noop!(
			set(params_with(|p| p.appeal_bond_base = u64::MAX)),
			E::AppealBondBaseOutOfRange
		);
		assert_noop!(set(params_with(|p| p.max_appeal_rounds = u32::MAX)), E::TooManyAppealRounds);
		assert_noop!(
			set(params_with(|p| p.governance_period = u64::MAX)),
			E::GovernancePeriodOutOfRange
		);
		assert_eq!(Params::<Test>::get(), Some(params()));
	});
}

#[test]
#[should_panic(expected = "invalid evaluation genesis params: MaxPeriodTooLong")]
fn genesis_params_are_checked_against_the_same_ranges() {
	use sp_runtime::BuildStorage;
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let _ = GenesisConfig::<Test> { params: Some(params_with(|p| p.max_period = MAX_WINDOW + 1)) }
		.assimilate_storage(&mut t);
}
