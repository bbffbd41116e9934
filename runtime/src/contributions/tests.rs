//! Contributions as configured in this runtime, on the development genesis, with the real
//! evaluation and reputation pallets: register, peer scoring, royalties, epoch close, claims.

use crate::{
	currency::UNIT, Balances, Contributions, Evaluation, Reputation, Runtime, RuntimeCall,
};
use crate::test_utils::{self, acc, dev_externalities, free, signed};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{fungible::Inspect, Hooks},
};
use pallet_contributions::{ContributionKind, ContributionStatus, PerPool};
use pallet_evaluation::Score;
use perspective_primitives::ReputationProvider;
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{self, *};

fn execute(test: impl FnOnce()) {
	dev_externalities().execute_with(|| {
		test();
		Contributions::do_try_state().expect("contributions invariants");
		Evaluation::do_try_state().expect("evaluation invariants");
		Reputation::do_try_state().expect("reputation invariants");
	});
}

fn run_to(n: u32) {
	test_utils::run_to(n, |block| {
		Evaluation::on_initialize(block);
		Contributions::on_initialize(block);
	});
}

const EVALUATORS: [Sr25519Keyring; 3] = [Charlie, Dave, Eve];

fn now() -> u32 {
	frame_system::Pallet::<Runtime>::block_number()
}

/// Registers a contribution in two phases: the commitment in this block, `register` in the next.
fn register(who: Sr25519Keyring, kind: ContributionKind, hash: H256, uri: &[u8], metadata: &[u8], parents: Vec<u64>) {
	let salt = sp_io::hashing::blake2_256(&codec::Encode::encode(&(acc(who), hash)));
	let commitment = pallet_contributions::registration_commitment_of(hash, &acc(who), &salt);
	assert_ok!(Contributions::commit_registration(signed(who), commitment));
	run_to(now() + 1);
	assert_ok!(Contributions::register(signed(who), kind, hash, uri.to_vec(), metadata.to_vec(), parents, salt));
}

/// `task`'s drawn panel (drawn two blocks after the registration) scores it with `scores`; runs to the end of
/// its reveal window. Returns the panel: each member with its seats.
fn score(task: u64, scores: [Score; 2]) -> Vec<(crate::AccountId, u32)> {
	let salt = [9u8; 32];
	run_to(now() + pallet_evaluation::DRAW_DELAY);
	let panel = pallet_evaluation::Panels::<Runtime>::get(task).expect("drawn").into_inner();
	assert_eq!(panel.iter().map(|(_, s)| s).sum::<u32>(), 7);
	for (who, _) in &panel {
		let commitment = pallet_evaluation::commitment_of(task, who, &scores, &salt);
		assert_ok!(Evaluation::commit(frame_system::RawOrigin::Signed(who.clone()).into(), task, commitment));
	}
	let record = pallet_evaluation::Tasks::<Runtime>::get(task).unwrap();
	run_to(record.commit_end);
	for (who, _) in &panel {
		assert_ok!(Evaluation::reveal(frame_system::RawOrigin::Signed(who.clone()).into(), task, scores.to_vec(), salt));
	}
	// The verdict is final (and the contribution scored) once the appeal window has passed.
	run_to(record.due);
	panel
}

fn seats_of(panel: &[(crate::AccountId, u32)], who: Sr25519Keyring) -> u128 {
	panel.iter().find(|(a, _)| *a == acc(who)).map(|(_, s)| *s as u128).unwrap_or(0)
}

fn task_of(id: u64) -> u64 {
	match pallet_contributions::Registry::<Runtime>::get(id).unwrap().status {
		ContributionStatus::Evaluating { task } => task,
		other => panic!("not evaluating: {other:?}"),
	}
}

#[test]
fn dev_genesis_sets_the_parameters_and_opens_epoch_zero() {
	execute(|| {
		assert_eq!(pallet_contributions::Params::<Runtime>::get(), Some(super::development_params()));
		let epoch = pallet_contributions::CurrentEpoch::<Runtime>::get().unwrap();
		assert_eq!((epoch.index, epoch.started_at, epoch.ends_at), (0, 0, 10));
		assert_eq!(Balances::balance(&Contributions::pot_account()), crate::currency::EXISTENTIAL_DEPOSIT);
	});
}

/// The scenario on the runtime: Alice's dataset, Bob's model trained on it, three
/// evaluators, one epoch; Alice's claim includes her royalty from Bob's model.
#[test]
fn dataset_and_model_are_scored_rewarded_and_claimed_with_a_royalty() {
	execute(|| {
		for who in EVALUATORS {
			assert_ok!(Evaluation::register(signed(who), 100 * UNIT));
		}
		register(Alice, ContributionKind::Dataset, H256::repeat_byte(1), b"ipfs://dataset", b"{\"rows\":1000}", vec![]);
		let reputation = Reputation::reputation_of(&acc(Alice));
		let first = score(task_of(0), [80, 90]);
		assert!(
			Reputation::reputation_of(&acc(Alice)) + 100 >= reputation + 5_000,
			"acceptance reputation (less decay)"
		);
		// The model is registered once its parent dataset is accepted.
		register(Bob, ContributionKind::Model, H256::repeat_byte(2), b"ipfs://model", b"", vec![0]);
		let second = score(task_of(1), [90, 90]);
		let status = |id| pallet_contributions::Registry::<Runtime>::get(id).unwrap().status;
		assert!(matches!(status(0), ContributionStatus::Accepted { quality: 85, points: 85_000, .. }));
		assert!(matches!(status(1), ContributionStatus::Accepted { quality: 90, points: 90_000, .. }));

		// The dataset's epoch has closed (the whole dataset pool is Alice's); the model's
		// royalty points wait for the open epoch to close.
		let pending = Contributions::pending_rewards(&acc(Alice));
		assert_eq!(pending.claimable, 300 * UNIT);
		assert_eq!(pending.points_this_epoch, PerPool { model: 9_000, ..Default::default() });
		let epoch = pallet_contributions::CurrentEpoch::<Runtime>::get().unwrap();
		let issuance = Balances::total_issuance();
		run_to(epoch.ends_at);
		// This epoch minted 30% (models) + 15% (participation) of 1,000 PRSP; pools without
		// points minted nothing.
		assert_eq!(Balances::total_issuance(), issuance + 450 * UNIT);

		let (alice, bob) = (free(Alice), free(Bob));
		assert_eq!(Contributions::pending_rewards(&acc(Alice)).claimable, 330 * UNIT);
		assert_ok!(Contributions::claim(signed(Alice)));
		assert_ok!(Contributions::claim(signed(Bob)));
		// Alice: the whole dataset pool + 9,000 of the model pool's 90,000 points.
		assert_eq!(free(Alice) - alice, 300 * UNIT + 30 * UNIT);
		assert_eq!(free(Bob) - bob, 270 * UNIT);
		let mut participation = 0;
		for who in EVALUATORS {
			let before = free(who);
			let _ = Contributions::claim(signed(who));
			// Participation, in each of the two epochs: 150 PRSP shared per seat (7 seats).
			let expected = 150 * UNIT * seats_of(&first, who) / 7 + 150 * UNIT * seats_of(&second, who) / 7;
			let got = free(who) - before;
			assert!(got.abs_diff(expected) <= 2, "{who:?}: {got} vs {expected}");
			participation += got;
		}
		assert!(participation.abs_diff(300 * UNIT) <= 6, "{participation}");
		assert_noop!(
			Contributions::claim(signed(Alice)),
			pallet_contributions::Error::<Runtime>::NothingToClaim
		);
	});
}

#[test]
fn a_contribution_scored_below_the_threshold_is_rejected() {
	execute(|| {
		for who in EVALUATORS {
			assert_ok!(Evaluation::register(signed(who), 100 * UNIT));
		}
		register(Ferdie, ContributionKind::Code, H256::repeat_byte(3), b"git://junk", b"", vec![]);
		let issuance = Balances::total_issuance();
		score(task_of(0), [20, 30]);
		let deposit = 10 * UNIT + 10 * crate::currency::MILLI_UNIT * 10;
		assert!(matches!(
			pallet_contributions::Registry::<Runtime>::get(0).unwrap().status,
			ContributionStatus::Rejected { quality: 25, .. }
		));
		assert_eq!(Balances::total_issuance(), issuance - deposit / 2, "half the deposit is burnt");
	});
}

/// Weights of the main calls next to `transfer_keep_alive`, and the scale requirement: claiming
/// and closing an epoch with 100,000 earning accounts and 1,000 closed epochs in storage cost
/// what they cost with a handful (benchmarks `claim_at_scale`, `close_epoch_at_scale`).
#[test]
fn contribution_weights_and_scale() {
	execute(|| {
		use frame_support::traits::Get;
		use pallet_contributions::WeightInfo;
		type W = pallet_contributions::weights::SubstrateWeight<Runtime>;
		let max = crate::configs::RuntimeBlockWeights::get().max_block;
		let calls: Vec<(&str, RuntimeCall)> = vec![
			("balances.transfer_keep_alive", RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: acc(Bob).into(), value: UNIT })),
			("contributions.register (4 parents, 256 B URI, 1 KiB metadata)", RuntimeCall::Contributions(pallet_contributions::Call::register { kind: ContributionKind::Model, content_hash: H256::zero(), uri: vec![0; 256], metadata: vec![0; 1024], parents: vec![0, 1, 2, 3], salt: [0; 32] })),
			("contributions.commit_registration", RuntimeCall::Contributions(pallet_contributions::Call::commit_registration { commitment: H256::zero() })),
			("contributions.update", RuntimeCall::Contributions(pallet_contributions::Call::update { id: 0, uri: vec![], metadata: vec![] })),
			("contributions.retire", RuntimeCall::Contributions(pallet_contributions::Call::retire { id: 0 })),
			("contributions.claim", RuntimeCall::Contributions(pallet_contributions::Call::claim {})),
		];
		eprintln!("| call | ref_time (µs) | proof_size (bytes) |\n|---|---|---|");
		for (name, call) in calls {
			let weight = call.get_dispatch_info().call_weight;
			eprintln!("| `{name}` | {:.1} | {} |", weight.ref_time() as f64 / 1e6, weight.proof_size());
			assert!(weight.all_lt(max / 4), "{name} uses more than a quarter of a block: {weight:?}");
		}
		let rows = [
			("claim, 10-account benchmark state", W::claim()),
			("claim, 100,000 accounts + 1,000 closed epochs", W::claim_at_scale()),
			("epoch close (hook), benchmark state", W::on_initialize_close_epoch()),
			("epoch close, 100,000 accounts + 1,000 closed epochs", W::close_epoch_at_scale()),
			("hook, epoch still open", W::on_initialize_idle()),
			("scoring a contribution: accepted, full royalty tree, 9 panel members", W::on_task_settled_accepted(9)),
			("scoring a contribution: rejected, 9 panel members", W::on_task_settled_rejected(9)),
		];
		for (what, w) in rows {
			eprintln!("| {what} | {:.1} | {} |", w.ref_time() as f64 / 1e6, w.proof_size());
			assert!(w.all_lt(max / 4), "{what} uses more than a quarter of a block: {w:?}");
		}
		// The hook runs in every block: while the epoch is open it costs less than closing one,
		// and less than a thousandth of a block.
		let idle = W::on_initialize_idle();
		assert!(idle.all_lt(W::on_initialize_close_epoch()), "idle hook {idle:?}");
		assert!(idle.ref_time() < max.ref_time() / 1_000, "idle hook {idle:?} of {max:?}");
		// Scoring a contribution (9 panel members: the runtime's `MaxParticipants`) costs at most
		// what the evaluation pallet reserves for it in each settlement, which its worst hook
		// block (checked against a quarter block in the evaluation tests) counts.
		let reserved = <Contributions as pallet_contributions::OnTaskSettled<crate::AccountId>>::max_weight();
		assert_eq!(<<Runtime as pallet_contributions::Config>::MaxParticipants as Get<u32>>::get(), 9);
		for (what, w) in [("accepted", W::on_task_settled_accepted(9)), ("rejected", W::on_task_settled_rejected(9))] {
			assert!(w.all_lte(reserved), "scoring ({what}) {w:?} exceeds the reserve {reserved:?}");
		}
		// The same storage accesses (and so the same proof bound) at any scale; the measured
		// time differs only because each access walks a deeper trie (log₁₆ of the state size).
		// Iterating over the 100,000 accounts would cost 100,000 reads (≥ 800 ms of DB reads
		// alone); the bound below leaves no room for even 1% of that.
		for (small, large) in [(W::claim(), W::claim_at_scale()), (W::on_initialize_close_epoch(), W::close_epoch_at_scale())] {
			assert_eq!(small.proof_size(), large.proof_size(), "same storage items are read");
			assert!(large.ref_time() < small.ref_time() * 3, "cost grows with history: {small:?} vs {large:?}");
		}
		// What is charged: the larger of the two measurements.
		let claim = RuntimeCall::Contributions(pallet_contributions::Call::claim {}).get_dispatch_info().call_weight;
		assert_eq!(claim, W::claim_at_scale().max(W::claim()));
	});
}

/// Finding L-5, with C-1's payoff: a captured council majority (`ParameterOrigin`) asks for
/// `epoch_emission = u128::MAX` to mint without limit. It is refused with the typed error, as
/// are epochs shorter than `MinEpochLength`; the most it can set is `MaxEpochEmission`
/// (1,000 PRSP), and an epoch with points in every pool mints exactly that, no more.
#[test]
fn a_captured_council_cannot_mint_more_than_max_epoch_emission() {
	use pallet_contributions::{ContributionParams, Earnings, Error, RewardPool};
	execute(|| {
		let captured: crate::RuntimeOrigin = pallet_collective::RawOrigin::<
			crate::AccountId,
			crate::governance::CouncilCollective,
		>::Members(2, 3)
		.into();
		let cap = <Runtime as pallet_contributions::Config>::MaxEpochEmission::get();
		assert_eq!(cap, 1_000 * UNIT);
		let with = |f: fn(&mut ContributionParams<crate::Balance, crate::BlockNumber>)| {
			let mut p = super::development_params();
			f(&mut p);
			p
		};
		assert_noop!(
			Contributions::set_params(captured.clone(), with(|p| p.epoch_emission = u128::MAX)),
			Error::<Runtime>::EpochEmissionTooHigh
		);
		assert_noop!(
			Contributions::set_params(captured.clone(), with(|p| p.epoch_emission = 1_000 * UNIT + 1)),
			Error::<Runtime>::EpochEmissionTooHigh
		);
		assert_noop!(
			Contributions::set_params(captured.clone(), with(|p| p.epoch_length = 9)),
			Error::<Runtime>::EpochLengthTooShort
		);
		assert_ok!(Contributions::set_params(captured, with(|p| p.epoch_emission = 1_000 * UNIT)));

		// Points in every pool, so that every pool mints its share.
		let mut epoch = pallet_contributions::CurrentEpoch::<Runtime>::get().unwrap();
		let points = PerPool::from_fn(|_| 1_000);
		pallet_contributions::AccountEarnings::<Runtime>::insert(
			acc(Alice),
			Earnings { epoch: epoch.index, points, unclaimed: 0 },
		);
		epoch.points = points;
		pallet_contributions::CurrentEpoch::<Runtime>::put(epoch);
		let issuance = Balances::total_issuance();
		run_to(epoch.ends_at);
		let rewards = pallet_contributions::ClosedEpochs::<Runtime>::get(epoch.index).unwrap().rewards;
		let minted: u128 = RewardPool::ALL.iter().map(|pool| *rewards.get(*pool)).sum();
		assert_eq!(minted, cap, "the genesis pool weights (summing to 100) divide the cap exactly");
		assert_eq!(Balances::total_issuance(), issuance + minted, "nothing else was minted");
	});
}

/// A bought panel rejects a good dataset; its owner appeals, a larger panel of other evaluators
/// scores it honestly, and the final verdict accepts it: the deposit is kept, the dataset earns
/// its epoch's pool, the appeal bond comes back with half the liars' slashes, and the liars are
/// the outliers.
#[test]
fn a_contribution_rejected_by_a_lying_panel_is_accepted_on_appeal_and_earns_its_pool() {
	execute(|| {
		for who in EVALUATORS {
			assert_ok!(Evaluation::register(signed(who), 100 * UNIT));
		}
		register(Alice, ContributionKind::Dataset, H256::repeat_byte(7), b"ipfs://good-data", b"", vec![]);
		let task = task_of(0);
		let salt = [5u8; 32];
		let reveal_all = |task: u64, scores: [Score; 2], drawn_at: u32| -> Vec<(crate::AccountId, u32)> {
			run_to(drawn_at);
			let panel = pallet_evaluation::Panels::<Runtime>::get(task).expect("drawn").into_inner();
			for (who, _) in &panel {
				let commitment = pallet_evaluation::commitment_of(task, who, &scores, &salt);
				assert_ok!(Evaluation::commit(frame_system::RawOrigin::Signed(who.clone()).into(), task, commitment));
			}
			run_to(pallet_evaluation::Tasks::<Runtime>::get(task).unwrap().commit_end);
			for (who, _) in &panel {
				assert_ok!(Evaluation::reveal(frame_system::RawOrigin::Signed(who.clone()).into(), task, scores.to_vec(), salt));
			}
			run_to(pallet_evaluation::Tasks::<Runtime>::get(task).unwrap().reveal_end);
			panel
		};
		// The bought panel: every seat scores the dataset 20/30 (it is worth 80/90).
		let liars = reveal_all(task, [20, 30], now() + pallet_evaluation::DRAW_DELAY);
		let dispute = Evaluation::dispute_view(task).unwrap();
		assert_eq!(dispute.verdict, Some(vec![20, 30]));
		assert!(dispute.appealable);
		assert_eq!(dispute.next_bond, 100 * UNIT, "appeal_bond_base 50 PRSP × 2^1");

		// Honest evaluators who did not sit on the first panel are bonded before the appeal.
		for who in [Bob, Ferdie] {
			assert_ok!(Evaluation::register(signed(who), 100 * UNIT));
		}
		let alice = free(Alice);
		let window_end = pallet_evaluation::Tasks::<Runtime>::get(task).unwrap().due;
		assert_ok!(Evaluation::appeal(signed(Alice), task, 100 * UNIT));
		assert_eq!(free(Alice), alice - 100 * UNIT);
		// Drawn two blocks after the appeal window closes, whenever the bond completed.
		let appeal_panel = reveal_all(task, [80, 90], window_end + pallet_evaluation::DRAW_DELAY);
		assert_eq!(appeal_panel.iter().map(|(_, s)| s).sum::<u32>(), 15, "2 × 7 + 1 seats");
		assert!(appeal_panel.iter().all(|(who, _)| *who == acc(Bob) || *who == acc(Ferdie)), "no earlier member");
		// Still being evaluated: nothing scored, nothing paid, until the verdict is final.
		assert!(matches!(
			pallet_contributions::Registry::<Runtime>::get(0).unwrap().status,
			ContributionStatus::Evaluating { .. }
		));
		run_to(pallet_evaluation::Tasks::<Runtime>::get(task).unwrap().due);
		let issuance = Balances::total_issuance();
		assert_ok!(Evaluation::settle(signed(Eve), task));

		let status = pallet_contributions::Registry::<Runtime>::get(0).unwrap().status;
		assert!(matches!(status, ContributionStatus::Accepted { quality: 85, points: 85_000, .. }), "{status:?}");
		// The liars' outlier slashes (1% of the 100 PRSP minimum bond per seat, 7 seats) are the
		// penalties: half to the appellant, half to the appeal panel by seats.
		// The task's pot (Alice's evaluation fee) goes back to her: no first-panel member was
		// within tolerance of the final verdict.
		let penalties = 7 * UNIT;
		let pot = pallet_evaluation::Tasks::<Runtime>::get(task).unwrap().reward;
		assert_eq!(pot, 10 * UNIT);
		assert_eq!(free(Alice), alice + penalties / 2 + pot, "bond and pot back, plus half the penalties");
		for (who, seats) in &liars {
			let info = pallet_evaluation::Evaluators::<Runtime>::get(who).unwrap();
			assert_eq!(info.bond, 100 * UNIT - UNIT * (*seats as u128), "outlier slash per seat");
			assert_eq!(info.outliers, 1);
		}
		// Nothing minted; nothing burnt beyond rounding (the acceptance keeps the deposit).
		assert!(issuance - Balances::total_issuance() <= 2, "only rounding dust is burnt");

		// The dataset earns its pool in the epoch of the final verdict.
		let epoch = pallet_contributions::CurrentEpoch::<Runtime>::get().unwrap();
		run_to(epoch.ends_at);
		assert_eq!(Contributions::pending_rewards(&acc(Alice)).claimable, 300 * UNIT);
		let alice = free(Alice);
		assert_ok!(Contributions::claim(signed(Alice)));
		assert_eq!(free(Alice), alice + 300 * UNIT);
	});
}
