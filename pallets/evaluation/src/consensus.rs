//! Aggregation and payout maths, free of storage so it can be tested alone and reused by the
//! simulator (`evaluation-sim`).
//!
//! Every function works on plain integers: scores on the `0..=MAX_SCORE` scale, weights and
//! balances as `u128`. See the crate README for the formulas.

use alloc::vec::Vec;
use perspective_primitives::evaluation::Score;
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding, per_things::Perbill, PerThing, Rounding,
};

/// Scales weights down (keeping ratios) so the largest is below 2^64; a non-zero weight stays
/// non-zero. Sums of up to 2^32 normalized weights, and their products with a closeness of up
/// to 2^32, then fit in a `u128`.
pub fn normalize_weights(weights: &[u128]) -> Vec<u128> {
	let max = weights.iter().copied().max().unwrap_or(0);
	let shift = (128 - max.leading_zeros()).saturating_sub(64);
	weights
		.iter()
		.map(|&w| if w == 0 { 0 } else { (w >> shift).max(1) })
		.collect()
}

/// The κ-weighted median of `(score, weight)` pairs: the largest score `v` such that the
/// weight of all scores ≥ `v` is at least `κ` of the total weight (Yuma consensus with
/// κ = 0.5). `None` if the total weight is zero. Weights must be normalized
/// ([`normalize_weights`]).
pub fn weighted_median(entries: &[(Score, u128)], kappa: Perbill) -> Option<Score> {
	let total: u128 = entries.iter().map(|(_, w)| *w).sum();
	if total == 0 {
		return None;
	}
	// weight(≥ v) ≥ κ·total, compared exactly as weight·ACCURACY ≥ κ_parts·total.
	let threshold = total.saturating_mul(kappa.deconstruct() as u128);
	let mut sorted: Vec<(Score, u128)> = entries.to_vec();
	sorted.sort_unstable_by(|a, b| b.0.cmp(&a.0));
	let mut above: u128 = 0;
	let mut i = 0;
	while i < sorted.len() {
		let score = sorted[i].0;
		// Take every entry with this score together: the condition is about "≥ score".
		while i < sorted.len() && sorted[i].0 == score {
			above = above.saturating_add(sorted[i].1);
			i += 1;
		}
		if above.saturating_mul(Perbill::ACCURACY as u128) >= threshold && above > 0 {
			return Some(score);
		}
	}
	// Unreachable for κ ≤ 100% (all weight is ≥ the lowest score); kept total for safety.
	sorted.last().map(|(s, _)| *s)
}

/// Consensus per criterion. `reveals[i]` are evaluator `i`'s scores (one per criterion),
/// `weights[i]` its normalized weight. If every weight is zero, each evaluator counts once.
pub fn consensus(reveals: &[&[Score]], weights: &[u128], criteria: usize, kappa: Perbill) -> Vec<Score> {
	let all_zero = weights.iter().all(|w| *w == 0);
	(0..criteria)
		.map(|c| {
			let column: Vec<(Score, u128)> = reveals
				.iter()
				.zip(weights)
				.map(|(scores, w)| (scores.get(c).copied().unwrap_or(0), if all_zero { 1 } else { *w }))
				.collect();
			weighted_median(&column, kappa).unwrap_or(0)
		})
		.collect()
}

/// Total absolute deviation of `scores` from `consensus`, summed over criteria (saturating; on
/// the `0..=MAX_SCORE` scale it is at most `MAX_SCORE × criteria`).
pub fn deviation(scores: &[Score], consensus: &[Score]) -> u32 {
	scores
		.iter()
		.zip(consensus)
		.map(|(s, c)| u32::from(s.abs_diff(*c)))
		.fold(0u32, u32::saturating_add)
}

/// Closeness of an evaluator with total deviation `deviation` over `criteria` criteria when the
/// tolerance is `tolerance` points per criterion: `τ·C + 1 − D` if `D ≤ τ·C`, else 0 (an
/// outlier). The best possible closeness is [`max_closeness`].
pub fn closeness(deviation: u32, tolerance: Score, criteria: usize) -> u32 {
	let allowed = u32::from(tolerance).saturating_mul(criteria as u32);
	if deviation > allowed {
		0
	} else {
		allowed - deviation + 1
	}
}

/// Closeness of an exact match: `τ·C + 1`.
pub fn max_closeness(tolerance: Score, criteria: usize) -> u32 {
	closeness(0, tolerance, criteria)
}

/// Splits `pot` in proportion to `shares`, rounding each payout down. Returns the payouts and
/// the dust `pot − Σ payouts`, which is below the number of non-zero shares (and equals `pot`
/// if every share is zero).
pub fn split_pot(pot: u128, shares: &[u128]) -> (Vec<u128>, u128) {
	let total: u128 = shares.iter().fold(0u128, |acc, s| acc.saturating_add(*s));
	if total == 0 {
		return (shares.iter().map(|_| 0).collect(), pot);
	}
	let payouts: Vec<u128> = shares
		.iter()
		.map(|s| multiply_by_rational_with_rounding(pot, *s, total, Rounding::Down).unwrap_or(0))
		.collect();
	let paid = payouts.iter().fold(0u128, |acc, p| acc.saturating_add(*p));
	(payouts, pot.saturating_sub(paid))
}

/// How one revealed evaluator fares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Assessment {
	/// Total deviation from the consensus over all criteria.
	pub deviation: u32,
	/// `τ·C + 1 − D` within tolerance, zero for an outlier.
	pub closeness: u32,
	/// Share of the pot (rounded down).
	pub payout: u128,
}

/// The whole settlement of a task's reveals: consensus per criterion, each evaluator's
/// assessment, and the pot's dust. `weights` need not be normalized.
pub fn settle(
	reveals: &[&[Score]],
	weights: &[u128],
	criteria: usize,
	tolerance: Score,
	pot: u128,
	kappa: Perbill,
) -> (Vec<Score>, Vec<Assessment>, u128) {
	let weights = normalize_weights(weights);
	let consensus = consensus(reveals, &weights, criteria, kappa);
	let all_zero = weights.iter().all(|w| *w == 0);
	let mut shares = Vec::with_capacity(reveals.len());
	let mut partial = Vec::with_capacity(reveals.len());
	for (scores, w) in reveals.iter().zip(&weights) {
		let deviation = deviation(scores, &consensus);
		let closeness = closeness(deviation, tolerance, criteria);
		let w = if all_zero { 1 } else { *w };
		shares.push(w.saturating_mul(closeness as u128));
		partial.push((deviation, closeness));
	}
	let (payouts, dust) = split_pot(pot, &shares);
	let assessments = partial
		.into_iter()
		.zip(payouts)
		.map(|((deviation, closeness), payout)| Assessment { deviation, closeness, payout })
		.collect();
	(consensus, assessments, dust)
}

#[cfg(test)]
mod tests {
	use super::*;
	use perspective_primitives::evaluation::MAX_SCORE;
	use proptest::prelude::*;

	const HALF: Perbill = Perbill::from_percent(50);

	#[test]
	fn median_of_equal_weights_is_the_upper_median() {
		assert_eq!(weighted_median(&[(40, 1), (60, 1)], HALF), Some(60));
		assert_eq!(weighted_median(&[(10, 1), (50, 1), (90, 1)], HALF), Some(50));
	}

	#[test]
	fn heavy_evaluator_decides_alone_past_half() {
		assert_eq!(weighted_median(&[(10, 6), (90, 2), (95, 2)], HALF), Some(10));
		// 50% exactly is enough (κ-majority: weight ≥ κ).
		assert_eq!(weighted_median(&[(10, 5), (90, 5)], HALF), Some(90));
	}

	/// With κ = 0 any weight is enough, but only weight actually at or above the score: a
	/// top score carried by zero weight alone is not the median.
	#[test]
	fn a_zero_kappa_median_still_needs_weight_at_or_above_it() {
		assert_eq!(weighted_median(&[(90, 0), (10, 1)], Perbill::zero()), Some(10));
		assert_eq!(weighted_median(&[(90, 0), (50, 2), (10, 1)], Perbill::zero()), Some(50));
	}

	#[test]
	fn zero_total_weight_has_no_median() {
		assert_eq!(weighted_median(&[(10, 0), (90, 0)], HALF), None);
		assert_eq!(weighted_median(&[], HALF), None);
	}

	#[test]
	fn all_zero_weights_count_each_evaluator_once() {
		assert_eq!(consensus(&[&[10], &[20], &[90]], &[0, 0, 0], 1, HALF), vec![20]);
	}

	#[test]
	fn normalization_keeps_ratios_and_non_zero_weights() {
		let w = normalize_weights(&[u128::MAX, u128::MAX / 2, 1, 0]);
		assert!(w[0] < 1 << 64 && w[0] >= 1 << 63);
		assert_eq!(w[1], w[0] / 2);
		assert_eq!((w[2], w[3]), (1, 0));
		assert_eq!(normalize_weights(&[5, 7]), vec![5, 7]);
	}

	#[test]
	fn closeness_is_zero_past_tolerance() {
		assert_eq!(closeness(0, 10, 2), 21);
		assert_eq!(closeness(20, 10, 2), 1);
		assert_eq!(closeness(21, 10, 2), 0);
		assert_eq!(max_closeness(0, 3), 1);
	}

	#[test]
	fn settlement_pays_close_evaluators_and_reports_dust() {
		// Two criteria, tolerance 10: consensus (70, 80).
		let reveals: [&[Score]; 4] = [&[70, 80], &[72, 78], &[70, 80], &[10, 10]];
		let (consensus, a, dust) = settle(&reveals, &[1, 1, 1, 1], 2, 10, 1_000, HALF);
		assert_eq!(consensus, vec![70, 80]);
		assert_eq!(a.iter().map(|x| x.deviation).collect::<Vec<_>>(), vec![0, 4, 0, 130]);
		assert_eq!(a.iter().map(|x| x.closeness).collect::<Vec<_>>(), vec![21, 17, 21, 0]);
		// Shares 21:17:21 of 1000 → 355, 288, 355; dust 2.
		assert_eq!(a.iter().map(|x| x.payout).collect::<Vec<_>>(), vec![355, 288, 355, 0]);
		assert_eq!(dust, 2);
	}

	fn entries() -> impl Strategy<Value = Vec<(Score, u128)>> {
		prop::collection::vec((0..=MAX_SCORE, 0u128..1_000_000), 1..40)
	}

	/// Weights that are mostly zero, on one to three entries: about two cases in three have no
	/// weight at all, so the `None` (zero total weight) branch runs in most cases.
	fn sparse_entries() -> impl Strategy<Value = Vec<(Score, u128)>> {
		let weight = prop_oneof![4 => Just(0u128), 1 => 1u128..1_000_000];
		prop::collection::vec((0..=MAX_SCORE, weight), 1..4)
	}

	/// The upper median of `scores` counted once each, computed directly: sorted from the
	/// highest, the ⌈n/2⌉-th score is the largest `v` with at least half the entries ≥ `v`.
	fn upper_median(scores: &[Score]) -> Score {
		let mut sorted = scores.to_vec();
		sorted.sort_unstable_by(|a, b| b.cmp(a));
		sorted[(sorted.len() + 1) / 2 - 1]
	}

	proptest! {
		#[test]
		fn median_lies_within_the_range_of_weighted_scores(e in entries()) {
			if let Some(m) = weighted_median(&e, HALF) {
				let weighted: Vec<Score> = e.iter().filter(|(_, w)| *w > 0).map(|(s, _)| *s).collect();
				prop_assert!(weighted.iter().any(|s| *s == m), "the median is one of the scores");
				prop_assert!(m >= *weighted.iter().min().unwrap() && m <= *weighted.iter().max().unwrap());
			} else {
				prop_assert!(e.iter().all(|(_, w)| *w == 0));
			}
		}

		#[test]
		fn median_lies_within_the_range_of_weighted_scores_even_with_zero_weights(e in sparse_entries()) {
			match weighted_median(&e, HALF) {
				Some(m) => {
					let weighted: Vec<Score> = e.iter().filter(|(_, w)| *w > 0).map(|(s, _)| *s).collect();
					prop_assert!(weighted.contains(&m), "the median is one of the weighted scores");
				},
				// Documented: `None` if (and only if) the total weight is zero.
				None => prop_assert!(e.iter().all(|(_, w)| *w == 0)),
			}
			if e.iter().all(|(_, w)| *w == 0) {
				prop_assert_eq!(weighted_median(&e, HALF), None);
			}
		}

		/// With every weight zero each evaluator counts once: the consensus of each criterion is
		/// the upper median of its scores, and the pot splits by closeness alone, exactly as
		/// with equal weights.
		#[test]
		fn all_zero_weights_count_each_evaluator_once_in_consensus_and_payouts(
			reveals in prop::collection::vec(prop::collection::vec(0..=MAX_SCORE, 2), 1..12),
			tolerance in 0..=MAX_SCORE,
			pot in 0u128..1_000_000_000,
		) {
			let slices: Vec<&[Score]> = reveals.iter().map(|r| r.as_slice()).collect();
			let zeros = vec![0u128; reveals.len()];
			let expected: Vec<Score> = (0..2)
				.map(|c| upper_median(&reveals.iter().map(|r| r[c]).collect::<Vec<_>>()))
				.collect();
			prop_assert_eq!(consensus(&slices, &zeros, 2, HALF), expected.clone());

			let (agreed, a, dust) = settle(&slices, &zeros, 2, tolerance, pot, HALF);
			prop_assert_eq!(&agreed, &expected);
			// Closeness per evaluator, then pot × closeness / Σ closeness, rounded down.
			let allowed = tolerance as u128 * 2;
			let close: Vec<u128> = reveals
				.iter()
				.map(|r| {
					let d = r.iter().zip(&expected).map(|(s, c)| s.abs_diff(*c) as u128).sum::<u128>();
					if d > allowed { 0 } else { allowed - d + 1 }
				})
				.collect();
			let total: u128 = close.iter().sum();
			let payouts: Vec<u128> = a.iter().map(|x| x.payout).collect();
			let wanted: Vec<u128> =
				close.iter().map(|q| if total == 0 { 0 } else { pot * q / total }).collect();
			prop_assert_eq!(&payouts, &wanted);
			prop_assert_eq!(dust, pot - wanted.iter().sum::<u128>());
		}

		#[test]
		fn median_ignores_order(e in entries(), seed in any::<u64>()) {
			let mut shuffled = e.clone();
			// A deterministic permutation from the seed.
			let n = shuffled.len();
			for i in (1..n).rev() {
				let j = (seed.wrapping_mul(i as u64 + 7) % (i as u64 + 1)) as usize;
				shuffled.swap(i, j);
			}
			prop_assert_eq!(weighted_median(&e, HALF), weighted_median(&shuffled, HALF));
		}

		#[test]
		fn median_is_monotone_in_each_score(e in entries(), idx in any::<prop::sample::Index>(), up in 0..=MAX_SCORE) {
			let i = idx.index(e.len());
			let mut raised = e.clone();
			raised[i].0 = raised[i].0.max(up);
			prop_assert!(weighted_median(&raised, HALF) >= weighted_median(&e, HALF));
		}

		#[test]
		fn zero_weight_changes_nothing(e in entries(), s in 0..=MAX_SCORE) {
			let mut with_zero = e.clone();
			with_zero.push((s, 0));
			prop_assert_eq!(weighted_median(&e, HALF), weighted_median(&with_zero, HALF));
		}

		#[test]
		fn payouts_never_exceed_the_pot(pot in any::<u128>(), shares in prop::collection::vec(any::<u64>(), 0..64)) {
			let shares: Vec<u128> = shares.into_iter().map(u128::from).collect();
			let (payouts, dust) = split_pot(pot, &shares);
			let paid: u128 = payouts.iter().sum();
			prop_assert_eq!(paid + dust, pot);
			let recipients = shares.iter().filter(|s| **s > 0).count() as u128;
			if recipients > 0 {
				prop_assert!(dust < recipients, "dust {} is below one unit per recipient", dust);
			}
			for (p, s) in payouts.iter().zip(&shares) {
				if *s == 0 { prop_assert_eq!(*p, 0); }
			}
		}

		#[test]
		fn settlement_accounts_for_the_whole_pot(
			reveals in prop::collection::vec(prop::collection::vec(0..=MAX_SCORE, 3), 1..32),
			weights in prop::collection::vec(any::<u128>(), 32),
			tolerance in 0..=MAX_SCORE,
			pot in any::<u128>(),
		) {
			let slices: Vec<&[Score]> = reveals.iter().map(|r| r.as_slice()).collect();
			let weights = &weights[..reveals.len()];
			let (consensus, a, dust) = settle(&slices, weights, 3, tolerance, pot, HALF);
			prop_assert_eq!(consensus.len(), 3);
			let paid: u128 = a.iter().map(|x| x.payout).sum();
			prop_assert_eq!(paid + dust, pot);
			for x in &a {
				prop_assert_eq!(x.closeness == 0, x.deviation > tolerance as u32 * 3);
				if x.closeness == 0 { prop_assert_eq!(x.payout, 0); }
			}
		}
	}
}
