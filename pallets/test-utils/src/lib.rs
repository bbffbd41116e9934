//! Test doubles shared by the pallets' mock runtimes. A dev-dependency only: nothing here is
//! part of the runtime.

use frame_support::{parameter_types, weights::Weight};
use perspective_primitives::{ReputationProvider, ReputationReason, ReputationScore, ReputationUpdater};
use std::collections::BTreeMap;

parameter_types! {
	/// Every account's reputation (accounts are `u64` in the mocks).
	pub static ReputationTable: BTreeMap<u64, ReputationScore> = BTreeMap::new();
	/// Every reputation change: (who, signed amount, reason).
	pub static ReputationLog: Vec<(u64, i128, ReputationReason)> = vec![];
	/// What a penalty's hook (e.g. governance re-tallying votes) reports having used ...
	pub static PenaltyHookWeight: Weight = Weight::zero();
	/// ... and its worst case.
	pub static MaxPenaltyHookWeight: Weight = Weight::from_parts(1_000, 0);
}

/// A reputation table that records every change, standing in for `pallet-reputation`.
pub struct TestReputation;

impl TestReputation {
	/// Starts a test: `scores` as the table, an empty log, default hook weights.
	pub fn reset(scores: impl IntoIterator<Item = (u64, ReputationScore)>) {
		ReputationTable::set(scores.into_iter().collect());
		ReputationLog::set(vec![]);
		PenaltyHookWeight::set(Weight::zero());
		MaxPenaltyHookWeight::set(Weight::from_parts(1_000, 0));
	}
}

impl ReputationProvider<u64> for TestReputation {
	fn reputation_of(who: &u64) -> ReputationScore {
		ReputationTable::get().get(who).copied().unwrap_or(0)
	}
	fn total_reputation() -> ReputationScore {
		ReputationTable::get().values().sum()
	}
}

impl ReputationUpdater<u64> for TestReputation {
	fn reward(who: &u64, amount: ReputationScore, reason: ReputationReason) -> ReputationScore {
		ReputationLog::mutate(|l| l.push((*who, amount as i128, reason)));
		ReputationTable::mutate(|t| {
			let s = t.entry(*who).or_default();
			*s += amount;
			*s
		})
	}
	fn penalize(who: &u64, amount: ReputationScore, reason: ReputationReason) -> (ReputationScore, Weight) {
		ReputationLog::mutate(|l| l.push((*who, -(amount as i128), reason)));
		let score = ReputationTable::mutate(|t| {
			let s = t.entry(*who).or_default();
			*s = s.saturating_sub(amount);
			*s
		});
		(score, PenaltyHookWeight::get())
	}
	fn update_weight() -> Weight {
		MaxPenaltyHookWeight::get()
	}
}
