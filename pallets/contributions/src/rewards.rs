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

	/// The test's own oracle: `⌊a · b / c⌋` in 256-bit integers (`sp_core::U256`), independent of
	/// the `multiply_by_rational_with_rounding` helper the code under test uses.
	fn floor_mul_div(a: u128, b: u128, c: u128) -> u128 {
		use sp_core::U256;
		let q = U256::from(a) * U256::from(b) / U256::from(c);
		u128::try_from(q).expect("the quotient fits in a u128")
	}

	#[test]
	fn the_oracle_rounds_down_and_keeps_256_bits() {
		assert_eq!(floor_mul_div(1, 100, 3), 33);
		assert_eq!(floor_mul_div(2, 100, 3), 66);
		// The product needs more than 128 bits.
		assert_eq!(floor_mul_div(u128::MAX, u128::MAX, u128::MAX), u128::MAX);
		assert_eq!(floor_mul_div(u128::MAX, 3, 4), u128::MAX / 4 * 3 + 2);
	}

	proptest! {
		#[test]
		fn share_of_is_the_exact_share_rounded_down(
			total in 1u128..=u128::MAX,
			reward in 0u128..=u128::MAX,
			fraction in 0u128..=1_000_000,
		) {
			// Points held: any part of the total (both ends included).
			let points = floor_mul_div(total, fraction, 1_000_000);
			let share = share_of(points, reward, total);
			prop_assert_eq!(share, floor_mul_div(points, reward, total));
			// The definition of the floor, in 256 bits: share·total ≤ points·reward < (share+1)·total.
			use sp_core::U256;
			let exact = U256::from(points) * U256::from(reward);
			prop_assert!(U256::from(share) * U256::from(total) <= exact);
			prop_assert!(exact < (U256::from(share) + 1) * U256::from(total));
			prop_assert_eq!(share_of(points, reward, 0), 0);
		}

		#[test]
		fn claims_never_exceed_the_pool(
			reward in 0u128..1u128 << 100,
			holdings in prop::collection::vec(1u128..1u128 << 60, 1..50),
		) {
			let total: u128 = holdings.iter().sum();
			let mut paid = 0;
			for p in &holdings {
				let share = share_of(*p, reward, total);
				prop_assert_eq!(share, floor_mul_div(*p, reward, total), "{} of {} points", p, total);
				paid += share;
			}
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
			// Each gets its exact fraction, rounded down (the test's own 256-bit oracle).
			prop_assert_eq!(va, floor_mul_div(a, reward, a + b));
			prop_assert_eq!(vb, floor_mul_div(b, reward, a + b));
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
			let total_weight: u128 = w.iter().map(|w| *w as u128).sum();
			// Each pool with points gets its weight's share of the emission, rounded down; a pool
			// without points gets nothing.
			for (i, pool) in RewardPool::ALL.iter().enumerate() {
				let expected = if *points.get(*pool) == 0 || total_weight == 0 {
					0
				} else {
					floor_mul_div(emission, w[i] as u128, total_weight)
				};
				prop_assert_eq!(*r.get(*pool), expected, "{:?}", pool);
			}
			// Lower bound: the funded pools (points and a weight) get their exact share of the
			// emission less under one planck each; when every weighted pool earned points, that
			// is all of the emission less under one planck per pool.
			let funded: Vec<usize> = (0..6).filter(|i| p[*i] > 0 && w[*i] > 0).collect();
			if total_weight > 0 {
				use sp_core::U256;
				let funded_weight: u128 = funded.iter().map(|i| w[*i] as u128).sum();
				let exact = U256::from(emission) * U256::from(funded_weight);
				prop_assert!(U256::from(total) * U256::from(total_weight) <= exact);
				prop_assert!(exact < (U256::from(total) + U256::from(funded.len())) * U256::from(total_weight));
				if funded_weight == total_weight {
					prop_assert!(emission - total < funded.len() as u128, "{} of {} minted", total, emission);
				}
			} else {
				prop_assert_eq!(total, 0);
			}
		}

		#[test]
		fn royalty_split_conserves_points(
			points in 0u128..1u128 << 100,
			royalty in 0u32..=1_000_000_000,
			parents in 0u32..8,
		) {
			let parts = royalty;
			let royalty = Perbill::from_parts(royalty);
			let (kept, share) = royalty_split(points, royalty, parents);
			let n = parents as u128;
			prop_assert_eq!(kept + share * n, points);
			if parents == 0 {
				prop_assert_eq!((kept, share), (points, 0));
			} else {
				// Each parent gets ⌊⌊royalty·points⌋ / n⌋ = ⌊points·parts / (10⁹·n)⌋ (the test's
				// oracle, not `Perbill`), so the parents' part is the royalty fraction of the
				// points less under n points: n·share·10⁹ ≤ points·parts < (n·share + n)·10⁹.
				prop_assert_eq!(share, floor_mul_div(points, parts as u128, 1_000_000_000 * n));
				use sp_core::U256;
				let exact = U256::from(points) * U256::from(parts);
				let billion = U256::from(1_000_000_000u64);
				prop_assert!(U256::from(share * n) * billion <= exact);
				prop_assert!(exact < U256::from(share * n + n) * billion);
			}
		}
	}
}
