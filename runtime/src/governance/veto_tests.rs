//! The council veto's cool-off against wrapped resubmissions (review L-2) and the track bounds
//! (review L-5), on the development genesis, through the runtime's call filter (`NotVetoed`).
//!
//! The vetoes here are dispatched by root (also a `VetoOrigin`): the veto logic is the same as
//! for a council motion, which `tests.rs` covers.

use super::{origins, tracks, VetoCoolOff};
use crate::{
	test_utils::{acc, dev_externalities, externalities, signed},
	OriginCaller, Preimage, Referenda, ReferendaAdmin, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{schedule::DispatchTime, Bounded, StorePreimage},
	weights::Weight,
};
use pallet_referenda::Curve;
use pallet_referenda_admin::{CoolOffs, Error, HouseThresholds};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::{
	traits::{BlakeTwo256, Dispatchable, Hash},
	DispatchError, Perbill,
};

type Proposal = pallet_referenda::BoundedCallOf<Runtime, ()>;

/// Runs `test` on the development genesis, then checks the referenda invariants.
fn execute(test: impl FnOnce()) {
	dev_externalities().execute_with(|| {
		test();
		ReferendaAdmin::do_try_state().expect("referenda invariants");
	});
}

fn root() -> OriginCaller {
	OriginCaller::system(frame_system::RawOrigin::Root)
}

fn general_admin() -> OriginCaller {
	OriginCaller::Origins(origins::Origin::GeneralAdmin)
}

fn whitelisted_caller() -> OriginCaller {
	OriginCaller::Origins(origins::Origin::WhitelistedCaller)
}

fn set_half_life(blocks: u32) -> RuntimeCall {
	RuntimeCall::Reputation(pallet_reputation::Call::set_half_life { half_life: blocks })
}

fn remark(bytes: &[u8]) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: bytes.to_vec() })
}

fn batch(calls: Vec<RuntimeCall>) -> RuntimeCall {
	RuntimeCall::Utility(pallet_utility::Call::batch { calls })
}

fn batch_all(calls: Vec<RuntimeCall>) -> RuntimeCall {
	RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
}

fn force_batch(calls: Vec<RuntimeCall>) -> RuntimeCall {
	RuntimeCall::Utility(pallet_utility::Call::force_batch { calls })
}

fn dispatch_as(origin: OriginCaller, call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Utility(pallet_utility::Call::dispatch_as {
		as_origin: Box::new(origin),
		call: Box::new(call),
	})
}

fn schedule(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Scheduler(pallet_scheduler::Call::schedule {
		when: 1_000,
		maybe_periodic: None,
		priority: 0,
		call: Box::new(call),
	})
}

/// `call` as a proposal: inline up to 128 bytes, else a noted preimage.
fn bound(call: RuntimeCall) -> Proposal {
	Preimage::bound(call).unwrap()
}

/// The `referenda.submit` call of `proposal` to be dispatched from `origin`.
fn submit_call(origin: OriginCaller, proposal: Proposal) -> RuntimeCall {
	RuntimeCall::Referenda(pallet_referenda::Call::submit {
		proposal_origin: Box::new(origin),
		proposal,
		enactment_moment: DispatchTime::After(0),
	})
}

/// Dave dispatches `referenda.submit` through the call filter, as his extrinsic would be.
fn submitted(origin: OriginCaller, proposal: Proposal) -> Result<(), DispatchError> {
	submit_call(origin, proposal).dispatch(signed(Dave)).map(|_| ()).map_err(|e| e.error)
}

fn filtered() -> Result<(), DispatchError> {
	Err(frame_system::Error::<Runtime>::CallFiltered.into())
}

/// Dave submits `call` from `origin`; root vetoes it. Returns the block its cool-off ends.
fn submit_and_veto(origin: OriginCaller, call: RuntimeCall) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(signed(Dave), Box::new(origin), bound(call), DispatchTime::After(0)));
	assert_ok!(ReferendaAdmin::veto(RuntimeOrigin::root(), index));
	System::block_number() + VetoCoolOff::get()
}

/// The wrapped resubmissions of `c` an attacker would try: (name, proposal origin, proposal).
fn wrapped_attacks(c: &RuntimeCall) -> Vec<(&'static str, OriginCaller, RuntimeCall)> {
	let c = || c.clone();
	let call_hash = BlakeTwo256::hash_of(&c());
	vec![
		("utility.batchAll([C])", general_admin(), batch_all(vec![c()])),
		("utility.batch([remark, C])", general_admin(), batch(vec![remark(b"cover"), c()])),
		("utility.forceBatch([C])", general_admin(), force_batch(vec![c()])),
		("utility.dispatchAs(generalAdmin, C)", root(), dispatch_as(general_admin(), c())),
		(
			"utility.batch([batchAll([forceBatch([C])])])",
			general_admin(),
			batch(vec![batch_all(vec![force_batch(vec![c()])])]),
		),
		(
			"utility.withWeight(C)",
			root(),
			RuntimeCall::Utility(pallet_utility::Call::with_weight {
				call: Box::new(c()),
				weight: Weight::zero(),
			}),
		),
		(
			"utility.ifElse(remark, C)",
			general_admin(),
			RuntimeCall::Utility(pallet_utility::Call::if_else {
				main: Box::new(remark(b"main")),
				fallback: Box::new(c()),
			}),
		),
		("scheduler.schedule(C)", root(), schedule(c())),
		("utility.batch([scheduler.schedule(C)])", root(), batch(vec![schedule(c())])),
		(
			"whitelist.dispatchWhitelistedCallWithPreimage(C)",
			whitelisted_caller(),
			RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
				call: Box::new(c()),
			}),
		),
		(
			"whitelist.dispatchWhitelistedCall(hash(C))",
			whitelisted_caller(),
			RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call {
				call_hash,
				call_encoded_len: c().encoded_size() as u32,
				call_weight_witness: Weight::zero(),
			}),
		),
		(
			"sudo.sudo(C)",
			root(),
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(c()) }),
		),
		(
			"utility.dispatchAs(Alice, council.execute(C))",
			root(),
			dispatch_as(
				OriginCaller::system(frame_system::RawOrigin::Signed(acc(Alice))),
				RuntimeCall::Council(pallet_collective::Call::execute {
					proposal: Box::new(c()),
					length_bound: c().encoded_size() as u32,
				}),
			),
		),
		(
			// `dispatchAs` bypasses the call filter: the inner submission is unwrapped instead.
			"utility.dispatchAs(Dave, referenda.submit(C))",
			root(),
			dispatch_as(
				OriginCaller::system(frame_system::RawOrigin::Signed(acc(Dave))),
				submit_call(general_admin(), bound(c())),
			),
		),
	]
}

#[test]
fn a_vetoed_call_cannot_be_resubmitted_in_a_wrapper() {
	execute(|| {
		let c = set_half_life(3 * crate::time::DAYS);
		let until = submit_and_veto(general_admin(), c.clone());
		// The bare call, as before.
		assert_eq!(submitted(general_admin(), bound(c.clone())), filtered());
		// Every wrapper, inline.
		let attacks = wrapped_attacks(&c);
		for (name, origin, call) in &attacks {
			let proposal = bound(call.clone());
			assert!(matches!(proposal, Bounded::Inline(_)), "{name} is inline");
			assert_eq!(submitted(origin.clone(), proposal), filtered(), "{name} dodges the cool-off");
		}
		// A wrapper over 128 bytes, as a noted lookup preimage.
		let padded = schedule(batch(vec![remark(&[7; 200]), c.clone()]));
		let lookup = bound(padded);
		assert!(matches!(lookup, Bounded::Lookup { .. }));
		assert_eq!(submitted(root(), lookup.clone()), filtered());
		// A lookup whose preimage is not noted yet could hide C: refused during a cool-off,
		// and still refused once noted, since it holds C.
		let hidden = batch_all(vec![remark(&[8; 200]), c.clone()]);
		let unnoted: Proposal = Bounded::Lookup {
			hash: BlakeTwo256::hash_of(&hidden),
			len: hidden.encoded_size() as u32,
		};
		assert_eq!(submitted(general_admin(), unnoted.clone()), filtered());
		assert_ok!(Preimage::note_preimage(signed(Dave), hidden.encode()));
		assert_eq!(submitted(general_admin(), unnoted.clone()), filtered());

		// Once the cool-off has ended, every one of them may be submitted (with C's preimage
		// noted, as `whitelist.dispatchWhitelistedCall(hash(C))` must be to be inspected).
		System::set_block_number(until);
		assert_ok!(Preimage::note_preimage(signed(Dave), c.encode()));
		assert_ok!(submitted(general_admin(), bound(c.clone())));
		for (name, origin, call) in attacks {
			assert!(submitted(origin, bound(call)).is_ok(), "{name} refused after the cool-off");
		}
		assert_ok!(submitted(root(), lookup));
		assert_ok!(submitted(general_admin(), unnoted));
	});
}

#[test]
fn unrelated_proposals_are_accepted_during_a_cool_off() {
	execute(|| {
		submit_and_veto(general_admin(), set_half_life(3 * crate::time::DAYS));
		assert_ok!(submitted(
			general_admin(),
			bound(batch_all(vec![set_half_life(4 * crate::time::DAYS), remark(b"why")]))
		));
		assert_ok!(submitted(root(), bound(schedule(set_half_life(5 * crate::time::DAYS)))));
		// A noted lookup proposal is inspected and accepted.
		let large = batch(vec![remark(&[9; 300]), set_half_life(6 * crate::time::DAYS)]);
		assert_ok!(submitted(general_admin(), bound(large)));
		// Runtime upgrades go through `system.authorizeUpgrade(hash)`, small enough to inspect.
		let upgrade = RuntimeCall::System(frame_system::Call::authorize_upgrade {
			code_hash: BlakeTwo256::hash(b"a new runtime"),
		});
		assert_ok!(submitted(root(), bound(upgrade)));
	});
}

#[test]
fn the_calls_of_a_vetoed_batch_cannot_be_resubmitted_alone() {
	execute(|| {
		let (c, d) = (set_half_life(3 * crate::time::DAYS), set_half_life(4 * crate::time::DAYS));
		let vetoed = batch_all(vec![c.clone(), d.clone()]);
		let until = submit_and_veto(root(), vetoed.clone());
		for call in [&vetoed, &c, &d] {
			assert_eq!(CoolOffs::<Runtime>::get(BlakeTwo256::hash_of(call)), Some(until));
		}
		assert_eq!(submitted(general_admin(), bound(c.clone())), filtered());
		assert_eq!(submitted(general_admin(), bound(d.clone())), filtered());
		assert_eq!(submitted(general_admin(), bound(batch(vec![d.clone()]))), filtered());
		assert_ok!(submitted(general_admin(), bound(set_half_life(5 * crate::time::DAYS))));

		System::set_block_number(until);
		assert_ok!(submitted(general_admin(), bound(c.clone())));
		assert_ok!(submitted(general_admin(), bound(d.clone())));
		// Anyone clears the ended entries.
		for call in [&vetoed, &c, &d] {
			assert_ok!(ReferendaAdmin::clear_cool_off(signed(Eve), BlakeTwo256::hash_of(call)));
		}
	});
}

// --- Track bounds (review L-5) ---

#[test]
fn every_default_and_genesis_track_lies_within_the_bounds() {
	for preset in
		[sp_genesis_builder::DEV_RUNTIME_PRESET, sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET]
	{
		externalities(preset).execute_with(|| {
			let defaults = tracks::default_tracks();
			for record in defaults.iter().chain(ReferendaAdmin::track_records().iter()) {
				assert!(
					ReferendaAdmin::validate_track(&record.track.info, &record.reputation).is_ok(),
					"track {} ({preset}) is outside the bounds",
					record.track.id
				);
			}
		});
	}
}

/// The attacks of review L-5: a root referendum setting a track parameter nobody can meet.
#[test]
fn root_cannot_brick_a_track() {
	execute(|| {
		let record = ReferendaAdmin::track_records()[tracks::ROOT as usize].clone();
		let set = |info, reputation| {
			ReferendaAdmin::set_track(RuntimeOrigin::root(), tracks::ROOT, info, reputation)
		};
		let mut info = record.track.info.clone();
		info.decision_deposit = u128::MAX;
		assert_noop!(set(info, record.reputation), Error::<Runtime>::DecisionDepositOutOfRange);
		let mut info = record.track.info.clone();
		info.decision_deposit = tracks::MaxDecisionDeposit::get() + 1;
		assert_noop!(set(info, record.reputation), Error::<Runtime>::DecisionDepositOutOfRange);

		let mut info = record.track.info.clone();
		info.min_support =
			Curve::LinearDecreasing { length: Perbill::one(), floor: Perbill::one(), ceil: Perbill::one() };
		assert_noop!(set(info, record.reputation), Error::<Runtime>::SupportCurveTooHigh);

		let mut info = record.track.info.clone();
		info.min_approval =
			Curve::LinearDecreasing { length: Perbill::one(), floor: Perbill::one(), ceil: Perbill::one() };
		assert_noop!(set(info, record.reputation), Error::<Runtime>::ApprovalCurveTooHigh);

		let unreachable =
			HouseThresholds { min_approval: Perbill::from_percent(50), min_support: Perbill::one() };
		assert_noop!(
			set(record.track.info.clone(), unreachable),
			Error::<Runtime>::ReputationSupportTooHigh
		);

		let mut info = record.track.info.clone();
		info.decision_period = tracks::MaxPeriod::get() + 1;
		assert_noop!(set(info, record.reputation), Error::<Runtime>::DecisionPeriodOutOfRange);

		// The bounds themselves are accepted.
		let mut info = record.track.info.clone();
		info.decision_deposit = tracks::MaxDecisionDeposit::get();
		info.decision_period = tracks::MaxPeriod::get();
		assert_ok!(set(info, record.reputation));
	});
}
