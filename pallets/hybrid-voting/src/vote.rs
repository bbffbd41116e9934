//! Votes, conviction and the per-account voting record.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use perspective_primitives::ReputationScore;
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, Saturating};

/// Which way a vote goes. Abstain counts towards support (turnout) in both houses, but not
/// towards approval.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Direction {
	Aye,
	Nay,
	Abstain,
}

/// How long the voter agrees to keep the voted balance frozen after the poll, if their side
/// wins, in exchange for a multiplier on their **token** votes. Reputation is never multiplied.
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
)]
pub enum Conviction {
	/// 0.1× votes, no lock after the poll.
	#[default]
	None,
	/// 1× votes, locked for 1 period.
	Locked1x,
	/// 2× votes, locked for 2 periods.
	Locked2x,
	/// 3× votes, locked for 4 periods.
	Locked3x,
	/// 4× votes, locked for 8 periods.
	Locked4x,
	/// 5× votes, locked for 16 periods.
	Locked5x,
	/// 6× votes, locked for 32 periods.
	Locked6x,
}

impl Conviction {
	/// Lock periods (of `VoteLockingPeriod`) after the poll ends, for winning votes.
	pub fn lock_periods(self) -> u32 {
		match self {
			Conviction::None => 0,
			Conviction::Locked1x => 1,
			Conviction::Locked2x => 2,
			Conviction::Locked3x => 4,
			Conviction::Locked4x => 8,
			Conviction::Locked5x => 16,
			Conviction::Locked6x => 32,
		}
	}

	/// Token votes for `capital` frozen at this conviction.
	pub fn votes<B: From<u8> + Saturating + Copy + core::ops::Div<Output = B>>(self, capital: B) -> B {
		match self {
			Conviction::None => capital / B::from(10u8),
			other => capital.saturating_mul(B::from(other as u8)),
		}
	}
}

/// A vote as submitted: direction, conviction and the balance to freeze for it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct HybridVote<Balance> {
	pub direction: Direction,
	pub conviction: Conviction,
	/// Balance frozen for this vote (may be zero for a reputation-only vote).
	pub balance: Balance,
}

/// A vote as recorded: the submitted vote plus the reputation snapshot it was counted with.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct VoteRecord<Balance> {
	pub vote: HybridVote<Balance>,
	/// The voter's reputation when the vote was cast (lowered if they are penalized while the
	/// poll is ongoing).
	pub reputation: ReputationScore,
}

/// Balance that stays frozen after a won poll with conviction, until `until`.
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
)]
pub struct PriorLock<BlockNumber, Balance> {
	pub until: BlockNumber,
	pub amount: Balance,
}

impl<BlockNumber: Ord + Copy + Zero, Balance: Ord + Copy + Zero> PriorLock<BlockNumber, Balance> {
	/// Extends the lock to cover `amount` until `until` (locks overlap, they do not add up).
	pub fn accumulate(&mut self, until: BlockNumber, amount: Balance) {
		self.until = self.until.max(until);
		self.amount = self.amount.max(amount);
	}

	/// Forgets the lock once it has expired.
	pub fn rejig(&mut self, now: BlockNumber) {
		if now >= self.until {
			self.amount = Zero::zero();
			self.until = Zero::zero();
		}
	}

	pub fn is_empty(&self) -> bool {
		self.amount.is_zero()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn conviction_table() {
		assert_eq!(Conviction::None.votes(100u128), 10);
		assert_eq!(Conviction::Locked1x.votes(100u128), 100);
		assert_eq!(Conviction::Locked6x.votes(100u128), 600);
		assert_eq!(Conviction::Locked6x.votes(u128::MAX), u128::MAX);
		assert_eq!(Conviction::Locked3x.lock_periods(), 4);
		assert_eq!(Conviction::Locked6x.lock_periods(), 32);
	}

	#[test]
	fn prior_locks_overlap_and_expire() {
		let mut lock = PriorLock::<u64, u128>::default();
		lock.accumulate(10, 50);
		lock.accumulate(5, 80);
		assert_eq!(lock, PriorLock { until: 10, amount: 80 });
		lock.rejig(9);
		assert!(!lock.is_empty());
		lock.rejig(10);
		assert!(lock.is_empty());
	}
}
