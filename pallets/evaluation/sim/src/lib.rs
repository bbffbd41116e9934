//! Drives `pallet-evaluation`'s own aggregation and payout code ([`pallet_evaluation::consensus`])
//! over simulated tasks with a known ground truth, to compare aggregators and see who gets paid.
//!
//! Population per task (20 evaluators, 2 criteria, scores 0..=100):
//! - **honest**: truth + noise (approximately normal, σ = `noise`), rounded and clamped;
//! - **random**: uniform scores;
//! - **lazy**: always 50;
//! - **colluders**: a bloc holding `collusion` of the total weight, all scoring truth + `bias`.
//!
//! Weights (bond × reputation) of honest, random and lazy evaluators are uniform in 1..=10;
//! the bloc's weight is set so it holds exactly the requested share. The unweighted median
//! is computed with the bloc holding the same share of *accounts* (a Sybil bloc: accounts
//! are cheap, weight is not).

use pallet_evaluation::{
	consensus::{self, normalize_weights, weighted_median},
	Score, KAPPA, MAX_SCORE,
};

/// A small deterministic PRNG (SplitMix64): the same seed gives the same table everywhere.
pub struct Rng(u64);

impl Rng {
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	/// Uniform in [0, 1).
	pub fn unit(&mut self) -> f64 {
		(self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
	}
	/// Uniform integer in `lo..=hi`.
	pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
		lo + self.next_u64() % (hi - lo + 1)
	}
	/// Approximately standard normal (Irwin–Hall with 12 uniforms).
	pub fn normal(&mut self) -> f64 {
		(0..12).map(|_| self.unit()).sum::<f64>() - 6.0
	}
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Group {
	Honest,
	Random,
	Lazy,
	Colluder,
}

pub const GROUPS: [Group; 4] = [Group::Honest, Group::Random, Group::Lazy, Group::Colluder];

/// Simulation settings.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
	pub tasks: u32,
	pub criteria: usize,
	pub honest: u32,
	pub random: u32,
	pub lazy: u32,
	pub colluders: u32,
	/// Share of the total weight the colluding bloc holds (0.0..1.0).
	pub collusion: f64,
	/// Points the bloc adds to the truth.
	pub bias: f64,
	/// Honest noise (standard deviation, points).
	pub noise: f64,
	/// Tolerance per criterion (the pallet's `tolerance` parameter).
	pub tolerance: Score,
	/// Reputation for an exact match and for an outlier (the pallet's `accuracy_reward` and
	/// `outlier_penalty`).
	pub accuracy_reward: f64,
	pub outlier_penalty: f64,
	pub seed: u64,
}

impl Default for Scenario {
	fn default() -> Self {
		Self {
			tasks: 2_000,
			criteria: 2,
			honest: 12,
			random: 2,
			lazy: 2,
			colluders: 4,
			collusion: 0.0,
			bias: 30.0,
			noise: 5.0,
			tolerance: 10,
			accuracy_reward: 1_000.0,
			outlier_penalty: 2_000.0,
			seed: 42,
		}
	}
}

/// What a scenario measured.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
	/// Mean absolute error of the consensus vs the truth, per aggregator (points).
	pub error_kappa_median: f64,
	pub error_weighted_mean: f64,
	pub error_plain_median: f64,
	/// Share of all pots paid to each group (in `GROUPS` order); the rest is dust.
	pub reward_share: [f64; 4],
	/// Share of each group's reveals judged outliers.
	pub outlier_rate: [f64; 4],
	/// Mean reputation change per reveal, per group.
	pub reputation_per_reveal: [f64; 4],
}

fn clamp_score(x: f64) -> Score {
	x.round().clamp(0.0, MAX_SCORE as f64) as Score
}

pub fn run(s: &Scenario) -> Outcome {
	let mut rng = Rng::new(s.seed);
	let colluders = if s.collusion > 0.0 { s.colluders } else { 0 };
	let mut groups = Vec::new();
	for (g, n) in [(Group::Honest, s.honest), (Group::Random, s.random), (Group::Lazy, s.lazy), (Group::Colluder, colluders)] {
		groups.extend((0..n).map(|_| g));
	}
	let pot: u128 = 1_000_000_000_000;
	let mut out = Outcome::default();
	let mut paid = [0u128; 4];
	let mut outliers = [0u64; 4];
	let mut reveals = [0u64; 4];
	let mut reputation = [0f64; 4];
	let idx = |g: Group| GROUPS.iter().position(|x| *x == g).unwrap_or(0);
	for _ in 0..s.tasks {
		let truth: Vec<f64> = (0..s.criteria).map(|_| rng.range(10, 90) as f64).collect();
		let mut weights: Vec<u128> =
			groups.iter().map(|g| if *g == Group::Colluder { 0 } else { rng.range(1, 10) as u128 * 1_000 }).collect();
		if colluders > 0 {
			let others: u128 = weights.iter().sum();
			let bloc = (others as f64 * s.collusion / (1.0 - s.collusion)) as u128;
			for (w, g) in weights.iter_mut().zip(&groups) {
				if *g == Group::Colluder {
					*w = bloc / colluders as u128;
				}
			}
		}
		let scores: Vec<Vec<Score>> = groups
			.iter()
			.map(|g| {
				truth
					.iter()
					.map(|t| match g {
						Group::Honest => clamp_score(t + s.noise * rng.normal()),
						Group::Random => rng.range(0, MAX_SCORE as u64) as Score,
						Group::Lazy => 50,
						Group::Colluder => clamp_score(t + s.bias),
					})
					.collect()
			})
			.collect();
		let slices: Vec<&[Score]> = scores.iter().map(|v| v.as_slice()).collect();

		let (consensus, assessments, _) =
			consensus::settle(&slices, &weights, s.criteria, s.tolerance, pot, KAPPA);
		let normalized = normalize_weights(&weights);
		for c in 0..s.criteria {
			let column: Vec<(Score, u128)> = scores.iter().map(|v| v[c]).zip(normalized.iter().copied()).collect();
			let total: u128 = normalized.iter().sum();
			let mean = column.iter().map(|(x, w)| *x as f64 * *w as f64).sum::<f64>() / total as f64;
			// Sybil bloc: as many bloc accounts as give it the same share of heads.
			let others = groups.iter().filter(|g| **g != Group::Colluder).count() as f64;
			let sybils = (others * s.collusion / (1.0 - s.collusion)).round() as usize;
			let bloc_score = clamp_score(truth[c] + s.bias);
			let plain: Vec<(Score, u128)> = column
				.iter()
				.zip(&groups)
				.filter(|(_, g)| **g != Group::Colluder)
				.map(|((x, _), _)| (*x, 1))
				.chain(core::iter::repeat((bloc_score, 1)).take(sybils))
				.collect();
			let median = weighted_median(&plain, KAPPA).unwrap_or(0);
			out.error_kappa_median += (consensus[c] as f64 - truth[c]).abs();
			out.error_weighted_mean += (mean.round() - truth[c]).abs();
			out.error_plain_median += (median as f64 - truth[c]).abs();
		}
		for (a, g) in assessments.iter().zip(&groups) {
			let i = idx(*g);
			paid[i] += a.payout;
			reveals[i] += 1;
			if a.closeness == 0 {
				outliers[i] += 1;
				reputation[i] -= s.outlier_penalty;
			} else {
				let best = consensus::max_closeness(s.tolerance, s.criteria) as f64;
				reputation[i] += (s.accuracy_reward * a.closeness as f64 / best).floor();
			}
		}
	}
	let n = (s.tasks as usize * s.criteria) as f64;
	out.error_kappa_median /= n;
	out.error_weighted_mean /= n;
	out.error_plain_median /= n;
	let total_pot = pot as f64 * s.tasks as f64;
	for i in 0..4 {
		out.reward_share[i] = paid[i] as f64 / total_pot;
		out.outlier_rate[i] = if reveals[i] == 0 { 0.0 } else { outliers[i] as f64 / reveals[i] as f64 };
		out.reputation_per_reveal[i] = if reveals[i] == 0 { 0.0 } else { reputation[i] / reveals[i] as f64 };
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	fn quick(collusion: f64) -> Outcome {
		run(&Scenario { tasks: 300, collusion, ..Default::default() })
	}

	#[test]
	fn honest_majority_keeps_consensus_close_and_gets_paid() {
		let o = quick(0.0);
		assert!(o.error_kappa_median < 3.0, "error {}", o.error_kappa_median);
		assert!(o.reward_share[0] > 0.8, "honest share {}", o.reward_share[0]);
		assert!(o.outlier_rate[0] < 0.05, "honest outliers {}", o.outlier_rate[0]);
		assert!(o.outlier_rate[1] > 0.5, "random scorers are mostly outliers");
	}

	#[test]
	fn the_median_resists_a_bloc_the_mean_follows() {
		let o = quick(0.3);
		// The mean moves by about 30% of the 30-point bias; the κ-median far less.
		assert!(o.error_weighted_mean > 7.0, "mean error {}", o.error_weighted_mean);
		assert!(o.error_kappa_median < 0.6 * o.error_weighted_mean, "{:?}", o);
		assert!(o.reward_share[3] < 0.02, "the bloc earns almost nothing: {:?}", o);
		// Honest evaluators gain reputation on average; the bloc, random and lazy scorers lose it.
		assert!(o.reputation_per_reveal[0] > 0.0, "{:?}", o);
		assert!(o.reputation_per_reveal[1..].iter().all(|r| *r < 0.0), "{:?}", o);
	}

	#[test]
	fn same_seed_same_result() {
		assert_eq!(format!("{:?}", quick(0.2)), format!("{:?}", quick(0.2)));
	}
}
