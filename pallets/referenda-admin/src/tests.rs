use crate::{mock::*, CoolOffs, Error, Event, HouseThresholds, ReputationHouse};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		schedule::DispatchTime, Currency, PollStatus, Polling,
		StorePreimage,
	},
};
use pallet_referenda::{ReferendumInfo, ReferendumInfoFor};
use sp_runtime::{DispatchError, Perbill};

fn admin_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::ReferendaAdmin(e) = r.event { Some(e) } else { None })
		.collect()
}

fn remark(n: u8) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![n] })
}

/// Account `who` submits a signed-track (1) referendum of `remark(n)` and places its decision
/// deposit; returns the index and the proposal's hash.
fn submit(who: u64, n: u8, place_decision: bool) -> (u32, sp_core::H256) {
	let proposal = Preimage::bound(remark(n)).unwrap();
	let hash = proposal.hash();
	let index = pallet_referenda::ReferendumCount::<Test>::get();
	assert_ok!(Referenda::submit(
		RuntimeOrigin::signed(who),
		Box::new(frame_system::RawOrigin::Signed(who).into()),
		proposal,
		DispatchTime::After(1),
	));
	if place_decision {
		assert_ok!(Referenda::place_decision_deposit(RuntimeOrigin::signed(who), index));
	}
	(index, hash)
}

fn set_tally(index: u32, ayes: u64, nays: u64) {
	<Referenda as Polling<TestTally>>::access_poll(index, |status| {
		if let PollStatus::Ongoing(tally, _) = status {
			*tally = TestTally { ayes, nays };
		}
	});
}

#[test]
fn genesis_overrides_timings_and_keeps_defaults() {
	build_and_execute(|| {
		let tracks = ReferendaAdmin::track_records();
		assert_eq!(tracks.len(), 2);
		assert_eq!(tracks[0].track.info.decision_period, 4, "track 0 keeps its default");
		let signed = &tracks[1].track.info;
		assert_eq!(
			(signed.prepare_period, signed.decision_period, signed.confirm_period),
			(2, 6, 2)
		);
		assert_eq!(
			ReferendaAdmin::thresholds(&1),
			HouseThresholds {
				min_approval: Perbill::from_percent(50),
				min_support: Perbill::from_percent(10)
			}
		);
		// Unknown classes can never pass.
		assert_eq!(ReferendaAdmin::thresholds(&9).min_support, Perbill::one());
	});
}

#[test]
fn governance_updates_a_track() {
	build_and_execute(|| {
		let mut info = ReferendaAdmin::track_records()[1].track.info.clone();
		info.decision_period = 40;
		info.name = sp_runtime::str_array("renamed");
		let strict = HouseThresholds {
			min_approval: Perbill::from_percent(66),
			min_support: Perbill::from_percent(20),
		};
		assert_noop!(
			ReferendaAdmin::set_track(RuntimeOrigin::signed(1), 1, info.clone(), strict),
			DispatchError::BadOrigin
		);
		assert_ok!(ReferendaAdmin::set_track(RuntimeOrigin::root(), 1, info.clone(), strict));
		let record = &ReferendaAdmin::track_records()[1];
		assert_eq!(record.track.info.decision_period, 40);
		assert_eq!(record.track.info.name[..6], *b"signed", "the name cannot change");
		assert_eq!(ReferendaAdmin::thresholds(&1), strict);
		assert_eq!(admin_events(), vec![Event::TrackUpdated { id: 1 }]);
		// Referenda sees the new parameters.
		use pallet_referenda::TracksInfo as _;
		assert_eq!(TestTracksInfo::info(1).unwrap().decision_period, 40);

		assert_noop!(
			ReferendaAdmin::set_track(RuntimeOrigin::root(), 7, info.clone(), strict),
			Error::<Test>::UnknownTrack
		);
		info.max_deciding = 0;
		assert_noop!(
			ReferendaAdmin::set_track(RuntimeOrigin::root(), 1, info, strict),
			Error::<Test>::InvalidTrack
		);
	});
}

#[test]
fn rejected_referenda_get_their_submission_deposit_back() {
	build_and_execute(|| {
		let (index, _) = submit(1, 1, true);
		assert_eq!(Balances::reserved_balance(1), 2 + 10);
		set_tally(index, 1, 9);
		run_to(20);
		assert!(matches!(ReferendumInfoFor::<Test>::get(index), Some(ReferendumInfo::Rejected(..))));
		// pallet-referenda refunds the decision deposit but not the submission deposit (#1690).
		assert_ok!(Referenda::refund_decision_deposit(RuntimeOrigin::signed(3), index));
		assert_noop!(
			Referenda::refund_submission_deposit(RuntimeOrigin::signed(3), index),
			pallet_referenda::Error::<Test>::BadStatus
		);
		assert_eq!(Balances::reserved_balance(1), 2);

		assert_ok!(ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), index));
		assert_eq!(Balances::reserved_balance(1), 0);
		assert_eq!(Balances::free_balance(1), 100);
		assert!(admin_events()
			.contains(&Event::SubmissionDepositRefunded { index, who: 1, amount: 2 }));
		assert_noop!(
			ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), index),
			Error::<Test>::NothingToSettle
		);
	});
}

#[test]
fn timed_out_referenda_lose_their_submission_deposit() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		let (index, _) = submit(2, 2, false);
		run_to(25);
		assert!(matches!(ReferendumInfoFor::<Test>::get(index), Some(ReferendumInfo::TimedOut(..))));
		assert_ok!(ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), index));
		assert_eq!(Balances::reserved_balance(2), 0);
		assert_eq!(Balances::free_balance(2), 98);
		assert_eq!(Balances::total_issuance(), issuance - 2, "the slash is burnt");
		assert!(admin_events().contains(&Event::SubmissionDepositSlashed { index, who: 2, amount: 2 }));
	});
}

#[test]
fn ongoing_approved_and_killed_referenda_have_nothing_to_settle() {
	build_and_execute(|| {
		let (ongoing, _) = submit(1, 1, true);
		assert_noop!(
			ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), ongoing),
			Error::<Test>::NothingToSettle
		);
		set_tally(ongoing, 100, 0);
		run_to(12);
		assert!(matches!(ReferendumInfoFor::<Test>::get(ongoing), Some(ReferendumInfo::Approved(..))));
		assert_noop!(
			ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), ongoing),
			Error::<Test>::NothingToSettle
		);
		// Approved: referenda refunds both.
		assert_ok!(Referenda::refund_submission_deposit(RuntimeOrigin::signed(3), ongoing));
		assert_ok!(Referenda::refund_decision_deposit(RuntimeOrigin::signed(3), ongoing));
		assert_eq!(Balances::reserved_balance(1), 0);

		// Killed: referenda slashes both, nothing is left reserved.
		let (killed, _) = submit(2, 2, true);
		assert_ok!(Referenda::kill(RuntimeOrigin::root(), killed));
		assert_eq!(Balances::reserved_balance(2), 0);
		assert_eq!(Balances::free_balance(2), 100 - 12);
		assert_noop!(
			ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), killed),
			Error::<Test>::NothingToSettle
		);
	});
}

#[test]
fn a_veto_cancels_refunds_and_cools_off() {
	build_and_execute(|| {
		let (index, hash) = submit(1, 5, true);
		assert_noop!(ReferendaAdmin::veto(RuntimeOrigin::signed(1), index), DispatchError::BadOrigin);
		assert_ok!(ReferendaAdmin::veto(RuntimeOrigin::signed(Council::get()), index));
		assert!(matches!(
			ReferendumInfoFor::<Test>::get(index),
			Some(ReferendumInfo::Cancelled(_, None, None))
		));
		assert_eq!(Balances::reserved_balance(1), 0);
		assert_eq!(Balances::free_balance(1), 100);
		assert!(admin_events().contains(&Event::Vetoed { index, proposal: hash, until: 51 }));
		// The refunds went through referenda, which reports them.
		let refunds: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Referenda(
					e @ (pallet_referenda::Event::SubmissionDepositRefunded { .. } |
					pallet_referenda::Event::DecisionDepositRefunded { .. }),
				) => Some(e),
				_ => None,
			})
			.collect();
		assert_eq!(refunds.len(), 2, "{refunds:?}");
		assert!(ReferendaAdmin::is_cooling_off(&hash));
		assert_noop!(
			ReferendaAdmin::veto(RuntimeOrigin::signed(Council::get()), index),
			Error::<Test>::NotOngoing
		);
		assert_noop!(
			ReferendaAdmin::clear_cool_off(RuntimeOrigin::signed(3), hash),
			Error::<Test>::CoolOffActive
		);
		run_to(51);
		assert!(!ReferendaAdmin::is_cooling_off(&hash));
		assert_ok!(ReferendaAdmin::clear_cool_off(RuntimeOrigin::signed(3), hash));
		assert!(!CoolOffs::<Test>::contains_key(hash));
		assert_noop!(
			ReferendaAdmin::clear_cool_off(RuntimeOrigin::signed(3), hash),
			Error::<Test>::NoCoolOff
		);
		// Both refunds happened already: referenda has nothing left to refund.
		assert!(Referenda::refund_submission_deposit(RuntimeOrigin::signed(3), index).is_err());
	});
}

#[test]
fn referenda_stranded_outside_a_full_queue_can_time_out() {
	build_and_execute(|| {
		// Track 1 decides two at a time and queues three: the sixth referendum is stranded
		// (polkadot-sdk #12451): `in_queue` but not queued, and exempt from the time-out.
		for n in 0..6u8 {
			let who = [1, 2, 3][n as usize % 3];
			let _ = Balances::deposit_creating(&who, 100);
			submit(who, 10 + n, true);
		}
		run_to(5);
		let queue = pallet_referenda::TrackQueue::<Test>::get(1);
		assert_eq!(queue.len(), 3);
		let stranded = (0..6u32)
			.find(|i| {
				matches!(ReferendumInfoFor::<Test>::get(i), Some(ReferendumInfo::Ongoing(s))
					if s.in_queue && !queue.iter().any(|(q, _)| q == i))
			})
			.expect("one referendum is stranded");
		assert_noop!(
			ReferendaAdmin::time_out_stranded(RuntimeOrigin::signed(3), stranded),
			Error::<Test>::NotStranded
		);
		// Queued referenda are not stranded.
		assert_noop!(
			ReferendaAdmin::time_out_stranded(RuntimeOrigin::signed(3), queue[0].0),
			Error::<Test>::NotStranded
		);
		// Past the undeciding time-out (20 blocks after submission at block 1), referenda
		// itself would never end it; we can.
		run_to(40);
		assert!(matches!(ReferendumInfoFor::<Test>::get(stranded), Some(ReferendumInfo::Ongoing(_))));
		assert_ok!(ReferendaAdmin::time_out_stranded(RuntimeOrigin::signed(3), stranded));
		assert!(admin_events().contains(&Event::StrandedTimedOut { index: stranded }));
		let Some(ReferendumInfo::TimedOut(_, Some(submission), Some(_))) =
			ReferendumInfoFor::<Test>::get(stranded)
		else {
			panic!("timed out with both deposits")
		};
		let who = submission.who;
		let reserved = Balances::reserved_balance(who);
		assert_ok!(Referenda::refund_decision_deposit(RuntimeOrigin::signed(3), stranded));
		assert_ok!(ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), stranded));
		assert_eq!(Balances::reserved_balance(who), reserved - 12, "both deposits came back");
		assert_noop!(
			ReferendaAdmin::time_out_stranded(RuntimeOrigin::signed(3), stranded),
			Error::<Test>::NotOngoing
		);
	});
}
