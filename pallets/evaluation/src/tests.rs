use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
	weights::Weight,
};
use perspective_primitives::ReputationReason;
use sp_runtime::traits::BadOrigin;

type E = crate::Error<Test>;

fn salt(who: u64) -> [u8; 32] {
	[who as u8; 32]
}

fn held_bond(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who)
}

fn held_reward(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::TaskReward.into(), &who)
}

fn register_all(bond: u64) {
	for who in 1..=5 {
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(who), bond));
	}
}

/// Opens a two-criteria task with reward 1,000, commit window 5 and reveal window 5
/// (commits before block 6, reveals before block 11), needing 2 reveals.
fn open(reward: u64) -> TaskId {
	assert_ok!(Evaluation::open_task(
		RuntimeOrigin::signed(OPENER),
		SubjectKind::ModelOutput,
		H256::repeat_byte(7),
		b"ipfs://output".to_vec(),
		vec![b"accuracy".to_vec(), b"safety".to_vec()],
		reward,
		PERIOD,
		PERIOD,
		2,
		5,
	));
	NextTaskId::<Test>::get() - 1
}

fn commit(who: u64, task: TaskId, scores: &[Score]) {
	assert_ok!(Evaluation::commit(
		RuntimeOrigin::signed(who),
		task,
		commitment_of(task, &who, scores, &salt(who))
	));
}

fn reveal(who: u64, task: TaskId, scores: &[Score]) {
	assert_ok!(Evaluation::reveal(RuntimeOrigin::signed(who), task, scores.to_vec(), salt(who)));
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Evaluation(e) = r.event { Some(e) } else { None })
		.collect()
}

#[test]
fn register_holds_the_bond() {
	build_and_execute(|| {
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(1), 150));
		assert_eq!(held_bond(1), 150);
		assert_eq!(Balances::balance(&1), 10_000 - 150);
		System::assert_last_event(Event::EvaluatorRegistered { who: 1, bond: 150 }.into());
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(1), 150), E::AlreadyEvaluator);
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(2), 99), E::BondTooLow);
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(2), 10_000), E::InsufficientBalance);
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(99), 100), E::InsufficientBalance);
	});
}

#[test]
fn nothing_works_before_governance_sets_params() {
	build_and_execute(|| {
		Params::<Test>::kill();
		assert_noop!(Evaluation::register(RuntimeOrigin::signed(1), 150), E::NotConfigured);
	});
}

#[test]
fn unbond_then_withdraw_after_delay_and_pending_tasks() {
	build_and_execute(|| {
		register_all(100);
		assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(1), 50));
		assert_eq!(held_bond(1), 150);
		let task = open(1_000);
		commit(1, task, &[50, 50]);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::NotUnbonding);
		assert_ok!(Evaluation::unbond(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::UnbondingStarted { who: 1, unlock_at: 11 }.into());
		assert_noop!(Evaluation::unbond(RuntimeOrigin::signed(1)), E::Unbonding);
		assert_noop!(Evaluation::bond_extra(RuntimeOrigin::signed(1), 1), E::Unbonding);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::UnbondingNotOver);
		// An unbonding evaluator takes no new tasks.
		let other = open(1_000);
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(1), other, H256::zero()),
			E::Unbonding
		);
		System::set_block_number(6);
		reveal(1, task, &[50, 50]);
		// Still committed to `task` until it settles (at 11).
		System::set_block_number(11);
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::HasPendingTasks);
		Evaluation::on_initialize(11);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Failed { at: 11 });
		assert_ok!(Evaluation::withdraw(RuntimeOrigin::signed(1)));
		assert_eq!(held_bond(1), 0);
		assert_eq!(Balances::balance(&1), 10_000);
		assert!(Evaluators::<Test>::get(1).is_none());
		System::assert_last_event(Event::EvaluatorWithdrawn { who: 1, amount: 150 }.into());
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::NotEvaluator);
	});
}

#[test]
fn open_task_holds_the_reward_and_checks_its_input() {
	build_and_execute(|| {
		let task = open(1_000);
		assert_eq!(held_reward(OPENER), 1_000);
		let t = Tasks::<Test>::get(task).unwrap();
		assert_eq!((t.commit_end, t.reveal_end), (6, 11));
		assert_eq!(DueAt::<Test>::get(11).into_inner(), vec![task]);
		System::assert_last_event(
			Event::TaskOpened {
				task,
				opener: OPENER,
				kind: SubjectKind::ModelOutput,
				content_hash: H256::repeat_byte(7),
				reward: 1_000,
				commit_end: 6,
				reveal_end: 11,
			}
			.into(),
		);
		let attempt = |criteria: Vec<Vec<u8>>, uri: Vec<u8>, reward, commit, reveal, min, max| {
			Evaluation::open_task(
				RuntimeOrigin::signed(OPENER),
				SubjectKind::Dataset,
				H256::zero(),
				uri,
				criteria,
				reward,
				commit,
				reveal,
				min,
				max,
			)
		};
		let two = || vec![b"a".to_vec(), b"b".to_vec()];
		assert_noop!(attempt(vec![], vec![], 100, 5, 5, 2, 5), E::NoCriteria);
		assert_noop!(
			attempt((0..5u8).map(|i| vec![i]).collect(), vec![], 100, 5, 5, 2, 5),
			E::TooManyCriteria
		);
		assert_noop!(attempt(vec![b"a".to_vec(), b"a".to_vec()], vec![], 100, 5, 5, 2, 5), E::DuplicateCriterion);
		assert_noop!(attempt(vec![vec![]], vec![], 100, 5, 5, 2, 5), E::BadCriterionName);
		assert_noop!(attempt(vec![vec![b'x'; 17]], vec![], 100, 5, 5, 2, 5), E::BadCriterionName);
		assert_noop!(attempt(two(), vec![0; 65], 100, 5, 5, 2, 5), E::UriTooLong);
		assert_noop!(attempt(two(), vec![], 49, 5, 5, 2, 5), E::RewardTooLow);
		assert_noop!(attempt(two(), vec![], 100, 1, 5, 2, 5), E::PeriodOutOfBounds);
		assert_noop!(attempt(two(), vec![], 100, 5, 21, 2, 5), E::PeriodOutOfBounds);
		assert_noop!(attempt(two(), vec![], 100, 5, 5, 1, 5), E::BadEvaluatorBounds);
		assert_noop!(attempt(two(), vec![], 100, 5, 5, 4, 3), E::BadEvaluatorBounds);
		assert_noop!(attempt(two(), vec![], 100, 5, 5, 2, 6), E::BadEvaluatorBounds);
		assert_noop!(attempt(two(), vec![], 9_500, 5, 5, 2, 5), E::InsufficientBalance);
		// Four tasks may be due at one block.
		for _ in 0..3 {
			assert_ok!(attempt(two(), vec![], 100, 5, 5, 2, 5));
		}
		assert_noop!(attempt(two(), vec![], 100, 5, 5, 2, 5), E::TooManyTasksDue);
		assert_ok!(attempt(two(), vec![], 100, 5, 6, 2, 5));
	});
}

#[test]
fn commit_checks_evaluator_task_and_window() {
	build_and_execute(|| {
		register_all(100);
		let task = open(1_000);
		let h = H256::repeat_byte(1);
		assert_noop!(Evaluation::commit(RuntimeOrigin::signed(6), task, h), E::NotEvaluator);
		assert_noop!(Evaluation::commit(RuntimeOrigin::signed(1), 9, h), E::TaskNotFound);
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(OPENER), 100));
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(OPENER), task, h),
			E::OpenerCannotEvaluate
		);
		assert_ok!(Evaluation::commit(RuntimeOrigin::signed(1), task, h));
		System::assert_last_event(Event::Committed { task, who: 1 }.into());
		assert_noop!(Evaluation::commit(RuntimeOrigin::signed(1), task, h), E::AlreadyCommitted);
		// The weight is bond × (reputation + base) = 100 × (100 + 100).
		assert_eq!(Evaluations::<Test>::get(task)[0].weight, 20_000);
		System::set_block_number(6);
		assert_noop!(Evaluation::commit(RuntimeOrigin::signed(2), task, h), E::CommitClosed);
	});
}

#[test]
fn commit_is_bounded_per_task_and_per_evaluator() {
	build_and_execute(|| {
		register_all(100);
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(6), 100));
		let task = open(1_000);
		for who in 1..=5 {
			assert_ok!(Evaluation::commit(RuntimeOrigin::signed(who), task, H256::zero()));
		}
		assert_noop!(Evaluation::commit(RuntimeOrigin::signed(6), task, H256::zero()), E::TaskFull);
		for _ in 0..2 {
			let t = open(100);
			assert_ok!(Evaluation::commit(RuntimeOrigin::signed(1), t, H256::zero()));
		}
		let t = open(100);
		assert_noop!(
			Evaluation::commit(RuntimeOrigin::signed(1), t, H256::zero()),
			E::TooManyPendingTasks
		);
	});
}

#[test]
fn reveal_errors_are_precise_and_a_wrong_salt_can_be_retried() {
	build_and_execute(|| {
		register_all(100);
		let task = open(1_000);
		commit(1, task, &[70, 80]);
		let r = |who: u64, scores: Vec<Score>, salt: [u8; 32]| {
			Evaluation::reveal(RuntimeOrigin::signed(who), task, scores, salt)
		};
		assert_noop!(r(1, vec![70, 80], salt(1)), E::RevealTooEarly);
		System::set_block_number(6);
		assert_noop!(r(2, vec![70, 80], salt(2)), E::NoCommitment);
		assert_noop!(r(1, vec![70], salt(1)), E::WrongNumberOfScores);
		assert_noop!(r(1, vec![70, 101], salt(1)), E::ScoreOutOfRange);
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
		assert_noop!(r(1, vec![70, 80], salt(1)), E::AlreadyRevealed);
		System::set_block_number(11);
		assert_noop!(r(1, vec![70, 80], salt(1)), E::RevealTooLate);
	});
}

#[test]
fn a_copied_commitment_cannot_be_revealed_by_the_copier() {
	build_and_execute(|| {
		register_all(100);
		let task = open(1_000);
		let honest = commitment_of(task, &1u64, &[70, 80], &salt(1));
		assert_ok!(Evaluation::commit(RuntimeOrigin::signed(1), task, honest));
		// Account 2 copies the hash and, after 1 reveals, replays its scores and salt.
		assert_ok!(Evaluation::commit(RuntimeOrigin::signed(2), task, honest));
		System::set_block_number(6);
		reveal(1, task, &[70, 80]);
		assert_noop!(
			Evaluation::reveal(RuntimeOrigin::signed(2), task, vec![70, 80], salt(1)),
			E::CommitmentMismatch
		);
		// The commitment also differs per task.
		assert_ne!(honest, commitment_of(task + 1, &1u64, &[70, 80], &salt(1)));
	});
}

#[test]
fn settlement_pays_accurate_evaluators_and_penalizes_outliers_and_no_shows() {
	build_and_execute(|| {
		register_all(100);
		let task = open(1_000);
		let issuance = Balances::total_issuance();
		commit(1, task, &[70, 80]);
		commit(2, task, &[72, 78]);
		commit(3, task, &[70, 80]);
		commit(4, task, &[10, 10]);
		commit(5, task, &[70, 80]);
		System::set_block_number(6);
		reveal(1, task, &[70, 80]);
		reveal(2, task, &[72, 78]);
		reveal(3, task, &[70, 80]);
		reveal(4, task, &[10, 10]);
		// 5 never reveals.
		ReputationLog::set(vec![]);
		System::set_block_number(11);
		assert_ok!(Evaluation::settle(RuntimeOrigin::signed(6), task));

		// Equal weights: consensus (70, 80). Closeness 21, 17, 21 → 1000·21/59 = 355,
		// 1000·17/59 = 288, 355; dust 2 back to the opener.
		let t = Tasks::<Test>::get(task).unwrap();
		assert_eq!(t.status, TaskStatus::Settled { consensus: vec![70, 80].try_into().unwrap(), at: 11 });
		assert_eq!(Balances::balance(&1), 10_000 - 100 + 355);
		assert_eq!(Balances::balance(&2), 10_000 - 100 + 288);
		assert_eq!(Balances::balance(&3), 10_000 - 100 + 355);
		assert_eq!(Balances::balance(&4), 10_000 - 100);
		assert_eq!(Balances::balance(&OPENER), 10_000 - 1_000 + 2);
		assert_eq!(held_reward(OPENER), 0);
		// The no-show loses 10% of the bond (burnt) and 50 reputation.
		assert_eq!(held_bond(5), 90);
		assert_eq!(Evaluators::<Test>::get(5).unwrap().bond, 90);
		assert_eq!(Balances::total_issuance(), issuance - 10);
		assert_eq!(
			ReputationLog::get(),
			vec![
				(5, -50, ReputationReason::MissedReveal),
				(1, 10, ReputationReason::AccurateEvaluation),
				(2, 8, ReputationReason::AccurateEvaluation),
				(3, 10, ReputationReason::AccurateEvaluation),
				(4, -20, ReputationReason::InaccurateEvaluation),
			]
		);
		let ev = events();
		assert!(ev.contains(&Event::RevealMissed { task, who: 5, slashed: 10 }));
		assert!(ev.contains(&Event::EvaluatorOutlier { task, who: 4, deviation: 130 }));
		assert!(ev.contains(&Event::EvaluatorRewarded { task, who: 2, deviation: 4, payout: 288, reputation: 8 }));
		assert_eq!(
			ev.last(),
			Some(&Event::TaskSettled {
				task,
				consensus: vec![70, 80].try_into().unwrap(),
				rewarded: 3,
				paid: 998,
				dust: 2,
			})
		);
		// Per-evaluator state is gone; verdicts and records remain.
		assert!(Evaluations::<Test>::get(task).is_empty());
		assert!(DueAt::<Test>::get(11).is_empty());
		let verdicts = Verdicts::<Test>::get(task).unwrap();
		assert_eq!(verdicts.len(), 5);
		assert_eq!(verdicts[0], (5, Verdict::Missed { slashed: 10 }));
		let info = Evaluators::<Test>::get(2).unwrap();
		assert_eq!((info.accurate, info.outliers, info.missed, info.earned, info.pending_tasks), (1, 0, 0, 288, 0));
		assert_eq!(Evaluators::<Test>::get(4).unwrap().outliers, 1);
		assert_eq!(Evaluators::<Test>::get(5).unwrap().missed, 1);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![70, 80]), accurate: vec![1, 2, 3] }]
		);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::AlreadySettled);
		// A slashed bond below the minimum must be topped up before the next commitment.
		let next = open(100);
		assert_noop!(Evaluation::commit(RuntimeOrigin::signed(5), next, H256::zero()), E::BondTooLow);
		assert_ok!(Evaluation::bond_extra(RuntimeOrigin::signed(5), 10));
		assert_ok!(Evaluation::commit(RuntimeOrigin::signed(5), next, H256::zero()));
	});
}

#[test]
fn weight_is_bond_times_reputation() {
	build_and_execute(|| {
		// 1 has a large bond and reputation: alone it outweighs 2 and 3 together.
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(1), 1_000));
		ReputationTable::mutate(|t| t.insert(1, 1_000));
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(2), 100));
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(3), 100));
		let task = open(1_000);
		commit(1, task, &[20, 20]);
		commit(2, task, &[90, 90]);
		commit(3, task, &[90, 90]);
		System::set_block_number(6);
		reveal(1, task, &[20, 20]);
		reveal(2, task, &[90, 90]);
		reveal(3, task, &[90, 90]);
		run_to(11);
		let t = Tasks::<Test>::get(task).unwrap();
		assert_eq!(t.status, TaskStatus::Settled { consensus: vec![20, 20].try_into().unwrap(), at: 11 });
		assert_eq!(Balances::balance(&1), 10_000 - 1_000 + 1_000);
	});
}

#[test]
fn too_few_reveals_fail_the_task_refund_the_opener_and_still_punish_no_shows() {
	build_and_execute(|| {
		register_all(100);
		let task = open(1_000);
		commit(1, task, &[50, 50]);
		commit(2, task, &[50, 50]);
		System::set_block_number(6);
		reveal(1, task, &[50, 50]);
		run_to(11);
		assert_eq!(Tasks::<Test>::get(task).unwrap().status, TaskStatus::Failed { at: 11 });
		assert_eq!(Balances::balance(&OPENER), 10_000);
		assert_eq!(Balances::balance(&1), 9_900);
		assert_eq!(held_bond(2), 90);
		assert!(events().contains(&Event::TaskFailed { task, revealed: 1, required: 2, refunded: 1_000 }));
		assert_eq!(
			Verdicts::<Test>::get(task).unwrap().into_inner(),
			vec![(2, Verdict::Missed { slashed: 10 }), (1, Verdict::Unscored)]
		);
		assert_eq!(ReputationLog::get(), vec![(2, -50, ReputationReason::MissedReveal)]);
		assert_eq!(SettledLog::get(), vec![SettledTask { task, consensus: None, accurate: vec![] }]);
	});
}

#[test]
fn the_hook_settles_a_bounded_number_per_block_and_defers_the_rest() {
	build_and_execute(|| {
		register_all(100);
		let tasks: Vec<TaskId> = (0..4).map(|_| open(100)).collect();
		// A fifth task due one block later.
		assert_ok!(Evaluation::open_task(
			RuntimeOrigin::signed(OPENER),
			SubjectKind::Other,
			H256::zero(),
			vec![],
			vec![b"q".to_vec()],
			100,
			PERIOD,
			PERIOD + 1,
			2,
			5
		));
		run_to(10);
		assert!(tasks.iter().all(|t| Tasks::<Test>::get(t).unwrap().status == TaskStatus::Open));
		run_to(11);
		let open = |id: &TaskId| Tasks::<Test>::get(id).unwrap().status == TaskStatus::Open;
		assert_eq!(tasks.iter().filter(|t| open(t)).count(), 2);
		assert!(events().contains(&Event::SettlementDeferred { due: 11, remaining: 2 }));
		// Anyone may settle a deferred task right away.
		let waiting = *tasks.iter().find(|t| open(t)).unwrap();
		assert_ok!(Evaluation::settle(RuntimeOrigin::signed(6), waiting));
		run_to(12);
		// The last of block 11 and the one due at 12.
		assert!(tasks.iter().all(|t| !open(t)));
		assert!(!open(&4));
		assert_eq!(SettlementCursor::<Test>::get(), Some(13));
		assert_eq!(held_reward(OPENER), 0);
	});
}

#[test]
fn settle_checks_the_task() {
	build_and_execute(|| {
		let task = open(1_000);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(1), 5), E::TaskNotFound);
		System::set_block_number(10);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(1), task), E::NotDue);
		assert_noop!(Evaluation::settle(RuntimeOrigin::none(), task), BadOrigin);
	});
}

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

/// The mock's parameters with `f` applied.
fn params_with(f: impl FnOnce(&mut EvaluationParams<u64, u64>)) -> EvaluationParams<u64, u64> {
	let mut p = params();
	f(&mut p);
	p
}

/// Every bounded field: one step outside its range is refused with that field's own error, and
/// the bound itself is accepted, so a missing or off-by-one bound fails here.
#[test]
fn every_parameter_is_bounded_with_a_typed_error() {
	build_and_execute(|| {
		let set = |p: EvaluationParams<u64, u64>| Evaluation::set_params(RuntimeOrigin::root(), p);

		assert_noop!(set(params_with(|p| p.min_bond = MAX_MIN_BOND + 1)), E::MinBondTooHigh);
		assert_ok!(set(params_with(|p| p.min_bond = MAX_MIN_BOND)));

		assert_noop!(
			set(params_with(|p| p.unbonding_delay = MAX_UNBONDING_DELAY + 1)),
			E::UnbondingDelayTooLong
		);
		assert_ok!(set(params_with(|p| p.unbonding_delay = MAX_UNBONDING_DELAY)));

		assert_noop!(set(params_with(|p| p.min_reward = MAX_MIN_REWARD + 1)), E::MinRewardTooHigh);
		assert_ok!(set(params_with(|p| p.min_reward = MAX_MIN_REWARD)));

		assert_noop!(set(params_with(|p| p.min_period = 0)), E::MinPeriodZero);
		assert_ok!(set(params_with(|p| p.min_period = 1)));

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

		assert_noop!(set(params_with(|p| p.min_evaluators = 0)), E::MinEvaluatorsZero);
		assert_ok!(set(params_with(|p| p.min_evaluators = 1)));
		// MaxEvaluatorsPerTask is 5.
		assert_noop!(set(params_with(|p| p.min_evaluators = 6)), E::MinEvaluatorsAboveMax);
		assert_ok!(set(params_with(|p| p.min_evaluators = 5)));

		assert_noop!(set(params_with(|p| p.tolerance = MAX_SCORE + 1)), E::ToleranceAboveScale);
		assert_ok!(set(params_with(|p| p.tolerance = MAX_SCORE)));

		let above_max_slash = Perbill::from_parts(MAX_NO_SHOW_SLASH.deconstruct() + 1);
		assert_noop!(set(params_with(|p| p.no_show_slash = above_max_slash)), E::NoShowSlashTooHigh);
		assert_ok!(set(params_with(|p| p.no_show_slash = MAX_NO_SHOW_SLASH)));

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

		assert_noop!(
			set(params_with(|p| p.base_reputation = MAX_BASE_REPUTATION + 1)),
			E::BaseReputationTooHigh
		);
		assert_ok!(set(params_with(|p| p.base_reputation = MAX_BASE_REPUTATION)));
	});
}

/// A captured governance origin cannot brick evaluation: windows of years, unaffordable bonds
/// or pots, or unbounded reputation per task are all refused.
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
		assert_noop!(set(params_with(|p| p.min_reward = u64::MAX)), E::MinRewardTooHigh);
		assert_noop!(set(params_with(|p| p.unbonding_delay = u64::MAX)), E::UnbondingDelayTooLong);
		assert_noop!(set(params_with(|p| p.accuracy_reward = u128::MAX)), E::AccuracyRewardTooHigh);
		assert_noop!(set(params_with(|p| p.no_show_slash = Perbill::one())), E::NoShowSlashTooHigh);
		// Tasks still open and settle with the untouched parameters.
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

#[test]
fn other_pallets_open_tasks_with_the_default_windows() {
	build_and_execute(|| {
		let task = <Evaluation as EvaluationTasks<u64, u64>>::open_task(
			&OPENER,
			TaskRequest {
				kind: SubjectKind::Dataset,
				content_hash: H256::repeat_byte(3),
				uri: b"ipfs://data".to_vec(),
				criteria: vec![b"quality".to_vec()],
			},
			500,
		)
		.unwrap();
		let t = Tasks::<Test>::get(task).unwrap();
		assert_eq!((t.commit_end, t.reveal_end, t.min_evaluators, t.max_evaluators), (6, 11, 2, 5));
		assert_eq!(held_reward(OPENER), 500);
		let view = Evaluation::task_view(task).unwrap();
		assert_eq!(view.criteria, vec![b"quality".to_vec()]);
		assert_eq!(view.status, TaskStatus::Open);
	});
}

#[test]
fn the_hook_charges_what_settlements_really_used() {
	// Each task's worst case reserves room for a 600 ms penalty hook (a governance re-tally);
	// the hook budget is 1 s. Three tasks, each with one no-show.
	let scenario = |reported: Weight| {
		new_test_ext().execute_with(|| {
			MaxSettlements::set(10);
			MaxPenaltyHookWeight::set(Weight::from_parts(600_000_000_000, 0));
			PenaltyHookWeight::set(reported);
			assert_ok!(Evaluation::register(RuntimeOrigin::signed(1), 100));
			let tasks: Vec<TaskId> = (0..3).map(|_| open(100)).collect();
			for t in &tasks {
				assert_ok!(Evaluation::commit(RuntimeOrigin::signed(1), *t, H256::zero()));
			}
			run_to(11);
			Evaluation::do_try_state().unwrap();
			tasks.iter().filter(|t| Tasks::<Test>::get(t).unwrap().status != TaskStatus::Open).count()
		})
	};
	// Penalties that re-tally nothing leave room for every task.
	assert_eq!(scenario(Weight::zero()), 3);
	// Penalties that really use 600 ms: after one, the next task's worst case no longer fits.
	assert_eq!(scenario(Weight::from_parts(600_000_000_000, 0)), 1);
}
