//! Exponential decay maths, pure and O(1).
//!
//! Time is measured on a global **decay clock** that counts elapsed half-lives in fixed point
//! (`CLOCK_ONE` = one half-life). A score stored at clock `c0` is worth
//! `value · 2^-(c_now - c0)` at clock `c_now`. Because decay depends only on the clock
//! difference, decaying in several steps equals decaying once, and a governance change of the
//! half-life only changes how fast the clock advances from then on.
//!
//! Account scores are rounded **down** and the total is rounded **up**, so the stored total is
//! always at least the sum of all account scores (see `tests::total_bounds_sum`).

use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};

/// One half-life on the decay clock, and the fixed-point unit of decay factors (1e18).
pub const CLOCK_ONE: u128 = 1_000_000_000_000_000_000;
/// ln 2 × 1e18, rounded down.
const LN_2: u128 = 693_147_180_559_945_309;
/// Absolute error bound of [`exp2_neg_fraction`] in units of 1e-18: the series has at most
/// 25 terms, each rounded once, plus the truncation of `LN_2` and of the series itself.
const FACTOR_ERROR: u128 = 32;

/// `2^-(fraction / CLOCK_ONE)` for `fraction < CLOCK_ONE`, scaled by `CLOCK_ONE`, as a
/// (lower, upper) bound pair that brackets the exact value.
pub fn exp2_neg_fraction(fraction: u128) -> (u128, u128) {
	debug_assert!(fraction < CLOCK_ONE);
	if fraction == 0 {
		return (CLOCK_ONE, CLOCK_ONE);
	}
	// x = fraction · ln 2 ∈ (0, ln 2); e^-x = Σ (-x)^k / k!, terms shrink by at least x/k.
	let x = multiply_by_rational_with_rounding(fraction, LN_2, CLOCK_ONE, Rounding::Down)
		.unwrap_or(LN_2);
	let mut sum_positive = CLOCK_ONE;
	let mut sum_negative = 0u128;
	let mut term = CLOCK_ONE;
	let mut k = 1u128;
	while k <= 25 {
		// term < 1e18 and x < 1e18, so term · x < 1e36 fits in u128.
		term = term.saturating_mul(x) / CLOCK_ONE / k;
		if term == 0 {
			break;
		}
		if k % 2 == 1 {
			sum_negative = sum_negative.saturating_add(term);
		} else {
			sum_positive = sum_positive.saturating_add(term);
		}
		k += 1;
	}
	let estimate = sum_positive.saturating_sub(sum_negative);
	(
		estimate.saturating_sub(FACTOR_ERROR),
		estimate.saturating_add(FACTOR_ERROR).min(CLOCK_ONE),
	)
}

/// `value · 2^-(elapsed / CLOCK_ONE)`, rounded down (`Rounding::Down`) or up (`Rounding::Up`)
/// so that the result is a lower or upper bound of the exact value.
pub fn decay(value: u128, elapsed: u128, rounding: Rounding) -> u128 {
	if value == 0 || elapsed == 0 {
		return value;
	}
	let up = matches!(rounding, Rounding::Up);
	let halvings = elapsed / CLOCK_ONE;
	let fraction = elapsed % CLOCK_ONE;
	if halvings >= 128 {
		return if up { 1 } else { 0 };
	}
	let halved = if up {
		// ceil(value / 2^halvings)
		let divisor = 1u128 << halvings;
		value / divisor + u128::from(value % divisor != 0)
	} else {
		value >> halvings
	};
	let (lower, upper) = exp2_neg_fraction(fraction);
	let factor = if up { upper } else { lower };
	multiply_by_rational_with_rounding(halved, factor, CLOCK_ONE, rounding).unwrap_or(halved)
}

/// How far the decay clock advances over `blocks` blocks with the given half-life (in blocks).
/// A half-life of zero means decay is switched off.
pub fn clock_advance(blocks: u128, half_life: u128) -> u128 {
	if half_life == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(blocks, CLOCK_ONE, half_life, Rounding::Down)
		.unwrap_or(u128::MAX)
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	fn exact(value: u128, elapsed: u128) -> f64 {
		value as f64 * 2f64.powf(-(elapsed as f64) / CLOCK_ONE as f64)
	}

	#[test]
	fn one_half_life_halves() {
		assert_eq!(decay(1_000_000, CLOCK_ONE, Rounding::Down), 500_000);
		assert_eq!(decay(1_000_000, CLOCK_ONE, Rounding::Up), 500_000);
		assert_eq!(decay(1_000_000, 2 * CLOCK_ONE, Rounding::Down), 250_000);
	}

	#[test]
	fn factor_brackets_known_values() {
		// 2^-0.5 = 0.70710678118654752440
		let (lower, upper) = exp2_neg_fraction(CLOCK_ONE / 2);
		assert!(lower <= 707_106_781_186_547_524 && 707_106_781_186_547_525 <= upper);
		assert!(upper - lower <= 2 * FACTOR_ERROR);
	}

	#[test]
	fn zero_and_ancient_values() {
		assert_eq!(decay(0, 5 * CLOCK_ONE, Rounding::Up), 0);
		assert_eq!(decay(7, 0, Rounding::Down), 7);
		assert_eq!(decay(u128::MAX, 200 * CLOCK_ONE, Rounding::Down), 0);
		assert_eq!(decay(u128::MAX, 200 * CLOCK_ONE, Rounding::Up), 1);
		// Nothing stays nothing, however old and however rounded: an upper bound must not
		// mint a unit of reputation for an account that never had any (the only mutant
		// cargo-mutants found surviving here: `value == 0 && elapsed == 0`).
		assert_eq!(decay(0, 200 * CLOCK_ONE, Rounding::Up), 0);
		assert_eq!(decay(0, 200 * CLOCK_ONE, Rounding::Down), 0);
	}

	#[test]
	fn clock_advance_is_linear_and_switchable() {
		assert_eq!(clock_advance(100, 100), CLOCK_ONE);
		assert_eq!(clock_advance(50, 100), CLOCK_ONE / 2);
		assert_eq!(clock_advance(1_000, 0), 0);
	}

	proptest! {
		#[test]
		fn bounds_bracket_exact(value in 0u128..1u128 << 100, elapsed in 0u128..40 * CLOCK_ONE) {
			let down = decay(value, elapsed, Rounding::Down);
			let up = decay(value, elapsed, Rounding::Up);
			prop_assert!(down <= up);
			let e = exact(value, elapsed);
			// f64 has ~1e-16 relative precision; allow that much slack around the bounds.
			let slack = e * 1e-12 + 1.0;
			prop_assert!(down as f64 <= e + slack);
			prop_assert!(up as f64 >= e - slack);
			prop_assert!(up - down <= value / (1u128 << 40) + 2, "bounds are tight");
		}

		#[test]
		fn never_grows_and_is_monotone(value in 0u128..u128::MAX, a in 0u128..200 * CLOCK_ONE, b in 0u128..200 * CLOCK_ONE) {
			let (short, long) = if a <= b { (a, b) } else { (b, a) };
			prop_assert!(decay(value, short, Rounding::Down) <= value);
			prop_assert!(decay(value, long, Rounding::Down) <= decay(value, short, Rounding::Down));
			prop_assert!(decay(value, long, Rounding::Up) <= decay(value, short, Rounding::Up).max(1));
		}

		#[test]
		fn stepwise_down_never_exceeds_stepwise_up(value in 0u128..1u128 << 90, steps in proptest::collection::vec(0u128..3 * CLOCK_ONE, 1..20)) {
			// An account decayed in many small steps (rounding down) stays below a total decayed
			// in one step (rounding up) and vice versa: the invariant total >= account.
			let mut account = value;
			let mut total = value;
			let mut elapsed = 0u128;
			for step in &steps {
				account = decay(account, *step, Rounding::Down);
				elapsed += step;
			}
			total = decay(total, elapsed, Rounding::Up);
			prop_assert!(account <= total);
			let mut total_steps = value;
			for step in &steps {
				total_steps = decay(total_steps, *step, Rounding::Up);
			}
			prop_assert!(decay(value, elapsed, Rounding::Down) <= total_steps);
		}

		#[test]
		fn total_bounds_sum(values in proptest::collection::vec(0u128..1u128 << 80, 1..20), elapsed in 0u128..20 * CLOCK_ONE) {
			let sum: u128 = values.iter().sum();
			let decayed_sum: u128 = values.iter().map(|v| decay(*v, elapsed, Rounding::Down)).sum();
			prop_assert!(decayed_sum <= decay(sum, elapsed, Rounding::Up));
		}
	}
}
