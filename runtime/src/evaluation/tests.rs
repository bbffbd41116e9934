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

/// Four evaluators on a two-criteria task: three reveal (one first with a wrong salt), one
/// never does. The hook settles the task when the reveal window ends.
#[test]
fn a_task_settles_with_payouts_slashes_and_reputation() {
	execute(|| {
		let evaluators = [Bob, Charlie, Dave, Eve];
		for who in evaluators {
			assert_ok!(Evaluation::register(signed(who), 1_000 * UNIT));
		}
		let reward = 90 * UNIT;
		assert_ok!(Evaluation::open_task(
			signed(Alice),
			SubjectKind::ModelOutput,
			H256::repeat_byte(0xaa),
			b"ipfs://bafy-output".to_vec(),
			vec![b"accuracy".to_vec(), b"safety".to_vec()],
			reward,
			3,
			3,
			3,
			32,
		));
		let scores = |k: Sr25519Keyring| match k {
			Bob => vec![80, 90],
			Charlie => vec![80, 90],
			Dave => vec![76, 88],
			_ => vec![20, 30],
		};
		for who in evaluators {
			assert_ok!(Evaluation::commit(signed(who), 0, commitment_of(0, &acc(who), &scores(who), &salt(who))));
		}
		let before: Vec<Balance> = evaluators.iter().map(|k| free(*k)).collect();
		let reputation_before: Vec<u128> = evaluators.iter().map(|k| Reputation::score_of(&acc(*k))).collect();
		let issuance = Balances::total_issuance();
		let alice = free(Alice);
		run_to(4);
		for who in [Bob, Charlie] {
			assert_ok!(Evaluation::reveal(signed(who), 0, scores(who), salt(who)));
		}
		assert_noop!(
			Evaluation::reveal(signed(Dave), 0, scores(Dave), [0; 32]),
			pallet_evaluation::Error::<Runtime>::CommitmentMismatch
		);
		assert_ok!(Evaluation::reveal(signed(Dave), 0, scores(Dave), salt(Dave)));
		// Eve never reveals.
		run_to(7);
		let task = Evaluation::task_view(0).unwrap();
		assert_eq!(task.status, TaskStatus::Settled { consensus: vec![80, 90], at: 7 });
		// Closeness: Bob and Charlie 21, Dave 21 − 6 = 15 (weights: bond × (reputation +
		// 10,000), Bob and Charlie 1M reputation, Dave 250k).
		let paid: Vec<Balance> =
			evaluators.iter().zip(&before).map(|(k, b)| free(*k).saturating_sub(*b)).collect();
		assert!(paid[0] > 0 && paid[0] == paid[1] && paid[2] > 0 && paid[3] == 0, "{paid:?}");
		let bob_share = reward * 21 * 1_010_000 / (2 * 21 * 1_010_000 + 15 * 260_000);
		// (Within 0.01%: reputation has decayed by a point or so since genesis.)
		assert!(paid[0].abs_diff(bob_share) * 10_000 <= bob_share, "{} vs {bob_share}", paid[0]);
		// Alice got the dust back; nothing stays held.
		let dust = reward - paid.iter().sum::<Balance>();
		assert_eq!(free(Alice), alice + dust);
		assert_eq!(Balances::balance_on_hold(&RuntimeHoldReason::Evaluation(pallet_evaluation::HoldReason::TaskReward), &acc(Alice)), 0);
		// Eve: 10% of the bond burnt, 5,000 reputation lost. Issuance fell by the slash only.
		let eve_bond = Balances::balance_on_hold(&RuntimeHoldReason::Evaluation(pallet_evaluation::HoldReason::EvaluatorBond), &acc(Eve));
		assert_eq!(eve_bond, 900 * UNIT);
		assert_eq!(Balances::total_issuance(), issuance - 100 * UNIT);
		// Reputation also decays a little per block (90-day half-life: about 3 points of 1M over
		// these 6 blocks).
		let near = |k: Sr25519Keyring, expected: u128| {
			let now = Reputation::score_of(&acc(k));
			assert!(now.abs_diff(expected) <= 5, "{k:?}: {now} vs {expected}");
		};
		near(Eve, reputation_before[3] - 5_000);
		near(Bob, reputation_before[0] + 1_000);
		near(Dave, reputation_before[2] + 1_000 * 15 / 21);
		assert_eq!(task.verdicts[0], (acc(Eve), Verdict::Missed { slashed: 100 * UNIT }));
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
			("evaluation.open_task (8 criteria, 256-byte URI)", RuntimeCall::Evaluation(pallet_evaluation::Call::open_task { kind: SubjectKind::ModelOutput, content_hash: H256::zero(), uri: vec![0; 256], criteria: (0..8u8).map(|i| vec![i; 32]).collect(), reward: UNIT, commit_period: 10, reveal_period: 10, min_evaluators: 3, max_evaluators: 32 })),
			("evaluation.commit", RuntimeCall::Evaluation(pallet_evaluation::Call::commit { task: 0, commitment: H256::zero() })),
			("evaluation.reveal", RuntimeCall::Evaluation(pallet_evaluation::Call::reveal { task: 0, scores: vec![0; 8], salt: [0; 32] })),
			("evaluation.settle (charged before refund: 32 evaluators, worst-case penalties)", RuntimeCall::Evaluation(pallet_evaluation::Call::settle { task: 0 })),
		];
		eprintln!("| call | ref_time (µs) | proof_size (bytes) |\n|---|---|---|");
		for (name, call) in calls {
			let weight = call.get_dispatch_info().call_weight;
			eprintln!("| `{name}` | {:.1} | {} |", weight.ref_time() as f64 / 1e6, weight.proof_size());
			assert!(weight.all_lt(max / 4), "{name} uses more than a quarter of a block: {weight:?}");
		}
		use pallet_evaluation::WeightInfo;
		type W = pallet_evaluation::weights::SubstrateWeight<Runtime>;
		for e in [4, 32] {
			for (what, w) in [("all revealed", W::settle_revealed(e)), ("none revealed", W::settle_missed(e))] {
				eprintln!("| settlement, {e} evaluators, {what} (measured part) | {:.1} | {} |", w.ref_time() as f64 / 1e6, w.proof_size());
			}
		}
		let hook = W::on_initialize_visits(17);
		eprintln!("| settlement hook overhead (17 due-lists visited) | {:.1} | {} |", hook.ref_time() as f64 / 1e6, hook.proof_size());
	});
}
