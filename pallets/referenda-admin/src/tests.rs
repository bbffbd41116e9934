use crate::{
	curve_range, mock::*, CoolOffs, CoolOffsEnd, Error, Event, HouseThresholds, ReputationHouse,
	Tracks, Uninspectable,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		schedule::DispatchTime, Bounded, Currency, PollStatus, Polling, StorePreimage,
	},
	BoundedVec,
};
use pallet_referenda::{BoundedCallOf, Curve, ReferendumInfo, ReferendumInfoFor, TrackInfoOf};
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError, DispatchResult, FixedI64, Perbill,
};

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

/// `set_track` only replaces a track, so the table it stores never grows; should the table it
/// starts from be longer than `MaxTracks` (here: no table stored and 5 default tracks, for a
/// `MaxTracks` of 4), it refuses to store it (`InvalidTrack`) and changes nothing.
#[test]
fn set_track_refuses_a_table_longer_than_max_tracks() {
	use frame_support::traits::Get;
	build_and_execute(|| {
		let mut tracks = default_tracks();
		for id in 2..5 {
			let mut extra = tracks[1].clone();
			extra.track.id = id;
			tracks.push(extra);
		}
		assert_eq!(tracks.len() as u32, <<Test as crate::Config>::MaxTracks as Get<u32>>::get() + 1);
		DefaultTracks::set(&tracks);
		Tracks::<Test>::kill();
		assert_eq!(ReferendaAdmin::track_records().len(), 5);
		let (info, reputation) = (tracks[1].track.info.clone(), tracks[1].reputation);
		assert_ok!(ReferendaAdmin::validate_track(&info, &reputation));
		assert_noop!(
			ReferendaAdmin::set_track(RuntimeOrigin::root(), 1, info, reputation),
			Error::<Test>::InvalidTrack
		);
		assert!(admin_events().is_empty());
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
			Error::<Test>::MaxDecidingOutOfRange
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
		// A bare call: its only leaf is the proposal itself, barred once.
		assert!(admin_events().contains(&Event::Vetoed {
			index,
			proposal: hash,
			calls: Default::default(),
			until: 51
		}));
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
		assert_noop!(
			Referenda::refund_submission_deposit(RuntimeOrigin::signed(3), index),
			pallet_referenda::Error::<Test>::NoDeposit
		);
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
		let (reserved, free) = (Balances::reserved_balance(who), Balances::free_balance(who));
		// The decision-deposit refund must wait for the submission deposit's settlement (the
		// runtime's call filter asks `decision_refund_allowed`).
		assert!(!ReferendaAdmin::decision_refund_allowed(stranded));
		assert_ok!(ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), stranded));
		assert!(ReferendaAdmin::decision_refund_allowed(stranded));
		assert_ok!(Referenda::refund_decision_deposit(RuntimeOrigin::signed(3), stranded));
		assert_eq!(Balances::reserved_balance(who), reserved - 12, "both deposits came back");
		assert_eq!(Balances::free_balance(who), free + 12, "refunded, not slashed");
		assert!(admin_events().contains(&Event::SubmissionDepositRefunded {
			index: stranded,
			who,
			amount: submission.amount
		}));
		assert!(submission.amount > 0);
		assert_noop!(
			ReferendaAdmin::time_out_stranded(RuntimeOrigin::signed(3), stranded),
			Error::<Test>::NotOngoing
		);
	});
}

/// Why the runtime must filter `refund_decision_deposit` with `decision_refund_allowed`: a
/// timed-out referendum whose decision deposit is refunded first looks unbacked, and its
/// submission deposit is then slashed. Anyone may call both.
#[test]
fn a_decision_refund_before_settlement_would_slash_the_submission_deposit() {
	build_and_execute(|| {
		let (index, _) = submit(1, 5, true);
		let Some(ReferendumInfo::Ongoing(status)) = ReferendumInfoFor::<Test>::get(index) else {
			panic!("ongoing")
		};
		let (submission, decision) = (status.submission_deposit, status.decision_deposit.unwrap());
		ReferendumInfoFor::<Test>::insert(index, ReferendumInfo::TimedOut(1, Some(submission.clone()), Some(decision)));
		assert!(!ReferendaAdmin::decision_refund_allowed(index));
		// What the filter prevents: the refund first, then the settlement slashes.
		let issuance = Balances::total_issuance();
		assert_ok!(Referenda::refund_decision_deposit(RuntimeOrigin::signed(3), index));
		assert!(ReferendaAdmin::decision_refund_allowed(index));
		assert_ok!(ReferendaAdmin::settle_submission_deposit(RuntimeOrigin::signed(3), index));
		assert!(admin_events().contains(&Event::SubmissionDepositSlashed {
			index,
			who: 1,
			amount: submission.amount
		}));
		assert_eq!(Balances::total_issuance(), issuance - submission.amount);
	});
}

/// Account 1 submits five root-track (0: one deciding slot, three queue places) referenda at
/// block 1; past their prepare period, 1, 2 and 3 get 30, 20 and 10 ayes, then the decision
/// deposits of 0 (which starts deciding) and of 1, 2, 3 are placed: they queue, ordered by
/// ayes (the head, last, decides next). The queue is full; 4 waits without a decision deposit.
fn fill_the_root_queue() {
	for n in 0..5u8 {
		submit_root(1, bound(remark(20 + n)));
	}
	run_to(6);
	for (index, ayes) in [(1, 30), (2, 20), (3, 10)] {
		set_tally(index, ayes, 0);
	}
	for index in 0..4 {
		assert_ok!(Referenda::place_decision_deposit(RuntimeOrigin::signed(1), index));
	}
	assert!(matches!(
		ReferendumInfoFor::<Test>::get(0),
		Some(ReferendumInfo::Ongoing(s)) if s.deciding.is_some()
	));
	assert_eq!(root_queue(), vec![(3, 10), (2, 20), (1, 30)]);
	assert_ok!(ReferendaAdmin::do_try_state());
}

fn root_queue() -> Vec<(u32, u64)> {
	pallet_referenda::TrackQueue::<Test>::get(0).into_inner()
}

#[test]
fn vetoing_a_queued_referendum_removes_it_from_the_track_queue() {
	build_and_execute(|| {
		fill_the_root_queue();
		// The fuzzer's case: veto a queued referendum. `referenda.cancel` alone would leave its
		// entry (polkadot-sdk #13236), holding a queue place and failing `try_state`.
		council_veto(2);
		assert!(matches!(ReferendumInfoFor::<Test>::get(2), Some(ReferendumInfo::Cancelled(..))));
		assert_eq!(root_queue(), vec![(3, 10), (1, 30)], "gone; the others keep their order");
		assert_ok!(ReferendaAdmin::do_try_state());
		// Its queue place is free again: the next ready referendum queues instead of waiting
		// outside a full queue (#12451).
		assert_ok!(Referenda::place_decision_deposit(RuntimeOrigin::signed(1), 4));
		assert_eq!(root_queue(), vec![(4, 0), (3, 10), (1, 30)]);
		// When the deciding slot frees up, the head decides next.
		council_veto(0);
		run_to(7);
		assert!(matches!(
			ReferendumInfoFor::<Test>::get(1),
			Some(ReferendumInfo::Ongoing(s)) if s.deciding.is_some() && !s.in_queue
		));
		assert_eq!(root_queue(), vec![(4, 0), (3, 10)]);
		// Vetoing the head or the tail removes it just the same.
		council_veto(3);
		assert_eq!(root_queue(), vec![(4, 0)]);
		council_veto(4);
		assert!(root_queue().is_empty());
	});
}

#[test]
fn dead_queue_entries_of_governance_cancels_and_kills_are_tolerated_and_nothing_else() {
	new_test_ext().execute_with(|| {
		fill_the_root_queue();
		// Governance's direct cancel and kill leave their entries (upstream, #13236).
		assert_ok!(Referenda::cancel(RuntimeOrigin::signed(Council::get()), 2));
		assert_ok!(Referenda::kill(RuntimeOrigin::root(), 1));
		assert_eq!(root_queue(), vec![(3, 10), (2, 20), (1, 30)]);
		assert_ok!(ReferendaAdmin::do_try_state());

		// A dead entry queued twice still fails.
		pallet_referenda::TrackQueue::<Test>::insert(
			0,
			BoundedVec::truncate_from(vec![(3, 10), (2, 20), (2, 20)]),
		);
		assert_eq!(ReferendaAdmin::do_try_state(), Err("a referendum is queued twice".into()));
		pallet_referenda::TrackQueue::<Test>::insert(
			0,
			BoundedVec::truncate_from(vec![(3, 10), (2, 20), (1, 30)]),
		);
		assert_ok!(ReferendaAdmin::do_try_state());

		// Any other ended referendum in a queue still fails.
		ReferendumInfoFor::<Test>::insert(3, ReferendumInfo::TimedOut(6, None, None));
		assert_eq!(
			ReferendaAdmin::do_try_state(),
			Err("a queued referendum is not ongoing, not on this track or not in_queue".into())
		);
	});
}

#[test]
fn a_queue_under_an_unknown_track_fails_try_state() {
	new_test_ext().execute_with(|| {
		assert_ok!(ReferendaAdmin::do_try_state());
		pallet_referenda::TrackQueue::<Test>::insert(999, BoundedVec::truncate_from(vec![]));
		assert_eq!(
			ReferendaAdmin::do_try_state(),
			Err("a track queue exists for an unknown track".into())
		);
	});
}

// --- Veto cool-off through wrappers (review L-2) ---

fn batch(calls: Vec<RuntimeCall>) -> RuntimeCall {
	RuntimeCall::TestBatch(test_batch::Call::batch { calls })
}

fn schedule(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Scheduler(pallet_scheduler::Call::schedule {
		when: 100,
		maybe_periodic: None,
		priority: 0,
		call: Box::new(call),
	})
}

/// `referenda.submit` of `call` as a root proposal (a wrapper: it dispatches `call` later).
fn submission_of(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Referenda(pallet_referenda::Call::submit {
		proposal_origin: Box::new(frame_system::RawOrigin::Root.into()),
		proposal: bound(call),
		enactment_moment: DispatchTime::After(1),
	})
}

/// A remark whose encoding is `len` bytes of content.
fn long_remark(byte: u8, len: usize) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![byte; len] })
}

fn hash_of(call: &RuntimeCall) -> H256 {
	BlakeTwo256::hash_of(call)
}

/// `call` as a proposal: inline up to 128 bytes, else a noted preimage.
fn bound(call: RuntimeCall) -> BoundedCallOf<Test, ()> {
	Preimage::bound(call).unwrap()
}

/// `call` as a lookup proposal whose preimage is not noted.
fn unnoted(call: &RuntimeCall) -> BoundedCallOf<Test, ()> {
	Bounded::Lookup { hash: hash_of(call), len: call.encoded_size() as u32 }
}

fn refused(proposal: &BoundedCallOf<Test, ()>) -> bool {
	ReferendaAdmin::is_proposal_cooling_off(proposal)
}

/// Account `who` submits `proposal` as a root proposal (no decision deposit); returns its index.
fn submit_root(who: u64, proposal: BoundedCallOf<Test, ()>) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Test>::get();
	assert_ok!(Referenda::submit(
		RuntimeOrigin::signed(who),
		Box::new(frame_system::RawOrigin::Root.into()),
		proposal,
		DispatchTime::After(1),
	));
	index
}

fn council_veto(index: u32) {
	assert_ok!(ReferendaAdmin::veto(RuntimeOrigin::signed(Council::get()), index));
}

#[test]
fn leaf_calls_are_found_through_wrappers() {
	build_and_execute(|| {
		let (a, b, c) = (remark(1), remark(2), remark(3));
		// A bare call is its own leaf, with the proposal's hash.
		assert_eq!(ReferendaAdmin::proposal_calls(&bound(a.clone())), (vec![hash_of(&a)], Ok(())));
		assert_eq!(bound(a.clone()).hash(), hash_of(&a));
		// Batches and schedules unwrap; a repeated call counts once.
		let nested = batch(vec![a.clone(), schedule(b.clone()), a.clone()]);
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(nested)),
			(vec![hash_of(&a), hash_of(&b)], Ok(()))
		);
		// A proposal submitting another proposal dispatches the inner proposal's calls.
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(submission_of(c.clone()))),
			(vec![hash_of(&c)], Ok(()))
		);
		// An empty batch dispatches nothing.
		assert_eq!(ReferendaAdmin::proposal_calls(&bound(batch(vec![]))), (vec![], Ok(())));
		// A call named by its preimage hash unwraps once the preimage is noted.
		let hidden = batch(vec![c.clone(), a.clone()]);
		let by_hash = RuntimeCall::TestBatch(test_batch::Call::call_hash { hash: hash_of(&hidden) });
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(by_hash.clone())),
			(vec![], Err(Uninspectable::PreimageMissing))
		);
		assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(1), hidden.encode()));
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(by_hash)),
			(vec![hash_of(&c), hash_of(&a)], Ok(()))
		);
		// A lookup proposal unwraps once its preimage is noted.
		let padded = batch(vec![long_remark(7, 200), b.clone()]);
		assert_eq!(
			ReferendaAdmin::proposal_calls(&unnoted(&padded)),
			(vec![], Err(Uninspectable::PreimageMissing))
		);
		let lookup = bound(padded.clone());
		assert!(matches!(lookup, Bounded::Lookup { .. }));
		assert_eq!(lookup, unnoted(&padded));
		assert_eq!(
			ReferendaAdmin::proposal_calls(&lookup),
			(vec![hash_of(&long_remark(7, 200)), hash_of(&b)], Ok(()))
		);
	});
}

#[test]
fn proposals_beyond_the_walk_bounds_are_uninspectable() {
	build_and_execute(|| {
		let a = remark(1);
		// Depth: wrappers nest at most MAX_DEPTH (2) deep.
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(batch(vec![batch(vec![a.clone()])]))),
			(vec![hash_of(&a)], Ok(()))
		);
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(batch(vec![batch(vec![schedule(a.clone())])]))),
			(vec![], Err(Uninspectable::TooDeep))
		);
		// Leaves: at most MAX_LEAVES (3) distinct leaves; those found first are kept.
		let four: Vec<_> = (1..=4).map(remark).collect();
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(batch(four[..3].to_vec()))),
			(four[..3].iter().map(hash_of).collect::<Vec<_>>(), Ok(()))
		);
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(batch(four.clone()))),
			(four[..3].iter().map(hash_of).collect::<Vec<_>>(), Err(Uninspectable::TooManyCalls))
		);
		// Calls: at most MAX_CALLS (8) visited, repeats included (the batch is one of them).
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(batch(vec![a.clone(); 7]))),
			(vec![hash_of(&a)], Ok(()))
		);
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(batch(vec![a.clone(); 8]))),
			(vec![hash_of(&a)], Err(Uninspectable::TooManyCalls))
		);
		// Bytes: at most MAX_BYTES (512) preimage bytes are read.
		let large = batch(vec![long_remark(1, 600)]);
		assert!(large.encoded_size() > MAX_BYTES as usize);
		assert_eq!(
			ReferendaAdmin::proposal_calls(&bound(large)),
			(vec![], Err(Uninspectable::TooLarge))
		);
		// A noted preimage that is not a call.
		assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(1), vec![0xff; 200]));
		let garbage: BoundedCallOf<Test, ()> =
			Bounded::Lookup { hash: BlakeTwo256::hash(&[0xff; 200]), len: 200 };
		assert_eq!(
			ReferendaAdmin::proposal_calls(&garbage),
			(vec![], Err(Uninspectable::Undecodable))
		);
	});
}

#[test]
fn a_vetoed_call_cannot_come_back_in_a_wrapper() {
	build_and_execute(|| {
		let c = remark(9);
		let index = submit_root(1, bound(c.clone()));
		council_veto(index);
		assert_eq!(CoolOffsEnd::<Test>::get(), 51);
		let wrapped = [
			batch(vec![c.clone()]),
			batch(vec![remark(1), c.clone()]),
			batch(vec![batch(vec![c.clone()])]),
			schedule(c.clone()),
			batch(vec![schedule(c.clone())]),
			submission_of(c.clone()),
			// Over 128 bytes: a noted lookup preimage.
			batch(vec![long_remark(3, 200), c.clone()]),
		];
		for call in &wrapped {
			assert!(refused(&bound(call.clone())), "{call:?} dodges the cool-off");
		}
		assert!(matches!(bound(wrapped[6].clone()), Bounded::Lookup { .. }));
		// An unrelated batch is accepted during the cool-off.
		assert!(!refused(&bound(batch(vec![remark(1), remark(2)]))));
		assert!(!refused(&bound(schedule(remark(1)))));

		run_to(51);
		for call in &wrapped {
			assert!(!refused(&bound(call.clone())), "{call:?} still refused after the cool-off");
		}
		assert!(!refused(&bound(c)));
	});
}

#[test]
fn a_veto_bars_each_call_of_a_vetoed_batch() {
	build_and_execute(|| {
		let (a, b) = (remark(1), remark(2));
		let vetoed = batch(vec![a.clone(), b.clone()]);
		let index = submit_root(1, bound(vetoed.clone()));
		council_veto(index);
		let calls: BoundedVec<H256, _> = BoundedVec::truncate_from(vec![hash_of(&a), hash_of(&b)]);
		assert!(admin_events().contains(&Event::Vetoed {
			index,
			proposal: hash_of(&vetoed),
			calls,
			until: 51
		}));
		for hash in [hash_of(&vetoed), hash_of(&a), hash_of(&b)] {
			assert_eq!(CoolOffs::<Test>::get(hash), Some(51));
		}
		// The bare calls, and any other batch with one of them, are refused.
		assert!(refused(&bound(a.clone())));
		assert!(refused(&bound(b.clone())));
		assert!(refused(&bound(batch(vec![b.clone(), remark(3)]))));
		assert!(!refused(&bound(remark(3))));

		// Anyone clears each entry once the cool-off is over.
		assert_noop!(
			ReferendaAdmin::clear_cool_off(RuntimeOrigin::signed(3), hash_of(&a)),
			Error::<Test>::CoolOffActive
		);
		run_to(51);
		for hash in [hash_of(&vetoed), hash_of(&a), hash_of(&b)] {
			assert_ok!(ReferendaAdmin::clear_cool_off(RuntimeOrigin::signed(3), hash));
			assert!(admin_events().contains(&Event::CoolOffCleared { proposal: hash }));
		}
		assert_eq!(CoolOffs::<Test>::iter().count(), 0);
	});
}

/// The padding attack: a proposal dispatching more distinct calls than a veto can bar
/// (`batch([r1, r2, r3, C])` with 3 in this mock) would, once vetoed, leave `C` free to come back
/// alone. Such a proposal cannot be submitted at all, cool-off or not.
#[test]
fn a_proposal_with_more_leaves_than_a_veto_can_bar_is_refused() {
	build_and_execute(|| {
		let four: Vec<_> = (1..=4).map(remark).collect();
		let padded = batch(four.clone());
		assert!(!ReferendaAdmin::any_cool_off_active());
		assert!(refused(&bound(padded.clone())), "refused without any cool-off");
		assert!(!refused(&bound(batch(four[..3].to_vec()))), "MAX_LEAVES calls are fine");
		// Had it got in (here through root, bypassing the filter), the veto bars what it can.
		let index = submit_root(1, bound(padded.clone()));
		council_veto(index);
		assert_eq!(CoolOffs::<Test>::iter().count(), 1 + MAX_LEAVES as usize);
		assert!(refused(&bound(four[0].clone())));
		assert!(refused(&bound(padded)));
	});
}

/// A proposal that cannot be inspected (preimage not noted, too large, too deep) could hide a
/// vetoed call, now or after a later veto; it is refused until it can be.
#[test]
fn uninspectable_proposals_are_refused() {
	build_and_execute(|| {
		let hidden = batch(vec![long_remark(4, 200), remark(9)]);
		let too_deep = bound(batch(vec![batch(vec![schedule(remark(1))])]));
		let too_large = bound(batch(vec![long_remark(1, 600)]));
		for proposal in [unnoted(&hidden), too_deep.clone(), too_large.clone()] {
			assert!(refused(&proposal));
		}
		assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(2), hidden.encode()));
		assert!(!refused(&unnoted(&hidden)), "noted: accepted");
		let index = submit_root(1, bound(remark(42)));
		council_veto(index);
		assert!(!refused(&unnoted(&hidden)), "noted and unrelated: accepted during a cool-off");
		for proposal in [too_deep, too_large] {
			assert!(refused(&proposal));
		}
	});
}

#[test]
fn vetoing_an_uninspectable_proposal_bars_its_hash() {
	build_and_execute(|| {
		let hidden = batch(vec![long_remark(4, 200), remark(9)]);
		let index = submit_root(1, unnoted(&hidden));
		council_veto(index);
		assert!(admin_events().contains(&Event::Vetoed {
			index,
			proposal: hash_of(&hidden),
			calls: Default::default(),
			until: 51
		}));
		assert_eq!(CoolOffs::<Test>::iter().count(), 1);
		assert!(refused(&unnoted(&hidden)));
		// Once noted, the same proposal is still refused by its hash.
		assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(2), hidden.encode()));
		assert!(refused(&unnoted(&hidden)));
	});
}

// --- Bounded track parameters (review L-5) ---

/// Applies `edit` to track 1 and submits it with `set_track`.
fn try_edit(edit: impl FnOnce(&mut TrackInfoOf<Test>, &mut HouseThresholds)) -> DispatchResult {
	let record = ReferendaAdmin::track_records()[1].clone();
	let (mut info, mut reputation) = (record.track.info, record.reputation);
	edit(&mut info, &mut reputation);
	ReferendaAdmin::set_track(RuntimeOrigin::root(), 1, info, reputation)
}

/// `edit` is accepted; the track is then restored.
fn accepted(edit: impl FnOnce(&mut TrackInfoOf<Test>, &mut HouseThresholds)) {
	let before = ReferendaAdmin::track_records();
	assert_ok!(try_edit(edit));
	Tracks::<Test>::put(BoundedVec::<_, <Test as crate::Config>::MaxTracks>::truncate_from(before));
}

fn linear(ceil: Perbill, floor: Perbill) -> Curve {
	Curve::LinearDecreasing { length: Perbill::one(), floor, ceil }
}

fn pct(n: u32) -> Perbill {
	Perbill::from_percent(n)
}

/// One part per billion above or below.
fn above(p: Perbill) -> Perbill {
	Perbill::from_parts(p.deconstruct() + 1)
}
fn below(p: Perbill) -> Perbill {
	Perbill::from_parts(p.deconstruct() - 1)
}

#[test]
fn the_default_tracks_lie_within_the_bounds() {
	build_and_execute(|| {
		for record in default_tracks().iter().chain(ReferendaAdmin::track_records().iter()) {
			assert!(ReferendaAdmin::validate_track(&record.track.info, &record.reputation).is_ok());
		}
	});
}

#[test]
fn max_deciding_is_bounded() {
	build_and_execute(|| {
		assert_noop!(try_edit(|i, _| i.max_deciding = 0), Error::<Test>::MaxDecidingOutOfRange);
		assert_noop!(try_edit(|i, _| i.max_deciding = 9), Error::<Test>::MaxDecidingOutOfRange);
		accepted(|i, _| i.max_deciding = 1);
		accepted(|i, _| i.max_deciding = 8);
	});
}

#[test]
fn decision_deposit_is_bounded() {
	build_and_execute(|| {
		assert_noop!(try_edit(|i, _| i.decision_deposit = 0), Error::<Test>::DecisionDepositOutOfRange);
		assert_noop!(
			try_edit(|i, _| i.decision_deposit = 1_001),
			Error::<Test>::DecisionDepositOutOfRange
		);
		accepted(|i, _| i.decision_deposit = 1);
		accepted(|i, _| i.decision_deposit = 1_000);
	});
}

/// The attack of review L-5: root sets an unaffordable decision deposit, so no referendum on the
/// track can ever be decided (and no later referendum could undo it on the root track).
#[test]
fn an_unaffordable_decision_deposit_is_refused() {
	build_and_execute(|| {
		assert_noop!(
			try_edit(|i, _| i.decision_deposit = u64::MAX),
			Error::<Test>::DecisionDepositOutOfRange
		);
		assert_eq!(ReferendaAdmin::track_records()[1].track.info.decision_deposit, 10);
	});
}

#[test]
fn periods_are_bounded() {
	build_and_execute(|| {
		// Track 1: prepare 2, decision 6, confirm 2, enactment 2; MaxPeriod = 100.
		assert_noop!(try_edit(|i, _| i.prepare_period = 0), Error::<Test>::PreparePeriodOutOfRange);
		assert_noop!(try_edit(|i, _| i.prepare_period = 101), Error::<Test>::PreparePeriodOutOfRange);
		accepted(|i, _| i.prepare_period = 1);
		accepted(|i, _| i.prepare_period = 100);

		assert_noop!(
			try_edit(|i, _| i.decision_period = 0),
			Error::<Test>::DecisionPeriodOutOfRange
		);
		assert_noop!(
			try_edit(|i, _| i.decision_period = 101),
			Error::<Test>::DecisionPeriodOutOfRange
		);
		accepted(|i, _| {
			i.decision_period = 1;
			i.confirm_period = 1;
		});
		accepted(|i, _| i.decision_period = 100);

		assert_noop!(try_edit(|i, _| i.confirm_period = 0), Error::<Test>::ConfirmPeriodOutOfRange);
		assert_noop!(
			try_edit(|i, _| {
				i.decision_period = 100;
				i.confirm_period = 101;
			}),
			Error::<Test>::ConfirmPeriodOutOfRange
		);
		accepted(|i, _| i.confirm_period = 1);
		accepted(|i, _| {
			i.decision_period = 100;
			i.confirm_period = 100;
		});

		assert_noop!(
			try_edit(|i, _| i.min_enactment_period = 0),
			Error::<Test>::EnactmentPeriodOutOfRange
		);
		assert_noop!(
			try_edit(|i, _| i.min_enactment_period = 101),
			Error::<Test>::EnactmentPeriodOutOfRange
		);
		accepted(|i, _| i.min_enactment_period = 1);
		accepted(|i, _| i.min_enactment_period = 100);
	});
}

#[test]
fn the_confirm_period_fits_in_the_decision_period() {
	build_and_execute(|| {
		assert_noop!(try_edit(|i, _| i.confirm_period = 7), Error::<Test>::ConfirmPeriodTooLong);
		accepted(|i, _| i.confirm_period = 6);
	});
}

#[test]
fn the_approval_curve_is_bounded() {
	build_and_execute(|| {
		// Every point at or above 50%.
		assert_noop!(
			try_edit(|i, _| i.min_approval = linear(pct(100), below(pct(50)))),
			Error::<Test>::ApprovalCurveBelowMajority
		);
		accepted(|i, _| i.min_approval = linear(pct(100), pct(50)));
		// Falls to 90% or less: an approval of 100% throughout lets one dust nay block all.
		assert_noop!(
			try_edit(|i, _| i.min_approval = linear(pct(100), above(pct(90)))),
			Error::<Test>::ApprovalCurveTooHigh
		);
		assert_noop!(
			try_edit(|i, _| i.min_approval = linear(pct(100), pct(100))),
			Error::<Test>::ApprovalCurveTooHigh
		);
		accepted(|i, _| i.min_approval = linear(pct(100), pct(90)));
		// Well-formed curves only.
		assert_noop!(
			try_edit(|i, _| i.min_approval = linear(pct(60), pct(70))),
			Error::<Test>::ApprovalCurveMalformed
		);
		let stepped = |step: Perbill, period: Perbill| Curve::SteppedDecreasing {
			begin: pct(100),
			end: pct(50),
			step,
			period,
		};
		assert_noop!(
			try_edit(|i, _| i.min_approval = stepped(pct(10), Perbill::zero())),
			Error::<Test>::ApprovalCurveMalformed
		);
		assert_noop!(
			try_edit(|i, _| i.min_approval = stepped(Perbill::zero(), pct(10))),
			Error::<Test>::ApprovalCurveMalformed
		);
		accepted(|i, _| i.min_approval = stepped(pct(10), pct(10)));
		// 1 / (x + 1): from 100% down to exactly 50%.
		let reciprocal = |x_offset: FixedI64| Curve::Reciprocal {
			factor: FixedI64::from_u32(1),
			x_offset,
			y_offset: FixedI64::from_u32(0),
		};
		assert_eq!(curve_range(&reciprocal(FixedI64::from_u32(1))), Some((pct(100), pct(50))));
		accepted(|i, _| i.min_approval = reciprocal(FixedI64::from_u32(1)));
		assert_noop!(
			try_edit(|i, _| i.min_approval = reciprocal(FixedI64::from_inner(999))),
			Error::<Test>::ApprovalCurveMalformed
		);
		assert_noop!(
			try_edit(|i, _| i.min_approval = Curve::Reciprocal {
				factor: FixedI64::from_u32(0),
				x_offset: FixedI64::from_u32(1),
				y_offset: FixedI64::from_rational(1, 2),
			}),
			Error::<Test>::ApprovalCurveMalformed
		);
	});
}

#[test]
fn the_support_curve_starts_low_enough_to_be_reached() {
	build_and_execute(|| {
		assert_noop!(
			try_edit(|i, _| i.min_support = linear(above(pct(50)), pct(0))),
			Error::<Test>::SupportCurveTooHigh
		);
		// The attack: a support of 100% is never reached (the electorate's total rounds up).
		assert_noop!(
			try_edit(|i, _| i.min_support = linear(pct(100), pct(100))),
			Error::<Test>::SupportCurveTooHigh
		);
		accepted(|i, _| i.min_support = linear(pct(50), pct(0)));
		accepted(|i, _| i.min_support = linear(pct(50), pct(50)));
		assert_noop!(
			try_edit(|i, _| i.min_support = linear(pct(10), pct(20))),
			Error::<Test>::SupportCurveMalformed
		);
	});
}

#[test]
fn the_reputation_house_thresholds_are_bounded() {
	build_and_execute(|| {
		assert_noop!(
			try_edit(|_, r| r.min_approval = below(pct(50))),
			Error::<Test>::ReputationApprovalOutOfRange
		);
		assert_noop!(
			try_edit(|_, r| r.min_approval = above(pct(90))),
			Error::<Test>::ReputationApprovalOutOfRange
		);
		assert_noop!(
			try_edit(|_, r| r.min_approval = pct(100)),
			Error::<Test>::ReputationApprovalOutOfRange
		);
		accepted(|_, r| r.min_approval = pct(50));
		accepted(|_, r| r.min_approval = pct(90));

		assert_noop!(
			try_edit(|_, r| r.min_support = above(pct(50))),
			Error::<Test>::ReputationSupportTooHigh
		);
		assert_noop!(
			try_edit(|_, r| r.min_support = pct(100)),
			Error::<Test>::ReputationSupportTooHigh
		);
		accepted(|_, r| r.min_support = pct(50));
		accepted(|_, r| r.min_support = pct(0));
	});
}
