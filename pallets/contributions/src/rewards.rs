//! Reward maths, free of storage so it can be tested alone (unit and property tests below).
//!
//! - A pool of `reward` shared by `points` has the reward per point `reward / points`, kept as
//!   that exact fraction (the closed epoch stores both numbers). An account holding `p` of the
//!   points gets `⌊p · reward / points⌋` (256-bit intermediate, rounded down), so the claims of
//!   any set of accounts never exceed the pool: `Σ ⌊pᵢ·R/P⌋ ≤ R·Σpᵢ/P ≤ R`. What is left (less
//!   than one planck per claimant) stays in the pot.
//! - Royalties: of `points` earned by a contribution with `n` eligible parents, each parent gets
//!   `⌊royalty·points / n⌋` (rounded down) and the owner keeps the rest, so points are never
//!   created or lost by a split.

use crate::{PerPool, Points, RewardPool};
use perspective_primitives::evaluation::Score;
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, traits::Zero, Perbill, Rounding};

/// Points an accepted contribution earns per point of quality (quality is 0..=100); the scale
/// leaves room for royalty splits without losing points to rounding.
pub const POINTS_PER_QUALITY: Points = 1_000;

/// Points an evaluator earns per panel seat for each accurate reveal on a contribution's task
/// (linear in seats, so splitting a stake over several accounts changes nothing).
pub const PARTICIPATION_POINTS: Points = 1_000;

/// A contribution's quality: the mean of its consensus scores, rounded down (0 if none).
pub fn quality(consensus: &[Score]) -> Score {
	if consensus.is_empty() {
		return 0;
	}
	// Summed in a `u64`: no number of `u16` scores the runtime can hold overflows it.
	let sum: u64 = consensus.iter().fold(0u64, |sum, s| sum.saturating_add(u64::from(*s)));
	let mean = sum / (consensus.len() as u64);
	// A mean of `Score`s is never above the largest of them, so it always fits.
	Score::try_from(mean).unwrap_or(Score::MAX)
}

/// Splits an epoch's `emission` between the pools by `weights`, rounding down. Pools that
/// earned no points get nothing (nothing is minted for them).
pub fn pool_rewards(emission: u128, weights: &PerPool<u32>, points: &PerPool<Points>) -> PerPool<u128> {
	let total_weight: u128 = RewardPool::ALL.iter().map(|p| *weights.get(*p) as u128).sum();
	PerPool::from_fn(|pool| {
		if total_weight.is_zero() || points.get(pool).is_zero() {
			return 0;
		}
		multiply_by_rational_with_rounding(emission, *weights.get(pool) as u128, total_weight, Rounding::Down)
			.unwrap_or(0)
	})
}

/// What `points` of a pool that paid `reward` for `total_points` are worth: `⌊points · reward /
/// total_points⌋` (zero when nobody earned points).
pub fn share_of(points: Points, reward: u128, total_points: Points) -> u128 {
	if total_points.is_zero() {
		return 0;
	}
	multiply_by_rational_with_rounding(points, reward, total_points, Rounding::Down).unwrap_or(0)
}

/// Splits `points` between an owner and `parents` eligible parents: returns (kept by the owner,
/// each parent's share). `kept + parents × share == points`.
pub fn royalty_split(points: Points, royalty: Perbill, parents: u32) -> (Points, Points) {
	if parents == 0 {
		return (points, 0);
	}
	let share = royalty.mul_floor(points) / parents as Points;
	(points - share * parents as Points, share)
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	fn weights(w: [u32; 6]) -> PerPool<u32> {
		PerPool {
			dataset: w[0],
			model: w[1],
			code: w[2],
			documentation: w[3],
			other: w[4],
			participation: w[5],
		}
	}

	#[test]
	fn quality_is_the_mean_rounded_down() {
		assert_eq!(quality(&[80, 90]), 85);
		assert_eq!(quality(&[80, 91]), 85);
		assert_eq!(quality(&[100, 100, 100]), 100);
		assert_eq!(quality(&[]), 0);
		assert_eq!(quality(&[100, 100, 100, 99]), 99);
		// The sum of `u16` scores may exceed a `u16`; the mean never does.
		assert_eq!(quality(&[Score::MAX, Score::MAX]), Score::MAX);
	}

	#[test]
	fn pools_are_split_by_weight_and_empty_pools_are_not_funded() {
		let w = weights([40, 40, 0, 0, 0, 20]);
		let p = PerPool { dataset: 5, model: 7, participation: 3, ..Default::default() };
		let r = pool_rewards(1_000, &w, &p);
		assert_eq!((r.dataset, r.model, r.code, r.participation), (400, 400, 0, 200));
		let p = PerPool { dataset: 5, ..Default::default() };
		let r = pool_rewards(1_000, &w, &p);
		assert_eq!((r.dataset, r.model, r.participation), (400, 0, 0));
		assert_eq!(pool_rewards(1_000, &weights([0; 6]), &p), PerPool::default());
	}

	#[test]
	fn claims_are_pro_rata() {
		// 100 tokens over points 1:3 pay 25 and 75.
		assert_eq!(share_of(1_000, 100, 4_000), 25);
		assert_eq!(share_of(3_000, 100, 4_000), 75);
		// 81 and 9 of 90 points of 30,000: exact, no rounding of a rate.
		assert_eq!(share_of(81_000, 30_000, 90_000), 27_000);
		// Thirds round down; the planck left over stays in the pool.
		assert_eq!(share_of(1, 100, 3), 33);
		assert_eq!(share_of(5, 100, 0), 0);
	}

	#[test]
	fn royalty_split_examples() {
		assert_eq!(royalty_split(90_000, Perbill::from_percent(10), 1), (81_000, 9_000));
		assert_eq!(royalty_split(90_000, Perbill::from_percent(10), 4), (81_000, 2_250));
		assert_eq!(royalty_split(10, Perbill::from_percent(10), 3), (10, 0));
		assert_eq!(royalty_split(90_000, Perbill::from_percent(10), 0), (90_000, 0));
	}

	proptest! {
		#[test]
		fn claims_never_exceed_the_pool(
			reward in 0u128..1u128 << 100,
			holdings in prop::collection::vec(1u128..1u128 << 60, 1..50),
		) {
			let total: u128 = holdings.iter().sum();
			let paid: u128 = holdings.iter().map(|p| share_of(*p, reward, total)).sum();
			prop_assert!(paid <= reward);
			// Rounding loses less than one planck per claimant.
			prop_assert!(reward - paid < holdings.len() as u128);
		}

		#[test]
		fn claims_are_proportional(
			reward in 1u128 << 40..1u128 << 100,
			a in 1u128..1u128 << 40,
			b in 1u128..1u128 << 40,
		) {
			let (va, vb) = (share_of(a, reward, a + b), share_of(b, reward, a + b));
			// Each gets its exact fraction, rounded down: va ≤ reward·a/(a+b) < va + 1, so
			// va·(a+b) ≤ reward·a < (va+1)·(a+b) (checked in 256 bits via the helper).
			prop_assert_eq!(va, multiply_by_rational_with_rounding(reward, a, a + b, Rounding::Down).unwrap());
			prop_assert!(va + vb <= reward && reward - va - vb <= 1);
			// More points never earn less.
			if a >= b { prop_assert!(va >= vb); } else { prop_assert!(va <= vb); }
		}

		#[test]
		fn pools_never_exceed_the_emission(
			emission in 0u128..1u128 << 100,
			w in prop::array::uniform6(0u32..1_000),
			p in prop::array::uniform6(0u128..10),
		) {
			let points = PerPool {
				dataset: p[0], model: p[1], code: p[2], documentation: p[3], other: p[4], participation: p[5],
			};
			let r = pool_rewards(emission, &weights(w), &points);
			let total: u128 = RewardPool::ALL.iter().map(|pool| *r.get(*pool)).sum();
			prop_assert!(total <= emission);
			for pool in RewardPool::ALL {
				if *points.get(pool) == 0 { prop_assert_eq!(*r.get(pool), 0); }
			}
		}

		#[test]
		fn royalty_split_conserves_points(
			points in 0u128..1u128 << 100,
			royalty in 0u32..=1_000_000_000,
			parents in 0u32..8,
		) {
			let royalty = Perbill::from_parts(royalty);
			let (kept, share) = royalty_split(points, royalty, parents);
			prop_assert_eq!(kept + share * parents as u128, points);
			prop_assert!(share * parents as u128 <= royalty.mul_floor(points));
		}
	}
}
