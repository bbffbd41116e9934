//! Evaluation as configured in this runtime, on the development genesis, with the real
//! reputation pallet (whose penalties reach governance votes).

use crate::{
	currency::UNIT, Balance, Balances, Evaluation, Reputation, Runtime, RuntimeCall,
	RuntimeHoldReason,
};
use crate::test_utils::{self, acc, dev_externalities, free, signed};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{
		fungible::InspectHold,
		Hooks,
	},
};
use pallet_evaluation::{commitment_of, SubjectKind, TaskStatus, Verdict};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{self, *};

fn execute(test: impl FnOnce()) {
	dev_externalities().execute_with(|| {
		test();
		Evaluation::do_try_state().expect("evaluation invariants");
		Reputation::do_try_state().expect("reputation invariants");
	});
}

fn salt(k: Sr25519Keyring) -> [u8; 32] {
	sp_io::hashing::blake2_256(&codec::Encode::encode(&acc(k)))
}

fn run_to(n: u32) {
	test_utils::run_to(n, |block| {
		Evaluation::on_initialize(block);
	});
}

#[test]
fn dev_genesis_sets_the_parameters() {
	execute(|| {
		let params = pallet_evaluation::Params::<Runtime>::get().expect("set in genesis");
		assert_eq!(params, super::development_params());
		assert_eq!(params.tolerance, 10);
	});
}

/// Four evaluators with equal bonds; Alice opens a two-criteria task and is never drawn. Two
/// blocks later a panel of 7 seats is drawn from the BABE randomness; only its members may commit.
/// The member with the fewest seats never reveals, the next one lies, the rest agree: the
/// hook settles when the reveal window ends and everything is paid, slashed and credited per
/// seat.
#[test]
fn a_drawn_panel_settles_with_payouts_slashes_and_reputation_per_seat() {
	execute(|| {
		let evaluators = [Bob, Charlie, Dave, Eve];
		for who in evaluators {
			assert_ok!(Evaluation::register(signed(who), 1_000 * UNIT));
		}
		assert_ok!(Evaluation::register(signed(Alice), 10_000 * UNIT));
		let reward = 90 * UNIT;
		assert_ok!(Evaluation::open_task(
			signed(Alice),
			SubjectKind::ModelOutput,
			H256::repeat_byte(0xaa),
			b"ipfs://bafy-output".to_vec(),
			vec![b"accuracy".to_vec(), b"safety".to_vec()],
			reward,
			5,
			5,
		));
		assert_noop!(
			Evaluation::commit(signed(Bob), 0, H256::zero()),
			pallet_evaluation::Error::<Runtime>::PanelNotDrawn
		);
		// Opened in block 1, drawn in block 3 (from the VRF outputs of blocks 1 and 2).
		run_to(2);
		assert!(pallet_evaluation::Panels::<Runtime>::get(0).is_none());
		run_to(3);
		let mut panel = pallet_evaluation::Panels::<Runtime>::get(0).expect("drawn").into_inner();
		assert_eq!(panel.iter().map(|(_, s)| s).sum::<u32>(), 7);
		assert!(panel.iter().all(|(who, _)| *who != acc(Alice)), "the opener is never drawn");
		assert!(panel.len() >= 3, "{panel:?}");
		panel.sort_by_key(|(_, seats)| *seats);
		let key = |who: &crate::AccountId| *evaluators.iter().find(|k| acc(**k) == *who).unwrap();
		let absent = key(&panel[0].0);
		let liar = key(&panel[1].0);
		let scores = |k: Sr25519Keyring| if k == liar { vec![20, 30] } else { vec![80, 90] };
		let members: Vec<(Sr25519Keyring, u32)> = panel.iter().map(|(who, s)| (key(who), *s)).collect();
		for (who, _) in &members {
			assert_ok!(Evaluation::commit(signed(*who), 0, commitment_of(0, &acc(*who), &scores(*who), &salt(*who))));
		}
		if let Some(outsider) = evaluators.iter().find(|k| !members.iter().any(|(m, _)| m == *k)) {
			assert_noop!(
				Evaluation::commit(signed(*outsider), 0, H256::zero()),
				pallet_evaluation::Error::<Runtime>::NotDrawn
			);
		}
		let before: Vec<Balance> = members.iter().map(|(k, _)| free(*k)).collect();
		let reputation_before: Vec<u128> = members.iter().map(|(k, _)| Reputation::score_of(&acc(*k))).collect();
		let issuance = Balances::total_issuance();
		let alice = free(Alice);
		// Commit window: blocks 3..8 (5 blocks from the draw); reveal window 8..13.
		run_to(8);
		for (who, _) in members.iter().filter(|(k, _)| *k != absent) {
			assert_ok!(Evaluation::reveal(signed(*who), 0, scores(*who), salt(*who)));
		}
		run_to(13);
		// Reveals are over; the verdict may be appealed for `appeal_period` (5) blocks.
		assert_eq!(Evaluation::task_view(0).unwrap().status, TaskStatus::Open);
		run_to(18);
		let task = Evaluation::task_view(0).unwrap();
		assert_eq!(task.status, TaskStatus::Settled { consensus: vec![80, 90], at: 18 });
		let honest_seats: u32 = members.iter().filter(|(k, _)| *k != absent && *k != liar).map(|(_, s)| s).sum();
		let bond_of = |k: Sr25519Keyring| {
			Balances::balance_on_hold(&RuntimeHoldReason::Evaluation(pallet_evaluation::HoldReason::EvaluatorBond), &acc(k))
		};
		let near = |k: Sr25519Keyring, expected: u128| {
			// Reputation decays a little per block (90-day half-life: a few points of 1M).
			let now = Reputation::score_of(&acc(k));
			assert!(now.abs_diff(expected) <= 10, "{k:?}: {now} vs {expected}");
		};
		let mut paid_total = 0;
		for (i, (who, seats)) in members.iter().enumerate() {
			let seats = *seats as u128;
			if *who == absent {
				// 2% of min_bond (100 PRSP) per seat burnt, 5,000 reputation per seat.
				assert_eq!(bond_of(*who), 1_000 * UNIT - 2 * UNIT * seats);
				near(*who, reputation_before[i].saturating_sub(5_000 * seats));
			} else if *who == liar {
				// 1% of min_bond per seat burnt, 2,000 reputation per seat, no pay.
				assert_eq!(bond_of(*who), 1_000 * UNIT - UNIT * seats);
				assert_eq!(free(*who), before[i]);
				near(*who, reputation_before[i].saturating_sub(2_000 * seats));
			} else {
				let paid = free(*who) - before[i];
				assert_eq!(paid, reward * seats / honest_seats as u128);
				paid_total += paid;
				near(*who, reputation_before[i] + 1_000 * seats);
			}
		}
		let slashed: u128 = members
			.iter()
			.map(|(k, s)| if *k == absent { 2 * UNIT * *s as u128 } else if *k == liar { UNIT * *s as u128 } else { 0 })
			.sum();
		assert_eq!(free(Alice), alice + reward - paid_total, "the dust goes back to Alice");
		assert_eq!(Balances::balance_on_hold(&RuntimeHoldReason::Evaluation(pallet_evaluation::HoldReason::TaskReward), &acc(Alice)), 0);
		assert_eq!(Balances::total_issuance(), issuance - slashed);
		assert!(task.verdicts.contains(&(acc(absent), Verdict::Missed { slashed: 2 * UNIT * members[0].1 as u128 })));
	});
}

/// The weights charged for evaluation calls, next to a transfer, from the weights generated on
/// the project's machines. Run with `--nocapture` to print the table quoted in the README.
#[test]
fn evaluation_call_weights_fit_in_a_block() {
	execute(|| {
		let max = crate::configs::RuntimeBlockWeights::get().max_block;
		let bob = acc(Bob);
		let calls: Vec<(&str, RuntimeCall)> = vec![
			("balances.transfer_keep_alive", RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: bob.clone().into(), value: UNIT })),
			("evaluation.register", RuntimeCall::Evaluation(pallet_evaluation::Call::register { bond: UNIT })),
			("evaluation.open_task (8 criteria, 256-byte URI)", RuntimeCall::Evaluation(pallet_evaluation::Call::open_task { kind: SubjectKind::ModelOutput, content_hash: H256::zero(), uri: vec![0; 256], criteria: (0..8u8).map(|i| vec![i; 32]).collect(), reward: UNIT, commit_period: 10, reveal_period: 10 })),
			("evaluation.commit", RuntimeCall::Evaluation(pallet_evaluation::Call::commit { task: 0, commitment: H256::zero() })),
			("evaluation.reveal", RuntimeCall::Evaluation(pallet_evaluation::Call::reveal { task: 0, scores: vec![0; 8], salt: [0; 32] })),
			("evaluation.settle (charged before refund: a dispute of 9 + 19 + 39 members, worst-case penalties)", RuntimeCall::Evaluation(pallet_evaluation::Call::settle { task: 0 })),
			("evaluation.appeal (the pledge completing a bond, full round archived)", RuntimeCall::Evaluation(pallet_evaluation::Call::appeal { task: 0, amount: UNIT })),
			("evaluation.decide_dispute", RuntimeCall::Evaluation(pallet_evaluation::Call::decide_dispute { task: 0, consensus: vec![0; 8] })),
		];
		eprintln!("| call | ref_time (µs) | proof_size (bytes) |\n|---|---|---|");
		for (name, call) in calls {
			let weight = call.get_dispatch_info().call_weight;
			eprintln!("| `{name}` | {:.1} | {} |", weight.ref_time() as f64 / 1e6, weight.proof_size());
			assert!(weight.all_lt(max / 4), "{name} uses more than a quarter of a block: {weight:?}");
		}
		use pallet_evaluation::WeightInfo;
		type W = pallet_evaluation::weights::SubstrateWeight<Runtime>;
		let worst = Evaluation::worst_hook_weight();
		// Each part of the hook fits in its worst block, which fits in a quarter block.
		let mut parts = Vec::new();
		for e in [4, 9] {
			for (what, w) in [("all revealed", W::settle_revealed(e)), ("none revealed", W::settle_missed(e))] {
				eprintln!("| settlement, {e} members, {what} (measured part) | {:.1} | {} |", w.ref_time() as f64 / 1e6, w.proof_size());
				parts.push((format!("settlement, {e} members, {what}"), w));
			}
		}
		let draw = W::draw_panel(9);
		eprintln!("| panel draw: 9 members, tree of 4,096 | {:.1} | {} |", draw.ref_time() as f64 / 1e6, draw.proof_size());
		parts.push(("panel draw".into(), draw));
		let hook = W::on_initialize_visits(17);
		eprintln!("| settlement hook overhead (17 due-lists visited) | {:.1} | {} |", hook.ref_time() as f64 / 1e6, hook.proof_size());
		parts.push(("hook overhead".into(), hook));
		eprintln!("| hook worst case: 6 draws + 1 appeal draw (39 seats, 41 barred) + 10 prunes + 6 settlements (9 seats, all penalized) | {:.1} | {} |", worst.ref_time() as f64 / 1e6, worst.proof_size());
		assert!(worst.all_lt(max / 4), "the hook's worst block must fit in a quarter block: {worst:?}");
		for (what, w) in parts {
			assert!(w.all_lte(worst), "{what} ({w:?}) exceeds the hook's worst block {worst:?}");
		}
		// A settlement costs more with more members, and more when they missed (each slash
		// updates the tree) than when all revealed.
		assert!(W::settle_revealed(9).all_gte(W::settle_revealed(4)));
		assert!(W::settle_missed(9).all_gte(W::settle_missed(4)));
		assert!(W::settle_missed(9).all_gte(W::settle_revealed(9)));
	});
}
