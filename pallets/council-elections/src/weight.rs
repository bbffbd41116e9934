//! Hybrid voter weight for council elections, pure.
//!
//! `weight = stake / active_issuance + reputation / total_reputation`, in units of 1e18, so a
//! voter holding all tokens (or all reputation) carries 1e18 and one holding both 2e18. Each
//! house's share counts equally; neither is dampened (approval voting already limits a voter to
//! one weight per candidate).

use perspective_primitives::ReputationScore;
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};

/// One whole house, in weight units.
pub const HOUSE: u128 = 1_000_000_000_000_000_000;

/// `part / whole` in weight units (rounded down, capped at one house; zero if `whole` is zero).
pub fn house_share(part: u128, whole: u128) -> u128 {
	if whole == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(part.min(whole), HOUSE, whole, Rounding::Down).unwrap_or(0)
}

/// A voter's weight from their frozen stake and their reputation.
pub fn voter_weight(
	stake: u128,
	active_issuance: u128,
	reputation: ReputationScore,
	total_reputation: ReputationScore,
) -> u128 {
	house_share(stake, active_issuance).saturating_add(house_share(reputation, total_reputation))
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn examples() {
		assert_eq!(voter_weight(0, 100, 0, 100), 0);
		assert_eq!(voter_weight(50, 100, 0, 100), HOUSE / 2);
		assert_eq!(voter_weight(100, 100, 100, 100), 2 * HOUSE);
		assert_eq!(voter_weight(10, 100, 25, 100), HOUSE / 10 + HOUSE / 4);
		// An empty house contributes nothing.
		assert_eq!(voter_weight(10, 0, 10, 0), 0);
	}

	proptest! {
		#[test]
		fn bounded_and_monotone(
			stake in 0u128..1u128 << 100, issuance in 1u128..1u128 << 100,
			rep in 0u128..1u128 << 100, total in 1u128..1u128 << 100, extra in 0u128..1u128 << 90,
		) {
			let w = voter_weight(stake, issuance, rep, total);
			prop_assert!(w <= 2 * HOUSE);
			prop_assert!(voter_weight(stake.saturating_add(extra), issuance, rep, total) >= w);
			prop_assert!(voter_weight(stake, issuance, rep.saturating_add(extra), total) >= w);
			// Splitting a stake across wallets never gains weight (shares are linear, rounded down).
			let stake = stake.min(issuance); // a stake never exceeds the issuance
			let half = stake / 2;
			let split = house_share(half, issuance) + house_share(stake - half, issuance);
			prop_assert!(split <= house_share(stake, issuance));
		}
	}
}
