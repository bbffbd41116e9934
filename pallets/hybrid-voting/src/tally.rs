//! The hybrid tally: a token house and a reputation house, counted side by side.
//!
//! Token house (transferable PRSP, frozen while voting):
//! - votes = conviction multiplier × frozen balance (0.1× … 6×)
//! - approval_t = ayes_t / (ayes_t + nays_t)
//! - support_t = (aye + abstain capital, without conviction) / active issuance
//!
//! Reputation house (non-transferable, snapshotted when the vote is cast):
//! - votes = `ReputationWeighting`(reputation): linear in the runtime. A concave weighting such as
//!   √reputation rewards splitting reputation across accounts (N accounts holding r/N each cast
//!   √N times the votes of one holding r), so the weighting must be split-neutral:
//!   `w(a) + w(b) ≤ w(a + b)`.
//! - approval_r = ayes_r / (ayes_r + nays_r)
//! - support_r = (aye + abstain reputation, undampened) / total reputation when the poll opened
//!
//! The referendum's curves (per track) judge the token house; the reputation house must meet its
//! own per-track thresholds (`ReputationHouse`). `approval()`/`support()` report the token house
//! only while the reputation house passes, and zero otherwise, so a poll passes only if **both**
//! houses pass.

use crate::{
	vote::{Direction, VoteRecord},
	BalanceOf, Config, HouseThresholds, ReputationHouse,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::{
	traits::{Get, VoteTally},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use perspective_primitives::{ReputationProvider, ReputationScore};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Convert, SaturatedConversion, Saturating, Zero},
	Perbill,
};

/// Share `part / whole` as a `Perbill`, zero when `whole` is zero, capped at 100%.
pub fn share(part: u128, whole: u128) -> Perbill {
	if whole == 0 {
		return Perbill::zero();
	}
	Perbill::from_rational(part.min(whole), whole)
}

/// Whether the reputation house meets `thresholds`. A house whose electorate is empty (no
/// reputation existed when the poll opened) passes only thresholds of zero.
pub fn reputation_house_passes(
	ayes: ReputationScore,
	nays: ReputationScore,
	support: ReputationScore,
	total: ReputationScore,
	thresholds: &HouseThresholds,
) -> bool {
	let approval = share(ayes, ayes.saturating_add(nays));
	let support = share(support, total);
	approval >= thresholds.min_approval && support >= thresholds.min_support
}

/// Counts of both houses for one poll.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct HybridTally<T: Config> {
	/// Token aye votes (with conviction).
	pub token_ayes: BalanceOf<T>,
	/// Token nay votes (with conviction).
	pub token_nays: BalanceOf<T>,
	/// Aye + abstain capital (without conviction).
	pub token_support: BalanceOf<T>,
	/// Reputation aye votes (after `ReputationWeighting`).
	pub reputation_ayes: ReputationScore,
	/// Reputation nay votes (after `ReputationWeighting`).
	pub reputation_nays: ReputationScore,
	/// Aye + abstain reputation (unweighted).
	pub reputation_support: ReputationScore,
	/// Total reputation when the poll opened: the reputation house's electorate.
	pub reputation_total: ReputationScore,
	#[codec(skip)]
	_marker: PhantomData<T>,
}

impl<T: Config> HybridTally<T> {
	/// An empty tally with explicit counts (used by tests and benchmarks).
	pub fn from_parts(
		token: (BalanceOf<T>, BalanceOf<T>, BalanceOf<T>),
		reputation: (ReputationScore, ReputationScore, ReputationScore, ReputationScore),
	) -> Self {
		Self {
			token_ayes: token.0,
			token_nays: token.1,
			token_support: token.2,
			reputation_ayes: reputation.0,
			reputation_nays: reputation.1,
			reputation_support: reputation.2,
			reputation_total: reputation.3,
			_marker: PhantomData,
		}
	}

	/// Counts `record` in.
	pub fn add(&mut self, record: &VoteRecord<BalanceOf<T>>) {
		self.count(record, |total, votes| total.saturating_accrue(votes), |total, votes| {
			total.saturating_accrue(votes)
		});
	}

	/// Counts `record` out (exact inverse of [`Self::add`] for a record that was added).
	pub fn remove(&mut self, record: &VoteRecord<BalanceOf<T>>) {
		self.count(record, |total, votes| total.saturating_reduce(votes), |total, votes| {
			total.saturating_reduce(votes)
		});
	}

	/// Applies `change_token` / `change_reputation` to each count `record` contributes to.
	fn count(
		&mut self,
		record: &VoteRecord<BalanceOf<T>>,
		change_token: impl Fn(&mut BalanceOf<T>, BalanceOf<T>),
		change_reputation: impl Fn(&mut ReputationScore, ReputationScore),
	) {
		let capital = record.vote.balance;
		let token_votes = record.vote.conviction.votes(capital);
		let reputation_votes = T::ReputationWeighting::convert(record.reputation);
		match record.vote.direction {
			Direction::Aye => {
				change_token(&mut self.token_ayes, token_votes);
				change_token(&mut self.token_support, capital);
				change_reputation(&mut self.reputation_ayes, reputation_votes);
				change_reputation(&mut self.reputation_support, record.reputation);
			},
			Direction::Nay => {
				change_token(&mut self.token_nays, token_votes);
				change_reputation(&mut self.reputation_nays, reputation_votes);
			},
			Direction::Abstain => {
				change_token(&mut self.token_support, capital);
				change_reputation(&mut self.reputation_support, record.reputation);
			},
		}
	}

	/// Token house approval.
	pub fn token_approval(&self) -> Perbill {
		share(
			self.token_ayes.saturated_into(),
			self.token_ayes.saturating_add(self.token_nays).saturated_into(),
		)
	}

	/// Token house support, relative to `MaxTurnout` (active issuance).
	pub fn token_support_share(&self) -> Perbill {
		share(self.token_support.saturated_into(), T::MaxTurnout::get().saturated_into())
	}

	/// Whether the reputation house meets the thresholds of `class`.
	pub fn reputation_passes(&self, class: &crate::ClassOf<T>) -> bool {
		reputation_house_passes(
			self.reputation_ayes,
			self.reputation_nays,
			self.reputation_support,
			self.reputation_total,
			&T::Houses::thresholds(class),
		)
	}
}

impl<T: Config> VoteTally<BalanceOf<T>, crate::ClassOf<T>> for HybridTally<T> {
	fn new(_: crate::ClassOf<T>) -> Self {
		Self::from_parts(
			(Zero::zero(), Zero::zero(), Zero::zero()),
			(0, 0, 0, T::Reputation::total_reputation()),
		)
	}

	fn ayes(&self, _: crate::ClassOf<T>) -> BalanceOf<T> {
		self.token_ayes
	}

	fn support(&self, class: crate::ClassOf<T>) -> Perbill {
		if self.reputation_passes(&class) {
			self.token_support_share()
		} else {
			Perbill::zero()
		}
	}

	fn approval(&self, class: crate::ClassOf<T>) -> Perbill {
		if self.reputation_passes(&class) {
			self.token_approval()
		} else {
			Perbill::zero()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn unanimity(_: crate::ClassOf<T>) -> Self {
		let turnout = T::MaxTurnout::get();
		Self::from_parts((turnout, Zero::zero(), turnout), (1, 0, 1, 1))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn rejection(_: crate::ClassOf<T>) -> Self {
		let turnout = T::MaxTurnout::get();
		Self::from_parts((Zero::zero(), turnout, Zero::zero()), (0, 1, 0, 1))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn from_requirements(support: Perbill, approval: Perbill, _: crate::ClassOf<T>) -> Self {
		let support = support.mul_ceil(T::MaxTurnout::get());
		let ayes = approval.mul_ceil(support);
		Self::from_parts((ayes, support.saturating_sub(ayes), support), (1, 0, 1, 1))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn setup(_: crate::ClassOf<T>, _: Perbill) {}
}

/// Counts reputation one-to-one: split-neutral, since the votes of any split of a reputation
/// sum to the votes of the whole.
pub struct LinearReputation;
impl Convert<ReputationScore, ReputationScore> for LinearReputation {
	fn convert(reputation: ReputationScore) -> ReputationScore {
		reputation
	}
}
