//! Tests of appeals and disputes (`disputes.rs`): the appeal window, crowdfunded bonds, appeal
//! rounds drawn from evaluators who sat on no earlier round, the final appeal to governance, and
//! the one settlement of every round against the final verdict.
//!
//! Two kinds of set-up:
//! - **solo** rounds ([`solo_task`]): evaluators register one at a time, each after the previous
//!   round's draw, and earlier members are cut out of the draw, so round 0 is `[(1, 3)]`, round 1
//!   `[(2, 7)]` and round 2 `[(3, 15)]` whatever the randomness: every amount is exact (an
//!   appeal round is drawn from the tree as at the end of its appeal window, so whoever is to sit
//!   on it registers before that window ends, and whoever is not registers after its draw);
//! - **random** rounds: eight evaluators; the test reads the drawn panels from storage and
//!   derives every amount from their seats.
//!
//! [`appeal_params`]: one criterion, tolerance 10 (closeness of an exact score: 11), windows of 5
//! blocks, an appeal window of 5 blocks, bonds 200 / 400 / 800 for round 1 / round 2 / the
//! appeal to governance, outliers lose 20 and no-shows 40 per seat (of `min_bond` 100). A task
//! opened at block 1 is drawn at 3, takes commitments before 8 and reveals before 13, may be
//! appealed in 13..18 and is due at 18. An appeal funded in the window that ends at block d (the
//! round's due block) is queued for the draw at d (`AppealDrawAt`, one per block; if appeal draws
//! are booked up to d or beyond, the first block after them: `NextAppealDraw`), drawn at d + 2 from the tree as at the end of block d, takes
//! commitments before d + 7 and reveals before d + 12, and is due at d + 17: round 1 of a task
//! opened at block 1 is drawn at 20, reveals before 30 and is due at 35; round 2 is drawn at 37,
//! reveals before 47 and is due at 52.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		ConstU32,
	},
	BoundedVec,
};
use sp_runtime::traits::BadOrigin;

type E = crate::Error<Test>;

const REWARD: u64 = 1_000;
/// Every evaluator's bond.
const BOND: u64 = 500;
/// Appellants (not evaluators, funded with 10,000 each by [`setup`]).
const APPELLANT: u64 = 20;
const BACKER: u64 = 21;
const THIRD: u64 = 22;
/// What the honest evaluators score, and what the liars score (60 away: beyond tolerance).
const TRUTH: Score = 80;
const LIE: Score = 20;
/// Slashed per seat: 20% and 40% of `min_bond` (100).
const OUTLIER_SLASH: u64 = 20;
const NO_SHOW_SLASH: u64 = 40;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn appeal_params() -> EvaluationParams<u64, u64> {
	EvaluationParams {
		appeal_period: 5,
		appeal_bond_base: 100,
		max_appeal_rounds: 2,
		governance_period: 10,
		outlier_slash: Perbill::from_percent(20),
		no_show_slash: Perbill::from_percent(40),
		..params()
	}
}

/// Sets `p`, funds accounts 7, 8 and the appellants with 10,000 and gives accounts 1..=8 a
/// reputation of 1,000 (so no penalty saturates).
fn setup_with(p: EvaluationParams<u64, u64>) {
	assert_ok!(Evaluation::set_params(RuntimeOrigin::root(), p));
	for who in [7, 8, APPELLANT, BACKER, THIRD] {
		assert_ok!(<Balances as Mutate<u64>>::mint_into(&who, 10_000));
	}
	TestReputation::reset((1..=8).map(|who| (who, 1_000)));
}

fn setup() {
	setup_with(appeal_params());
}

fn register(accounts: impl IntoIterator<Item = u64>) {
	for who in accounts {
		assert_ok!(Evaluation::register(RuntimeOrigin::signed(who), BOND));
	}
}

/// Opens a one-criterion task (reward 1,000, windows of 5 blocks) from [`OPENER`].
fn open() -> TaskId {
	assert_ok!(Evaluation::open_task(
		RuntimeOrigin::signed(OPENER),
		SubjectKind::ModelOutput,
		H256::repeat_byte(7),
		b"ipfs://output".to_vec(),
		vec![b"quality".to_vec()],
		REWARD,
		PERIOD,
		PERIOD,
	));
	NextTaskId::<Test>::get() - 1
}

/// Opens a one-criterion task (reward 1,000) from [`OPENER`] as another pallet would: default
/// windows of 5 blocks, so opened with [`open`]'s tasks it is due with them, and it takes the
/// room direct tasks leave.
fn open_by_pallet() -> TaskId {
	let request = TaskRequest {
		kind: SubjectKind::Dataset,
		content_hash: H256::repeat_byte(3),
		uri: b"ipfs://data".to_vec(),
		criteria: vec![b"quality".to_vec()],
	};
	<Evaluation as EvaluationTasks<u64, u64>>::open_task(&OPENER, request, REWARD)
		.expect("room for the task")
}

/// Appeals on, only evaluator 1 registered, a task opened at block 1: at block 3 its panel is
/// `[(1, 3)]`. Whoever registers now can sit on the next round only.
fn solo_task() -> TaskId {
	setup();
	register([1]);
	let task = open();
	run_to(3);
	assert_eq!(panel(task), vec![(1, 3)]);
	task
}

/// The current round's panel of `task` (empty before its draw and while governance decides).
fn panel(task: TaskId) -> Vec<(u64, u32)> {
	Panels::<Test>::get(task).map(|p| p.into_inner()).unwrap_or_default()
}

fn seats(panel: &[(u64, u32)]) -> u32 {
	panel.iter().map(|(_, s)| *s).sum()
}

fn seats_of(panel: &[(u64, u32)], who: u64) -> u32 {
	panel.iter().filter(|(w, _)| *w == who).map(|(_, s)| *s).sum()
}

fn seat_list(panel: &[(u64, u32)]) -> Vec<u64> {
	panel.iter().map(|(_, s)| *s as u64).collect()
}

/// `pot` split pro rata to `shares`, each part rounded down (the pallet's rule, restated).
fn split(pot: u64, shares: &[u64]) -> Vec<u64> {
	let total: u64 = shares.iter().sum();
	shares.iter().map(|s| if total == 0 { 0 } else { pot * s / total }).collect()
}

fn salt(who: u64) -> [u8; 32] {
	[who as u8; 32]
}

fn commit(task: TaskId, who: u64, score: Score) {
	assert_ok!(Evaluation::commit(
		RuntimeOrigin::signed(who),
		task,
		commitment_of(task, &who, &[score], &salt(who))
	));
}

fn reveal(task: TaskId, who: u64, score: Score) {
	assert_ok!(Evaluation::reveal(RuntimeOrigin::signed(who), task, vec![score], salt(who)));
}

/// Every member of each task's current panel commits `score(who)` now and reveals it when the
/// commit window ends. Leaves the chain at the round's reveal end: its appeal window is open.
fn play(tasks: &[TaskId], score: impl Fn(u64) -> Score) {
	let first = Tasks::<Test>::get(tasks[0]).unwrap();
	for task in tasks {
		let record = Tasks::<Test>::get(task).unwrap();
		assert_eq!((record.commit_end, record.reveal_end), (first.commit_end, first.reveal_end));
		for (who, _) in panel(*task) {
			commit(*task, who, score(who));
		}
	}
	run_to(first.commit_end);
	for task in tasks {
		for (who, _) in panel(*task) {
			reveal(*task, who, score(who));
		}
	}
	run_to(first.reveal_end);
}

fn pledge(who: u64, task: TaskId, amount: u64) {
	assert_ok!(Evaluation::appeal(RuntimeOrigin::signed(who), task, amount));
}

fn settle(task: TaskId) {
	assert_ok!(Evaluation::settle(RuntimeOrigin::signed(6), task));
}

fn decide(task: TaskId, consensus: Vec<Score>) -> sp_runtime::DispatchResult {
	Evaluation::decide_dispute(RuntimeOrigin::root(), task, consensus)
}

fn verdict(scores: &[Score]) -> ScoresOf<Test> {
	scores.to_vec().try_into().unwrap()
}

fn backers(list: &[(u64, u64)]) -> BackersOf<Test> {
	list.to_vec().try_into().unwrap()
}

fn status(task: TaskId) -> TaskStatus<ScoresOf<Test>, u64> {
	Tasks::<Test>::get(task).unwrap().status
}

fn settled(score: Score, at: u64) -> TaskStatus<ScoresOf<Test>, u64> {
	TaskStatus::Settled { consensus: verdict(&[score]), at }
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn held_bond(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::EvaluatorBond.into(), &who)
}

fn held_pledge(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::AppealBond.into(), &who)
}

fn held_reward(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::TaskReward.into(), &who)
}

fn reputation(who: u64) -> u128 {
	ReputationTable::get().get(&who).copied().unwrap_or(0)
}

/// The `AppealSettled` events so far, in order.
fn appeals_settled() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Evaluation(e @ Event::AppealSettled { .. }) => Some(e),
			_ => None,
		})
		.collect()
}

fn appeal_settled(
	task: TaskId,
	round: u32,
	outcome: AppealOutcome,
	bond: u64,
	reward: u64,
) -> Event<Test> {
	let refunded = match outcome {
		AppealOutcome::Rejected | AppealOutcome::Lapsed => 0,
		AppealOutcome::Upheld | AppealOutcome::Unheard => bond,
	};
	Event::AppealSettled { task, round, outcome, bond, refunded, reward }
}

fn no_task_settled_event() -> bool {
	!System::events()
		.iter()
		.any(|r| matches!(r.event, RuntimeEvent::Evaluation(Event::TaskSettled { .. })))
}

// ---------------------------------------------------------------------------------------------
// The appeal window
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unappealed_task_settles_when_its_appeal_window_ends() {
	build_and_execute(|| {
		setup();
		register(1..=8);
		let task = open();
		let record = Tasks::<Test>::get(task).unwrap();
		// The appeal window is added to the task's life: reveals before 13, due at 18.
		assert_eq!((record.commit_end, record.reveal_end, record.due), (8, 13, 18));
		assert!(DueAt::<Test>::get(18).contains(&task));
		run_to(3);
		let members = panel(task);
		assert_eq!(seats(&members), 3);
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), task, 200),
			E::AppealTooEarly
		);
		play(&[task], |_| TRUTH);

		// Past the reveal end the verdict is not final: nothing is settled before 18.
		run_to(17);
		assert_eq!(status(task), TaskStatus::Open);
		assert!(SettledLog::get().is_empty());
		let issuance = Balances::total_issuance();
		run_to(18);

		// Settled by the hook as without appeals: the pot by seats (all exact), 10 reputation
		// per seat, the dust back to the opener.
		let payouts = split(REWARD, &seat_list(&members));
		let paid: u64 = payouts.iter().sum();
		assert_eq!(status(task), settled(TRUTH, 18));
		System::assert_has_event(
			Event::TaskSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rewarded: members.len() as u32,
				paid,
				dust: REWARD - paid,
			}
			.into(),
		);
		for ((who, s), payout) in members.iter().zip(&payouts) {
			let gained = 10 * *s as u128;
			System::assert_has_event(
				Event::EvaluatorRewarded {
					task,
					who: *who,
					deviation: 0,
					payout: *payout,
					reputation: gained,
				}
				.into(),
			);
			assert_eq!((free(*who), held_bond(*who)), (10_000 - BOND + *payout, BOND));
			assert_eq!(reputation(*who), 1_000 + gained);
		}
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000 - paid, 0));
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![TRUTH]), accurate: members.clone() }]
		);
		assert!(Disputes::<Test>::get(task).is_none());
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), task, 200),
			E::AlreadySettled
		);
	});
}

#[test]
fn appeal_window_bounds() {
	build_and_execute(|| {
		let task = solo_task();
		play(&[task], |_| TRUTH);
		run_to(17);
		// The hook cannot settle at 18, so the task is due but still open.
		MaxSettlements::set(0);
		run_to(18);
		assert_eq!(status(task), TaskStatus::Open);
		System::assert_has_event(Event::SettlementDeferred { due: 18, remaining: 1 }.into());
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), task, 200),
			E::AppealWindowClosed
		);
		MaxSettlements::set(4);
		settle(task);
		assert_eq!(status(task), settled(TRUTH, 18));
		assert_eq!(free(1), 10_000 - BOND + REWARD);

		// Appeals off: a task is due at its reveal end and is never appealable.
		assert_ok!(Evaluation::set_params(
			RuntimeOrigin::root(),
			EvaluationParams { appeal_period: 0, ..appeal_params() }
		));
		let off = open();
		let record = Tasks::<Test>::get(off).unwrap();
		assert_eq!((record.reveal_end, record.due), (30, 30));
		run_to(20);
		MaxSettlements::set(0);
		play(&[off], |_| TRUTH);
		assert_eq!(status(off), TaskStatus::Open);
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), off, 200),
			E::AppealWindowClosed
		);
		MaxSettlements::set(4);
		settle(off);
		assert_eq!(status(off), settled(TRUTH, 30));
	});
}

// ---------------------------------------------------------------------------------------------
// One appeal round
// ---------------------------------------------------------------------------------------------

#[test]
fn a_confirmed_verdict_pays_the_appeal_bond_to_the_panel() {
	build_and_execute(|| {
		setup();
		register(1..=8);
		let task = open();
		run_to(3);
		let first = panel(task);
		play(&[task], |_| TRUTH);

		pledge(APPELLANT, task, 200);
		System::assert_has_event(
			Event::AppealPledged { task, who: APPELLANT, amount: 200, raised: 200, required: 200 }
				.into(),
		);
		// Its round is drawn as if opened when the appeal window closes (18): commitments
		// from the draw at 20 until 25, reveals until 30.
		System::assert_last_event(
			Event::AppealStarted {
				task,
				round: 1,
				bond: 200,
				panel_size: 7,
				commit_end: 25,
				reveal_end: 30,
			}
			.into(),
		);
		assert_eq!(AppealDrawAt::<Test>::get(18).into_inner(), vec![task]);
		let record = Tasks::<Test>::get(task).unwrap();
		assert_eq!((record.round, record.panel_size, record.quorum, record.due), (1, 7, 5, 35));
		assert_eq!((record.committed, record.revealed), (0, 0));
		// Round 0 is archived with its reveals; the hook no longer settles the task.
		let archived = Rounds::<Test>::get(task, 0).unwrap();
		assert_eq!(archived.consensus, Some(verdict(&[TRUTH])));
		assert_eq!(
			archived.members.into_inner(),
			first.iter().map(|(w, s)| (*w, *s, Some(verdict(&[TRUTH])))).collect::<Vec<_>>()
		);
		assert!(!DueAt::<Test>::get(18).contains(&task));
		assert!(Panels::<Test>::get(task).is_none());
		assert!(Evaluations::<Test>::get(task).is_empty());
		let appeal: AppealOf<Test> = AppealRecord {
			round: 1,
			bond: 200,
			backers: backers(&[(APPELLANT, 200)]),
			contested: verdict(&[TRUTH]),
		};
		assert_eq!(Disputes::<Test>::get(task).unwrap().appeals.into_inner(), vec![appeal]);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (9_800, 200));

		// Queued for the draw at 18, drawn two blocks later: 7 seats, none of round 0's members.
		run_to(18);
		assert!(ToDraw::<Test>::get().contains(&task));
		assert!(AppealDrawAt::<Test>::get(18).is_empty());
		run_to(19);
		assert!(Panels::<Test>::get(task).is_none());
		run_to(20);
		let second = panel(task);
		System::assert_has_event(Event::PanelDrawn { task, panel: second.clone() }.into());
		assert_eq!(seats(&second), 7);
		for (who, _) in &second {
			assert_eq!(seats_of(&first, *who), 0, "{who} sat on round 0");
		}
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(BACKER), task, 400),
			E::AppealTooEarly
		);
		play(&[task], |_| TRUTH);
		// A pledge towards round 2 that is never completed.
		pledge(BACKER, task, 100);
		let view = Evaluation::dispute_view(task).unwrap();
		assert_eq!((view.round, view.appealable, view.next_bond, view.raised), (1, true, 400, 100));
		run_to(34);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::NotDue);
		run_to(35);
		// Appealed tasks are not the hook's: it waits for `settle`.
		assert_eq!(status(task), TaskStatus::Open);
		let issuance = Balances::total_issuance();
		settle(task);

		// Round 0 shares the pot; the rejected bond (200) pays round 1 by seats.
		let pot = split(REWARD, &seat_list(&first));
		let parts = split(200, &seat_list(&second));
		let to_panels: u64 = parts.iter().sum();
		assert_eq!(status(task), settled(TRUTH, 35));
		assert_eq!(
			appeals_settled(),
			vec![appeal_settled(task, 1, AppealOutcome::Rejected, 200, 0)]
		);
		System::assert_has_event(Event::PledgesReturned { task, returned: 100 }.into());
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 2,
				overturned: false,
				penalties: 200,
				to_backers: 0,
				to_panels,
				burnt: 200 - to_panels,
			}
			.into(),
		);
		assert!(no_task_settled_event());
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (9_800, 0));
		assert_eq!((free(BACKER), held_pledge(BACKER)), (10_000, 0));
		// Only the rounding dust of the bond is burnt.
		assert_eq!(issuance - Balances::total_issuance(), 200 - to_panels);
		for ((who, s), payout) in first.iter().zip(&pot).chain(second.iter().zip(&parts)) {
			let gained = 10 * *s as u128;
			System::assert_has_event(
				Event::EvaluatorRewarded {
					task,
					who: *who,
					deviation: 0,
					payout: *payout,
					reputation: gained,
				}
				.into(),
			);
			assert_eq!((free(*who), held_bond(*who)), (10_000 - BOND + *payout, BOND));
			assert_eq!(reputation(*who), 1_000 + gained);
			assert_eq!(Drawn::<Test>::get(who, task), None);
			let info = Evaluators::<Test>::get(who).unwrap();
			assert_eq!((info.pending_tasks, info.accurate, info.earned), (0, 1, *payout));
		}
		assert_eq!(Verdicts::<Test>::get(task).unwrap().len(), first.len() + second.len());
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000 - pot.iter().sum::<u64>(), 0));
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![TRUTH]), accurate: first.clone() }]
		);
		// Nothing of the dispute is left.
		assert!(Disputes::<Test>::get(task).is_none());
		assert!(Rounds::<Test>::get(task, 0).is_none());
		assert!(Pledges::<Test>::get(task).is_empty());
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::AlreadySettled);
	});
}

#[test]
fn appeal_overturns_a_lying_panel_refunds_and_rewards_the_appellant() {
	build_and_execute(|| {
		setup();
		register(1..=8);
		let task = open();
		run_to(3);
		let first = panel(task);
		play(&[task], |_| LIE);
		pledge(APPELLANT, task, 200);
		assert_eq!(Disputes::<Test>::get(task).unwrap().appeals[0].contested, verdict(&[LIE]));
		run_to(20);
		let second = panel(task);
		assert_eq!(seats(&second), 7);
		play(&[task], |_| TRUTH);
		run_to(35);
		let issuance = Balances::total_issuance();
		settle(task);

		// Against [80] every round-0 member is an outlier: 20 per seat, 60 in all. Half to the
		// appellant (refunded besides), half to round 1 by seats.
		let parts = split(30, &seat_list(&second));
		let to_panels: u64 = parts.iter().sum();
		assert_eq!(status(task), settled(TRUTH, 35));
		assert_eq!(
			appeals_settled(),
			vec![appeal_settled(task, 1, AppealOutcome::Upheld, 200, 30)]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 2,
				overturned: true,
				penalties: 60,
				to_backers: 30,
				to_panels,
				burnt: 30 - to_panels,
			}
			.into(),
		);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (10_030, 0));
		assert_eq!(issuance - Balances::total_issuance(), 30 - to_panels);
		let verdicts = Verdicts::<Test>::get(task).unwrap().into_inner();
		for (who, s) in &first {
			let slashed = OUTLIER_SLASH * *s as u64;
			System::assert_has_event(
				Event::EvaluatorOutlier { task, who: *who, deviation: 60, slashed }.into(),
			);
			assert_eq!((free(*who), held_bond(*who)), (10_000 - BOND, BOND - slashed));
			assert_eq!(reputation(*who), 1_000 - 20 * *s as u128);
			let info = Evaluators::<Test>::get(who).unwrap();
			assert_eq!(
				(info.bond, info.outliers, info.accurate, info.pending_tasks),
				(BOND - slashed, 1, 0, 0)
			);
			assert!(verdicts.contains(&(*who, Verdict::Outlier { deviation: 60, slashed })));
		}
		for ((who, s), part) in second.iter().zip(&parts) {
			let gained = 10 * *s as u128;
			System::assert_has_event(
				Event::EvaluatorRewarded {
					task,
					who: *who,
					deviation: 0,
					payout: *part,
					reputation: gained,
				}
				.into(),
			);
			assert_eq!((free(*who), held_bond(*who)), (10_000 - BOND + *part, BOND));
			assert_eq!(reputation(*who), 1_000 + gained);
			assert!(verdicts.contains(&(
				*who,
				Verdict::Accurate { deviation: 0, payout: *part, reputation: gained }
			)));
		}
		// Nobody on round 0 was right: the pot goes back to the opener.
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000, 0));
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![TRUTH]), accurate: vec![] }]
		);
		assert_eq!(
			<Evaluation as EvaluationTasks<u64, u64>>::consensus_of(task),
			Some(vec![TRUTH])
		);
	});
}

#[test]
fn crowdfunded_pledges_pay_backers_pro_rata() {
	build_and_execute(|| {
		let task = solo_task();
		register([2]);
		play(&[task], |_| LIE);
		let view = Evaluation::dispute_view(task).unwrap();
		assert_eq!(
			(view.appealable, view.next_bond, view.raised, view.min_pledge, view.verdict),
			(true, 200, 0, 50, Some(vec![LIE]))
		);
		// A pledge is at least a quarter of the bond (`MaxAppealBackers` = 4) ...
		assert_noop!(Evaluation::appeal(RuntimeOrigin::signed(BACKER), task, 0), E::PledgeTooSmall);
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(BACKER), task, 49),
			E::PledgeTooSmall
		);
		pledge(APPELLANT, task, 50);
		System::assert_last_event(
			Event::AppealPledged { task, who: APPELLANT, amount: 50, raised: 50, required: 200 }
				.into(),
		);
		pledge(BACKER, task, 60);
		System::assert_last_event(
			Event::AppealPledged { task, who: BACKER, amount: 60, raised: 110, required: 200 }
				.into(),
		);
		// ... a backer may pledge again: its pledges add up ...
		pledge(APPELLANT, task, 50);
		System::assert_last_event(
			Event::AppealPledged { task, who: APPELLANT, amount: 50, raised: 160, required: 200 }
				.into(),
		);
		assert_eq!(Pledges::<Test>::get(task).into_inner(), vec![(APPELLANT, 100), (BACKER, 60)]);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (9_900, 100));
		assert_eq!(Tasks::<Test>::get(task).unwrap().round, 0);
		// ... and once less than a quarter is missing, the remainder is the minimum; more is
		// capped to it.
		let view = Evaluation::dispute_view(task).unwrap();
		assert_eq!((view.raised, view.min_pledge), (160, 40));
		assert_noop!(Evaluation::appeal(RuntimeOrigin::signed(THIRD), task, 39), E::PledgeTooSmall);
		pledge(THIRD, task, 1_000);
		System::assert_has_event(
			Event::AppealPledged { task, who: THIRD, amount: 40, raised: 200, required: 200 }
				.into(),
		);
		System::assert_last_event(
			Event::AppealStarted {
				task,
				round: 1,
				bond: 200,
				panel_size: 7,
				commit_end: 25,
				reveal_end: 30,
			}
			.into(),
		);
		assert_eq!((free(THIRD), held_pledge(THIRD)), (9_960, 40));
		assert!(Pledges::<Test>::get(task).is_empty());
		let appeal: AppealOf<Test> = AppealRecord {
			round: 1,
			bond: 200,
			backers: backers(&[(APPELLANT, 100), (BACKER, 60), (THIRD, 40)]),
			contested: verdict(&[LIE]),
		};
		assert_eq!(Disputes::<Test>::get(task).unwrap().appeals.into_inner(), vec![appeal]);

		run_to(20);
		assert_eq!(panel(task), vec![(2, 7)]);
		play(&[task], |_| TRUTH);
		run_to(35);
		let issuance = Balances::total_issuance();
		settle(task);

		// Penalties: 1's three outlier seats, 60. Half to the backers, 100 : 60 : 40 of 30 is
		// 15, 9 and 6; half to 2, alone on round 1.
		assert_eq!(
			appeals_settled(),
			vec![appeal_settled(task, 1, AppealOutcome::Upheld, 200, 30)]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 2,
				overturned: true,
				penalties: 60,
				to_backers: 30,
				to_panels: 30,
				burnt: 0,
			}
			.into(),
		);
		assert_eq!([APPELLANT, BACKER, THIRD].map(free), [10_015, 10_009, 10_006]);
		assert_eq!([APPELLANT, BACKER, THIRD].map(held_pledge), [0, 0, 0]);
		assert_eq!((free(1), held_bond(1), reputation(1)), (10_000 - BOND, BOND - 60, 940));
		assert_eq!((free(2), held_bond(2), reputation(2)), (10_000 - BOND + 30, BOND, 1_070));
		assert_eq!(free(OPENER), 10_000);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn pledges_of_an_appeal_never_funded_are_released_when_the_task_settles() {
	build_and_execute(|| {
		let task = solo_task();
		play(&[task], |_| TRUTH);
		let issuance = Balances::total_issuance();
		pledge(APPELLANT, task, 50);
		pledge(BACKER, task, 60);
		assert_eq!(Pledges::<Test>::get(task).into_inner(), vec![(APPELLANT, 50), (BACKER, 60)]);
		assert_eq!(
			(free(APPELLANT), held_pledge(APPELLANT), free(BACKER), held_pledge(BACKER)),
			(9_950, 50, 9_940, 60)
		);
		// Not funded: no dispute, the task stays the hook's.
		assert!(Disputes::<Test>::get(task).is_none());
		assert!(DueAt::<Test>::get(18).contains(&task));
		run_to(17);
		assert_eq!(status(task), TaskStatus::Open);
		run_to(18);

		System::assert_has_event(Event::PledgesReturned { task, returned: 110 }.into());
		System::assert_has_event(
			Event::TaskSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rewarded: 1,
				paid: REWARD,
				dust: 0,
			}
			.into(),
		);
		assert_eq!(
			(free(APPELLANT), held_pledge(APPELLANT), free(BACKER), held_pledge(BACKER)),
			(10_000, 0, 10_000, 0)
		);
		assert!(Pledges::<Test>::get(task).is_empty());
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(free(1), 10_000 - BOND + REWARD);
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), task, 150),
			E::AlreadySettled
		);
	});
}

#[test]
fn appeal_draws_spill_to_the_next_block_with_room() {
	build_and_execute(|| {
		setup();
		register([1]);
		// Four tasks due at 18: two opened directly (their share of a block), two by another
		// pallet.
		let tasks = [open(), open(), open_by_pallet(), open_by_pallet()];
		let [a, b, c, d] = tasks;
		for task in tasks {
			assert_eq!(Tasks::<Test>::get(task).unwrap().due, 18);
		}
		run_to(3);
		for task in tasks {
			assert_eq!(panel(task), vec![(1, 3)]);
		}
		register([2]);
		play(&tasks, |_| TRUTH);

		// The first appeal funded in a window that closes at 18 is drawn from 18 ...
		pledge(APPELLANT, a, 200);
		System::assert_last_event(
			Event::AppealStarted {
				task: a,
				round: 1,
				bond: 200,
				panel_size: 7,
				commit_end: 25,
				reveal_end: 30,
			}
			.into(),
		);
		assert_eq!(AppealDrawAt::<Test>::get(18).into_inner(), vec![a]);
		// ... the next ones spill, one block each: their windows start a block later each.
		pledge(APPELLANT, b, 200);
		pledge(BACKER, c, 200);
		System::assert_last_event(
			Event::AppealStarted {
				task: c,
				round: 1,
				bond: 200,
				panel_size: 7,
				commit_end: 27,
				reveal_end: 32,
			}
			.into(),
		);
		assert_eq!(AppealDrawAt::<Test>::get(18).into_inner(), vec![a]);
		assert_eq!(AppealDrawAt::<Test>::get(19).into_inner(), vec![b]);
		assert_eq!(AppealDrawAt::<Test>::get(20).into_inner(), vec![c]);
		let record = Tasks::<Test>::get(c).unwrap();
		assert_eq!(
			(record.round, record.commit_end, record.reveal_end, record.due),
			(1, 27, 32, 37)
		);

		// A backlog never refuses an appeal: it books the first block after the others. Pledges
		// that do not complete the bond are simply held meanwhile.
		assert_eq!(NextAppealDraw::<Test>::get(), Some(21));
		pledge(THIRD, d, 100);
		assert_eq!(Tasks::<Test>::get(d).unwrap().round, 0);
		assert_eq!(Pledges::<Test>::get(d).into_inner(), vec![(THIRD, 100)]);
		pledge(THIRD, d, 100);
		System::assert_last_event(
			Event::AppealStarted {
				task: d,
				round: 1,
				bond: 200,
				panel_size: 7,
				commit_end: 28,
				reveal_end: 33,
			}
			.into(),
		);
		assert_eq!(AppealDrawAt::<Test>::get(21).into_inner(), vec![d]);
		assert_eq!(NextAppealDraw::<Test>::get(), Some(22));
		let appeal: AppealOf<Test> = AppealRecord {
			round: 1,
			bond: 200,
			backers: backers(&[(THIRD, 200)]),
			contested: verdict(&[TRUTH]),
		};
		assert_eq!(Disputes::<Test>::get(d).unwrap().appeals.into_inner(), vec![appeal]);

		// Each block's appeal round joins its draw queue (beside the tasks' room) ...
		for (block, task) in [(18, a), (19, b), (20, c), (21, d)] {
			run_to(block);
			assert_eq!(ToDraw::<Test>::get().into_inner(), vec![task]);
			assert_eq!(AppealsOpened::<Test>::get(), 1);
		}
		// ... and is drawn two blocks later.
		run_to(22);
		assert_eq!((panel(a), panel(b), panel(c), panel(d)), (vec![(2, 7)], vec![(2, 7)], vec![(2, 7)], vec![]));
		run_to(23);
		assert_eq!(panel(d), vec![(2, 7)]);
		System::assert_has_event(Event::PanelDrawn { task: d, panel: vec![(2, 7)] }.into());
		assert_eq!(Evaluators::<Test>::get(1).unwrap().pending_tasks, 4);
		assert_eq!(Evaluators::<Test>::get(2).unwrap().pending_tasks, 4);
	});
}

/// `AppealQueueInconsistent` is defensive: `NextAppealDraw` only moves past booked blocks, so the
/// block an appeal is queued at always has room. Corrupting the queue (a block booked at or past
/// the cursor) makes the completing pledge fail with that error and change nothing; without the
/// corruption the same pledge starts the appeal.
#[test]
fn a_corrupted_appeal_queue_refuses_the_appeal_with_a_typed_error() {
	build_and_execute(|| {
		let task = solo_task();
		play(&[task], |_| TRUTH);
		// The appeal window closes at 18: a funded appeal would be queued for the draw at 18.
		assert_eq!(Tasks::<Test>::get(task).unwrap().due, 18);
		assert_eq!(NextAppealDraw::<Test>::get(), None);
		let other: BoundedVec<TaskId, ConstU32<MAX_APPEALS_PER_BLOCK>> = vec![task + 1].try_into().unwrap();
		AppealDrawAt::<Test>::insert(18, other);
		assert!(Evaluation::do_try_state().is_err(), "the corruption breaks an invariant");

		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), task, 200),
			E::AppealQueueInconsistent
		);
		assert_eq!((held_pledge(APPELLANT), Tasks::<Test>::get(task).unwrap().round), (0, 0));

		// Repaired, the same pledge starts round 1, queued at 18.
		AppealDrawAt::<Test>::remove(18);
		pledge(APPELLANT, task, 200);
		assert_eq!(Tasks::<Test>::get(task).unwrap().round, 1);
		assert_eq!(AppealDrawAt::<Test>::get(18).into_inner(), vec![task]);
		assert_eq!(NextAppealDraw::<Test>::get(), Some(19));
		assert_eq!(held_pledge(APPELLANT), 200);
	});
}

// ---------------------------------------------------------------------------------------------
// Who sits on an appeal round
// ---------------------------------------------------------------------------------------------

#[test]
fn no_account_sits_on_two_rounds_of_a_task() {
	let mut first_panels = Vec::new();
	for seed in 0..6u64 {
		build_and_execute(|| {
			RandomSeed::set(seed);
			setup();
			register(1..=8);
			let task = open();
			run_to(3);
			let first = panel(task);
			play(&[task], |_| TRUTH);
			pledge(APPELLANT, task, 200);
			run_to(20);
			let second = panel(task);
			play(&[task], |_| TRUTH);
			pledge(BACKER, task, 400);
			run_to(37);
			let third = panel(task);
			System::assert_has_event(Event::PanelDrawn { task, panel: third.clone() }.into());
			assert_eq!((seats(&first), seats(&second)), (3, 7), "seed {seed}");

			// Nobody sits on two rounds, nor the opener on any.
			let all: Vec<(u64, u32)> = first.iter().chain(&second).chain(&third).copied().collect();
			let mut members: Vec<u64> = all.iter().map(|(w, _)| *w).collect();
			members.sort();
			members.dedup();
			assert_eq!(members.len(), all.len(), "seed {seed}: {first:?} / {second:?} / {third:?}");
			assert!(!members.contains(&OPENER));
			// Every member of every round is held on the task until it settles.
			for (who, s) in &all {
				assert_eq!(Drawn::<Test>::get(who, task), Some(*s), "seed {seed}");
				assert_eq!(Evaluators::<Test>::get(who).unwrap().pending_tasks, 1);
			}

			// Eight evaluators, three and seven seats before: round 2 may find nobody left.
			if third.is_empty() {
				run_to(47);
			} else {
				assert_eq!(seats(&third), 15, "seed {seed}");
				play(&[task], |_| TRUTH);
			}
			run_to(52);
			let issuance = Balances::total_issuance();
			settle(task);
			assert_eq!(status(task), settled(TRUTH, 52));
			for (who, _) in &all {
				assert_eq!(Drawn::<Test>::get(who, task), None);
				assert_eq!(Evaluators::<Test>::get(who).unwrap().pending_tasks, 0);
			}
			// Both appeals confirmed the verdict: their bonds pay rounds 1 and 2 by seats; an empty
			// round 2 reached no verdict, so its appeal is unheard (refunded) instead.
			let second_appeal = if third.is_empty() {
				(AppealOutcome::Unheard, 0)
			} else {
				(AppealOutcome::Rejected, 400)
			};
			let penalties = 200 + second_appeal.1;
			let shares: Vec<u64> = second.iter().chain(&third).map(|(_, s)| *s as u64).collect();
			let to_panels: u64 = split(penalties, &shares).iter().sum();
			assert_eq!(
				appeals_settled(),
				vec![
					appeal_settled(task, 1, AppealOutcome::Rejected, 200, 0),
					appeal_settled(task, 2, second_appeal.0, 400, 0),
				]
			);
			System::assert_last_event(
				Event::DisputeSettled {
					task,
					consensus: verdict(&[TRUTH]),
					rounds: 3,
					overturned: false,
					penalties,
					to_backers: 0,
					to_panels,
					burnt: penalties - to_panels,
				}
				.into(),
			);
			assert_eq!(issuance - Balances::total_issuance(), penalties - to_panels);
			assert_eq!((free(BACKER), held_pledge(BACKER)), (10_000 - second_appeal.1, 0));
			first_panels.push(first);
		});
	}
	// The property held over different draws.
	assert!(first_panels.iter().any(|p| *p != first_panels[0]));
}

/// Round 0 is `[(1, 3)]`; 2, 3, 4 and 5 register after its draw with the same bond, so any of
/// them could sit on the appeal round. 2 backs the appeal (alone, or with APPELLANT): over
/// several draws it never sits on it, while 3, which did not back it, does.
#[test]
fn backers_are_never_drawn_for_the_appeal_they_funded() {
	const EVALUATOR_BACKER: u64 = 2;
	const CONTROL: u64 = 3;
	let mut control_drawn = 0;
	let mut panels = Vec::new();
	for seed in 0..6u64 {
		build_and_execute(|| {
			RandomSeed::set(seed);
			let task = solo_task();
			register(2..=5);
			for who in [EVALUATOR_BACKER, CONTROL] {
				let info = Evaluators::<Test>::get(who).unwrap();
				assert_eq!((info.bond, info.unbonding_at, info.slot.is_some()), (BOND, None, true));
			}
			play(&[task], |_| TRUTH);
			// Even seeds: the evaluator funds the appeal alone; odd seeds: with APPELLANT.
			let funders = if seed % 2 == 0 {
				pledge(EVALUATOR_BACKER, task, 200);
				vec![(EVALUATOR_BACKER, 200)]
			} else {
				pledge(APPELLANT, task, 100);
				pledge(EVALUATOR_BACKER, task, 100);
				vec![(APPELLANT, 100), (EVALUATOR_BACKER, 100)]
			};
			let dispute = Disputes::<Test>::get(task).unwrap();
			assert_eq!(dispute.appeals[0].backers, backers(&funders), "seed {seed}");
			assert_eq!(held_pledge(EVALUATOR_BACKER), funders.last().unwrap().1);
			run_to(20);
			let second = panel(task);
			System::assert_has_event(Event::PanelDrawn { task, panel: second.clone() }.into());
			// Every seat is filled from the others (2's bond is cut out of the range, not left as
			// empty seats), and 2 is not held on the task.
			assert_eq!(seats(&second), 7, "seed {seed}: {second:?}");
			assert_eq!(seats_of(&second, EVALUATOR_BACKER), 0, "seed {seed}: {second:?}");
			assert!(second.iter().all(|(who, _)| [3, 4, 5].contains(who)), "seed {seed}: {second:?}");
			assert_eq!(Drawn::<Test>::get(EVALUATOR_BACKER, task), None, "seed {seed}");
			assert_eq!(Evaluators::<Test>::get(EVALUATOR_BACKER).unwrap().pending_tasks, 0);
			assert!(Evaluation::drawn_for(&EVALUATOR_BACKER).is_empty());
			assert_noop!(
				Evaluation::commit(
					RuntimeOrigin::signed(EVALUATOR_BACKER),
					task,
					commitment_of(task, &EVALUATOR_BACKER, &[TRUTH], &salt(EVALUATOR_BACKER))
				),
				E::NotDrawn
			);
			for (who, s) in &second {
				assert_eq!(Drawn::<Test>::get(who, task), Some(*s), "seed {seed}");
			}
			if seats_of(&second, CONTROL) > 0 {
				control_drawn += 1;
			}
			panels.push(second);
		});
	}
	// The control, with the same bond, was drawn: 2 would have been drawable but for its pledge.
	assert!(control_drawn > 0, "{panels:?}");
	// Different draws were tried.
	assert!(panels.iter().any(|p| *p != panels[0]), "{panels:?}");
}

#[test]
fn earlier_members_cannot_commit_again_or_withdraw_before_settlement() {
	build_and_execute(|| {
		let task = solo_task();
		register([2]);
		play(&[task], |_| TRUTH);
		pledge(APPELLANT, task, 200);
		run_to(20);
		assert_eq!(panel(task), vec![(2, 7)]);
		// 1 is still drawn on the task (its verdict is pending) but not on this round's panel.
		assert_eq!(Drawn::<Test>::get(1, task), Some(3));
		assert_eq!(Evaluators::<Test>::get(1).unwrap().pending_tasks, 1);
		assert!(Evaluation::drawn_for(&1).is_empty());
		assert_eq!(Evaluation::drawn_for(&2), vec![(task, 7)]);
		assert_noop!(
			Evaluation::commit(
				RuntimeOrigin::signed(1),
				task,
				commitment_of(task, &1u64, &[TRUTH], &salt(1))
			),
			E::NotDrawn
		);
		assert_ok!(Evaluation::unbond(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::UnbondingStarted { who: 1, unlock_at: 30 }.into());
		commit(task, 2, TRUTH);
		run_to(25);
		assert_noop!(
			Evaluation::reveal(RuntimeOrigin::signed(1), task, vec![TRUTH], salt(1)),
			E::NoCommitment
		);
		reveal(task, 2, TRUTH);
		run_to(30);
		// Unbonded long enough, but its round-0 verdict is still pending.
		assert_noop!(Evaluation::withdraw(RuntimeOrigin::signed(1)), E::HasPendingTasks);
		run_to(35);
		settle(task);
		assert_ok!(Evaluation::withdraw(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::EvaluatorWithdrawn { who: 1, amount: BOND }.into());
		// 1 was paid the pot before it left; 2 got the rejected bond.
		assert_eq!((free(1), held_bond(1)), (10_000 + REWARD, 0));
		assert!(Evaluators::<Test>::get(1).is_none());
		assert_eq!(free(2), 10_000 - BOND + 200);
	});
}

// ---------------------------------------------------------------------------------------------
// Governance
// ---------------------------------------------------------------------------------------------

/// Solo rounds up to governance: 1 (3 seats) scores `scores[0]`, 2 (7 seats, drawn at 20)
/// `scores[1]`, 3 (15 seats, drawn at 37) `scores[2]`; the appeals are funded by APPELLANT (200,
/// block 13), BACKER (400, block 30) and THIRD (800, block 47: to governance, deadline 57).
/// Returns at block 47.
fn to_governance(scores: [Score; 3]) -> TaskId {
	let task = solo_task();
	register([2]);
	// Nothing to decide before the final appeal.
	assert_noop!(decide(task, vec![50]), E::NotAwaitingGovernance);
	play(&[task], |_| scores[0]);
	pledge(APPELLANT, task, 200);
	run_to(20);
	assert_eq!(panel(task), vec![(2, 7)]);
	assert_noop!(decide(task, vec![50]), E::NotAwaitingGovernance);
	// After round 1's draw: 3 can sit on round 2 only.
	register([3]);
	play(&[task], |_| scores[1]);

	pledge(BACKER, task, 400);
	System::assert_last_event(
		Event::AppealStarted {
			task,
			round: 2,
			bond: 400,
			panel_size: 15,
			commit_end: 42,
			reveal_end: 47,
		}
		.into(),
	);
	let record = Tasks::<Test>::get(task).unwrap();
	assert_eq!((record.round, record.quorum, record.due), (2, 11, 52));
	assert_eq!(AppealDrawAt::<Test>::get(35).into_inner(), vec![task]);
	run_to(37);
	assert_eq!(panel(task), vec![(3, 15)]);
	play(&[task], |_| scores[2]);

	// The bond doubles again: 800 for the appeal to governance.
	pledge(THIRD, task, 800);
	System::assert_last_event(
		Event::AppealedToGovernance { task, bond: 800, decide_by: 57 }.into(),
	);
	let record = Tasks::<Test>::get(task).unwrap();
	assert_eq!((record.round, record.due), (3, 57));
	assert_eq!(Disputes::<Test>::get(task).unwrap().governance_until, Some(57));
	assert!(Panels::<Test>::get(task).is_none());
	// Nothing is queued for a draw.
	assert_eq!(AppealDrawAt::<Test>::iter().count(), 0);
	for round in 0..3u32 {
		assert!(Rounds::<Test>::get(task, round).is_some());
	}
	// Nothing is left to appeal.
	assert_noop!(
		Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), task, 1_600),
		E::AppealsExhausted
	);
	task
}

#[test]
fn after_the_last_round_governance_decides_the_final_verdict() {
	build_and_execute(|| {
		let task = to_governance([LIE, TRUTH, LIE]);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::NotDue);
		assert_noop!(
			Evaluation::decide_dispute(RuntimeOrigin::signed(1), task, vec![75]),
			BadOrigin
		);
		assert_noop!(decide(99, vec![75]), E::TaskNotFound);
		assert_noop!(decide(task, vec![75, 75]), E::WrongNumberOfScores);
		assert_noop!(decide(task, vec![101]), E::ScoreOutOfRange);
		assert_ok!(decide(task, vec![75]));
		System::assert_last_event(Event::DisputeDecided { task, consensus: verdict(&[75]) }.into());
		// The task may settle at once.
		assert_eq!(Tasks::<Test>::get(task).unwrap().due, 47);
		assert_noop!(decide(task, vec![60]), E::AlreadyDecided);
		let view = Evaluation::dispute_view(task).unwrap();
		assert_eq!(
			(view.verdict, view.decision, view.appealable),
			(Some(vec![75]), Some(vec![75]), false)
		);
		assert_eq!(view.rounds.len(), 3);
		let issuance = Balances::total_issuance();
		settle(task);

		// Against [75]: 1 and 3 (20) are outliers (60 and 300), 2 (80) is within tolerance
		// (deviation 5, closeness 6: 10 × 7 × 6 / 11 = 38 reputation). Appeals 1 and 3
		// contested [20]: upheld; appeal 2 contested [80]: rejected, its 400 joins the
		// penalties. 760: half to the upheld backers 200 : 800 (76, 304), half to 2.
		assert_eq!(status(task), settled(75, 47));
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: 1, deviation: 55, slashed: 60 }.into(),
		);
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 2, deviation: 5, payout: 380, reputation: 38 }
				.into(),
		);
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: 3, deviation: 55, slashed: 300 }.into(),
		);
		assert_eq!(
			appeals_settled(),
			vec![
				appeal_settled(task, 1, AppealOutcome::Upheld, 200, 76),
				appeal_settled(task, 2, AppealOutcome::Rejected, 400, 0),
				appeal_settled(task, 3, AppealOutcome::Upheld, 800, 304),
			]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[75]),
				rounds: 4,
				overturned: true,
				penalties: 760,
				to_backers: 380,
				to_panels: 380,
				burnt: 0,
			}
			.into(),
		);
		assert_eq!([APPELLANT, BACKER, THIRD].map(free), [10_076, 9_600, 10_304]);
		assert_eq!([APPELLANT, BACKER, THIRD].map(held_pledge), [0, 0, 0]);
		assert_eq!((free(1), held_bond(1), reputation(1)), (10_000 - BOND, BOND - 60, 940));
		assert_eq!((free(2), held_bond(2), reputation(2)), (10_000 - BOND + 380, BOND, 1_038));
		assert_eq!((free(3), held_bond(3), reputation(3)), (10_000 - BOND, BOND - 300, 700));
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000, 0));
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![75]), accurate: vec![] }]
		);
		for who in 1..=3u64 {
			assert_eq!(Evaluators::<Test>::get(who).unwrap().pending_tasks, 0);
		}
		assert!(Disputes::<Test>::get(task).is_none());
		assert_noop!(decide(task, vec![75]), E::AlreadySettled);
	});
}

#[test]
fn governance_deadline_passes_and_the_last_verdict_stands() {
	build_and_execute(|| {
		let task = to_governance([LIE, TRUTH, LIE]);
		run_to(56);
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(6), task), E::NotDue);
		run_to(57);
		assert_eq!(status(task), TaskStatus::Open);
		// Too late for governance: the last panel's verdict stands.
		assert_noop!(decide(task, vec![75]), E::GovernanceDeadlinePassed);
		let issuance = Balances::total_issuance();
		settle(task);

		// Round 2's [20] stands: 1 (20) earns the pot, 2 (80) is an outlier (7 × 20 = 140), 3
		// (20) is right. Appeal 2 contested [80]: upheld; appeal 1 contested [20]: its 200 joins
		// the penalties; appeal 3, never decided, is unheard (refunded, no reward). 340: half to
		// BACKER, half to 3.
		assert_eq!(status(task), settled(LIE, 57));
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 1, deviation: 0, payout: REWARD, reputation: 30 }
				.into(),
		);
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: 2, deviation: 60, slashed: 140 }.into(),
		);
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 3, deviation: 0, payout: 170, reputation: 150 }
				.into(),
		);
		assert_eq!(
			appeals_settled(),
			vec![
				appeal_settled(task, 1, AppealOutcome::Rejected, 200, 0),
				appeal_settled(task, 2, AppealOutcome::Upheld, 400, 170),
				// Governance let its deadline pass: the final appeal's bond is burnt.
				appeal_settled(task, 3, AppealOutcome::Lapsed, 800, 0),
			]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[LIE]),
				rounds: 4,
				overturned: false,
				penalties: 340,
				to_backers: 170,
				to_panels: 170,
				burnt: 800,
			}
			.into(),
		);
		assert_eq!([APPELLANT, BACKER, THIRD].map(free), [9_800, 10_170, 10_000 - 800]);
		assert_eq!([APPELLANT, BACKER, THIRD].map(held_pledge), [0, 0, 0]);
		assert_eq!((free(1), held_bond(1), reputation(1)), (10_000 - BOND + REWARD, BOND, 1_030));
		assert_eq!((free(2), held_bond(2), reputation(2)), (10_000 - BOND, BOND - 140, 860));
		assert_eq!((free(3), held_bond(3), reputation(3)), (10_000 - BOND + 170, BOND, 1_150));
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000 - REWARD, 0));
		assert_eq!(Balances::total_issuance(), issuance - 800);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![LIE]), accurate: vec![(1, 3)] }]
		);
	});
}

#[test]
fn with_no_appeal_rounds_the_first_appeal_goes_to_governance() {
	build_and_execute(|| {
		setup_with(EvaluationParams { max_appeal_rounds: 0, ..appeal_params() });
		register([1]);
		let task = open();
		run_to(3);
		play(&[task], |_| TRUTH);
		pledge(APPELLANT, task, 200);
		System::assert_last_event(
			Event::AppealedToGovernance { task, bond: 200, decide_by: 23 }.into(),
		);
		assert!(!ToDraw::<Test>::get().contains(&task));
		assert_eq!(AppealDrawAt::<Test>::iter().count(), 0);
		assert!(Panels::<Test>::get(task).is_none());
		assert!(Rounds::<Test>::get(task, 0).is_some());
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(BACKER), task, 400),
			E::AppealsExhausted
		);
		// No round is drawn (an appeal round would have been drawn at 20).
		run_to(20);
		assert!(Panels::<Test>::get(task).is_none());
		assert_ok!(decide(task, vec![30]));
		let issuance = Balances::total_issuance();
		settle(task);

		// 1 (80) is beyond tolerance of [30]: 60 slashed, all to the upheld appeal's backer
		// (there is no appeal panel to share with).
		assert_eq!(status(task), settled(30, 20));
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: 1, deviation: 50, slashed: 60 }.into(),
		);
		assert_eq!(
			appeals_settled(),
			vec![appeal_settled(task, 1, AppealOutcome::Upheld, 200, 60)]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[30]),
				rounds: 2,
				overturned: true,
				penalties: 60,
				to_backers: 60,
				to_panels: 0,
				burnt: 0,
			}
			.into(),
		);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (10_060, 0));
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000, 0));
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![30]), accurate: vec![] }]
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Rounds without a verdict
// ---------------------------------------------------------------------------------------------

#[test]
fn a_first_round_short_of_quorum_has_no_verdict_to_appeal() {
	build_and_execute(|| {
		let task = solo_task();
		// 1 never commits.
		run_to(13);
		assert_noop!(
			Evaluation::appeal(RuntimeOrigin::signed(APPELLANT), task, 200),
			E::NoVerdictToAppeal
		);
		run_to(18);
		System::assert_has_event(
			Event::TaskFailed { task, revealed: 0, required: 2, refunded: REWARD }.into(),
		);
		System::assert_has_event(
			Event::RevealMissed { task, who: 1, slashed: 3 * NO_SHOW_SLASH }.into(),
		);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (10_000, 0));
	});
}

/// Round 0 is `[(1, 3)]` scoring `first`; APPELLANT's appeal (block 13) draws round 1 `[(2, 7)]`
/// at block 20, whose only member commits and never reveals (a panel bribed to stay away); 3
/// registers at block 20, after that draw, in time for a round 2. Returns at block 30: round 1's
/// reveal end, no verdict.
fn absent_round_one(first: Score) -> TaskId {
	let task = solo_task();
	register([2]);
	play(&[task], |_| first);
	pledge(APPELLANT, task, 200);
	run_to(20);
	assert_eq!(panel(task), vec![(2, 7)]);
	register([3]);
	commit(task, 2, TRUTH);
	run_to(30);
	task
}

#[test]
fn an_appeal_round_short_of_quorum_is_unheard_and_the_first_verdict_stands() {
	build_and_execute(|| {
		let task = absent_round_one(TRUTH);
		run_to(35);
		let issuance = Balances::total_issuance();
		settle(task);

		// Round 0's [80] stands. 2 is a no-show (7 × 40 = 280). The appeal is unheard: refunded,
		// no reward. A round without a verdict pays nobody: the 280 is burnt, not added to the
		// penalties (staying away cannot fund the standing verdict's side).
		assert_eq!(status(task), settled(TRUTH, 35));
		System::assert_has_event(
			Event::RevealMissed { task, who: 2, slashed: 7 * NO_SHOW_SLASH }.into(),
		);
		assert_eq!(
			appeals_settled(),
			vec![appeal_settled(task, 1, AppealOutcome::Unheard, 200, 0)]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 2,
				overturned: false,
				penalties: 0,
				to_backers: 0,
				to_panels: 0,
				burnt: 7 * NO_SHOW_SLASH,
			}
			.into(),
		);
		assert_eq!(issuance - Balances::total_issuance(), 280);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (10_000, 0));
		assert_eq!((free(1), reputation(1)), (10_000 - BOND + REWARD, 1_030));
		assert_eq!((held_bond(2), reputation(2)), (BOND - 280, 1_000 - 350));
		assert_eq!(Evaluators::<Test>::get(2).unwrap().missed, 1);
		assert!(Verdicts::<Test>::get(task)
			.unwrap()
			.contains(&(2, Verdict::Missed { slashed: 280 })));
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![TRUTH]), accurate: vec![(1, 3)] }]
		);
	});
}

/// Round 0 is `[(1, 3)]` scoring 80; 2 and 3 register after its draw, so the appeal round (7
/// seats, quorum 2 × 2 + 1 = 5) is drawn from them alone. The member with fewer seats (at most
/// 3) reveals a lie, the other never commits: the round reveals fewer seats than its quorum and
/// reaches no verdict. The revealer is judged by nobody; the absentee pays, but to nobody.
#[test]
fn revealers_of_a_round_without_a_verdict_are_unscored() {
	build_and_execute(|| {
		let task = solo_task();
		register([2, 3]);
		play(&[task], |_| TRUTH);
		pledge(APPELLANT, task, 200);
		let record = Tasks::<Test>::get(task).unwrap();
		assert_eq!((record.round, record.panel_size, record.quorum), (1, 7, 5));
		run_to(20);
		let second = panel(task);
		// Both are drawn (with this seed); seven seats split in two: the smaller part is at most 3.
		assert_eq!((second.len(), seats(&second)), (2, 7), "{second:?}");
		let (revealer, few) = *second.iter().min_by_key(|(_, s)| *s).unwrap();
		let (absent, many) = *second.iter().find(|(w, _)| *w != revealer).unwrap();
		assert!(few < 5 && few + many == 7, "{second:?}");
		commit(task, revealer, LIE);
		run_to(25);
		reveal(task, revealer, LIE);
		run_to(30);
		let record = Tasks::<Test>::get(task).unwrap();
		assert_eq!((record.committed, record.revealed, record.quorum), (1, 1, 5));
		// Short of quorum: round 0's [80] stands.
		assert_eq!(Evaluation::dispute_view(task).unwrap().verdict, Some(vec![TRUTH]));
		run_to(35);
		let issuance = Balances::total_issuance();
		settle(task);

		// The revealer scored 20, 60 away from the final [80]: an outlier had the round been
		// heard, but it reached no verdict, so it is unscored (nothing slashed, no reputation
		// lost or gained, no counter moved). The absentee is a no-show (40 per seat), burnt
		// outside the penalties. The appeal is unheard: refunded, no reward.
		let no_show = NO_SHOW_SLASH * many as u64;
		assert_eq!(status(task), settled(TRUTH, 35));
		assert_eq!(
			Verdicts::<Test>::get(task).unwrap().into_inner(),
			second
				.iter()
				.map(|(who, s)| {
					let verdict = if *who == revealer {
						Verdict::Unscored
					} else {
						Verdict::Missed { slashed: NO_SHOW_SLASH * *s as u64 }
					};
					(*who, verdict)
				})
				.chain([(1, Verdict::Accurate { deviation: 0, payout: REWARD, reputation: 30 })])
				.collect::<Vec<_>>()
		);
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Evaluation(Event::EvaluatorOutlier { .. })
		)));
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Evaluation(Event::EvaluatorRewarded { who, .. }) if who == revealer
		)));
		System::assert_has_event(Event::RevealMissed { task, who: absent, slashed: no_show }.into());
		assert_eq!(
			appeals_settled(),
			vec![appeal_settled(task, 1, AppealOutcome::Unheard, 200, 0)]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 2,
				overturned: false,
				penalties: 0,
				to_backers: 0,
				to_panels: 0,
				burnt: no_show,
			}
			.into(),
		);
		assert_eq!(issuance - Balances::total_issuance(), no_show);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (10_000, 0));
		// The revealer: bond, balance and reputation untouched.
		assert_eq!(
			(free(revealer), held_bond(revealer), reputation(revealer)),
			(10_000 - BOND, BOND, 1_000)
		);
		assert!(ReputationLog::get().iter().all(|(who, _, _)| *who != revealer));
		let info = Evaluators::<Test>::get(revealer).unwrap();
		assert_eq!(
			(info.bond, info.accurate, info.outliers, info.missed, info.earned, info.pending_tasks),
			(BOND, 0, 0, 0, 0, 0)
		);
		// The absentee: 40 per seat and 50 reputation per seat.
		assert_eq!(
			(free(absent), held_bond(absent), reputation(absent)),
			(10_000 - BOND, BOND - no_show, 1_000 - 50 * many as u128)
		);
		assert_eq!(Evaluators::<Test>::get(absent).unwrap().missed, 1);
		// Round 0 keeps the pot.
		assert_eq!((free(1), held_bond(1), reputation(1)), (10_000 - BOND + REWARD, BOND, 1_030));
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000 - REWARD, 0));
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![TRUTH]), accurate: vec![(1, 3)] }]
		);
	});
}

#[test]
fn an_appeal_round_without_a_verdict_is_unheard_and_can_be_appealed_again() {
	build_and_execute(|| {
		let task = absent_round_one(TRUTH);
		// The verdict that stands is round 0's: it can be appealed again, at round 2's bond.
		pledge(BACKER, task, 400);
		System::assert_last_event(
			Event::AppealStarted {
				task,
				round: 2,
				bond: 400,
				panel_size: 15,
				commit_end: 42,
				reveal_end: 47,
			}
			.into(),
		);
		assert_eq!(Disputes::<Test>::get(task).unwrap().appeals[1].contested, verdict(&[TRUTH]));
		assert_eq!(Rounds::<Test>::get(task, 1).unwrap().consensus, None);
		run_to(37);
		// Neither 1 nor the absent 2 may sit on it.
		assert_eq!(panel(task), vec![(3, 15)]);
		play(&[task], |_| TRUTH);
		run_to(52);
		let issuance = Balances::total_issuance();
		settle(task);

		// [80] again. Appeal 1 is unheard (refunded); appeal 2 is rejected. Penalties: the
		// rejected 400, all to 3, the only member right on an appeal round. 2's no-show (280),
		// on a round without a verdict, is burnt.
		assert_eq!(status(task), settled(TRUTH, 52));
		assert_eq!(
			appeals_settled(),
			vec![
				appeal_settled(task, 1, AppealOutcome::Unheard, 200, 0),
				appeal_settled(task, 2, AppealOutcome::Rejected, 400, 0),
			]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 3,
				overturned: false,
				penalties: 400,
				to_backers: 0,
				to_panels: 400,
				burnt: 7 * NO_SHOW_SLASH,
			}
			.into(),
		);
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 3, deviation: 0, payout: 400, reputation: 150 }
				.into(),
		);
		assert_eq!([APPELLANT, BACKER].map(free), [10_000, 9_600]);
		assert_eq!([APPELLANT, BACKER].map(held_pledge), [0, 0]);
		assert_eq!((free(1), reputation(1)), (10_000 - BOND + REWARD, 1_030));
		assert_eq!((free(2), held_bond(2), reputation(2)), (10_000 - BOND, BOND - 280, 650));
		assert_eq!((free(3), reputation(3)), (10_000 - BOND + 400, 1_150));
		assert_eq!(issuance - Balances::total_issuance(), 280);
	});
}

#[test]
fn a_panel_that_stays_away_cannot_save_a_lying_verdict() {
	build_and_execute(|| {
		let task = absent_round_one(LIE);
		pledge(BACKER, task, 400);
		// The re-appeal contests the verdict that stands: round 0's lie.
		assert_eq!(Disputes::<Test>::get(task).unwrap().appeals[1].contested, verdict(&[LIE]));
		run_to(37);
		assert_eq!(panel(task), vec![(3, 15)]);
		play(&[task], |_| TRUTH);
		run_to(52);
		let issuance = Balances::total_issuance();
		settle(task);

		// [80] overturns [20]: both appeals are upheld (a moved verdict comes before an unheard
		// round). Penalties: 1's lie (60): 30 to the backers 200 : 400 (10 and 20), 30 to 3. 2's
		// no-show (280), on a round without a verdict, is burnt.
		assert_eq!(status(task), settled(TRUTH, 52));
		assert_eq!(
			appeals_settled(),
			vec![
				appeal_settled(task, 1, AppealOutcome::Upheld, 200, 10),
				appeal_settled(task, 2, AppealOutcome::Upheld, 400, 20),
			]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 3,
				overturned: true,
				penalties: 60,
				to_backers: 30,
				to_panels: 30,
				burnt: 7 * NO_SHOW_SLASH,
			}
			.into(),
		);
		System::assert_has_event(
			Event::EvaluatorOutlier { task, who: 1, deviation: 60, slashed: 60 }.into(),
		);
		assert_eq!([APPELLANT, BACKER].map(free), [10_010, 10_020]);
		assert_eq!([APPELLANT, BACKER].map(held_pledge), [0, 0]);
		assert_eq!((held_bond(1), reputation(1)), (BOND - 60, 940));
		assert_eq!((held_bond(2), reputation(2)), (BOND - 280, 650));
		assert_eq!((free(3), reputation(3)), (10_000 - BOND + 30, 1_150));
		assert_eq!((free(OPENER), held_reward(OPENER)), (10_000, 0));
		assert_eq!(issuance - Balances::total_issuance(), 280);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![TRUTH]), accurate: vec![] }]
		);
	});
}

/// Only evaluator 1 is registered: round 0 is `[(1, 3)]` (scoring 80) and the appeal funded by
/// APPELLANT at block 13 draws, at block 20, an empty round 1 (1 is cut out).
#[test]
fn an_appeal_round_nobody_can_sit_on_is_unheard() {
	build_and_execute(|| {
		let task = solo_task();
		play(&[task], |_| TRUTH);
		pledge(APPELLANT, task, 200);
		run_to(20);
		System::assert_has_event(Event::PanelDrawn { task, panel: vec![] }.into());
		assert_eq!(Panels::<Test>::get(task).map(|p| p.into_inner()), Some(vec![]));
		assert_eq!(status(task), TaskStatus::Open);
		run_to(35);
		let issuance = Balances::total_issuance();
		settle(task);

		// Round 0's verdict stands and pays round 0; the appellant, who could not be heard, is
		// refunded.
		assert_eq!(status(task), settled(TRUTH, 35));
		System::assert_has_event(
			Event::EvaluatorRewarded { task, who: 1, deviation: 0, payout: REWARD, reputation: 30 }
				.into(),
		);
		assert_eq!(
			appeals_settled(),
			vec![appeal_settled(task, 1, AppealOutcome::Unheard, 200, 0)]
		);
		System::assert_last_event(
			Event::DisputeSettled {
				task,
				consensus: verdict(&[TRUTH]),
				rounds: 2,
				overturned: false,
				penalties: 0,
				to_backers: 0,
				to_panels: 0,
				burnt: 0,
			}
			.into(),
		);
		assert_eq!((free(APPELLANT), held_pledge(APPELLANT)), (10_000, 0));
		assert_eq!(free(1), 10_000 - BOND + REWARD);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(
			SettledLog::get(),
			vec![SettledTask { task, consensus: Some(vec![TRUTH]), accurate: vec![(1, 3)] }]
		);
	});
}

/// `appeal` accepts a new appeal when the current round reached no verdict (it contests the
/// earlier verdict), so the runtime API must say so.
#[test]
fn the_dispute_view_shows_a_round_without_a_verdict_as_appealable() {
	build_and_execute(|| {
		let task = absent_round_one(TRUTH);
		let view = Evaluation::dispute_view(task).unwrap();
		assert_eq!((view.round, view.verdict.clone(), view.next_bond), (1, Some(vec![TRUTH]), 400));
		assert!(view.appealable, "`appeal` accepts it: {view:?}");
		pledge(BACKER, task, 400);
	});
}

// ---------------------------------------------------------------------------------------------
// Pruning
// ---------------------------------------------------------------------------------------------

#[test]
fn settled_disputes_are_pruned_after_the_retention() {
	build_and_execute(|| {
		let task = solo_task();
		register([2]);
		play(&[task], |_| TRUTH);
		assert!(PruneAt::<Test>::get(18 + RETENTION).contains(&task));
		pledge(APPELLANT, task, 200);
		// The appealed task is no longer the hook's to prune at 18 + 20 ...
		assert!(!PruneAt::<Test>::get(18 + RETENTION).contains(&task));
		run_to(20);
		assert_eq!(panel(task), vec![(2, 7)]);
		play(&[task], |_| TRUTH);
		run_to(35);
		settle(task);
		assert_eq!(status(task), settled(TRUTH, 35));

		// ... it is booked for deletion when it settles, `TaskRetention` (20) later.
		assert_eq!(DisputePruneAt::<Test>::get(35 + RETENTION).into_inner(), vec![task]);
		assert!(PruneAt::<Test>::iter().all(|(_, list)| !list.contains(&task)));
		run_to(35 + RETENTION - 1);
		assert!(Tasks::<Test>::get(task).is_some());
		assert_eq!(Verdicts::<Test>::get(task).unwrap().len(), 2);
		assert_eq!(panel(task), vec![(2, 7)]);
		run_to(35 + RETENTION);
		System::assert_has_event(Event::TasksPruned { tasks: vec![task] }.into());
		assert!(Tasks::<Test>::get(task).is_none());
		assert!(Verdicts::<Test>::get(task).is_none());
		assert!(Panels::<Test>::get(task).is_none());
		assert!(DisputePruneAt::<Test>::get(35 + RETENTION).is_empty());
		// Nothing of the dispute was left to prune.
		assert!(Disputes::<Test>::get(task).is_none());
		assert!(Rounds::<Test>::get(task, 0).is_none());
		assert!(Rounds::<Test>::get(task, 1).is_none());
	});
}

/// If every deletion list within reach is full, `settle` changes nothing (the dispute stays
/// open, every hold stays) and succeeds in a later block once there is room.
#[test]
fn a_dispute_whose_deletion_cannot_be_booked_settles_later() {
	build_and_execute(|| {
		let task = solo_task();
		register([2]);
		play(&[task], |_| TRUTH);
		pledge(APPELLANT, task, 200);
		run_to(20);
		play(&[task], |_| TRUTH);
		run_to(35);
		// Stand-ins (settled task ids that do not exist are never looked at before their block)
		// fill every list from 35 + 20 to 35 + 20 + MAX_SPILL.
		let full: BoundedVec<TaskId, ConstU32<MAX_DISPUTE_PRUNES>> =
			BoundedVec::truncate_from(vec![task; MAX_DISPUTE_PRUNES as usize]);
		for block in 35 + RETENTION..=35 + RETENTION + MAX_SPILL as u64 {
			DisputePruneAt::<Test>::insert(block, full.clone());
		}
		assert_noop!(Evaluation::settle(RuntimeOrigin::signed(THIRD), task), E::PruningQueueFull);
		assert_eq!(status(task), TaskStatus::Open);
		assert_eq!(held_pledge(APPELLANT), 200);
		for block in 35 + RETENTION..=35 + RETENTION + MAX_SPILL as u64 {
			DisputePruneAt::<Test>::remove(block);
		}
		run_to(36);
		settle(task);
		assert_eq!(status(task), settled(TRUTH, 36));
		assert_eq!(DisputePruneAt::<Test>::get(36 + RETENTION).into_inner(), vec![task]);
	});
}

/// Governance lowers `appeal_bond_base` below what pledges have raised: the bond is then raised,
/// and any pledge, even of 0, starts the appeal with what was pledged (nothing is locked).
#[test]
fn a_bond_lowered_below_the_pledges_starts_the_appeal_with_a_zero_pledge() {
	build_and_execute(|| {
		let task = solo_task();
		register([2]);
		play(&[task], |_| TRUTH);
		pledge(APPELLANT, task, 150);
		assert_eq!(Tasks::<Test>::get(task).unwrap().round, 0);
		assert_ok!(Evaluation::set_params(
			RuntimeOrigin::root(),
			EvaluationParams { appeal_bond_base: 50, ..appeal_params() }
		));
		// The bond is now 100; 150 is pledged. Nothing more is taken.
		assert_ok!(Evaluation::appeal(RuntimeOrigin::signed(BACKER), task, 0));
		System::assert_last_event(
			Event::AppealStarted { task, round: 1, bond: 150, panel_size: 7, commit_end: 25, reveal_end: 30 }
				.into(),
		);
		assert_eq!((held_pledge(APPELLANT), held_pledge(BACKER)), (150, 0));
		let appeal = Disputes::<Test>::get(task).unwrap().appeals.into_inner();
		assert_eq!(appeal[0].backers.clone().into_inner(), vec![(APPELLANT, 150)]);
		assert_eq!(appeal[0].bond, 150);
	});
}
