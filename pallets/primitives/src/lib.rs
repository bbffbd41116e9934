//! Types and traits shared by the Perspective pallets.
//!
//! Pallets never read each other's storage: they talk through the small traits defined here,
//! wired together in the runtime through each pallet's `Config`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

pub mod evaluation;

/// A reputation score. Non-transferable and unitless; see `pallet-reputation`.
pub type ReputationScore = u128;

/// Why a reputation score changed. Carried in events so users can audit every change.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum ReputationReason {
	/// Initial reputation from the chain's genesis.
	Genesis,
	/// Set or changed by a governance origin.
	Governance,
	/// An evaluation that agreed with the consensus.
	AccurateEvaluation,
	/// An evaluation that deviated from the consensus beyond tolerance.
	InaccurateEvaluation,
	/// A committed evaluation that was never revealed.
	MissedReveal,
	/// A contribution accepted by peer evaluation.
	AcceptedContribution,
	/// A contribution rejected by peer evaluation.
	RejectedContribution,
}

/// Read access to (decayed) reputation.
pub trait ReputationProvider<AccountId> {
	/// `who`'s reputation now, with decay applied.
	fn reputation_of(who: &AccountId) -> ReputationScore;
	/// The sum of all accounts' reputation now, with decay applied. Never smaller than any
	/// single account's score, so it can be used as a denominator.
	fn total_reputation() -> ReputationScore;
}

/// Write access to reputation, for pallets that measure behaviour (evaluation, contributions).
pub trait ReputationUpdater<AccountId> {
	/// Add `amount` to `who`'s score. Returns the new score.
	fn reward(who: &AccountId, amount: ReputationScore, reason: ReputationReason) -> ReputationScore;
	/// Remove up to `amount` from `who`'s score (never below zero). Returns the new score and
	/// the weight the [`OnReputationReduced`] hook consumed (on top of the update itself), so
	/// callers with a weight budget can account for what actually ran.
	fn penalize(
		who: &AccountId,
		amount: ReputationScore,
		reason: ReputationReason,
	) -> (ReputationScore, Weight);
	/// Worst-case weight of one `reward`/`penalize`, including any [`OnReputationReduced`] hook.
	fn update_weight() -> Weight;
}

/// Told when an account's reputation was reduced by a penalty, so that weight the account holds
/// elsewhere (e.g. reputation snapshots in ongoing votes) can be reduced too.
pub trait OnReputationReduced<AccountId> {
	/// `who` now has `new_score`. Returns the weight consumed.
	fn on_reputation_reduced(who: &AccountId, new_score: ReputationScore) -> Weight;
	/// Upper bound of the weight `on_reputation_reduced` may consume.
	fn max_weight() -> Weight;
}

impl<AccountId> OnReputationReduced<AccountId> for () {
	fn on_reputation_reduced(_: &AccountId, _: ReputationScore) -> Weight {
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

/// A fixed reputation table, for tests and benchmarks of pallets that only read reputation.
impl<AccountId> ReputationProvider<AccountId> for () {
	fn reputation_of(_: &AccountId) -> ReputationScore {
		0
	}
	fn total_reputation() -> ReputationScore {
		0
	}
}

/// Minimum approval and support the reputation house must reach in a class (referendum track).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HouseThresholds {
	/// Minimum share of reputation ayes among reputation ayes + nays.
	pub min_approval: Perbill,
	/// Minimum share of (aye + abstain) reputation in the total reputation.
	pub min_support: Perbill,
}

/// Where the reputation house's thresholds come from (per class; set by governance).
pub trait ReputationHouse<Class> {
	fn thresholds(class: &Class) -> HouseThresholds;
}
