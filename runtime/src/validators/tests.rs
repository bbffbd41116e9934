//! The validator set as configured in this runtime, on the `local_testnet` genesis: an operator
//! registers real session keys, applies, a council motion approves it, and pallet-session makes
//! it a BABE and GRANDPA authority two sessions later; a motion removes it again. Blocks carry
//! BABE pre-digests, and sessions end with BABE's epochs (`offence_tests`' block helpers).

use super::offence_tests::{execute, register_new_keys, run_to_session};
use crate::{
	currency::UNIT, AccountId, Balances, Runtime, RuntimeCall, RuntimeOrigin, Session, SessionKeys, System, ValidatorSet,
};
use crate::test_utils::acc;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{fungible::InspectHold, Hooks},
};
use pallet_validator_set::{Error, OperatorStatus};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::traits::Header as _;
use sp_runtime::{DispatchError, Perbill};

/// `ayes` of the three council members voted for the motion.
fn council(ayes: u32) -> RuntimeOrigin {
	pallet_collective::RawOrigin::<AccountId, crate::governance::CouncilCollective>::Members(ayes, 3)
		.into()
}

fn babe_authorities() -> Vec<sp_consensus_babe::AuthorityId> {
	pallet_babe::Authorities::<Runtime>::get().into_iter().map(|(id, _)| id).collect()
}

#[test]
fn local_genesis_validators_are_bonded_session_validators() {
	execute(|| {
		let genesis: Vec<AccountId> = [Alice, Bob, Charlie, Dave].map(acc).into();
		let mut sorted = genesis.clone();
		sorted.sort();
		assert_eq!(ValidatorSet::approved_validators(), sorted);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), sorted);
		assert_eq!(babe_authorities().len(), 4);
		for who in &genesis {
			assert_eq!(
				Balances::balance_on_hold(
					&pallet_validator_set::HoldReason::ValidatorBond.into(),
					who
				),
				1_000 * UNIT
			);
		}
		// Sessions rotate with BABE's epochs: after EPOCH_DURATION_IN_SLOTS slots.
		let start = System::block_number();
		run_to_session(1);
		assert!(System::block_number() - start <= crate::time::EPOCH_DURATION_IN_SLOTS as u32);
	});
}

#[test]
fn a_council_motion_adds_and_removes_a_validator_through_sessions() {
	execute(|| {
		let keys = register_new_keys(Eve);
		assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(acc(Eve)), 1_000 * UNIT));

		// One councillor alone is not the council.
		assert_noop!(ValidatorSet::approve(council(1), acc(Eve).into()), DispatchError::BadOrigin);
		assert_noop!(
			ValidatorSet::approve(RuntimeOrigin::signed(acc(Alice)), acc(Eve).into()),
			DispatchError::BadOrigin
		);
		assert_ok!(ValidatorSet::approve(council(2), acc(Eve).into()));
		assert_eq!(
			pallet_validator_set::Operators::<Runtime>::get(acc(Eve)).unwrap().status,
			OperatorStatus::Validating
		);

		run_to_session(1);
		assert!(!babe_authorities().contains(&keys.babe), "queued, not yet authoring");
		run_to_session(2);
		assert!(babe_authorities().contains(&keys.babe), "Eve authors from session 2");
		assert_eq!(babe_authorities().len(), 5);
		let change = pallet_grandpa::PendingChange::<Runtime>::get().expect("GRANDPA set change");
		assert!(change.next_authorities.iter().any(|(id, _)| *id == keys.grandpa));
		assert_eq!(change.next_authorities.len(), 5);

		// Removal needs the council too; with Eve gone the set is back at its minimum of four.
		assert_ok!(ValidatorSet::remove(council(2), acc(Eve).into(), Perbill::zero()));
		assert_noop!(
			ValidatorSet::remove(council(2), acc(Alice).into(), Perbill::zero()),
			Error::<Runtime>::TooFewValidators
		);
		run_to_session(4);
		assert!(!babe_authorities().contains(&keys.babe), "Eve stopped authoring");
		assert_eq!(babe_authorities().len(), 4);
		// Unbonding lasts 28 days on this production-like preset.
		assert_noop!(
			ValidatorSet::withdraw_bond(RuntimeOrigin::signed(acc(Eve))),
			Error::<Runtime>::StillUnbonding
		);
		let Some(OperatorStatus::Unbonding { withdrawable_at }) =
			ValidatorSet::operator(&acc(Eve)).map(|operator| operator.status)
		else {
			panic!("Eve unbonds")
		};
		assert!(withdrawable_at >= System::block_number() + super::PRODUCTION_UNBONDING_PERIOD);
		System::set_block_number(withdrawable_at);
		let free = Balances::free_balance(acc(Eve));
		assert_ok!(ValidatorSet::withdraw_bond(RuntimeOrigin::signed(acc(Eve))));
		assert_eq!(Balances::free_balance(acc(Eve)), free + 1_000 * UNIT);
	});
}

#[test]
fn applications_without_keys_or_with_a_small_bond_fail_readably() {
	execute(|| {
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(acc(Ferdie)), 1_000 * UNIT),
			Error::<Runtime>::NoSessionKeys
		);
		register_new_keys(Ferdie);
		assert_noop!(
			ValidatorSet::apply(RuntimeOrigin::signed(acc(Ferdie)), 10 * UNIT),
			Error::<Runtime>::BondTooSmall
		);
	});
}

/// A key-ownership proof's shape (its weight depends on the validator count only).
fn membership_proof() -> sp_session::MembershipProof {
	sp_session::MembershipProof { session: 0, trie_nodes: vec![], validator_count: 4 }
}

fn babe_proof() -> sp_consensus_babe::EquivocationProof<crate::Header> {
	let header = crate::Header::new(1, Default::default(), Default::default(), Default::default(), Default::default());
	sp_consensus_babe::EquivocationProof {
		offender: Sr25519Keyring::Bob.public().into(),
		slot: 1.into(),
		first_header: header.clone(),
		second_header: header,
	}
}

fn grandpa_proof() -> sp_consensus_grandpa::EquivocationProof<crate::Hash, crate::BlockNumber> {
	let vote = |byte| {
		(
			finality_grandpa::Prevote { target_hash: crate::Hash::repeat_byte(byte), target_number: 1 },
			sp_core::ed25519::Signature::from_raw([0; 64]).into(),
		)
	};
	sp_consensus_grandpa::EquivocationProof::new(
		0,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: 1,
			identity: sp_keyring::Ed25519Keyring::Bob.public().into(),
			first: vote(1),
			second: vote(2),
		}),
	)
}

#[test]
fn validator_set_weights() {
	execute(|| {
		let max = crate::configs::RuntimeBlockWeights::get().max_block;
		let who: sp_runtime::MultiAddress<AccountId, ()> = acc(Eve).into();
		let calls: Vec<(&str, RuntimeCall)> = vec![
			("balances.transfer_keep_alive", RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: acc(Bob).into(), value: UNIT })),
			("session.set_keys", RuntimeCall::Session(pallet_session::Call::set_keys { keys: SessionKeys::generate(&[], None).keys, proof: vec![0; 128] })),
			("validatorSet.purge_keys", RuntimeCall::ValidatorSet(pallet_validator_set::Call::purge_keys {})),
			("validatorSet.apply", RuntimeCall::ValidatorSet(pallet_validator_set::Call::apply { bond: UNIT })),
			("validatorSet.withdraw_application", RuntimeCall::ValidatorSet(pallet_validator_set::Call::withdraw_application {})),
			("validatorSet.approve (32-validator bound)", RuntimeCall::ValidatorSet(pallet_validator_set::Call::approve { who: who.clone() })),
			("validatorSet.remove (32-validator bound)", RuntimeCall::ValidatorSet(pallet_validator_set::Call::remove { who, slash: Perbill::zero() })),
			("validatorSet.resign (32-validator bound)", RuntimeCall::ValidatorSet(pallet_validator_set::Call::resign {})),
			("validatorSet.withdraw_bond", RuntimeCall::ValidatorSet(pallet_validator_set::Call::withdraw_bond {})),
			("validatorSet.set_params", RuntimeCall::ValidatorSet(pallet_validator_set::Call::set_params { params: super::genesis_params(4, super::PRODUCTION_UNBONDING_PERIOD) })),
			("babe.report_equivocation_unsigned (4 validators)", RuntimeCall::Babe(pallet_babe::Call::report_equivocation_unsigned { equivocation_proof: Box::new(babe_proof()), key_owner_proof: membership_proof() })),
			("grandpa.report_equivocation_unsigned (4 validators)", RuntimeCall::Grandpa(pallet_grandpa::Call::report_equivocation_unsigned { equivocation_proof: Box::new(grandpa_proof()), key_owner_proof: membership_proof() })),
		];
		eprintln!("| call | ref_time (µs) | proof_size (bytes) |\n|---|---|---|");
		for (name, call) in calls {
			let weight = call.get_dispatch_info().call_weight;
			eprintln!("| `{name}` | {:.1} | {} |", weight.ref_time() as f64 / 1e6, weight.proof_size());
			assert!(weight.all_lt(max / 20), "{name} uses more than 5% of a block: {weight:?}");
		}
	});
}

#[test]
fn a_rotation_block_leaves_room_for_transactions() {
	execute(|| {
		use pallet_validator_set::WeightInfo;
		type W = pallet_validator_set::weights::SubstrateWeight<Runtime>;
		let limits = crate::configs::RuntimeBlockWeights::get();
		let normal = limits.get(frame_support::dispatch::DispatchClass::Normal).max_total.unwrap();
		// The rotation block (BABE's epoch is over): what the hooks declare, then a full-size
		// normal transaction budget.
		run_to_session(1);
		let now = System::block_number();
		let declared = W::on_initialize_idle().saturating_add(W::rotate_session(super::MAX_VALIDATORS));
		// pallet-session's own hook never rotates (it would declare the whole block).
		assert_eq!(Session::on_initialize(now), frame_support::weights::Weight::zero());
		eprintln!(
			"rotation block: hooks declare {:.1} µs of {:.1} µs; normal transactions keep {:.1} µs",
			declared.ref_time() as f64 / 1e6,
			limits.max_block.ref_time() as f64 / 1e6,
			normal.ref_time() as f64 / 1e6
		);
		assert!(declared.ref_time() * 20 < limits.max_block.ref_time(), "under 5% of a block");
		assert!(declared.saturating_add(normal).all_lte(limits.max_block));
		let idle = ValidatorSet::on_initialize(now + 1);
		assert_eq!(idle, W::on_initialize_idle());
		eprintln!("any other block: the hook declares {:.1} µs", idle.ref_time() as f64 / 1e6);
	});
}

/// Finding L-5 for the validator set: a council majority (`ParameterOrigin`, possibly captured)
/// cannot stop sessions from rotating, price every operator out, lock bonds for good or burn a
/// whole bond in one motion.
#[test]
fn governance_cannot_set_validator_parameters_outside_their_ranges() {
	execute(|| {
		let params = |f: fn(&mut pallet_validator_set::ValidatorSetParams<crate::Balance, crate::BlockNumber>)| {
			let mut p = super::genesis_params(4, super::PRODUCTION_UNBONDING_PERIOD);
			f(&mut p);
			p
		};
		let set = |p| ValidatorSet::set_params(council(2), p);
		assert_noop!(set(params(|p| p.min_bond = u128::MAX)), Error::<Runtime>::MinBondTooHigh);
		assert_noop!(set(params(|p| p.unbonding_period = u32::MAX)), Error::<Runtime>::UnbondingTooLong);
		assert_noop!(set(params(|p| p.unbonding_period = 19)), Error::<Runtime>::UnbondingTooShort);
		assert_noop!(
			set(params(|p| p.offence_slash = Perbill::from_percent(51))),
			Error::<Runtime>::OffenceSlashTooHigh
		);
		// Every bound at once: 10,000 PRSP, 28 days of unbonding, half a bond per offence.
		assert_ok!(set(params(|p| {
			p.min_bond = 10_000 * UNIT;
			p.unbonding_period = 28 * crate::time::DAYS;
			p.offence_slash = Perbill::from_percent(50);
		})));
		assert_noop!(
			ValidatorSet::remove(council(2), acc(Alice).into(), Perbill::from_percent(51)),
			Error::<Runtime>::SlashTooHigh
		);
	});
}

/// Finding M-3: a validator that misbehaves, resigns and withdraws must still be slashable. On the
/// production-like preset the bond stays held for longer than every path from a report to an
/// enacted slash: an automatic offence report (within the historical-root window), a council
/// motion (`ParameterOrigin`, open for at most `CouncilMotionDuration`), and a general-admin
/// referendum with the preset's track periods.
#[test]
fn the_production_unbonding_outlasts_every_path_to_a_slash() {
	use crate::{genesis_config_presets::local_track_timings, governance::tracks::GENERAL_ADMIN};
	let unbonding = super::PRODUCTION_UNBONDING_PERIOD;
	let report_window =
		super::OFFENCE_WINDOW_SESSIONS * crate::time::EPOCH_DURATION_IN_SLOTS as crate::BlockNumber;
	assert!(unbonding >= report_window, "reports of offences are accepted for {report_window} blocks");
	let motion = crate::governance::CouncilMotionDuration::get();
	assert!(unbonding >= motion, "a council motion lasts up to {motion} blocks");
	let (_, track) = local_track_timings()
		.into_iter()
		.find(|(id, _)| *id == GENERAL_ADMIN)
		.expect("the general-admin track");
	let referendum = track.prepare_period +
		track.decision_period +
		track.confirm_period +
		track.min_enactment_period;
	assert!(unbonding >= referendum, "a general-admin referendum takes up to {referendum} blocks");
	execute(|| {
		assert_eq!(pallet_validator_set::Params::<Runtime>::get().unbonding_period, unbonding);
	});
}
