//! Invariants checked after every block.
//!
//! [`Checker`] holds what the checks need across blocks (the issuance baseline, the reward
//! ledger). Call [`Checker::new`] inside the externalities at the start of a sequence,
//! [`Checker::after_block`] at the end of every block (after `Executive::finalize_block`, with
//! `System::events()`, before the next block is initialised) and [`Checker::after_hooks`] right
//! after the next block's initialisation (its `on_initialize` hooks ran).
//!
//! # Checks
//! After every block and after every block's hooks:
//! 1. **try_state**: the 7 Perspective pallets' `do_try_state`; with the crate feature
//!    `try-runtime`, every pallet's `try_state` hook (`AllPalletsWithSystem`) too.
//!    `AllPalletsWithSystem::integrity_test()` runs once per process.
//! 2. **Issuance**: total issuance = Σ (free + reserved) over `System::Account`.
//! 3. **Holds = records**, per account and per `RuntimeHoldReason`, both ways (a hold without a
//!    record fails as well as a record without its hold): see [`expected_holds`].
//! 4. **Reserves**: `reserved` = Σ holds + the referenda deposits the account made
//!    (pallet-referenda reserves, it does not hold).
//! 5. **Freezes = records**: hybrid-voting's `Voting` freeze = what `VotingFor` needs; council
//!    elections' `Voting` freeze = the ballot's stake; `frozen` = max(freezes, locks).
//! 6. **Block limits**: consumed weight per class ≤ its `max_total`, the total ≤ `max_block`,
//!    `BlockSize` ≤ the length limit (while the block is open).
//! 7. **Settlement lag** (bound 0, evaluation README "Capacity"): no open, unappealed task is
//!    due at or before the current block once its hooks ran; no `SettlementDeferred`.
//! 8. **Council**: the elected council (`CouncilElections::Members`) never has fewer than
//!    `min_members` seats (unless empty); while the collective still has the elected members it
//!    meets the minimum (root's `council.setMembers` may replace them); after a `NewTerm` (end of
//!    block) the collective's members are the elected ones, as announced.
//! 9. **Validators**: the approved set numbers at least `min_validators`, and the session's
//!    validators at least the `min_validators` in force when that session's set was planned
//!    (pallet-session plays a set planned one rotation earlier; governance may raise the
//!    minimum in between, up to the approved set's size).
//!
//! After every block only:
//! 10. **Issuance ledger**: ΔTI over the block equals the documented mints minus the documented
//!     burns read from the block's events (see below); anything unexplained fails.
//! 11. **Reward claims**: each closed epoch's points are worth at most its minted pools (per
//!     pool); Σ claimed + Σ still claimable = Σ worth of the closed epochs (nothing is paid
//!     twice or lost); the pot holds at least its existential deposit plus minted − claimed.
//!
//! # The issuance ledger
//! Fees are burnt in this runtime (`FungibleAdapter<Balances, ()>`), and so are slashes; the
//! only mint is the contributions pallet's epoch emission. Per block:
//!
//! ```text
//! ΔTI = + Σ Contributions::EpochClosed.rewards (every pool)        minted into the pot
//!       + the pot's existential deposit, once (Balances::Minted to the pot beyond the epochs')
//!       − Σ TransactionPayment::TransactionFeePaid.actual_fee     fees and tips, burnt
//!       − the refunds burnt with them: the `BurnedDebt`s right before a TransactionFeePaid
//!             beyond its actual_fee, when the signer was reaped by its own transaction or
//!             the refund is below the existential deposit (FungibleAdapter burns it)
//!       − Σ Evaluation::RevealMissed.slashed, EvaluatorOutlier.slashed
//!             of tasks without a DisputeSettled in the block       burnt at settlement
//!       − Σ Evaluation::DisputeSettled.burnt                       a dispute pays the rest out
//!       − Σ Contributions::ContributionRejected.slashed
//!       − Σ ValidatorSet::ApplicationRejected.slashed, Removed.slashed, BondSlashed.amount,
//!             OffenceSlashed.slashed
//!       − Σ Referenda::DepositSlashed.amount (kill)                Slash = (): burnt
//!       − Σ ReferendaAdmin::SubmissionDepositSlashed.amount
//!       − Σ Balances::Burned.amount (balances.burn)
//!       − Σ Balances::DustLost.amount                              reaped accounts' dust
//!       ± Balances::TotalIssuanceForced (new − old)                 root only
//! ```
//! Transfers, holds, releases, `transfer_on_hold`, the reward pot's claims and a dispute's
//! payouts to backers and panels move balance without changing the issuance.
//!
//! The mechanism is checked too: pallet-balances emits an event for every issuance change
//! (`Minted`, `MintedCredit` for a dropped debt, `Issued`, `Restored`; `Burned`, `BurnedHeld`,
//! `BurnedDebt` for a dropped credit, which is how fees, slashes and dust are burnt here,
//! `Rescinded`, `Suspended`; `TotalIssuanceForced`), and ΔTI must equal their sum as well: a
//! change without any event (a storage write behind pallet-balances' back) fails even when a
//! documented cause happens to have the same amount.

use codec::{Decode, Encode};
use frame_support::traits::fungible::{Inspect, InspectHold};
use perspective_runtime::{
	configs::{RuntimeBlockLength, RuntimeBlockWeights},
	AccountId, Balance, Balances, Contributions, CouncilElections, Evaluation, HybridVoting,
	ReferendaAdmin, Reputation, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	System, ValidatorSet,
};
use sp_core::H256;
use std::collections::{BTreeMap, BTreeSet};

/// An event record of this runtime.
pub type EventRecord = frame_system::EventRecord<RuntimeEvent, H256>;

/// Every Perspective pallet's `try_state`, and [`referenda_queues`].
pub fn try_states() -> Result<(), String> {
	let checks: [(&str, fn() -> Result<(), sp_runtime::TryRuntimeError>); 7] = [
		("evaluation", Evaluation::do_try_state),
		("contributions", Contributions::do_try_state),
		("reputation", Reputation::do_try_state),
		("hybrid-voting", HybridVoting::do_try_state),
		("council-elections", CouncilElections::do_try_state),
		("referenda-admin", ReferendaAdmin::do_try_state),
		("validator-set", ValidatorSet::do_try_state),
	];
	for (pallet, check) in checks {
		check().map_err(|e| format!("{pallet} try_state: {e:?}"))?;
	}
	referenda_queues()
}

/// Per track: `DecidingCount` = the deciding referenda + the `one_fewer_deciding` alarms still
/// in the scheduler's agenda. `referenda-admin`'s `do_try_state` (run with this) checks the
/// queues and that the count is not below the deciding referenda; it cannot see the alarms,
/// which only the scheduler's agenda holds.
pub fn referenda_queues() -> Result<(), String> {
	use perspective_runtime::RuntimeCall;
	let mut expected: BTreeMap<u16, u32> = BTreeMap::new();
	for (_, info) in pallet_referenda::ReferendumInfoFor::<Runtime>::iter() {
		if let pallet_referenda::ReferendumInfo::Ongoing(status) = info {
			if status.deciding.is_some() {
				*expected.entry(status.track).or_default() += 1;
			}
		}
	}
	for (_, agenda) in pallet_scheduler::Agenda::<Runtime>::iter() {
		for scheduled in agenda.iter().flatten() {
			if let frame_support::traits::Bounded::Inline(bytes) = &scheduled.call {
				if let Ok(RuntimeCall::Referenda(pallet_referenda::Call::one_fewer_deciding { track })) =
					RuntimeCall::decode(&mut &bytes[..])
				{
					*expected.entry(track).or_default() += 1;
				}
			}
		}
	}
	let tracks: BTreeSet<u16> =
		pallet_referenda::DecidingCount::<Runtime>::iter_keys().chain(expected.keys().copied()).collect();
	for track in tracks {
		let count = pallet_referenda::DecidingCount::<Runtime>::get(track);
		let want = expected.get(&track).copied().unwrap_or(0);
		if count != want {
			return Err(format!(
				"DecidingCount of track {track} is {count}; {want} referenda are deciding or wait for their one_fewer_deciding alarm"
			));
		}
	}
	Ok(())
}

/// With the `try-runtime` feature: every pallet's `try_state` hook (balances, referenda,
/// collective, session, scheduler... and the Perspective pallets again).
#[cfg(feature = "try-runtime")]
pub fn all_pallets_try_state() -> Result<(), String> {
	use frame_support::traits::{TryState, TryStateSelect};
	<perspective_runtime::AllPalletsWithSystem as TryState<u32>>::try_state(System::block_number(), TryStateSelect::All)
		// The hooks log which pallet failed and why, and return a generic error.
		.map_err(|e| format!("try_state hook: {e:?}: {}", crate::logs::take().join("; ")))
}

/// Without the `try-runtime` feature the pallets' `try_state` hooks are not compiled.
#[cfg(not(feature = "try-runtime"))]
pub fn all_pallets_try_state() -> Result<(), String> {
	Ok(())
}

/// `AllPalletsWithSystem::integrity_test()`, once per process (it panics on failure).
pub fn integrity_test_once() {
	static ONCE: std::sync::Once = std::sync::Once::new();
	ONCE.call_once(|| {
		use frame_support::traits::IntegrityTest;
		<perspective_runtime::AllPalletsWithSystem as IntegrityTest>::integrity_test();
	});
}

/// No unappealed open task is past its due block: the hook settles every task in the block it
/// falls due (lag bound 0, pallet README "Capacity").
pub fn settlement_lag() -> Result<(), String> {
	let now = System::block_number();
	for (id, task) in pallet_evaluation::Tasks::<Runtime>::iter() {
		let open = task.status == pallet_evaluation::TaskStatus::Open;
		let appealed = pallet_evaluation::Disputes::<Runtime>::contains_key(id);
		if open && !appealed && task.due < now {
			return Err(format!("task {id} is open at block {now}, past its due block {}", task.due));
		}
	}
	Ok(())
}

/// Once the hooks of block `now` ran, no open unappealed task is due at or before `now`, and
/// no due list at or before `now` is left.
pub fn settlement_lag_after_hooks() -> Result<(), String> {
	let now = System::block_number();
	for (id, task) in pallet_evaluation::Tasks::<Runtime>::iter() {
		let open = task.status == pallet_evaluation::TaskStatus::Open;
		let appealed = pallet_evaluation::Disputes::<Runtime>::contains_key(id);
		if open && !appealed && task.due <= now {
			return Err(format!(
				"task {id} is still open after the hooks of block {now}, due at block {}: settlement lag > 0",
				task.due
			));
		}
	}
	for (due, list) in pallet_evaluation::DueAt::<Runtime>::iter() {
		if due <= now && !list.is_empty() {
			return Err(format!("after the hooks of block {now}, {} tasks are still listed due at {due}", list.len()));
		}
	}
	Ok(())
}

/// The holds each account should have, by reason, from the pallets' records:
/// - `Evaluation::EvaluatorBond` = `Evaluators[who].bond`;
/// - `Evaluation::TaskReward` = Σ rewards of the open `Tasks` `who` opened;
/// - `Evaluation::AppealBond` = Σ `who`'s `Pledges` + Σ its parts of funded appeals (`Disputes`);
/// - `Contributions::ContributionDeposit` = Σ `Registry` deposits `who` owns;
/// - `Contributions::RegistrationCommitment` = Σ `RegistrationCommitments` deposits of `who`;
/// - `ValidatorSet::ValidatorBond` = `Operators[who].bond`;
/// - `CouncilElections::Candidacy` = the candidate's `bond`; `Ballot` = `Voters[who].deposit`;
/// - `Preimage::Preimage` = Σ the tickets of `RequestStatusFor` `who` noted;
/// - `Session::Keys` = `KeyDeposit` for accounts whose keys they set (`NextKeys`, not set
///   externally); genesis validators' keys were set without a deposit (`keyless_at_genesis`).
///
/// Keyed by account and encoded reason (`RuntimeHoldReason` is not `Ord`).
pub fn expected_holds(keyless_at_genesis: &BTreeSet<AccountId>) -> BTreeMap<(AccountId, Vec<u8>), (RuntimeHoldReason, Balance)> {
	let mut out: BTreeMap<(AccountId, Vec<u8>), (RuntimeHoldReason, Balance)> = BTreeMap::new();
	let mut add = |who: &AccountId, reason: RuntimeHoldReason, amount: Balance| {
		if amount > 0 {
			let entry = out.entry((who.clone(), reason.encode())).or_insert((reason, 0));
			entry.1 = entry.1.saturating_add(amount);
		}
	};
	use pallet_evaluation::HoldReason as E;
	for (who, info) in pallet_evaluation::Evaluators::<Runtime>::iter() {
		add(&who, RuntimeHoldReason::Evaluation(E::EvaluatorBond), info.bond);
	}
	for (_, task) in pallet_evaluation::Tasks::<Runtime>::iter() {
		if task.status == pallet_evaluation::TaskStatus::Open {
			add(&task.opener, RuntimeHoldReason::Evaluation(E::TaskReward), task.reward);
		}
	}
	for (_, pledges) in pallet_evaluation::Pledges::<Runtime>::iter() {
		for (who, amount) in pledges.iter() {
			add(who, RuntimeHoldReason::Evaluation(E::AppealBond), *amount);
		}
	}
	for (_, dispute) in pallet_evaluation::Disputes::<Runtime>::iter() {
		for appeal in dispute.appeals.iter() {
			for (who, amount) in appeal.backers.iter() {
				add(who, RuntimeHoldReason::Evaluation(E::AppealBond), *amount);
			}
		}
	}
	use pallet_contributions::HoldReason as C;
	for (_, c) in pallet_contributions::Registry::<Runtime>::iter() {
		add(&c.owner, RuntimeHoldReason::Contributions(C::ContributionDeposit), c.deposit);
	}
	for (maker, _, committed) in pallet_contributions::RegistrationCommitments::<Runtime>::iter() {
		add(&maker, RuntimeHoldReason::Contributions(C::RegistrationCommitment), committed.deposit);
	}
	for (who, operator) in pallet_validator_set::Operators::<Runtime>::iter() {
		add(&who, RuntimeHoldReason::ValidatorSet(pallet_validator_set::HoldReason::ValidatorBond), operator.bond);
	}
	use pallet_council_elections::HoldReason as CE;
	for candidate in pallet_council_elections::Candidates::<Runtime>::get().iter() {
		add(&candidate.who, RuntimeHoldReason::CouncilElections(CE::Candidacy), candidate.bond);
	}
	for (who, ballot) in pallet_council_elections::Voters::<Runtime>::iter() {
		add(&who, RuntimeHoldReason::CouncilElections(CE::Ballot), ballot.deposit);
	}
	for (_, status) in pallet_preimage::RequestStatusFor::<Runtime>::iter() {
		let ticket = match &status {
			pallet_preimage::RequestStatus::Unrequested { ticket, .. } => Some(ticket),
			pallet_preimage::RequestStatus::Requested { maybe_ticket, .. } => maybe_ticket.as_ref(),
		};
		if let Some((who, ticket)) = ticket {
			// `HoldConsideration` keeps its amount private; it encodes as that amount.
			let amount = Balance::decode(&mut &ticket.encode()[..]).unwrap_or_default();
			add(who, RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage), amount);
		}
	}
	let key_deposit: Balance = <Runtime as pallet_session::Config>::KeyDeposit::get();
	for (who, _) in pallet_session::NextKeys::<Runtime>::iter() {
		if !pallet_session::ExternallySetKeys::<Runtime>::contains_key(&who) && !keyless_at_genesis.contains(&who) {
			add(&who, RuntimeHoldReason::Session(pallet_session::HoldReason::Keys), key_deposit);
		}
	}
	out
}

/// What pallet-referenda reserved from each account: submission and decision deposits it has
/// not refunded or slashed yet.
pub fn referenda_deposits() -> BTreeMap<AccountId, Balance> {
	use pallet_referenda::ReferendumInfo as I;
	let mut out: BTreeMap<AccountId, Balance> = BTreeMap::new();
	let mut add = |d: &Option<pallet_referenda::Deposit<AccountId, Balance>>| {
		if let Some(d) = d {
			*out.entry(d.who.clone()).or_default() += d.amount;
		}
	};
	for (_, info) in pallet_referenda::ReferendumInfoFor::<Runtime>::iter() {
		match info {
			I::Ongoing(status) => {
				add(&Some(status.submission_deposit));
				add(&status.decision_deposit);
			},
			I::Approved(_, s, d) | I::Rejected(_, s, d) | I::Cancelled(_, s, d) | I::TimedOut(_, s, d) => {
				add(&s);
				add(&d);
			},
			I::Killed(_) => {},
		}
	}
	out
}

/// Holds, reserves and freezes equal what the pallets record, for every account; and the total
/// issuance is the sum of every account's free and reserved balance (holds are reserved), in
/// the same pass: nothing is minted or burnt without the issuance following.
pub fn holds_and_freezes(keyless_at_genesis: &BTreeSet<AccountId>) -> Result<(), String> {
	// One pass over each map (iterating a prefix is far cheaper than a read per account).
	let mut expected = expected_holds(keyless_at_genesis);
	let deposits = referenda_deposits();
	let mut holds: BTreeMap<AccountId, Vec<(RuntimeHoldReason, Balance)>> = pallet_balances::Holds::<Runtime>::iter()
		.map(|(who, list)| (who, list.iter().map(|h| (h.id, h.amount)).collect()))
		.collect();
	let mut freezes: BTreeMap<AccountId, Vec<(RuntimeFreezeReason, Balance)>> = pallet_balances::Freezes::<Runtime>::iter()
		.map(|(who, list)| (who, list.iter().map(|f| (f.id, f.amount)).collect()))
		.collect();
	let locks: BTreeMap<AccountId, Balance> = pallet_balances::Locks::<Runtime>::iter()
		.map(|(who, list)| (who, list.iter().map(|l| l.amount).max().unwrap_or(0)))
		.collect();
	let mut votes: BTreeMap<AccountId, Balance> = pallet_hybrid_voting::VotingFor::<Runtime>::iter()
		.map(|(who, v)| (who, HybridVoting::needed_freeze(&v)))
		.filter(|(_, need)| *need > 0)
		.collect();
	let mut ballots: BTreeMap<AccountId, Balance> = pallet_council_elections::Voters::<Runtime>::iter()
		.map(|(who, b)| (who, b.stake))
		.filter(|(_, stake)| *stake > 0)
		.collect();
	let hv_id = RuntimeFreezeReason::HybridVoting(pallet_hybrid_voting::FreezeReason::Voting);
	let ce_id = RuntimeFreezeReason::CouncilElections(pallet_council_elections::FreezeReason::Voting);
	let mut total: Balance = 0;
	for (who, info) in frame_system::Account::<Runtime>::iter() {
		let data = info.data;
		total = total.saturating_add(data.free).saturating_add(data.reserved);
		let mut held_total: Balance = 0;
		for (reason, amount) in holds.remove(&who).unwrap_or_default() {
			let want = expected.remove(&(who.clone(), reason.encode())).map(|(_, a)| a).unwrap_or(0);
			if amount != want {
				return Err(format!("{who:?} has {amount} held for {reason:?}; the pallet records {want}"));
			}
			held_total = held_total.saturating_add(amount);
		}
		let reserved_by_referenda = deposits.get(&who).copied().unwrap_or(0);
		if data.reserved != held_total.saturating_add(reserved_by_referenda) {
			return Err(format!(
				"{who:?} has {} reserved; its holds sum to {held_total} and its referenda deposits to {reserved_by_referenda}",
				data.reserved
			));
		}
		let voting = votes.remove(&who).unwrap_or(0);
		let ballot = ballots.remove(&who).unwrap_or(0);
		let mut largest = locks.get(&who).copied().unwrap_or(0);
		let (mut voting_frozen, mut ballot_frozen) = (0, 0);
		for (reason, amount) in freezes.remove(&who).unwrap_or_default() {
			let want = if reason == hv_id {
				voting_frozen = amount;
				voting
			} else {
				debug_assert!(reason == ce_id);
				ballot_frozen = amount;
				ballot
			};
			if amount != want {
				return Err(format!("{who:?} has {amount} frozen for {reason:?}; the pallet records {want}"));
			}
			largest = largest.max(amount);
		}
		if voting_frozen != voting {
			return Err(format!("{who:?}'s votes need {voting} frozen, which is not frozen"));
		}
		if ballot_frozen != ballot {
			return Err(format!("{who:?}'s council ballot stakes {ballot}, which is not frozen"));
		}
		if data.frozen != largest {
			return Err(format!("{who:?} has {} frozen; its largest freeze or lock is {largest}", data.frozen));
		}
	}
	let issuance = <Balances as Inspect<_>>::total_issuance();
	if total != issuance {
		return Err(format!("total issuance {issuance} differs from the accounts' sum {total}"));
	}
	if let Some((who, list)) = holds.into_iter().next() {
		return Err(format!("{who:?} has no account but holds {list:?}"));
	}
	if let Some((who, list)) = freezes.into_iter().next() {
		return Err(format!("{who:?} has no account but has freezes {list:?}"));
	}
	if let Some((who, need)) = votes.into_iter().chain(ballots).next() {
		return Err(format!("{who:?} has no account but its votes need {need} frozen"));
	}
	if let Some(((who, _), (reason, amount))) = expected.into_iter().next() {
		return Err(format!(
			"{who:?} should hold {amount} for {reason:?} (pallet records) but holds {}",
			<Balances as InspectHold<_>>::balance_on_hold(&reason, &who)
		));
	}
	Ok(())
}

/// Consumed weight per class within its `max_total`, the total within `max_block`, and the
/// block's length within the limit (while the block is open: `finalize` removes `BlockSize`).
pub fn block_limits() -> Result<(), String> {
	use frame_support::dispatch::DispatchClass;
	let limits = RuntimeBlockWeights::get();
	let consumed = System::block_weight();
	for class in [DispatchClass::Normal, DispatchClass::Operational, DispatchClass::Mandatory] {
		let used = *consumed.get(class);
		if let Some(max) = limits.get(class).max_total {
			if used.any_gt(max) {
				return Err(format!("block {}: {class:?} weight {used:?} exceeds its max_total {max:?}", System::block_number()));
			}
		}
	}
	let total = consumed.total();
	if total.any_gt(limits.max_block) {
		return Err(format!(
			"block {}: consumed weight {total:?} exceeds max_block {:?} ({consumed:?})",
			System::block_number(),
			limits.max_block
		));
	}
	if let Some(len) = frame_system::BlockSize::<Runtime>::get() {
		let max = *RuntimeBlockLength::get().max.get(DispatchClass::Mandatory);
		if len > max {
			return Err(format!("block {}: length {len} exceeds the limit {max}", System::block_number()));
		}
	}
	Ok(())
}

/// The elected council keeps at least `min_members`; the collective follows elections.
pub fn council() -> Result<(), String> {
	let min = pallet_council_elections::Params::<Runtime>::get().min_members as usize;
	let elected = pallet_council_elections::Members::<Runtime>::get();
	if !elected.is_empty() && elected.len() < min {
		return Err(format!("the elected council has {} members, fewer than min_members {min}", elected.len()));
	}
	let collective = pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get();
	// Root may reset the collective (`council.setMembers`, an emergency power): then it no
	// longer follows the election until the next term.
	if collective.as_slice() == elected.as_slice() && !collective.is_empty() && collective.len() < min {
		return Err(format!("the council has {} members, fewer than min_members {min}", collective.len()));
	}
	Ok(())
}

/// After a `NewTerm`, the collective's members are the elected ones, the event's, sorted.
pub fn new_term(events: &[EventRecord]) -> Result<(), String> {
	for record in events {
		if let RuntimeEvent::CouncilElections(pallet_council_elections::Event::NewTerm { round, members }) = &record.event {
			let mut announced = members.clone();
			announced.sort();
			let elected = pallet_council_elections::Members::<Runtime>::get().into_inner();
			let collective = pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get();
			if announced != elected || collective != elected {
				return Err(format!(
					"term {round}: NewTerm announced {announced:?}, the elections record {elected:?}, the council has {collective:?}"
				));
			}
		}
	}
	Ok(())
}

/// At least `min_validators` in the approved set, and in the session at least `planned_min`:
/// the minimum in force when the session's set was planned (see [`Checker`]'s record). The
/// session is never empty.
pub fn validators(planned_min: Option<u32>) -> Result<(), String> {
	let min = pallet_validator_set::Params::<Runtime>::get().min_validators as usize;
	let session = pallet_session::Validators::<Runtime>::get().len();
	let session_min = planned_min.map_or(min, |m| m as usize);
	if session == 0 || session < session_min {
		return Err(format!(
			"the session has {session} validators, fewer than min_validators {session_min} (in force when its set was planned; now {min})"
		));
	}
	let approved = pallet_validator_set::Validators::<Runtime>::get().len();
	if approved < min {
		return Err(format!("{approved} approved validators, fewer than min_validators {min}"));
	}
	Ok(())
}

/// Documented issuance changes of one block, by cause (see the module docs).
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
	pub epoch_rewards: Balance,
	pub pot_endowment: Balance,
	pub fees: Balance,
	/// Refunds burnt with the fee: the signer was reaped by its own transaction, or the refund
	/// is below the existential deposit (pallet-transaction-payment's `FungibleAdapter` then
	/// burns it; `TransactionFeePaid` reports the fee without it).
	pub unrefunded_fees: Balance,
	pub evaluation_slashes: Balance,
	pub dispute_burns: Balance,
	pub rejection_slashes: Balance,
	pub validator_slashes: Balance,
	pub referenda_slashes: Balance,
	pub burned: Balance,
	pub dust: Balance,
	pub forced_up: Balance,
	pub forced_down: Balance,
	/// Events that change the issuance in a way the ledger does not document.
	pub undocumented: Vec<String>,
	/// ΔTI by pallet-balances' own events: every issuance change there emits one (`Minted`,
	/// `MintedCredit` (a dropped debt), `Issued`, `Restored`; `Burned`, `BurnedHeld`,
	/// `BurnedDebt` (a dropped credit: fees, slashes, dust), `Rescinded`, `Suspended`;
	/// `TotalIssuanceForced`).
	pub balances_delta: i128,
}

impl Ledger {
	pub fn of(events: &[EventRecord]) -> Self {
		use pallet_balances::Event as B;
		use pallet_contributions::Event as C;
		use pallet_evaluation::Event as E;
		use pallet_validator_set::Event as V;
		let pot = Contributions::pot_account();
		let mut l = Ledger::default();
		let disputed: BTreeSet<u64> = events
			.iter()
			.filter_map(|r| match &r.event {
				RuntimeEvent::Evaluation(E::DisputeSettled { task, .. }) => Some(*task),
				_ => None,
			})
			.collect();
		let mut minted_to_pot: Balance = 0;
		for (i, record) in events.iter().enumerate() {
			match &record.event {
				RuntimeEvent::Contributions(C::EpochClosed { rewards, .. }) =>
					for pool in pallet_contributions::RewardPool::ALL {
						l.epoch_rewards += *rewards.get(pool);
					},
				RuntimeEvent::Contributions(C::ContributionRejected { slashed, .. }) => l.rejection_slashes += slashed,
				RuntimeEvent::TransactionPayment(pallet_transaction_payment::Event::TransactionFeePaid {
					who,
					actual_fee,
					tip,
				}) => {
					l.fees += actual_fee;
					// The fee (and tip) credits are dropped right before this event, each a
					// `BurnedDebt`. More than the fee burnt: the refund was burnt with it.
					let burnt: Balance = events[..i]
						.iter()
						.rev()
						.map_while(|r| match &r.event {
							RuntimeEvent::Balances(B::BurnedDebt { amount }) => Some(*amount),
							_ => None,
						})
						.sum();
					if burnt > *actual_fee {
						let refund = burnt - actual_fee;
						let reaped = !System::account_exists(who) ||
							events.iter().any(|r| {
								matches!(&r.event, RuntimeEvent::System(frame_system::Event::KilledAccount { account }) if account == who)
							});
						if reaped || refund < <Balances as Inspect<_>>::minimum_balance() {
							l.unrefunded_fees += refund;
						} else {
							l.undocumented.push(format!(
								"{burnt} of fees burnt for {who:?}, who paid {actual_fee} (tip {tip}), exists and could take the {refund} refund"
							));
						}
					}
				},
				RuntimeEvent::Evaluation(E::RevealMissed { task, slashed, .. }) |
				RuntimeEvent::Evaluation(E::EvaluatorOutlier { task, slashed, .. }) =>
					if !disputed.contains(task) {
						l.evaluation_slashes += slashed;
					},
				RuntimeEvent::Evaluation(E::DisputeSettled { burnt, .. }) => l.dispute_burns += burnt,
				RuntimeEvent::ValidatorSet(V::ApplicationRejected { slashed, .. }) |
				RuntimeEvent::ValidatorSet(V::Removed { slashed, .. }) |
				RuntimeEvent::ValidatorSet(V::OffenceSlashed { slashed, .. }) |
				RuntimeEvent::ValidatorSet(V::BondSlashed { amount: slashed, .. }) => l.validator_slashes += slashed,
				RuntimeEvent::Referenda(pallet_referenda::Event::DepositSlashed { amount, .. }) |
				RuntimeEvent::ReferendaAdmin(pallet_referenda_admin::Event::SubmissionDepositSlashed {
					amount, ..
				}) => l.referenda_slashes += amount,
				RuntimeEvent::Balances(B::Burned { amount, .. }) => l.burned += amount,
				RuntimeEvent::Balances(B::DustLost { amount, .. }) => l.dust += amount,
				RuntimeEvent::Balances(B::Minted { who, amount }) if *who == pot => minted_to_pot += amount,
				RuntimeEvent::Balances(B::TotalIssuanceForced { old, new }) =>
					if new >= old {
						l.forced_up += new - old;
					} else {
						l.forced_down += old - new;
					},
				RuntimeEvent::Balances(
					e @ (B::Minted { .. } | B::Suspended { .. } | B::Restored { .. } | B::BalanceSet { .. }),
				) => l.undocumented.push(format!("{e:?}")),
				_ => {},
			}
			// Every change of the issuance in pallet-balances emits one of these.
			match &record.event {
				RuntimeEvent::Balances(
					B::Minted { amount, .. } |
					B::MintedCredit { amount } |
					B::Issued { amount } |
					B::Restored { amount, .. },
				) => l.balances_delta += *amount as i128,
				RuntimeEvent::Balances(
					B::Burned { amount, .. } |
					B::BurnedHeld { amount, .. } |
					B::BurnedDebt { amount } |
					B::Rescinded { amount } |
					B::Suspended { amount, .. },
				) => l.balances_delta -= *amount as i128,
				RuntimeEvent::Balances(B::TotalIssuanceForced { old, new }) =>
					l.balances_delta += *new as i128 - *old as i128,
				_ => {},
			}
		}
		// The pot receives the epochs' rewards and, when rewards start, its existential deposit.
		if minted_to_pot != l.epoch_rewards {
			let beyond = minted_to_pot.checked_sub(l.epoch_rewards);
			match beyond {
				Some(ed) if ed == <Balances as Inspect<_>>::minimum_balance() => l.pot_endowment = ed,
				_ => l.undocumented.push(format!(
					"{minted_to_pot} minted into the reward pot, but the epochs closed with {}",
					l.epoch_rewards
				)),
			}
		}
		l
	}

	pub fn mints(&self) -> Balance {
		self.epoch_rewards + self.pot_endowment + self.forced_up
	}

	pub fn burns(&self) -> Balance {
		self.fees +
			self.unrefunded_fees +
			self.evaluation_slashes +
			self.dispute_burns +
			self.rejection_slashes +
			self.validator_slashes +
			self.referenda_slashes +
			self.burned +
			self.dust +
			self.forced_down
	}
}

/// Totals the checks accumulated over a sequence (for reports).
#[derive(Default, Debug, Clone)]
pub struct Totals {
	pub minted: Balance,
	pub burnt: Balance,
	pub fees: Balance,
	pub claimed: Balance,
	pub epochs_closed: u32,
	pub blocks_checked: u32,
}

/// The stateful checks of one sequence (see the module docs).
pub struct Checker {
	/// Total issuance at the last `after_block` (or at `new`).
	issuance: Balance,
	/// Genesis validators whose session keys were set without a deposit.
	keyless_at_genesis: BTreeSet<AccountId>,
	/// Σ worth of the closed epochs' points since `new` (plus what was claimable at `new`).
	valued: Balance,
	/// Σ `RewardsClaimed` since `new`.
	claimed: Balance,
	/// Σ epoch rewards minted since `new`, the pot's balance at `new` and its endowment since.
	minted: Balance,
	pot_at_start: Balance,
	endowed: Balance,
	/// The open epoch at the last look.
	epoch: Option<u32>,
	/// Per session index: `min_validators` when its validator set was planned (pallet-session
	/// plans session i+1's set at the rotation into session i, in `on_initialize`).
	min_at_planning: BTreeMap<u32, u32>,
	pub totals: Totals,
}

impl Default for Checker {
	fn default() -> Self {
		Self::new()
	}
}

impl Checker {
	/// Takes the baselines. Call inside the externalities, at the start of a sequence.
	pub fn new() -> Self {
		integrity_test_once();
		let keyless_at_genesis = pallet_session::NextKeys::<Runtime>::iter_keys()
			.filter(|who| {
				<Balances as InspectHold<_>>::balance_on_hold(
					&RuntimeHoldReason::Session(pallet_session::HoldReason::Keys),
					who,
				) == 0
			})
			.collect();
		Self {
			issuance: <Balances as Inspect<_>>::total_issuance(),
			keyless_at_genesis,
			valued: claimable_now(),
			claimed: 0,
			minted: 0,
			endowed: 0,
			pot_at_start: <Balances as Inspect<_>>::balance(&Contributions::pot_account()),
			epoch: pallet_contributions::CurrentEpoch::<Runtime>::get().map(|e| e.index),
			min_at_planning: {
				// Genesis: the current and the queued session were planned with the genesis minimum.
				let index = pallet_session::CurrentIndex::<Runtime>::get();
				let min = pallet_validator_set::Params::<Runtime>::get().min_validators;
				BTreeMap::from([(index, min), (index + 1, min)])
			},
			totals: Totals::default(),
		}
	}

	/// Every state check (no ledger). `hooks`: also every pallet's `try_state` hook (with the
	/// `try-runtime` feature; they include the Perspective pallets' checks).
	pub fn check_state(&self, hooks: bool) -> Result<(), String> {
		if cfg!(feature = "try-runtime") && hooks {
			referenda_queues()?;
			all_pallets_try_state()?;
		} else {
			try_states()?;
		}
		holds_and_freezes(&self.keyless_at_genesis)?;
		block_limits()?;
		council()?;
		let index = pallet_session::CurrentIndex::<Runtime>::get();
		validators(self.min_at_planning.get(&index).copied())?;
		Ok(())
	}

	/// After a block's hooks: if the session rotated, the next session's set was just planned
	/// under the minimum in force now (after this block's `on_initialize`, which is where the
	/// scheduler dispatches and pallet-session rotates).
	fn note_session_planning(&mut self) {
		let index = pallet_session::CurrentIndex::<Runtime>::get();
		if !self.min_at_planning.contains_key(&(index + 1)) {
			let min = pallet_validator_set::Params::<Runtime>::get().min_validators;
			self.min_at_planning.insert(index + 1, min);
			// Only the current and the next session are ever checked.
			self.min_at_planning.retain(|i, _| *i >= index);
		}
	}

	/// At the end of a block (after `finalize_block`), with the block's events.
	pub fn after_block(&mut self, events: &[EventRecord]) -> Result<(), String> {
		self.totals.blocks_checked += 1;
		self.check_state(true)?;
		settlement_lag()?;
		self.issuance_ledger(events)?;
		self.note_epoch_closed()?;
		self.reward_ledger(events)?;
		new_term(events)?;
		Ok(())
	}

	/// Optional, while the block is still open (before `Executive::finalize_block`, which
	/// removes `BlockSize`): the block's length and weight within their limits. `after_block`
	/// checks the weight again but can no longer see the length.
	pub fn before_finalize(&mut self) -> Result<(), String> {
		block_limits()
	}

	/// Right after the next block's initialisation (its `on_initialize` hooks ran).
	///
	/// The `try-runtime` hooks of every pallet run at the end of blocks only (they cost as much
	/// as the rest of the checks); the Perspective pallets' checks run here too.
	pub fn after_hooks(&mut self) -> Result<(), String> {
		self.note_session_planning();
		self.check_state(false)?;
		settlement_lag_after_hooks()?;
		for record in System::events() {
			if let RuntimeEvent::Evaluation(pallet_evaluation::Event::SettlementDeferred { due, remaining }) = record.event {
				return Err(format!("settlement deferred at block {}: {remaining} tasks due at {due} wait", System::block_number()));
			}
		}
		self.note_epoch_closed()
	}

	/// ΔTI since the last block = documented mints − documented burns of this block's events.
	fn issuance_ledger(&mut self, events: &[EventRecord]) -> Result<(), String> {
		let now = <Balances as Inspect<_>>::total_issuance();
		let ledger = Ledger::of(events);
		let expected = (self.issuance as i128) + (ledger.mints() as i128) - (ledger.burns() as i128);
		let by_balances = self.issuance as i128 + ledger.balances_delta;
		if !ledger.undocumented.is_empty() || expected != now as i128 || by_balances != now as i128 {
			return Err(format!(
				"block {}: total issuance went from {} to {now} (Δ {}), but the documented mints and burns give {expected} (Δ {}, off by {}) and pallet-balances' events Δ {} (off by {}).\nledger: {ledger:?}\nevents:\n{}",
				System::block_number(),
				self.issuance,
				now as i128 - self.issuance as i128,
				expected - self.issuance as i128,
				now as i128 - expected,
				ledger.balances_delta,
				now as i128 - by_balances,
				events.iter().map(|r| format!("  {:?}", r.event)).collect::<Vec<_>>().join("\n"),
			));
		}
		self.issuance = now;
		self.endowed += ledger.pot_endowment;
		self.totals.minted += ledger.mints();
		self.totals.burnt += ledger.burns();
		self.totals.fees += ledger.fees;
		Ok(())
	}

	/// When an epoch closed: its points are worth at most each pool's reward; adds that worth
	/// to the ledger of claims.
	fn note_epoch_closed(&mut self) -> Result<(), String> {
		let current = pallet_contributions::CurrentEpoch::<Runtime>::get().map(|e| e.index);
		if current == self.epoch {
			return Ok(());
		}
		if let (Some(before), Some(after)) = (self.epoch, current) {
			if after != before + 1 {
				return Err(format!("the epoch went from {before} to {after}"));
			}
			let closed = pallet_contributions::ClosedEpochs::<Runtime>::get(before)
				.ok_or(format!("epoch {before} ended without a ClosedEpochs record"))?;
			// Nothing but the hooks ran since the close: every record still in `before` holds
			// exactly its points of that epoch.
			let mut worth = pallet_contributions::PerPool::<u128>::default();
			for (_, earnings) in pallet_contributions::AccountEarnings::<Runtime>::iter() {
				if earnings.epoch == before {
					for pool in pallet_contributions::RewardPool::ALL {
						*worth.get_mut(pool) += pallet_contributions::rewards::share_of(
							*earnings.points.get(pool),
							*closed.rewards.get(pool),
							*closed.points.get(pool),
						);
					}
				}
			}
			for pool in pallet_contributions::RewardPool::ALL {
				if worth.get(pool) > closed.rewards.get(pool) {
					return Err(format!(
						"epoch {before}: the {pool:?} points are worth {}, more than the pool's {}",
						worth.get(pool),
						closed.rewards.get(pool)
					));
				}
				self.valued += worth.get(pool);
				self.minted += closed.rewards.get(pool);
			}
			self.totals.epochs_closed += 1;
		}
		self.epoch = current;
		Ok(())
	}

	/// Σ claimed + Σ claimable = Σ worth of the closed epochs; the pot covers minted − claimed.
	fn reward_ledger(&mut self, events: &[EventRecord]) -> Result<(), String> {
		for record in events {
			if let RuntimeEvent::Contributions(pallet_contributions::Event::RewardsClaimed { amount, .. }) = &record.event {
				self.claimed += amount;
				self.totals.claimed += amount;
			}
		}
		let owed = claimable_now();
		if self.claimed + owed != self.valued {
			return Err(format!(
				"rewards: {} claimed + {owed} claimable ≠ {} the closed epochs' points are worth",
				self.claimed, self.valued
			));
		}
		let pot = <Balances as Inspect<_>>::balance(&Contributions::pot_account());
		let floor = self.pot_at_start + self.endowed + self.minted;
		if pot + self.claimed < floor {
			return Err(format!(
				"the reward pot holds {pot}; it had {}, was endowed with {} and received {} of rewards, of which {} were claimed",
				self.pot_at_start, self.endowed, self.minted, self.claimed
			));
		}
		Ok(())
	}
}

/// Σ over accounts of what they could claim now.
pub fn claimable_now() -> Balance {
	pallet_contributions::AccountEarnings::<Runtime>::iter_keys()
		.map(|who| Contributions::pending_rewards(&who).claimable)
		.sum()
}

#[cfg(test)]
mod tests {
	//! Each check fires on state corrupted the way it guards against.
	use super::*;
	use frame_support::traits::{
		fungible::{Mutate, MutateFreeze, MutateHold, Unbalanced},
		tokens::Precision,
		ReservableCurrency,
	};
	use perspective_runtime::currency::UNIT;

	fn with_chain(test: impl FnOnce(&mut Checker)) {
		crate::chain::new_chain().execute_with(|| {
			let mut checker = Checker::new();
			checker.after_hooks().expect("genesis keeps every invariant");
			test(&mut checker);
		});
	}

	fn who() -> AccountId {
		crate::chain::account(3)
	}

	fn events() -> Vec<EventRecord> {
		System::events()
	}

	#[test]
	fn genesis_and_a_few_blocks_pass() {
		with_chain(|checker| {
			for _ in 0..3 {
				checker.after_block(&events()).unwrap();
				crate::chain::next_block();
				checker.after_hooks().unwrap();
			}
		});
	}

	#[test]
	fn a_hold_without_a_record_fails() {
		with_chain(|checker| {
			let reason = RuntimeHoldReason::Evaluation(pallet_evaluation::HoldReason::EvaluatorBond);
			Balances::hold(&reason, &who(), 5 * UNIT).unwrap();
			let err = checker.after_hooks().unwrap_err();
			assert!(err.contains("held for"), "{err}");
		});
	}

	#[test]
	fn a_record_without_its_hold_fails() {
		with_chain(|checker| {
			// A registration commitment whose deposit was never held (the pallet's own
			// try_state compares per maker, so bypass it by checking ours directly).
			let reason = RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
			Balances::hold(&reason, &who(), 5).unwrap();
			let err = holds_and_freezes(&checker.keyless_at_genesis).unwrap_err();
			assert!(err.contains("Preimage"), "{err}");
			Balances::release(&reason, &who(), 5, Precision::Exact).unwrap();
			holds_and_freezes(&checker.keyless_at_genesis).unwrap();
			let session = RuntimeHoldReason::Session(pallet_session::HoldReason::Keys);
			pallet_session::NextKeys::<Runtime>::insert(
				who(),
				pallet_session::NextKeys::<Runtime>::iter_values().next().unwrap(),
			);
			let err = holds_and_freezes(&checker.keyless_at_genesis).unwrap_err();
			assert!(err.contains("should hold") && err.contains("Keys"), "{err}");
			let _ = session;
		});
	}

	#[test]
	fn a_reserve_outside_holds_and_referenda_fails() {
		with_chain(|checker| {
			<Balances as ReservableCurrency<_>>::reserve(&who(), 7).unwrap();
			let err = checker.after_hooks().unwrap_err();
			assert!(err.contains("reserved"), "{err}");
		});
	}

	#[test]
	fn a_freeze_without_a_record_fails() {
		with_chain(|checker| {
			let reason = RuntimeFreezeReason::HybridVoting(pallet_hybrid_voting::FreezeReason::Voting);
			Balances::set_freeze(&reason, &who(), 9).unwrap();
			let err = holds_and_freezes(&checker.keyless_at_genesis).unwrap_err();
			assert!(err.contains("frozen"), "{err}");
		});
	}

	#[test]
	fn frozen_must_be_the_largest_freeze() {
		with_chain(|checker| {
			frame_system::Account::<Runtime>::mutate(who(), |a| a.data.frozen = 1);
			let err = holds_and_freezes(&checker.keyless_at_genesis).unwrap_err();
			assert!(err.contains("largest freeze"), "{err}");
		});
	}

	#[test]
	fn issuance_off_the_accounts_sum_fails() {
		with_chain(|checker| {
			pallet_balances::TotalIssuance::<Runtime>::mutate(|t| *t += 1);
			let err = checker.after_hooks().unwrap_err();
			assert!(err.contains("total issuance"), "{err}");
		});
	}

	#[test]
	fn a_mint_without_an_event_fails_the_ledger() {
		with_chain(|checker| {
			// Consistent with the accounts, but no event explains it.
			<Balances as Unbalanced<_>>::increase_balance(&who(), UNIT, Precision::Exact).unwrap();
			<Balances as Unbalanced<_>>::set_total_issuance(<Balances as Inspect<_>>::total_issuance() + UNIT);
			checker.check_state(true).unwrap();
			let err = checker.after_block(&events()).unwrap_err();
			assert!(err.contains("off by 1000000000000"), "{err}");
		});
	}

	#[test]
	fn a_documented_burn_passes_and_an_undocumented_mint_fails() {
		with_chain(|checker| {
			<Balances as Mutate<_>>::burn_from(
				&who(),
				UNIT,
				frame_support::traits::tokens::Preservation::Preserve,
				Precision::Exact,
				frame_support::traits::tokens::Fortitude::Polite,
			)
			.unwrap();
			checker.after_block(&events()).unwrap();
			<Balances as Mutate<_>>::mint_into(&who(), UNIT).unwrap();
			let err = checker.after_block(&events()).unwrap_err();
			assert!(err.contains("Minted"), "{err}");
		});
	}

	#[test]
	fn a_deciding_count_off_the_deciding_referenda_fails_unless_an_alarm_explains_it() {
		with_chain(|_| {
			try_states().unwrap();
			pallet_referenda::DecidingCount::<Runtime>::insert(0u16, 1);
			let err = try_states().unwrap_err();
			assert!(err.contains("DecidingCount of track 0 is 1; 0"), "{err}");
			// A referendum that stopped deciding leaves its alarm for the next block.
			use frame_support::traits::schedule::{v3::Anon, DispatchTime};
			let call = perspective_runtime::RuntimeCall::Referenda(pallet_referenda::Call::one_fewer_deciding { track: 0 });
			<perspective_runtime::Scheduler as Anon<_, _, _>>::schedule(
				DispatchTime::At(System::block_number() + 1),
				None,
				0,
				frame_system::RawOrigin::Root.into(),
				frame_support::traits::Bounded::Inline(call.encode().try_into().unwrap()),
			)
			.unwrap();
			try_states().unwrap();
			pallet_referenda::DecidingCount::<Runtime>::insert(0u16, 2);
			assert!(try_states().is_err());
		});
	}

	#[test]
	fn overweight_blocks_fail() {
		with_chain(|_| {
			let max = RuntimeBlockWeights::get().max_block;
			System::register_extra_weight_unchecked(max, frame_support::dispatch::DispatchClass::Normal);
			let err = block_limits().unwrap_err();
			assert!(err.contains("Normal weight"), "{err}");
			frame_system::BlockWeight::<Runtime>::kill();
			System::register_extra_weight_unchecked(
				max.saturating_add(frame_support::weights::Weight::from_parts(1, 0)),
				frame_support::dispatch::DispatchClass::Mandatory,
			);
			let err = block_limits().unwrap_err();
			assert!(err.contains("max_block"), "{err}");
			frame_system::BlockWeight::<Runtime>::kill();
			frame_system::BlockSize::<Runtime>::put(u32::MAX);
			let err = block_limits().unwrap_err();
			assert!(err.contains("length"), "{err}");
		});
	}

	#[test]
	fn a_shrunken_council_fails() {
		with_chain(|_| {
			council().unwrap();
			pallet_council_elections::Params::<Runtime>::mutate(|p| p.min_members = 4);
			let err = council().unwrap_err();
			assert!(err.contains("fewer than min_members"), "{err}");
		});
	}

	#[test]
	fn a_council_off_the_election_fails_after_a_new_term() {
		with_chain(|_| {
			let elected = pallet_council_elections::Members::<Runtime>::get().into_inner();
			let term = |members: Vec<AccountId>| EventRecord {
				phase: frame_system::Phase::Initialization,
				event: RuntimeEvent::CouncilElections(pallet_council_elections::Event::NewTerm { round: 1, members }),
				topics: vec![],
			};
			new_term(&[term(elected.clone())]).unwrap();
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::put(elected[..2].to_vec());
			let err = new_term(&[term(elected.clone())]).unwrap_err();
			assert!(err.contains("the council has"), "{err}");
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::put(elected.clone());
			let err = new_term(&[term(vec![who()])]).unwrap_err();
			assert!(err.contains("NewTerm announced"), "{err}");
		});
	}

	#[test]
	fn a_pot_below_its_rewards_fails() {
		with_chain(|checker| {
			checker.reward_ledger(&[]).unwrap();
			let pot = Contributions::pot_account();
			<Balances as Unbalanced<_>>::decrease_balance(
				&pot,
				1,
				Precision::Exact,
				frame_support::traits::tokens::Preservation::Expendable,
				frame_support::traits::tokens::Fortitude::Force,
			)
			.unwrap();
			let err = checker.reward_ledger(&[]).unwrap_err();
			assert!(err.contains("reward pot holds"), "{err}");
		});
	}

	#[test]
	fn a_deferred_settlement_fails() {
		with_chain(|checker| {
			System::deposit_event(RuntimeEvent::Evaluation(pallet_evaluation::Event::SettlementDeferred { due: 1, remaining: 2 }));
			let err = checker.after_hooks().unwrap_err();
			assert!(err.contains("settlement deferred"), "{err}");
		});
	}

	#[test]
	fn too_few_validators_fail() {
		with_chain(|_| {
			validators(None).unwrap();
			// The approved set grows by one and the minimum follows it: the session still plays
			// the set planned under the old minimum, which is what it is held to.
			let old_min = pallet_validator_set::Params::<Runtime>::get().min_validators;
			let mut approved = pallet_validator_set::Validators::<Runtime>::get();
			approved.try_push(who()).unwrap();
			let min = approved.len() as u32;
			pallet_validator_set::Validators::<Runtime>::put(approved);
			pallet_validator_set::Params::<Runtime>::mutate(|p| p.min_validators = min);
			let err = validators(None).unwrap_err();
			assert!(err.contains("fewer than min_validators"), "{err}");
			validators(Some(old_min)).unwrap();
			// Held to the minimum in force at planning: one validator fewer fails.
			let session = pallet_session::Validators::<Runtime>::get();
			pallet_session::Validators::<Runtime>::put(session[..session.len() - 1].to_vec());
			assert!(validators(Some(session.len() as u32)).is_err(), "a session below its planned minimum passed");
			// Never empty.
			pallet_session::Validators::<Runtime>::put(Vec::<AccountId>::new());
			assert!(validators(Some(0)).is_err(), "an empty session passed");
		});
	}

	#[test]
	fn an_overdue_task_fails_the_lag_check() {
		with_chain(|_| {
			let opener = who();
			let call = pallet_evaluation::Call::<Runtime>::open_task {
				kind: perspective_primitives::evaluation::SubjectKind::ModelOutput,
				content_hash: H256::repeat_byte(1),
				uri: b"ipfs://x".to_vec(),
				criteria: vec![b"a".to_vec()],
				reward: UNIT,
				commit_period: 5,
				reveal_period: 5,
			};
			use sp_runtime::traits::Dispatchable;
			perspective_runtime::RuntimeCall::Evaluation(call)
				.dispatch(perspective_runtime::RuntimeOrigin::signed(opener))
				.unwrap();
			settlement_lag_after_hooks().unwrap();
			let (id, task) = pallet_evaluation::Tasks::<Runtime>::iter().next().unwrap();
			System::set_block_number(task.due);
			let err = settlement_lag_after_hooks().unwrap_err();
			assert!(err.contains(&format!("task {id}")), "{err}");
		});
	}

	#[test]
	fn rewards_worth_more_than_their_pool_fail() {
		with_chain(|checker| {
			use pallet_contributions::{ClosedEpoch, Earnings, PerPool};
			let epoch = pallet_contributions::CurrentEpoch::<Runtime>::get().expect("rewards start at genesis");
			// The open epoch closes with fewer points recorded than an account holds.
			let mut points = PerPool::default();
			points.dataset = 100;
			pallet_contributions::AccountEarnings::<Runtime>::insert(
				who(),
				Earnings { epoch: epoch.index, points, unclaimed: 0 },
			);
			let mut closed_points = PerPool::default();
			closed_points.dataset = 50;
			let mut rewards = PerPool::default();
			rewards.dataset = 1_000;
			pallet_contributions::ClosedEpochs::<Runtime>::insert(
				epoch.index,
				ClosedEpoch { closed_at: 1, points: closed_points, rewards },
			);
			pallet_contributions::CurrentEpoch::<Runtime>::mutate(|e| e.as_mut().unwrap().index += 1);
			let err = checker.note_epoch_closed().unwrap_err();
			assert!(err.contains("more than the pool"), "{err}");
		});
	}

	#[test]
	fn claimable_rewards_from_nowhere_fail() {
		with_chain(|checker| {
			checker.reward_ledger(&[]).unwrap();
			pallet_contributions::AccountEarnings::<Runtime>::insert(
				who(),
				pallet_contributions::Earnings {
					epoch: 0,
					points: Default::default(),
					unclaimed: 5,
				},
			);
			let err = checker.reward_ledger(&[]).unwrap_err();
			assert!(err.contains("claimable"), "{err}");
		});
	}
}
