//! Governance as configured in this runtime, on the development genesis: referenda with both
//! houses, enactment through the scheduler, the council's powers and every deposit's fate.

use super::{origins, tracks};
use crate::{
	currency::UNIT, AccountId, Balance, Balances, Council, CouncilElections, HybridVoting, OriginCaller, Preimage, Referenda,
	ReferendaAdmin, Reputation, Runtime, RuntimeCall, RuntimeHoldReason, RuntimeOrigin, Scheduler,
	System,
};
use crate::test_utils::{self, acc, dev_externalities, free, signed};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{
		fungible::{Inspect, InspectFreeze, InspectHold},
		schedule::DispatchTime,
		tokens::{Fortitude, Preservation},
		Hooks, StorePreimage,
	},
};
use pallet_hybrid_voting::{Conviction, Direction, HybridVote};
use pallet_referenda::{ReferendumInfo, ReferendumInfoFor};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::traits::{BlakeTwo256, Dispatchable, Hash};

/// Runs `test` on the development genesis, then checks every governance pallet's invariants.
fn execute(test: impl FnOnce()) {
	dev_externalities().execute_with(|| {
		test();
		Reputation::do_try_state().expect("reputation invariants");
		HybridVoting::do_try_state().expect("voting invariants");
		ReferendaAdmin::do_try_state().expect("referenda invariants");
		CouncilElections::do_try_state().expect("election invariants");
	});
}

fn run_to(n: u32) {
	test_utils::run_to(n, |block| {
		Scheduler::on_initialize(block);
		CouncilElections::on_initialize(block);
	});
}

/// `who` submits `call` to be dispatched from `origin` and places the decision deposit.
fn submit(who: Sr25519Keyring, origin: OriginCaller, call: RuntimeCall) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		signed(who),
		Box::new(origin),
		Preimage::bound(call).unwrap(),
		DispatchTime::After(0),
	));
	assert_ok!(Referenda::place_decision_deposit(signed(who), index));
	index
}

fn vote(who: Sr25519Keyring, index: u32, direction: Direction, balance: Balance) {
	let conviction = if direction == Direction::Abstain { Conviction::None } else { Conviction::Locked1x };
	assert_ok!(HybridVoting::vote(signed(who), index, HybridVote { direction, conviction, balance }));
}

fn info(index: u32) -> pallet_referenda::ReferendumInfoOf<Runtime, ()> {
	ReferendumInfoFor::<Runtime>::get(index).expect("referendum exists")
}

fn general_admin() -> OriginCaller {
	OriginCaller::Origins(origins::Origin::GeneralAdmin)
}

fn set_half_life(blocks: u32) -> RuntimeCall {
	RuntimeCall::Reputation(pallet_reputation::Call::set_half_life { half_life: blocks })
}

/// Encoded length of `call`, the `length_bound` council motions need.
fn length_of(call: &RuntimeCall) -> u32 {
	codec::Encode::encoded_size(call) as u32
}

/// The origin of a motion the whole council (3 of 3) approved.
fn council_origin() -> RuntimeOrigin {
	pallet_collective::RawOrigin::<AccountId, super::CouncilCollective>::Members(3, 3).into()
}

/// A council motion proposed by Alice, approved by Alice and Bob (2 of 3), closed.
fn council_motion(call: RuntimeCall) {
	let length = length_of(&call);
	let hash = BlakeTwo256::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, super::CouncilCollective>::get();
	assert_ok!(Council::propose(signed(Alice), 2, Box::new(call.clone()), length));
	assert_ok!(Council::vote(signed(Alice), hash, index, true));
	assert_ok!(Council::vote(signed(Bob), hash, index, true));
	assert_ok!(Council::close(
		signed(Alice),
		hash,
		index,
		call.get_dispatch_info().call_weight,
		length
	));
}

#[test]
fn a_parameter_change_passing_both_houses_is_enacted() {
	execute(|| {
		let before = free(Alice);
		let index = submit(Alice, general_admin(), set_half_life(30 * crate::time::DAYS));
		assert_eq!(free(Alice), before - 10 * UNIT - 200 * UNIT, "submission + decision deposits");
		for who in [Alice, Bob, Charlie, Dave] {
			vote(who, index, Direction::Aye, 900_000 * UNIT);
		}
		// The votes froze balance: it cannot be transferred away.
		assert_eq!(
			Balances::balance_frozen(&pallet_hybrid_voting::FreezeReason::Voting.into(), &acc(Bob)),
			900_000 * UNIT
		);
		assert!(
			Balances::reducible_balance(&acc(Bob), Preservation::Expendable, Fortitude::Polite) <=
				100_000 * UNIT
		);
		run_to(15);
		assert!(matches!(info(index), ReferendumInfo::Approved(..)), "{:?}", info(index));
		assert_eq!(Reputation::half_life(), 30 * crate::time::DAYS, "enacted by the scheduler");

		// Both deposits come back.
		assert_ok!(Referenda::refund_submission_deposit(signed(Eve), index));
		assert_ok!(Referenda::refund_decision_deposit(signed(Eve), index));
		assert_eq!(free(Alice), before);

		// Winning voters with conviction stay locked for one period after the end; others not.
		assert_ok!(HybridVoting::remove_vote(signed(Bob), index));
		assert_eq!(HybridVoting::frozen_for_voting(&acc(Bob)), 900_000 * UNIT);
		run_to(16 + super::VoteLockingPeriod::get());
		assert_ok!(HybridVoting::unlock(signed(Eve), acc(Bob)));
		assert_eq!(HybridVoting::frozen_for_voting(&acc(Bob)), 0);
	});
}

/// Conviction sets how long a winning voter stays locked after the referendum ends: 4, 8, 16
/// and 32 of the runtime's 7-day vote-locking periods for `Locked3x`–`Locked6x`. The clock is
/// moved directly (up to 224 days): the lock depends only on the block number.
#[test]
fn higher_convictions_lock_winning_voters_for_4_8_16_and_32_periods() {
	execute(|| {
		let index = submit(Alice, general_admin(), set_half_life(30 * crate::time::DAYS));
		let voters = [
			(Alice, Conviction::Locked3x, 4),
			(Bob, Conviction::Locked4x, 8),
			(Charlie, Conviction::Locked5x, 16),
			(Dave, Conviction::Locked6x, 32),
		];
		for (who, conviction, _) in voters {
			let vote = HybridVote { direction: Direction::Aye, conviction, balance: 900_000 * UNIT };
			assert_ok!(HybridVoting::vote(signed(who), index, vote));
		}
		run_to(15);
		let ReferendumInfo::Approved(end, ..) = info(index) else { panic!("not approved: {:?}", info(index)) };
		for (who, _, _) in voters {
			assert_ok!(HybridVoting::remove_vote(signed(who), index));
		}
		let period = super::VoteLockingPeriod::get();
		assert_eq!(period, 7 * crate::time::DAYS);
		for (who, conviction, periods) in voters {
			let until = end + periods * period;
			System::set_block_number(until - 1);
			assert_noop!(
				HybridVoting::unlock(signed(Eve), acc(who)),
				pallet_hybrid_voting::Error::<Runtime>::NothingToUnlock
			);
			assert_eq!(HybridVoting::frozen_for_voting(&acc(who)), 900_000 * UNIT, "{conviction:?}");
			System::set_block_number(until);
			assert_ok!(HybridVoting::unlock(signed(Eve), acc(who)));
			assert_eq!(HybridVoting::frozen_for_voting(&acc(who)), 0, "{conviction:?}");
		}
	});
}

#[test]
fn passing_the_token_house_alone_is_rejected_and_deposits_are_settled() {
	execute(|| {
		let before = free(Eve);
		let index = submit(Eve, general_admin(), set_half_life(2 * crate::time::DAYS));
		// Token whales with little reputation vote aye...
		vote(Eve, index, Direction::Aye, 950_000 * UNIT);
		vote(Ferdie, index, Direction::Aye, 950_000 * UNIT);
		vote(Dave, index, Direction::Aye, 950_000 * UNIT);
		// ...reputable accounts vote nay with reputation only.
		for who in [Alice, Bob, Charlie] {
			vote(who, index, Direction::Nay, 0);
		}
		let ReferendumInfo::Ongoing(status) = info(index) else { panic!("ongoing") };
		assert_eq!(status.tally.token_approval(), sp_runtime::Perbill::one());
		assert!(status.tally.token_support_share() > sp_runtime::Perbill::from_percent(20));
		assert!(!status.tally.reputation_passes(&tracks::GENERAL_ADMIN));
		run_to(30);
		assert!(matches!(info(index), ReferendumInfo::Rejected(..)), "{:?}", info(index));
		assert_eq!(Reputation::half_life(), crate::genesis_config_presets::REPUTATION_HALF_LIFE);

		// Decision deposit: refunded by referenda. Submission deposit: by referenda-admin.
		assert_ok!(Referenda::refund_decision_deposit(signed(Alice), index));
		assert_noop!(
			Referenda::refund_submission_deposit(signed(Alice), index),
			pallet_referenda::Error::<Runtime>::BadStatus
		);
		assert_ok!(ReferendaAdmin::settle_submission_deposit(signed(Alice), index));
		assert_eq!(free(Eve), before);
	});
}

#[test]
fn the_council_vetoes_a_referendum_which_then_cools_off() {
	execute(|| {
		let call = set_half_life(3 * crate::time::DAYS);
		let before = free(Dave);
		let index = submit(Dave, general_admin(), call.clone());
		vote(Eve, index, Direction::Aye, 10 * UNIT);
		// Only root or at least half of the council may veto: not a member alone, not a third
		// of the council, not the origin of a passed general-admin referendum.
		let veto = RuntimeCall::ReferendaAdmin(pallet_referenda_admin::Call::veto { index });
		let a_third: RuntimeOrigin =
			pallet_collective::RawOrigin::<AccountId, super::CouncilCollective>::Members(1, 3).into();
		for origin in [signed(Alice), a_third, RuntimeOrigin::from(general_admin())] {
			assert_noop!(veto.clone().dispatch(origin), sp_runtime::DispatchError::BadOrigin);
		}
		council_motion(veto);
		assert!(matches!(info(index), ReferendumInfo::Cancelled(_, None, None)));
		assert_eq!(free(Dave), before, "both deposits refunded by the veto");

		// Resubmitting the same proposal is refused while it cools off.
		let resubmit = RuntimeCall::Referenda(pallet_referenda::Call::submit {
			proposal_origin: Box::new(general_admin()),
			proposal: Preimage::bound(call).unwrap(),
			enactment_moment: DispatchTime::After(0),
		});
		let error = resubmit.clone().dispatch(signed(Dave)).unwrap_err().error;
		assert_eq!(error, frame_system::Error::<Runtime>::CallFiltered.into());
		run_to(2 + super::VetoCoolOff::get());
		assert_ok!(resubmit.dispatch(signed(Dave)));

		// Votes on the vetoed referendum are released freely.
		assert_ok!(HybridVoting::remove_vote(signed(Eve), index));
		assert_eq!(HybridVoting::frozen_for_voting(&acc(Eve)), 0);
	});
}

/// A referendum timed out with both deposits: nobody can refund the decision deposit before the
/// submission deposit is settled (which would make it look unbacked and slash it); settled
/// first, both come back.
#[test]
fn a_decision_deposit_refund_cannot_run_ahead_of_the_submission_settlement() {
	execute(|| {
		let before = free(Dave);
		let index = submit(Dave, general_admin(), set_half_life(3 * crate::time::DAYS));
		let ReferendumInfo::Ongoing(status) = info(index) else { panic!("ongoing") };
		// As `referendaAdmin.timeOutStranded` leaves a stranded referendum.
		ReferendumInfoFor::<Runtime>::insert(
			index,
			ReferendumInfo::TimedOut(1, Some(status.submission_deposit), status.decision_deposit),
		);
		let refund = RuntimeCall::Referenda(pallet_referenda::Call::refund_decision_deposit { index });
		let error = refund.clone().dispatch(signed(Eve)).unwrap_err().error;
		assert_eq!(error, frame_system::Error::<Runtime>::CallFiltered.into());
		assert_ok!(ReferendaAdmin::settle_submission_deposit(signed(Eve), index));
		assert_ok!(refund.dispatch(signed(Eve)));
		assert_eq!(free(Dave), before, "both deposits refunded, nothing slashed");
	});
}

#[test]
fn the_council_kills_a_referendum_and_its_deposits_are_slashed() {
	execute(|| {
		let issuance = Balances::total_issuance();
		let before = free(Ferdie);
		let index = submit(Ferdie, general_admin(), set_half_life(2 * crate::time::DAYS));
		// A single member cannot kill; two of three can.
		assert_noop!(Referenda::kill(signed(Alice), index), sp_runtime::DispatchError::BadOrigin);
		council_motion(RuntimeCall::Referenda(pallet_referenda::Call::kill { index }));
		assert!(matches!(info(index), ReferendumInfo::Killed(..)));
		assert_eq!(free(Ferdie), before - 210 * UNIT);
		assert_eq!(Balances::total_issuance(), issuance - 210 * UNIT, "slashed deposits are burnt");
		assert_noop!(
			ReferendaAdmin::settle_submission_deposit(signed(Alice), index),
			pallet_referenda_admin::Error::<Runtime>::NothingToSettle
		);
	});
}

#[test]
fn council_motions_change_parameters_and_signed_accounts_cannot() {
	execute(|| {
		let params = pallet_council_elections::ElectionParams {
			candidacy_bond: 5 * UNIT,
			min_candidate_reputation: 1,
			desired_members: 7,
			min_members: 3,
		};
		let call = RuntimeCall::CouncilElections(pallet_council_elections::Call::set_params { params });
		assert_noop!(call.clone().dispatch(signed(Alice)), sp_runtime::DispatchError::BadOrigin);
		council_motion(call);
		assert_eq!(pallet_council_elections::Params::<Runtime>::get(), params);
		council_motion(set_half_life(40 * crate::time::DAYS));
		assert_eq!(Reputation::half_life(), 40 * crate::time::DAYS);
	});
}

#[test]
fn a_root_referendum_changes_the_tracks() {
	execute(|| {
		let mut record = ReferendaAdmin::track_records()[tracks::GENERAL_ADMIN as usize].clone();
		record.track.info.decision_period = 99;
		let call = RuntimeCall::ReferendaAdmin(pallet_referenda_admin::Call::set_track {
			id: tracks::GENERAL_ADMIN,
			info: record.track.info.clone(),
			reputation: record.reputation,
		});
		// A council motion cannot: track changes need root.
		assert_noop!(call.clone().dispatch(council_origin()), sp_runtime::DispatchError::BadOrigin);
		let index = submit(Alice, OriginCaller::system(frame_system::RawOrigin::Root), call);
		for who in [Alice, Bob, Charlie, Dave, Eve, Ferdie] {
			vote(who, index, Direction::Aye, 990_000 * UNIT);
		}
		run_to(20);
		assert!(matches!(info(index), ReferendumInfo::Approved(..)), "{:?}", info(index));
		assert_eq!(ReferendaAdmin::track_records()[tracks::GENERAL_ADMIN as usize].track.info.decision_period, 99);
	});
}

#[test]
fn a_root_referendum_can_upgrade_the_runtime() {
	execute(|| {
		use sp_runtime::DispatchError::BadOrigin;
		let code = b"a new runtime".to_vec();
		let call = RuntimeCall::System(frame_system::Call::set_code_without_checks { code: code.clone() });
		let stored_code = || sp_io::storage::get(sp_core::storage::well_known_keys::CODE).map(|c| c.to_vec());
		let genesis_code = stored_code();
		assert_ne!(genesis_code, Some(code.clone()));
		// Neither the council's origin nor the general-admin origin may upgrade.
		assert_noop!(call.clone().dispatch(council_origin()), BadOrigin);
		assert_noop!(call.clone().dispatch(RuntimeOrigin::from(general_admin())), BadOrigin);

		// A council motion passes (2 of 3), and its execution is refused.
		council_motion(call.clone());
		let executed: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				crate::RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(result),
				_ => None,
			})
			.collect();
		assert_eq!(executed, vec![Err(BadOrigin)]);
		assert_eq!(stored_code(), genesis_code);

		// A general-admin referendum passes both houses, and its enactment is refused.
		let admin = submit(Dave, general_admin(), call.clone());
		for who in [Alice, Bob, Charlie, Dave] {
			vote(who, admin, Direction::Aye, 900_000 * UNIT);
		}
		run_to(15);
		assert!(matches!(info(admin), ReferendumInfo::Approved(..)), "{:?}", info(admin));
		// pallet-referenda names its enactment task `blake2_256(("assembly", "enactment", index))`
		// (its alarms are anonymous tasks).
		let enactment = codec::Encode::using_encoded(&(*b"assembly", "enactment", admin), sp_io::hashing::blake2_256);
		let enacted: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				crate::RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { id, result, .. })
					if id == Some(enactment) => Some(result),
				_ => None,
			})
			.collect();
		assert_eq!(enacted, vec![Err(BadOrigin)]);
		assert_eq!(stored_code(), genesis_code);

		// A root referendum can.
		let start = System::block_number();
		let index = submit(Alice, OriginCaller::system(frame_system::RawOrigin::Root), call);
		for who in [Alice, Bob, Charlie, Dave, Eve, Ferdie] {
			vote(who, index, Direction::Aye, 990_000 * UNIT);
		}
		run_to(start + 19);
		assert!(matches!(info(index), ReferendumInfo::Approved(..)), "{:?}", info(index));
		assert_eq!(stored_code(), Some(code));
	});
}

#[test]
fn a_council_whitelisted_call_passes_the_fast_track() {
	execute(|| {
		let inner = set_half_life(5 * crate::time::DAYS);
		let hash = BlakeTwo256::hash_of(&inner);
		council_motion(RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash: hash }));
		let dispatch = RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
			call: Box::new(inner),
		});
		let index = submit(Dave, OriginCaller::Origins(origins::Origin::WhitelistedCaller), dispatch);
		let ReferendumInfo::Ongoing(status) = info(index) else { panic!("ongoing") };
		assert_eq!(status.track, tracks::WHITELISTED_CALLER);
		// The fast track decides in less time, in production and on the dev chain.
		use pallet_referenda::TracksInfo as _;
		let period = |id| tracks::TracksInfo::info(id).unwrap().decision_period;
		assert!(period(tracks::WHITELISTED_CALLER) < period(tracks::GENERAL_ADMIN));
		let defaults = tracks::default_tracks();
		assert!(
			defaults[tracks::WHITELISTED_CALLER as usize].track.info.decision_period <
				defaults[tracks::GENERAL_ADMIN as usize].track.info.decision_period
		);
		for who in [Alice, Bob] {
			vote(who, index, Direction::Aye, 900_000 * UNIT);
		}
		run_to(15);
		assert!(matches!(info(index), ReferendumInfo::Approved(..)), "{:?}", info(index));
		assert_eq!(Reputation::half_life(), 5 * crate::time::DAYS);
	});
}

#[test]
fn a_vote_beyond_the_free_balance_fails_and_changes_nothing() {
	execute(|| {
		let index = submit(Alice, general_admin(), set_half_life(6 * crate::time::DAYS));
		let ReferendumInfo::Ongoing(before) = info(index) else { panic!("ongoing") };
		assert_noop!(
			HybridVoting::vote(
				signed(Bob),
				index,
				HybridVote {
					direction: Direction::Aye,
					conviction: Conviction::None,
					balance: free(Bob) + 1
				}
			),
			pallet_hybrid_voting::Error::<Runtime>::InsufficientFunds
		);
		let ReferendumInfo::Ongoing(after) = info(index) else { panic!("ongoing") };
		assert_eq!(before.tally, after.tally);
	});
}

#[test]
fn a_penalty_reduces_reputation_in_ongoing_votes() {
	execute(|| {
		use perspective_primitives::{ReputationReason, ReputationUpdater};
		let index = submit(Alice, general_admin(), set_half_life(6 * crate::time::DAYS));
		vote(Bob, index, Direction::Aye, 0);
		let ReferendumInfo::Ongoing(status) = info(index) else { panic!("ongoing") };
		// One block of decay since genesis: 1_000_000 → 999_999, counted linearly.
		assert_eq!(status.tally.reputation_ayes, Reputation::score_of(&acc(Bob)));
		assert_eq!(status.tally.reputation_ayes, 999_999);
		let (left, _) = Reputation::penalize(&acc(Bob), 750_000, ReputationReason::InaccurateEvaluation);
		let ReferendumInfo::Ongoing(status) = info(index) else { panic!("ongoing") };
		assert_eq!(status.tally.reputation_ayes, left);
		assert_eq!(status.tally.reputation_ayes, 249_999);
	});
}


/// The weights charged for governance calls, next to a transfer, all from the weights generated
/// on the project's machines. Each must leave most of a block free. Run with `--nocapture` to
/// print the table quoted in the README.
#[test]
fn governance_call_weights_fit_in_a_block() {
	execute(|| {
		let max = crate::configs::RuntimeBlockWeights::get().max_block;
		let bob = acc(Bob);
		let veto = RuntimeCall::ReferendaAdmin(pallet_referenda_admin::Call::veto { index: 0 });
		let veto_len = length_of(&veto);
		let ballot = frame_support::BoundedVec::truncate_from(vec![bob.clone(); 16]);
		let calls: Vec<(&str, RuntimeCall)> = vec![
			("balances.transfer_keep_alive", RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: bob.clone().into(), value: UNIT })),
			("hybridVoting.vote", RuntimeCall::HybridVoting(pallet_hybrid_voting::Call::vote { poll_index: 0, vote: HybridVote { direction: Direction::Aye, conviction: Conviction::Locked1x, balance: UNIT } })),
			("hybridVoting.remove_vote", RuntimeCall::HybridVoting(pallet_hybrid_voting::Call::remove_vote { poll_index: 0 })),
			("referenda.submit", RuntimeCall::Referenda(pallet_referenda::Call::submit { proposal_origin: Box::new(general_admin()), proposal: Preimage::bound(set_half_life(1)).unwrap(), enactment_moment: DispatchTime::After(0) })),
			("referenda.place_decision_deposit", RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit { index: 0 })),
			("council.propose", RuntimeCall::Council(pallet_collective::Call::propose { threshold: 2, proposal: Box::new(veto.clone()), length_bound: veto_len })),
			("council.vote", RuntimeCall::Council(pallet_collective::Call::vote { proposal: BlakeTwo256::hash_of(&veto), index: 0, approve: true })),
			("council.close", RuntimeCall::Council(pallet_collective::Call::close { proposal_hash: BlakeTwo256::hash_of(&veto), index: 0, proposal_weight_bound: veto.get_dispatch_info().call_weight, length_bound: veto_len })),
			("referendaAdmin.veto", veto.clone()),
			("councilElections.vote (16 candidates)", RuntimeCall::CouncilElections(pallet_council_elections::Call::vote { votes: ballot, stake: UNIT })),
			("reputation.grant", RuntimeCall::Reputation(pallet_reputation::Call::grant { who: bob.clone(), amount: 1 })),
		];
		eprintln!("| call | ref_time (µs) | proof_size (bytes) |\n|---|---|---|");
		for (name, call) in calls {
			let weight = call.get_dispatch_info().call_weight;
			eprintln!("| `{name}` | {:.1} | {} |", weight.ref_time() as f64 / 1e6, weight.proof_size());
			assert!(
				weight.all_lt(max / 10),
				"{name} uses more than a tenth of a block: {weight:?}"
			);
		}
	});
}

#[test]
fn an_election_replaces_the_council_of_the_collective() {
	execute(|| {
		use frame_support::BoundedVec;
		let council = |members: &[Sr25519Keyring]| {
			let mut accounts: Vec<AccountId> = members.iter().map(|k| acc(*k)).collect();
			accounts.sort();
			accounts
		};
		assert_eq!(pallet_collective::Members::<Runtime, super::CouncilCollective>::get(), council(&[Alice, Bob, Charlie]));
		// Ferdie lacks the reputation to stand.
		assert_eq!(pallet_council_elections::Params::<Runtime>::get().min_candidate_reputation, 100_000);
		assert_noop!(
			CouncilElections::submit_candidacy(signed(Ferdie)),
			pallet_council_elections::Error::<Runtime>::InsufficientReputation
		);
		for who in [Dave, Eve, Alice] {
			assert_ok!(CouncilElections::submit_candidacy(signed(who)));
		}
		let ballot = |who: &[Sr25519Keyring]| BoundedVec::truncate_from(who.iter().map(|k| acc(*k)).collect::<Vec<_>>());
		assert_ok!(CouncilElections::vote(signed(Bob), ballot(&[Dave, Eve]), 500_000 * UNIT));
		// Ferdie's stake gives Alice more than the seat quota (a tenth of the weight cast).
		assert_ok!(CouncilElections::vote(signed(Ferdie), ballot(&[Alice]), 500_000 * UNIT));
		let term = super::CouncilTermDuration::get();
		System::set_block_number(term);
		CouncilElections::on_initialize(term);
		// Three candidates with votes, five seats: all three are elected, in the collective too.
		assert_eq!(pallet_collective::Members::<Runtime, super::CouncilCollective>::get(), council(&[Alice, Dave, Eve]));
		assert_eq!(pallet_council_elections::Members::<Runtime>::get().into_inner(), council(&[Alice, Dave, Eve]));
		// The new council can pass motions; Bob, no longer a member, cannot propose.
		let call = set_half_life(45 * crate::time::DAYS);
		assert_noop!(
			Council::propose(signed(Bob), 1, Box::new(call.clone()), length_of(&call)),
			pallet_collective::Error::<Runtime, super::CouncilCollective>::NotMember
		);
		// Bonds are back.
		assert_eq!(Balances::balance_on_hold(&RuntimeHoldReason::CouncilElections(pallet_council_elections::HoldReason::Candidacy), &acc(Dave)), 0);
	});
}

/// Finding C-1's payoff: a council that shrank to one member passed every council origin with
/// that member's vote alone (`Members(1, 1)`). Now a motion's origin needs a council of at least
/// `min_members` (3), whatever the proportion, so the rubber stamp fails.
#[test]
fn a_one_member_council_cannot_pass_motions() {
	use perspective_primitives::ReputationProvider;
	execute(|| {
		assert_eq!(CouncilElections::params().min_members, 3);
		// Root is the only way to shrink the collective below the election floor.
		assert_ok!(Council::set_members(RuntimeOrigin::root(), vec![acc(Alice)], None, 3));
		let grant = RuntimeCall::Reputation(pallet_reputation::Call::grant {
			who: acc(Alice),
			// Within the grant budget: only the origin can refuse it.
			amount: 1_000,
		});
		let before = Reputation::reputation_of(&acc(Alice));
		// Threshold 1: executed at once as Members(1, 1), and refused by the origin.
		assert_ok!(Council::propose(signed(Alice), 1, Box::new(grant.clone()), length_of(&grant)));
		let refused = System::events().into_iter().any(|r| {
			matches!(
				r.event,
				crate::RuntimeEvent::Council(pallet_collective::Event::Executed {
					result: Err(sp_runtime::DispatchError::BadOrigin),
					..
				})
			)
		});
		assert!(refused, "a one-member motion must fail its origin");
		assert_eq!(Reputation::reputation_of(&acc(Alice)), before);
		// Governance cannot lower the floor to one member either.
		let params = pallet_council_elections::ElectionParams {
			min_members: 1,
			..CouncilElections::params()
		};
		assert_noop!(
			CouncilElections::set_params(RuntimeOrigin::root(), params),
			pallet_council_elections::Error::<Runtime>::MinMembersOutOfRange
		);
	});
}

/// A council of the minimum size still governs: 2 of 3 pass a half-majority motion.
#[test]
fn a_council_at_its_minimum_size_passes_motions() {
	execute(|| {
		assert_eq!(pallet_collective::Members::<Runtime, super::CouncilCollective>::get().len(), 3);
		council_motion(set_half_life(50 * crate::time::DAYS));
		assert_eq!(Reputation::half_life(), 50 * crate::time::DAYS);
	});
}

/// Finding H-1 on the runtime's own configuration: the reputation house's weighting is
/// split-neutral, so N accounts never out-vote one account holding their summed reputation
/// (under √reputation, 100 accounts of 1,000 cast 10× the votes of one of 100,000).
#[test]
fn the_reputation_house_is_split_neutral() {
	use sp_runtime::traits::Convert;
	type Weighting = <Runtime as pallet_hybrid_voting::Config>::ReputationWeighting;
	let splits: [&[u128]; 5] = [
		&[1_000; 100],
		&[1, 1, 1, 1],
		&[999_999, 1],
		&[250_000, 250_000, 250_000, 250_000],
		&[u64::MAX as u128, u64::MAX as u128, 12_345],
	];
	for parts in splits {
		let whole: u128 = parts.iter().sum();
		let split: u128 = parts.iter().map(|r| Weighting::convert(*r)).sum();
		assert!(split <= Weighting::convert(whole), "{parts:?} gains by splitting");
	}
	// And the house does not undercount either: equal records, equal say.
	assert_eq!(Weighting::convert(100_000), 100 * Weighting::convert(1_000));
}
