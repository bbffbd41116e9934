//! The ghost-coalition oracle.
//!
//! In the ghost profile (chosen by the input's first byte) the accounts of [`COALITION`]
//! (fuzz accounts 24–31: six rich ones, the poor one and the middling one) act only among
//! themselves: they open their own tasks and appeal and settle only those, register
//! contributions whose parents are their own, transfer only to each other, vote in council
//! elections only for coalition candidates, and evaluate whatever they are drawn for. The other
//! accounts and the governance steps act as usual (they may open tasks the coalition gets drawn
//! for, grant it reputation, or send it PRSP).
//!
//! # What the oracle checks
//! At the start of the sequence it records the coalition's Σ (free + reserved) and Σ reputation
//! (`pallet_reputation::Pallet::score_of`, decayed as the pallet reads it). After every block it
//! reads the block's events and fails as soon as
//!
//! ```text
//! Σ balance(now) − Σ balance(start)  >  inflow_from_outside
//! Σ reputation(now) − Σ reputation(start)  >  documented_reputation
//! ```
//!
//! or a coalition member gains reputation for a reason that is not documented as a reward.
//!
//! **`inflow_from_outside`** (PRSP the coalition may receive from someone else):
//! - every transfer whose source is not in the coalition and whose destination is:
//!   `Balances::Transfer` (contribution reward claims from the pot — the epoch emission — and
//!   plain transfers), `TransferOnHold` (evaluation pots of tasks opened by non-members paid to
//!   members), `TransferAndHold`, `ReserveRepatriated`;
//! - `Balances::Deposit` to members, but at most the members' fee refunds (Σ their `Withdraw` −
//!   Σ their `TransactionFeePaid.actual_fee`) plus every penalty that non-members could have put
//!   into an evaluation dispute's pool (Σ `RevealMissed.slashed` and `EvaluatorOutlier.slashed`
//!   of non-members, Σ `AppealPledged.amount` of non-members). A dispute pays its pool out with
//!   `Balanced::resolve`, which emits only `Deposit` (hold slashes emit no event here), so the
//!   source of a pool payout cannot be told from its event; this bound is what non-members can
//!   have contributed, an over-approximation.
//!
//! Nothing else counts: a `Balances::Minted` to a member (the only mint is the contributions
//! pot's emission, paid out by transfers), or a member's balance growing without a matching
//! event, fails. Money the coalition moves among itself, pays in fees, or loses to slashes and
//! burns only lowers its balance.
//!
//! **`documented_reputation`**: Σ `Reputation::ReputationRewarded` amounts to members, for the
//! documented reasons only, each within its documented bound:
//! - `AccurateEvaluation`: at most `EvaluationMaxReputationReward` (10,000) per seat, for at
//!   most `MAX_SEATS` (39, the largest appeal panel) seats;
//! - `AcceptedContribution`: at most `MaxAcceptanceReputation` (10,000);
//! - `Governance` (a grant by a governance step): at most `MaxReputationGrant` (100,000).
//!
//! Any other reason for a reward (`Genesis`, or a penalty reason) fails. Reputation decays and
//! penalties only lower the sum, so the decayed sum can never exceed the rewards.
//!
//! # What it reports without failing
//! The protocol mints reputation for evaluating and for accepted contributions whoever opened
//! the task: a coalition that holds the panels of its own tasks earns `AccurateEvaluation`
//! reputation (and `AcceptedContribution` reputation and emission points for its own
//! contributions) at the cost of fees only, since the task pots go back to itself. This is
//! documented protocol behaviour (no check forbids it), so the oracle counts it as
//! [`GhostReport::self_dealt_reputation`] instead of failing; the seeded test prints it.

use crate::accounts;
use perspective_primitives::ReputationReason;
use perspective_runtime::{AccountId, Balance, Reputation, Runtime, RuntimeEvent, System};
use std::collections::BTreeSet;

/// The coalition's fuzz indices.
pub const COALITION: std::ops::RangeInclusive<u8> = 24..=31;

/// The most seats one member can hold on one panel (the runtime's largest appeal panel).
pub const MAX_SEATS: u128 = 39;

pub fn is_member(i: u8) -> bool {
	COALITION.contains(&i)
}

/// What a ghost sequence did, for the seeded test's report.
#[derive(Default, Debug, Clone)]
pub struct GhostReport {
	pub balance_change: i128,
	pub inflow_transfers: Balance,
	pub inflow_task_pots: Balance,
	pub inflow_claims: Balance,
	pub inflow_deposits: Balance,
	pub reputation_change: i128,
	pub reputation_rewards: u128,
	/// Reputation rewarded for evaluating the coalition's own tasks and for its own accepted
	/// contributions.
	pub self_dealt_reputation: u128,
}

pub struct Ghost {
	members: BTreeSet<AccountId>,
	start_balance: Balance,
	start_reputation: u128,
	transfers_in: Balance,
	task_pots_in: Balance,
	claims_in: Balance,
	deposits: Balance,
	withdrawn: Balance,
	fees: Balance,
	outside_penalties: Balance,
	reputation_allowed: u128,
	self_dealt: u128,
}

fn balance_of(members: &BTreeSet<AccountId>) -> Balance {
	members.iter().map(|who| {
		let data = System::account(who).data;
		data.free.saturating_add(data.reserved)
	}).fold(0, Balance::saturating_add)
}

fn reputation_of(members: &BTreeSet<AccountId>) -> u128 {
	members.iter().map(Reputation::score_of).fold(0, u128::saturating_add)
}

impl Ghost {
	/// Snapshots the coalition. Call inside the externalities at the start of the sequence.
	pub fn new() -> Self {
		let members: BTreeSet<AccountId> = COALITION.map(accounts::account).collect();
		Self {
			start_balance: balance_of(&members),
			start_reputation: reputation_of(&members),
			members,
			transfers_in: 0,
			task_pots_in: 0,
			claims_in: 0,
			deposits: 0,
			withdrawn: 0,
			fees: 0,
			outside_penalties: 0,
			reputation_allowed: 0,
			self_dealt: 0,
		}
	}

	fn member(&self, who: &AccountId) -> bool {
		self.members.contains(who)
	}

	/// Reads one block's events (at its end), then checks the bounds.
	pub fn after_block(&mut self, events: &[crate::invariants::EventRecord]) -> Result<(), String> {
		use pallet_balances::Event as B;
		let pot = perspective_runtime::Contributions::pot_account();
		let max_accuracy = perspective_runtime::evaluation::EvaluationMaxReputationReward::get() * MAX_SEATS;
		let max_acceptance = perspective_runtime::contributions::MaxAcceptanceReputation::get();
		let max_grant = perspective_runtime::governance::MaxReputationGrant::get();
		// Coalition-opened tasks and coalition-owned contributions rewarded in this block.
		let mut own_task_rewards: u128 = 0;
		for record in events {
			match &record.event {
				RuntimeEvent::Balances(event) => match event {
					B::Transfer { from, to, amount } if !self.member(from) && self.member(to) =>
						if *from == pot {
							self.claims_in += amount;
						} else {
							self.transfers_in += amount;
						},
					B::TransferOnHold { source, dest, amount, .. } if !self.member(source) && self.member(dest) =>
						self.task_pots_in += amount,
					B::TransferAndHold { source, dest, transferred, .. }
						if !self.member(source) && self.member(dest) =>
						self.transfers_in += transferred,
					B::ReserveRepatriated { from, to, amount, .. } if !self.member(from) && self.member(to) =>
						self.transfers_in += amount,
					B::Deposit { who, amount } if self.member(who) => self.deposits += amount,
					B::Withdraw { who, amount } if self.member(who) => self.withdrawn += amount,
					B::Minted { who, amount } if self.member(who) =>
						return Err(format!("ghost coalition: {amount} minted straight into member {who}")),
					_ => {},
				},
				RuntimeEvent::TransactionPayment(pallet_transaction_payment::Event::TransactionFeePaid {
					who,
					actual_fee,
					..
				}) if self.member(who) => self.fees += actual_fee,
				RuntimeEvent::Evaluation(event) => match event {
					pallet_evaluation::Event::RevealMissed { who, slashed, .. } |
					pallet_evaluation::Event::EvaluatorOutlier { who, slashed, .. }
						if !self.member(who) =>
						self.outside_penalties += slashed,
					pallet_evaluation::Event::AppealPledged { who, amount, .. } if !self.member(who) =>
						self.outside_penalties += amount,
					pallet_evaluation::Event::EvaluatorRewarded { task, who, reputation, .. } if self.member(who) => {
						let own = pallet_evaluation::Tasks::<Runtime>::get(task).is_some_and(|t| self.member(&t.opener));
						if own {
							own_task_rewards += reputation;
						}
					},
					_ => {},
				},
				RuntimeEvent::Contributions(pallet_contributions::Event::ContributionAccepted { id, .. }) => {
					let owned = pallet_contributions::Registry::<Runtime>::get(id).is_some_and(|c| self.member(&c.owner));
					if owned {
						self.self_dealt += max_acceptance.min(
							pallet_contributions::Params::<Runtime>::get().map_or(0, |p| p.acceptance_reputation),
						);
					}
				},
				RuntimeEvent::Reputation(pallet_reputation::Event::ReputationRewarded { who, amount, reason, .. })
					if self.member(who) =>
				{
					let bound = match reason {
						ReputationReason::AccurateEvaluation => max_accuracy,
						ReputationReason::AcceptedContribution => max_acceptance,
						ReputationReason::Governance => max_grant,
						other =>
							return Err(format!(
								"ghost coalition: member {who} rewarded {amount} reputation for {other:?}, not a documented reward"
							)),
					};
					if *amount > bound {
						return Err(format!(
							"ghost coalition: member {who} rewarded {amount} reputation for {reason:?}, above the documented bound {bound}"
						));
					}
					self.reputation_allowed = self.reputation_allowed.saturating_add(*amount);
				},
				_ => {},
			}
		}
		self.self_dealt += own_task_rewards;
		self.check()
	}

	fn deposits_allowed(&self) -> Balance {
		let refunds = self.withdrawn.saturating_sub(self.fees);
		self.deposits.min(refunds.saturating_add(self.outside_penalties))
	}

	fn inflow(&self) -> Balance {
		self.transfers_in + self.task_pots_in + self.claims_in + self.deposits_allowed()
	}

	/// Both bounds, now.
	pub fn check(&self) -> Result<(), String> {
		let report = self.report();
		if report.balance_change > self.inflow() as i128 {
			return Err(format!(
				"ghost coalition gained {} PRSP planck, more than the {} that came from outside ({report:?})",
				report.balance_change,
				self.inflow()
			));
		}
		if report.reputation_change > self.reputation_allowed as i128 {
			return Err(format!(
				"ghost coalition gained {} reputation, more than the {} documented rewards ({report:?})",
				report.reputation_change, self.reputation_allowed
			));
		}
		Ok(())
	}

	pub fn report(&self) -> GhostReport {
		GhostReport {
			balance_change: balance_of(&self.members) as i128 - self.start_balance as i128,
			inflow_transfers: self.transfers_in,
			inflow_task_pots: self.task_pots_in,
			inflow_claims: self.claims_in,
			inflow_deposits: self.deposits_allowed(),
			reputation_change: reputation_of(&self.members) as i128 - self.start_reputation as i128,
			reputation_rewards: self.reputation_allowed,
			self_dealt_reputation: self.self_dealt,
		}
	}
}
