//! Drives `pallet-evaluation`'s own aggregation and payout code ([`pallet_evaluation::consensus`])
//! over simulated tasks with a known ground truth, to compare aggregators and see who gets paid.
//!
//! # Aggregation study ([`run`])
//!
//! Every evaluator reveals every task (no draw). Population per task (20 evaluators,
//! 2 criteria, scores 0..=100):
//! - **honest**: truth + noise (approximately normal, σ = `noise`), rounded and clamped;
//! - **random**: uniform scores;
//! - **lazy**: always 50;
//! - **colluders**: a bloc holding `collusion` of the total weight, all scoring truth + `bias`.
//!
//! Weights (bond × reputation) of honest, random and lazy evaluators are uniform in 1..=10;
//! the bloc's weight is set so it holds exactly the requested share. The unweighted median
//! is computed with the bloc holding the same share of *accounts* (a Sybil bloc: accounts
//! are cheap, weight is not).
//!
//! # Panels drawn by lot (issue 15)
//!
//! The second half of this file models the new rule: each task's panel is `k` seats drawn
//! independently **with replacement**, each seat to an eligible evaluator with probability
//! proportional to its bond; consensus weight = seats; rewards and penalties are per seat.
//! - [`capture_probability`] is the exact binomial chance that a bloc holding `share` of the
//!   eligible bond holds the κ = ½ median of a panel (at least `⌈k/2⌉` seats);
//! - [`draw_panel`] draws a panel (bloc accounts first, so a bloc split into several accounts
//!   gets exactly the seats one account would have: split-neutral);
//! - [`run_panels`] settles many seeded tasks with [`consensus::settle`] (weights = seats) and
//!   applies the per-seat rewards and penalties, for a bloc that evaluates honestly, always lies,
//!   or lies only when it holds the median (it sees its seats before it commits);
//! - [`old_rule_self_dealing`] and [`old_rule_lying`] are today's first-come rule, where the bloc
//!   commits first and fills the whole panel (`min_evaluators = max_evaluators = 3`) at any share.
//!
//! # Appeals
//!
//! The last part models disputes: a bloc (bribed or colluding) that always reveals a verdict
//! 40 points off the truth, against an honest appellant who appeals every shifted verdict.
//! - [`appeal_panel_size`]: an appeal round has `2n + 1` seats (7 → 15 → 31);
//! - [`run_dispute`] plays one dispute: round 0 drawn by lot, appeal rounds drawn from the
//!   evaluators who sat on no earlier round, governance (assumed right) after
//!   `max_appeal_rounds`, then the pallet's settlement on the final verdict (pot to round 0's
//!   coherent members, outliers slashed into a pool with the failed appeals' bonds, the pool
//!   split between successful appellants and coherent appeal-round members);
//! - [`run_appeals`] averages many seeded disputes into an [`AppealsRow`], [`appeals_rows`] one
//!   per bloc share, for an honest appellant alone (A) or a bloc that also appeals honest
//!   verdicts it has a chance to capture (B).

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
	// Clamped to 0..=MAX_SCORE first, so the float-to-integer cast is exact.
	x.round().clamp(0.0, f64::from(MAX_SCORE)) as Score
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
						// Uniform in 0..=MAX_SCORE, so the conversion never fails.
						Group::Random => Score::try_from(rng.range(0, u64::from(MAX_SCORE))).unwrap_or(MAX_SCORE),
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

// ---------------------------------------------------------------------------------------------
// Panels drawn by lot (issue 15)
// ---------------------------------------------------------------------------------------------

/// Planck per PRSP (the runtime's `UNIT`).
pub const PLANCK_PER_PRSP: f64 = 1e12;

/// Seats a bloc needs to hold the κ = ½ weighted median of a `k`-seat panel when all its seats
/// push the same way: `⌈k/2⌉`. For an odd `k` that is a strict majority, so the direction of
/// the push does not matter; for an even `k` exactly half sets the median only pushing up.
pub fn median_seats(k: u32) -> u32 {
	k.div_ceil(2)
}

/// `C(n, i)` as a float (exact for the panel sizes used here).
fn choose(n: u32, i: u32) -> f64 {
	(0..i).fold(1.0, |acc, j| acc * (n - j) as f64 / (j + 1) as f64)
}

/// `P(X = i)` for `X ~ Binomial(n, p)`.
pub fn binomial_pmf(n: u32, i: u32, p: f64) -> f64 {
	if i > n {
		return 0.0;
	}
	choose(n, i) * p.powi(i as i32) * (1.0 - p).powi((n - i) as i32)
}

/// `P(X ≥ at_least)` for `X ~ Binomial(n, p)`.
pub fn binomial_tail(n: u32, at_least: u32, p: f64) -> f64 {
	(at_least..=n).map(|i| binomial_pmf(n, i, p)).sum::<f64>().clamp(0.0, 1.0)
}

/// Exact probability that a bloc holding `share` of the eligible bond holds at least half the
/// seats (`≥ ⌈k/2⌉`) of a `k`-seat panel drawn seat by seat, with replacement, in proportion to
/// bond. With κ = ½ the weighted median is then the bloc's score whenever all its seats push
/// the same way. Depends on the bloc's total share only, not on how it is split into accounts.
pub fn capture_probability(k: u32, share: f64) -> f64 {
	binomial_tail(k, median_seats(k), share)
}

/// Probability that a bloc with `share` of the bond can make a `k`-seat task fail by
/// withholding its reveals: the honest seats alone are fewer than `quorum` (`k − X < quorum`).
pub fn withholding_probability(k: u32, quorum: u32, share: f64) -> f64 {
	if quorum > k {
		return 1.0;
	}
	binomial_tail(k, k - quorum + 1, share)
}

/// Probability that a task of `k` honest seats fails for lack of `quorum` revealed seats when
/// each seat reveals independently with probability `availability` (downtime, no attacker).
pub fn downtime_failure_probability(k: u32, quorum: u32, availability: f64) -> f64 {
	1.0 - binomial_tail(k, quorum, availability)
}

/// Probability that a bloc with `share` of the bond sets the consensus of a `k`-seat task when
/// each honest seat reveals with probability `availability` (its own seats always reveal): it
/// holds at least half of the *revealed* seats (`X ≥ H`, pushing up) and the task reaches
/// `quorum`. With `availability = 1` and odd `k` this is [`capture_probability`].
pub fn capture_probability_with_downtime(k: u32, quorum: u32, share: f64, availability: f64) -> f64 {
	(0..=k)
		.map(|x| {
			let honest = k - x;
			binomial_pmf(k, x, share) *
				(0..=honest)
					.filter(|h| x >= *h && x + h >= quorum)
					.map(|h| binomial_pmf(honest, h, availability))
					.sum::<f64>()
		})
		.sum()
}

/// Draws `k` seats independently with replacement, each to account `i` with probability
/// `bonds[i] / Σ bonds`, and returns the seats per account. An account of bond zero (e.g. the
/// task's opener, whose weight the pallet skips) is never drawn. One uniform number per seat:
/// accounts placed first get the same total seats however their bond is split among them.
pub fn draw_panel(rng: &mut Rng, bonds: &[f64], k: u32) -> Vec<u32> {
	let total: f64 = bonds.iter().sum();
	let mut seats = vec![0u32; bonds.len()];
	if total <= 0.0 {
		return seats;
	}
	for _ in 0..k {
		let mut u = rng.unit() * total;
		// The last account with a positive bond absorbs rounding at the top of the range.
		let mut chosen = bonds.iter().rposition(|b| *b > 0.0).unwrap_or(0);
		for (i, b) in bonds.iter().enumerate() {
			if *b > 0.0 && u < *b {
				chosen = i;
				break;
			}
			u -= b;
		}
		seats[chosen] += 1;
	}
	seats
}

/// How the bloc scores the tasks it is drawn for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Play {
	/// Truth plus the honest noise (one draw for the whole bloc, shared by all its seats).
	Honest,
	/// `lie` points off the truth on every criterion, on every task it holds a seat in.
	AlwaysLie,
	/// Lies only when it holds the median (`≥ ⌈k/2⌉` seats, which it sees before committing),
	/// otherwise plays honest.
	LieWhenHoldingMedian,
	/// Lazy: 50 on every criterion, without looking at the output.
	Lazy,
}

/// A population of bonded evaluators and the pallet parameters of the new rule.
#[derive(Clone, Copy, Debug)]
pub struct Panel {
	/// `panel_size`: seats drawn per task.
	pub panel_size: u32,
	/// The bloc's share of the eligible bond (0.0..1.0).
	pub share: f64,
	/// Accounts the bloc splits its bond into (they all report the same scores).
	pub bloc_accounts: u32,
	/// Honest accounts, bonds uniform in `1..=10 × min_bond` (fixed per run).
	pub honest_accounts: u32,
	pub tasks: u32,
	pub criteria: usize,
	/// Honest noise (standard deviation, points).
	pub noise: f64,
	/// Points the lying bloc moves every criterion (up, or down where up would leave the scale).
	pub lie: f64,
	pub tolerance: Score,
	/// `min_bond`, PRSP.
	pub min_bond: f64,
	/// The pot (`min_reward`), PRSP.
	pub pot: f64,
	/// Reputation per seat for an exact match, and lost per outlier seat.
	pub accuracy_reward: f64,
	pub outlier_penalty: f64,
	/// `outlier_slash`: fraction of `min_bond` burnt per outlier seat (capped at the bond).
	pub outlier_slash: f64,
	pub seed: u64,
}

impl Default for Panel {
	fn default() -> Self {
		Self {
			panel_size: 7,
			share: 0.0,
			bloc_accounts: 4,
			honest_accounts: 50,
			tasks: 40_000,
			criteria: 2,
			noise: 5.0,
			lie: 30.0,
			tolerance: 10,
			min_bond: 100.0,
			pot: 1.0,
			accuracy_reward: 1_000.0,
			outlier_penalty: 2_000.0,
			outlier_slash: 0.05,
			seed: 42,
		}
	}
}

/// Per-task averages of [`run_panels`]. PRSP figures are net of slashes (and, on the bloc's
/// own task, of the pot it paid and the dust it got back); reputation figures are uncapped
/// (the pallet caps a loss at what the account has, so a fresh Sybil loses only bond).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PanelOutcome {
	/// Share of tasks where the bloc holds `≥ ⌈k/2⌉` seats.
	pub holds_median: f64,
	/// Share of tasks where the bloc lied and the consensus is its lie on every criterion.
	pub captured: f64,
	/// Mean seats of the bloc per task.
	pub bloc_seats: f64,
	/// The bloc's PRSP per task (payouts − slashes − pot paid + dust back).
	pub bloc_prsp: f64,
	/// The bloc's reputation change per task.
	pub bloc_reputation: f64,
	/// PRSP slashed from the bloc per task.
	pub bloc_slashed: f64,
	/// An honest seat's PRSP (payout − slash) and reputation per task.
	pub honest_prsp_per_seat: f64,
	pub honest_reputation_per_seat: f64,
	/// Share of honest seats judged outliers.
	pub honest_outlier_rate: f64,
	/// Mean |consensus − truth| per criterion (points).
	pub error: f64,
}

/// The score a lying bloc reveals for a criterion whose truth is `truth`.
fn lie_score(truth: f64, lie: f64) -> Score {
	if truth + lie <= f64::from(MAX_SCORE) {
		clamp_score(truth + lie)
	} else {
		clamp_score(truth - lie)
	}
}

/// Settles `p.tasks` seeded tasks under the new rule: each task draws a panel of
/// `p.panel_size` seats by bond with replacement, every drawn account reveals once with weight
/// = its seats, [`consensus::settle`] computes the consensus and the pot's split, and each
/// account gets, per seat, `accuracy_reward × c/best` (floored) if accurate, or loses
/// `outlier_penalty` and `outlier_slash × min_bond` (capped at its bond) if an outlier.
/// `own_task`: the bloc opened the task (from an account without bond, so the draw is the
/// same), pays the pot and gets the dust back.
pub fn run_panels(p: &Panel, play: Play, own_task: bool) -> PanelOutcome {
	assert!((0.0..1.0).contains(&p.share), "share must be in [0, 1)");
	let mut rng = Rng::new(p.seed);
	let honest: Vec<f64> = (0..p.honest_accounts).map(|_| rng.range(1, 10) as f64 * p.min_bond).collect();
	let honest_total: f64 = honest.iter().sum();
	let blocs = if p.share > 0.0 { p.bloc_accounts.max(1) } else { 0 };
	let bloc_bond = honest_total * p.share / (1.0 - p.share);
	// Bloc accounts first (see `draw_panel`).
	let bonds: Vec<f64> = (0..blocs).map(|_| bloc_bond / blocs as f64).chain(honest.iter().copied()).collect();
	let is_bloc = |i: usize| i < blocs as usize;
	let pot = (p.pot * PLANCK_PER_PRSP) as u128;
	let k = p.panel_size;
	let best = consensus::max_closeness(p.tolerance, p.criteria) as f64;
	let mut o = PanelOutcome::default();
	let (mut honest_seats, mut honest_outlier_seats) = (0f64, 0f64);
	let (mut honest_prsp, mut honest_reputation) = (0f64, 0f64);
	for _ in 0..p.tasks {
		let truth: Vec<f64> = (0..p.criteria).map(|_| rng.range(10, 90) as f64).collect();
		let seats = draw_panel(&mut rng, &bonds, k);
		let bloc_seats: u32 = seats.iter().enumerate().filter(|(i, _)| is_bloc(*i)).map(|(_, s)| *s).sum();
		// The bloc's honest opinion is drawn on every task, so every play sees the same numbers.
		let bloc_honest: Vec<Score> = truth.iter().map(|t| clamp_score(t + p.noise * rng.normal())).collect();
		let holds = bloc_seats >= median_seats(k);
		let lying = bloc_seats > 0 &&
			match play {
				Play::Honest | Play::Lazy => false,
				Play::AlwaysLie => true,
				Play::LieWhenHoldingMedian => holds,
			};
		let bloc_report: Vec<Score> = if lying {
			truth.iter().map(|t| lie_score(*t, p.lie)).collect()
		} else if play == Play::Lazy {
			vec![50; p.criteria]
		} else {
			bloc_honest
		};
		let mut members = Vec::new();
		let mut reports: Vec<Vec<Score>> = Vec::new();
		let mut weights = Vec::new();
		for (i, s) in seats.iter().enumerate() {
			if *s == 0 {
				continue;
			}
			members.push(i);
			weights.push(*s as u128);
			reports.push(if is_bloc(i) {
				bloc_report.clone()
			} else {
				truth.iter().map(|t| clamp_score(t + p.noise * rng.normal())).collect()
			});
		}
		let slices: Vec<&[Score]> = reports.iter().map(|r| r.as_slice()).collect();
		let (consensus, assessments, dust) = consensus::settle(&slices, &weights, p.criteria, p.tolerance, pot, KAPPA);
		o.holds_median += holds as u8 as f64;
		o.bloc_seats += bloc_seats as f64;
		if lying && consensus == bloc_report {
			o.captured += 1.0;
		}
		o.error += consensus.iter().zip(&truth).map(|(c, t)| (*c as f64 - t).abs()).sum::<f64>();
		if own_task {
			o.bloc_prsp += (dust as f64 - pot as f64) / PLANCK_PER_PRSP;
		}
		for ((i, a), w) in members.iter().zip(&assessments).zip(&weights) {
			let s = *w as f64;
			let (prsp, reputation) = if a.closeness > 0 {
				(a.payout as f64 / PLANCK_PER_PRSP, (p.accuracy_reward * s * a.closeness as f64 / best).floor())
			} else {
				let slash = (p.outlier_slash * p.min_bond * s).min(bonds[*i]);
				if is_bloc(*i) {
					o.bloc_slashed += slash;
				} else {
					honest_outlier_seats += s;
				}
				(-slash, -p.outlier_penalty * s)
			};
			if is_bloc(*i) {
				o.bloc_prsp += prsp;
				o.bloc_reputation += reputation;
			} else {
				honest_seats += s;
				honest_prsp += prsp;
				honest_reputation += reputation;
			}
		}
	}
	let n = p.tasks as f64;
	o.holds_median /= n;
	o.captured /= n;
	o.bloc_seats /= n;
	o.bloc_prsp /= n;
	o.bloc_reputation /= n;
	o.bloc_slashed /= n;
	o.error /= n * p.criteria as f64;
	if honest_seats > 0.0 {
		o.honest_prsp_per_seat = honest_prsp / honest_seats;
		o.honest_reputation_per_seat = honest_reputation / honest_seats;
		o.honest_outlier_rate = honest_outlier_seats / honest_seats;
	}
	o
}

/// Seats of a first-come panel in today's rule (`min_evaluators = max_evaluators = 3`).
pub const OLD_RULE_SEATS: usize = 3;

/// Settles a first-come panel that the bloc filled alone with `OLD_RULE_SEATS` accounts, all
/// revealing `scores`: returns (pot paid to the bloc, dust, the bloc's reputation gain under
/// today's per-evaluator reward), PRSP.
fn old_rule_panel(p: &Panel, scores: &[Score]) -> (f64, f64, f64) {
	let pot = (p.pot * PLANCK_PER_PRSP) as u128;
	let slices: Vec<&[Score]> = (0..OLD_RULE_SEATS).map(|_| scores).collect();
	let (_, assessments, dust) =
		consensus::settle(&slices, &[1; OLD_RULE_SEATS], p.criteria, p.tolerance, pot, KAPPA);
	let best = consensus::max_closeness(p.tolerance, p.criteria) as f64;
	let paid: u128 = assessments.iter().map(|a| a.payout).sum();
	let reputation = assessments.iter().map(|a| (p.accuracy_reward * a.closeness as f64 / best).floor()).sum();
	(paid as f64 / PLANCK_PER_PRSP, dust as f64 / PLANCK_PER_PRSP, reputation)
}

/// Today's first-come rule, self-dealing: the bloc opens a task with pot `p.pot`, commits first
/// with three accounts (the whole panel) at any share and agrees with itself. Returns (net PRSP
/// per task before fees: payouts + dust back − pot, reputation per task).
pub fn old_rule_self_dealing(p: &Panel) -> (f64, f64) {
	let (paid, dust, reputation) = old_rule_panel(p, &vec![70; p.criteria]);
	(paid + dust - (p.pot * PLANCK_PER_PRSP) as u128 as f64 / PLANCK_PER_PRSP, reputation)
}

/// Today's first-come rule, lying on someone else's task: the bloc fills the panel and
/// reveals a lie, which becomes the consensus; it earns the whole pot (the dust goes back to
/// the opener). Returns (PRSP per task before fees, reputation per task).
pub fn old_rule_lying(p: &Panel) -> (f64, f64) {
	let lie: Vec<Score> = (0..p.criteria).map(|_| lie_score(50.0, p.lie)).collect();
	let (paid, _, reputation) = old_rule_panel(p, &lie);
	(paid, reputation)
}

// ---------------------------------------------------------------------------------------------
// Appeals
// ---------------------------------------------------------------------------------------------

/// Seats of an appeal round whose previous round had `previous` seats: `2n + 1` (7 → 15 → 31).
pub fn appeal_panel_size(previous: u32) -> u32 {
	previous.saturating_mul(2).saturating_add(1)
}

/// Whether `score` is beyond tolerance of `reference` (one criterion): the pallet's outlier
/// rule, and the rule that decides whether an appeal is upheld.
fn beyond(score: Score, reference: Score, tolerance: Score) -> bool {
	closeness_to(score, reference, tolerance) == 0
}

/// `τ + 1 − |score − reference|` within tolerance, else 0 (one criterion).
fn closeness_to(score: Score, reference: Score, tolerance: Score) -> u32 {
	consensus::closeness(consensus::deviation(&[score], &[reference]), tolerance, 1)
}

/// PRSP to planck, exactly for the whole-PRSP amounts used here.
fn planck(prsp: f64) -> u128 {
	(prsp * PLANCK_PER_PRSP).round() as u128
}

fn signed_prsp(planck: i128) -> f64 {
	planck as f64 / PLANCK_PER_PRSP
}

/// One contested single-criterion task: a bloc that always reveals a shifted verdict, an
/// honest appellant, optionally a bloc that appeals too, and the pallet's dispute rules.
#[derive(Clone, Copy, Debug)]
pub struct Dispute {
	/// Evaluators, all with the same bond (`min_bond`).
	pub evaluators: u32,
	/// The bloc's share of the bond: the first `round(share × evaluators)` evaluators.
	pub share: f64,
	pub truth: Score,
	/// What every bloc member reveals, in every round it sits on.
	pub bloc_score: Score,
	/// Honest noise (standard deviation, points; [`Rng::normal`], rounded and clamped).
	pub noise: f64,
	pub tolerance: Score,
	/// Seats of round 0.
	pub first_panel: u32,
	/// `max_appeal_rounds`: appeal rounds drawn after round 0.
	pub max_appeal_rounds: u32,
	/// The honest appellant takes a verdict still shifted after the last round to governance,
	/// which decides the truth.
	pub governance: bool,
	/// The bloc appeals honest verdicts (scenario B).
	pub bloc_appeals: bool,
	/// The bloc appeals only if the exact chance that its still-eligible members take
	/// `≥ ⌈k/2⌉` seats of the next panel is at least this ("it has a chance").
	pub bloc_min_chance: f64,
	/// `min_bond` (every evaluator's bond), PRSP.
	pub min_bond: f64,
	/// `outlier_slash`: fraction of `min_bond` slashed per outlier seat.
	pub outlier_slash: f64,
	/// The task's pot, PRSP, shared by round 0's members coherent with the final verdict.
	pub pot: f64,
	/// `appeal_bond_base`, PRSP: the appeal opening round `r` posts `base · 2^r`.
	pub appeal_bond_base: f64,
	/// What a final shifted verdict is worth to the briber, PRSP.
	pub briber_value: f64,
	/// Disputes per [`run_appeals`] row.
	pub trials: u32,
	pub seed: u64,
}

impl Default for Dispute {
	fn default() -> Self {
		Self {
			evaluators: 100,
			share: 0.0,
			truth: 80,
			bloc_score: 40,
			noise: 5.0,
			tolerance: 10,
			first_panel: 7,
			max_appeal_rounds: 2,
			governance: true,
			bloc_appeals: false,
			bloc_min_chance: 0.01,
			min_bond: 100.0,
			outlier_slash: 0.01,
			pot: 10.0,
			appeal_bond_base: 50.0,
			briber_value: 1_000.0,
			trials: 2_000,
			seed: 42,
		}
	}
}

impl Dispute {
	/// Evaluators in the bloc (the first ones).
	pub fn bloc_members(&self) -> usize {
		((self.share * self.evaluators as f64).round().max(0.0) as usize).min(self.evaluators as usize)
	}

	/// Bond of the appeal opening round `round` (round `max_appeal_rounds + 1` is governance):
	/// `appeal_bond_base · 2^round`, planck.
	pub fn appeal_bond(&self, round: u32) -> u128 {
		planck(self.appeal_bond_base).saturating_mul(1u128.checked_shl(round).unwrap_or(u128::MAX))
	}
}

/// Exact chance that a bloc with `eligible_bloc` of the `eligible` (equal-bond) evaluators takes
/// `≥ ⌈seats/2⌉` seats of a panel drawn from them: [`capture_probability`] at its eligible share.
pub fn eligible_capture_chance(seats: u32, eligible_bloc: usize, eligible: usize) -> f64 {
	if eligible == 0 {
		return 0.0;
	}
	capture_probability(seats, eligible_bloc as f64 / eligible as f64)
}

/// Who posted an appeal.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Appellant {
	/// Knows the truth; appeals every shifted verdict (and takes one still shifted after the
	/// last round to governance).
	Honest,
	/// The bloc (scenario B); appeals honest verdicts when it has a chance.
	Bloc,
}

/// One drawn round of a dispute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeRound {
	/// Seats per evaluator (index = evaluator; the bloc first).
	pub seats: Vec<u32>,
	/// κ = ½ seat-weighted median of the members' reveals.
	pub verdict: Score,
	/// The verdict is beyond tolerance of the truth.
	pub shifted: bool,
}

/// One appeal (the last one may be the appeal to governance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appeal {
	pub by: Appellant,
	/// The round whose verdict it contested; it opened round `appealed_round + 1`.
	pub appealed_round: u32,
	/// Planck.
	pub bond: u128,
	/// The final verdict is beyond tolerance of the contested one: refunded, shares the pool.
	pub succeeded: bool,
	/// Its share of the pool, planck (zero if it failed; a failed bond joins the pool).
	pub reward: u128,
}

/// Everything that happened in one dispute. Money in planck; nets are gains minus losses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeOutcome {
	/// Every evaluator's reveal (one per dispute: nobody sits on two rounds).
	pub scores: Vec<Score>,
	pub rounds: Vec<DisputeRound>,
	pub appeals: Vec<Appeal>,
	/// The last round's verdict was still shifted and went to governance.
	pub governance: bool,
	/// The last drawn round's verdict is shifted: the final verdict if governance did not exist.
	pub last_round_shifted: bool,
	/// Governance's decision (the truth), else the last round's verdict.
	pub final_verdict: Score,
	pub final_shifted: bool,
	/// The pot: to bloc members, to honest members, back to the opener (dust, or all of it
	/// when no round-0 member is coherent with the final verdict).
	pub pot_to_bloc: u128,
	pub pot_to_honest: u128,
	pub pot_returned: u128,
	/// Outlier slashes (1 PRSP a seat by default), into the pool.
	pub slashed_bloc: u128,
	pub slashed_honest: u128,
	/// Bonds of failed appeals, into the pool.
	pub failed_bonds: u128,
	/// The pool's split: to successful appellants, to coherent appeal-round members, burnt
	/// (rounding dust, or all of it when nobody can take it).
	pub pool_to_appellants: u128,
	pub pool_to_bloc_jurors: u128,
	pub pool_to_honest_jurors: u128,
	pub pool_burnt: u128,
	/// Σ over the honest appellant's appeals of reward − (bond if it failed).
	pub honest_appellant_net: i128,
	/// The same for the bloc's own appeals.
	pub bloc_appeal_net: i128,
	/// The bloc's members: pot + pool shares − slashes.
	pub bloc_jury_net: i128,
	/// Honest evaluators: pot + pool shares − slashes.
	pub honest_jury_net: i128,
}

impl DisputeOutcome {
	/// The pool Π: slashes plus failed bonds.
	pub fn pool(&self) -> u128 {
		self.slashed_bloc + self.slashed_honest + self.failed_bonds
	}

	/// Appeals posted by `by`.
	pub fn appeals_by(&self, by: Appellant) -> usize {
		self.appeals.iter().filter(|a| a.by == by).count()
	}
}

/// The κ = ½ seat-weighted median of the members' reveals, via [`consensus::consensus`].
pub fn panel_verdict(scores: &[Score], seats: &[u32]) -> Score {
	let mut reveals: Vec<[Score; 1]> = Vec::new();
	let mut weights: Vec<u128> = Vec::new();
	for (score, s) in scores.iter().zip(seats) {
		if *s > 0 {
			reveals.push([*score]);
			weights.push(*s as u128);
		}
	}
	let slices: Vec<&[Score]> = reveals.iter().map(|r| r.as_slice()).collect();
	consensus::consensus(&slices, &weights, 1, KAPPA).first().copied().unwrap_or(0)
}

/// Runs one dispute. Round 0 draws `first_panel` seats with replacement over all evaluators
/// (equal bonds, so uniformly); after each round, the honest appellant appeals a shifted verdict
/// and (if `bloc_appeals`) the bloc an honest one it has a chance to capture, while appeal
/// rounds remain; an appeal draws `2n + 1` seats from the evaluators who sat on no earlier
/// round. A verdict still shifted after the last round goes to governance (if `governance`),
/// which decides the truth. Then, as the pallet settles: round 0's coherent members share the
/// pot by seats × closeness to the final verdict; every outlier (any round) is slashed per seat
/// into the pool; a failed appeal's bond joins the pool, a successful one is refunded; the pool
/// goes half to successful appeals (by bond) and half to coherent appeal-round members (by
/// seats × closeness), all to one side if the other is empty, burnt if both are.
pub fn run_dispute(d: &Dispute, rng: &mut Rng) -> DisputeOutcome {
	let n = d.evaluators as usize;
	let bloc = d.bloc_members();
	let scores: Vec<Score> = (0..n)
		.map(|i| if i < bloc { d.bloc_score } else { clamp_score(d.truth as f64 + d.noise * rng.normal()) })
		.collect();
	let mut sat = vec![false; n];
	let mut rounds: Vec<DisputeRound> = Vec::new();
	let mut appeals: Vec<Appeal> = Vec::new();
	let mut k = d.first_panel;
	loop {
		// Exclusion: earlier members have no weight in this draw (their interval is cut out).
		let bonds: Vec<f64> = sat.iter().map(|s| if *s { 0.0 } else { d.min_bond }).collect();
		let seats = draw_panel(rng, &bonds, k);
		for (s, seated) in seats.iter().zip(sat.iter_mut()) {
			if *s > 0 {
				*seated = true;
			}
		}
		let verdict = panel_verdict(&scores, &seats);
		let shifted = beyond(verdict, d.truth, d.tolerance);
		rounds.push(DisputeRound { seats, verdict, shifted });
		let round = rounds.len() as u32 - 1;
		if round >= d.max_appeal_rounds {
			break;
		}
		let next = appeal_panel_size(k);
		let eligible = sat.iter().filter(|s| !**s).count();
		let eligible_bloc = sat[..bloc].iter().filter(|s| !**s).count();
		if eligible == 0 {
			break;
		}
		let bloc_chance =
			if d.bloc_appeals { eligible_capture_chance(next, eligible_bloc, eligible) } else { 0.0 };
		let by = if shifted {
			Appellant::Honest
		} else if bloc_chance > 0.0 && bloc_chance >= d.bloc_min_chance {
			Appellant::Bloc
		} else {
			break;
		};
		appeals.push(Appeal { by, appealed_round: round, bond: d.appeal_bond(round + 1), succeeded: false, reward: 0 });
		k = next;
	}
	let (last_verdict, last_round_shifted) = match rounds.last() {
		Some(r) => (r.verdict, r.shifted),
		None => (d.truth, false),
	};
	let governance = d.governance && last_round_shifted;
	if governance {
		let round = rounds.len() as u32;
		appeals.push(Appeal {
			by: Appellant::Honest,
			appealed_round: round - 1,
			bond: d.appeal_bond(round),
			succeeded: false,
			reward: 0,
		});
	}
	let final_verdict = if governance { d.truth } else { last_verdict };
	let final_shifted = beyond(final_verdict, d.truth, d.tolerance);
	for a in appeals.iter_mut() {
		a.succeeded = beyond(rounds[a.appealed_round as usize].verdict, final_verdict, d.tolerance);
	}

	// Outliers of every round, slashed per seat (capped at the bond).
	let per_seat = planck(d.outlier_slash * d.min_bond);
	let bond = planck(d.min_bond);
	let (mut slashed_bloc, mut slashed_honest) = (0u128, 0u128);
	for r in &rounds {
		for (i, s) in r.seats.iter().enumerate() {
			if *s > 0 && beyond(scores[i], final_verdict, d.tolerance) {
				let slash = per_seat.saturating_mul(*s as u128).min(bond);
				if i < bloc {
					slashed_bloc += slash;
				} else {
					slashed_honest += slash;
				}
			}
		}
	}

	// The pot: round 0's members coherent with the final verdict, by seats × closeness.
	let pot_shares: Vec<u128> = rounds[0]
		.seats
		.iter()
		.zip(&scores)
		.map(|(s, x)| *s as u128 * closeness_to(*x, final_verdict, d.tolerance) as u128)
		.collect();
	let (pot_payouts, pot_returned) = consensus::split_pot(planck(d.pot), &pot_shares);
	let pot_to_bloc: u128 = pot_payouts[..bloc].iter().sum();
	let pot_to_honest: u128 = pot_payouts[bloc..].iter().sum();

	// The pool.
	let failed_bonds: u128 = appeals.iter().filter(|a| !a.succeeded).map(|a| a.bond).sum();
	let pool = slashed_bloc + slashed_honest + failed_bonds;
	let appellant_shares: Vec<u128> = appeals.iter().map(|a| if a.succeeded { a.bond } else { 0 }).collect();
	let mut juror_shares = vec![0u128; n];
	for r in &rounds[1..] {
		for (i, s) in r.seats.iter().enumerate() {
			if *s > 0 {
				juror_shares[i] += *s as u128 * closeness_to(scores[i], final_verdict, d.tolerance) as u128;
			}
		}
	}
	let has_appellants = appellant_shares.iter().any(|s| *s > 0);
	let has_jurors = juror_shares.iter().any(|s| *s > 0);
	let (for_appellants, for_jurors) = match (has_appellants, has_jurors) {
		(true, true) => (pool / 2, pool - pool / 2),
		(true, false) => (pool, 0),
		(false, true) => (0, pool),
		(false, false) => (0, 0),
	};
	let (rewards, dust_appellants) = consensus::split_pot(for_appellants, &appellant_shares);
	let (juror_pay, dust_jurors) = consensus::split_pot(for_jurors, &juror_shares);
	// Burnt: what neither side was given, plus both splits' rounding dust (counted apart from
	// the payouts, so the accounting test checks the split).
	let pool_burnt = (pool - for_appellants - for_jurors) + dust_appellants + dust_jurors;
	for (a, reward) in appeals.iter_mut().zip(&rewards) {
		a.reward = *reward;
	}
	let pool_to_appellants: u128 = rewards.iter().sum();
	let pool_to_bloc_jurors: u128 = juror_pay[..bloc].iter().sum();
	let pool_to_honest_jurors: u128 = juror_pay[bloc..].iter().sum();

	let appellant_net = |by: Appellant| -> i128 {
		appeals
			.iter()
			.filter(|a| a.by == by)
			.map(|a| a.reward as i128 - if a.succeeded { 0 } else { a.bond as i128 })
			.sum()
	};
	let honest_appellant_net = appellant_net(Appellant::Honest);
	let bloc_appeal_net = appellant_net(Appellant::Bloc);
	DisputeOutcome {
		scores,
		rounds,
		appeals,
		governance,
		last_round_shifted,
		final_verdict,
		final_shifted,
		pot_to_bloc,
		pot_to_honest,
		pot_returned,
		slashed_bloc,
		slashed_honest,
		failed_bonds,
		pool_to_appellants,
		pool_to_bloc_jurors,
		pool_to_honest_jurors,
		pool_burnt,
		honest_appellant_net,
		bloc_appeal_net,
		bloc_jury_net: pot_to_bloc as i128 + pool_to_bloc_jurors as i128 - slashed_bloc as i128,
		honest_jury_net: pot_to_honest as i128 + pool_to_honest_jurors as i128 - slashed_honest as i128,
	}
}

/// Averages of [`run_appeals`] over `trials` disputes. Probabilities are shares of disputes;
/// PRSP figures are per dispute unless named otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AppealsRow {
	pub share: f64,
	/// Round 0's verdict is shifted: the final verdict's chance of being shifted without appeals.
	pub round0_shifted: f64,
	/// The last drawn round's verdict is shifted: the final verdict's chance with appeals but
	/// no governance (with the honest appellant always appealing, this is how often governance
	/// is needed).
	pub shifted_after_appeals: f64,
	/// The final verdict (after governance) is shifted.
	pub final_shifted: f64,
	/// The dispute went to governance.
	pub governance: f64,
	/// Rounds drawn (round 0 included: 1..=3).
	pub rounds: f64,
	/// Share of disputes where the honest appellant posted at least one appeal, and its appeals
	/// per dispute (governance included).
	pub honest_appeal_rate: f64,
	pub honest_appeals: f64,
	/// The honest appellant's reward − lost bonds, PRSP, per appeal posted and per dispute in
	/// which it appealed (0 if it never did).
	pub honest_profit_per_appeal: f64,
	pub honest_profit_per_appealing_dispute: f64,
	/// The bloc's members: pot + pool shares − slashes.
	pub bloc_jury_net: f64,
	/// Honest evaluators, all together: pot + pool shares − slashes.
	pub honest_jury_net: f64,
	/// The bloc's own appeals per dispute, and their reward − lost bonds.
	pub bloc_appeals: f64,
	pub bloc_appeal_net: f64,
	/// Pool burnt.
	pub burnt: f64,
	/// `briber_value ×` the chance of a shifted final verdict: without appeals, with appeals
	/// but no governance, with governance.
	pub briber_value_no_appeals: f64,
	pub briber_value_no_governance: f64,
	pub briber_value: f64,
}

/// Runs `d.trials` seeded disputes (seed `d.seed`) and averages them.
pub fn run_appeals(d: &Dispute) -> AppealsRow {
	let mut rng = Rng::new(d.seed);
	let mut row = AppealsRow { share: d.share, ..Default::default() };
	let (mut honest_appeals, mut appealing_disputes, mut honest_net) = (0u64, 0u64, 0f64);
	for _ in 0..d.trials {
		let o = run_dispute(d, &mut rng);
		let flag = |b: bool| if b { 1.0 } else { 0.0 };
		row.round0_shifted += flag(o.rounds.first().is_some_and(|r| r.shifted));
		row.shifted_after_appeals += flag(o.last_round_shifted);
		row.final_shifted += flag(o.final_shifted);
		row.governance += flag(o.governance);
		row.rounds += o.rounds.len() as f64;
		let h = o.appeals_by(Appellant::Honest) as u64;
		honest_appeals += h;
		if h > 0 {
			appealing_disputes += 1;
		}
		honest_net += signed_prsp(o.honest_appellant_net);
		row.bloc_jury_net += signed_prsp(o.bloc_jury_net);
		row.honest_jury_net += signed_prsp(o.honest_jury_net);
		row.bloc_appeals += o.appeals_by(Appellant::Bloc) as f64;
		row.bloc_appeal_net += signed_prsp(o.bloc_appeal_net);
		row.burnt += o.pool_burnt as f64 / PLANCK_PER_PRSP;
	}
	let n = d.trials.max(1) as f64;
	row.round0_shifted /= n;
	row.shifted_after_appeals /= n;
	row.final_shifted /= n;
	row.governance /= n;
	row.rounds /= n;
	row.honest_appeal_rate = appealing_disputes as f64 / n;
	row.honest_appeals = honest_appeals as f64 / n;
	if honest_appeals > 0 {
		row.honest_profit_per_appeal = honest_net / honest_appeals as f64;
		row.honest_profit_per_appealing_dispute = honest_net / appealing_disputes as f64;
	}
	row.bloc_jury_net /= n;
	row.honest_jury_net /= n;
	row.bloc_appeals /= n;
	row.bloc_appeal_net /= n;
	row.burnt /= n;
	row.briber_value_no_appeals = d.briber_value * row.round0_shifted;
	row.briber_value_no_governance = d.briber_value * row.shifted_after_appeals;
	row.briber_value = d.briber_value * row.final_shifted;
	row
}

/// One [`run_appeals`] row per bloc share, each from the same seed (common random numbers).
pub fn appeals_rows(base: &Dispute, shares: &[f64]) -> Vec<AppealsRow> {
	shares.iter().map(|share| run_appeals(&Dispute { share: *share, ..*base })).collect()
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

	// --- Panels drawn by lot ---

	fn panel(share: f64, k: u32) -> Panel {
		Panel { share, panel_size: k, tasks: 4_000, ..Default::default() }
	}

	#[test]
	fn capture_probability_exact_values() {
		// k = 3, p = 0.3: 3·0.3²·0.7 + 0.3³ = 0.216.
		assert!((capture_probability(3, 0.3) - 0.216).abs() < 1e-12);
		// k = 7, p = 0.2: P(X ≥ 4) = 0.033344.
		assert!((capture_probability(7, 0.2) - 0.033_344).abs() < 1e-6);
		assert!((capture_probability(5, 0.5) - 0.5).abs() < 1e-12);
		assert_eq!(median_seats(3), 2);
		assert_eq!(median_seats(7), 4);
		assert_eq!(median_seats(15), 8);
		assert_eq!(median_seats(4), 2);
		for k in [1, 3, 5, 7, 15] {
			assert_eq!(capture_probability(k, 0.0), 0.0);
			assert!((capture_probability(k, 1.0) - 1.0).abs() < 1e-12);
		}
	}

	/// Property-style (seeded loop): for odd k, P(k, p) + P(k, 1 − p) = 1; the probability
	/// grows with the share and, below one half, falls as the panel grows.
	#[test]
	fn capture_probability_properties() {
		let mut rng = Rng::new(7);
		for _ in 0..2_000 {
			let k = 2 * rng.range(0, 12) as u32 + 1;
			let p = rng.unit();
			let q = rng.unit();
			let pk = capture_probability(k, p);
			assert!((0.0..=1.0).contains(&pk));
			assert!((pk + capture_probability(k, 1.0 - p) - 1.0).abs() < 1e-9, "k {k} p {p}");
			let (lo, hi) = if p < q { (p, q) } else { (q, p) };
			assert!(capture_probability(k, lo) <= capture_probability(k, hi) + 1e-12);
			if p < 0.5 {
				assert!(capture_probability(k + 2, p) <= pk + 1e-12, "k {k} p {p}");
			}
			// With quorum ⌈k/2⌉ withholding is possible exactly when capture is.
			assert!((withholding_probability(k, median_seats(k), p) - pk).abs() < 1e-12);
		}
	}

	/// Monte Carlo over `draw_panel` agrees with the exact binomial.
	#[test]
	fn capture_probability_matches_monte_carlo() {
		let mut rng = Rng::new(11);
		let trials = 100_000;
		for (k, share) in [(3u32, 0.3), (5, 0.2), (7, 0.4), (15, 0.3), (7, 0.1)] {
			// A bloc of three accounts (first), 20 honest accounts of unequal bond.
			let honest: Vec<f64> = (1..=20).map(|i| i as f64).collect();
			let h: f64 = honest.iter().sum();
			let b = h * share / (1.0 - share);
			let bonds: Vec<f64> = [0.5 * b, 0.3 * b, 0.2 * b].into_iter().chain(honest).collect();
			let hits = (0..trials)
				.filter(|_| draw_panel(&mut rng, &bonds, k)[..3].iter().sum::<u32>() >= median_seats(k))
				.count() as f64 / trials as f64;
			let exact = capture_probability(k, share);
			let sd = (exact * (1.0 - exact) / trials as f64).sqrt();
			assert!((hits - exact).abs() < 5.0 * sd + 1e-4, "k {k} share {share}: {hits} vs {exact}");
		}
	}

	#[test]
	fn draws_skip_zero_bonds_and_fill_every_seat() {
		let mut rng = Rng::new(3);
		for _ in 0..1_000 {
			let seats = draw_panel(&mut rng, &[0.0, 5.0, 0.0, 1.0], 7);
			assert_eq!(seats.iter().sum::<u32>(), 7);
			assert_eq!((seats[0], seats[2]), (0, 0), "an opener without weight is never drawn");
		}
		assert_eq!(draw_panel(&mut rng, &[0.0, 0.0], 3), vec![0, 0]);
	}

	/// Property-style (seeded loop): splitting the bloc's bond among any number of accounts
	/// gives it exactly the same total seats, draw by draw.
	#[test]
	fn the_draw_is_split_neutral() {
		let mut gen = Rng::new(5);
		for _ in 0..300 {
			let total = gen.range(1, 1_000) as f64;
			let parts = gen.range(1, 6) as usize;
			let cuts: Vec<f64> = (0..parts).map(|_| gen.range(1, 100) as f64).collect();
			let sum: f64 = cuts.iter().sum();
			let split: Vec<f64> = cuts.iter().map(|c| total * c / sum).collect();
			let honest: Vec<f64> = (0..gen.range(1, 30)).map(|_| gen.range(1, 500) as f64).collect();
			let k = gen.range(1, 15) as u32;
			let seed = gen.next_u64();
			let one: Vec<f64> = core::iter::once(total).chain(honest.iter().copied()).collect();
			let many: Vec<f64> = split.iter().copied().chain(honest.iter().copied()).collect();
			let (mut a, mut b) = (Rng::new(seed), Rng::new(seed));
			for _ in 0..20 {
				let x = draw_panel(&mut a, &one, k);
				let y = draw_panel(&mut b, &many, k);
				assert_eq!(x[0], y[..parts].iter().sum::<u32>());
				assert_eq!(x[1..], y[parts..]);
			}
		}
	}

	#[test]
	fn lying_captures_as_often_as_the_binomial_says() {
		for (k, share) in [(3u32, 0.3), (7, 0.3), (7, 0.4), (15, 0.4)] {
			let o = run_panels(&panel(share, k), Play::AlwaysLie, false);
			let exact = capture_probability(k, share);
			assert!((o.holds_median - exact).abs() < 0.03, "k {k}: {o:?} vs {exact}");
			// Honest scores never reach a 30-point lie, so holding the median is capturing.
			assert!((o.captured - o.holds_median).abs() < 0.005, "{o:?}");
			assert!((o.bloc_seats - k as f64 * share).abs() < 0.05 * k as f64, "{o:?}");
		}
	}

	#[test]
	fn self_dealing_earns_no_premium() {
		for (k, share) in [(3u32, 0.1), (7, 0.3), (15, 0.2), (5, 0.45)] {
			let p = panel(share, k);
			let own = run_panels(&p, Play::Honest, true);
			let elsewhere = run_panels(&p, Play::Honest, false);
			// Same draw, same reports: the reputation is exactly what honest work earns.
			assert_eq!(own.bloc_reputation, elsewhere.bloc_reputation);
			assert_eq!(own.honest_reputation_per_seat, elsewhere.honest_reputation_per_seat);
			// PRSP: it pays the pot and gets back what it would have earned on any task (the
			// dust aside), about its seat share of the pot: self-dealing always loses money.
			assert!((own.bloc_prsp - elsewhere.bloc_prsp + p.pot).abs() < 1e-3, "dust only");
			assert!(own.bloc_prsp < 0.0, "k {k}: {own:?}");
			if share <= 0.3 {
				assert!((own.bloc_prsp + (1.0 - share) * p.pot).abs() < 0.03, "k {k}: {own:?}");
			}
			// Reputation: at most its seat share of the per-seat accuracy budget.
			assert!(own.bloc_reputation <= (share + 0.02) * k as f64 * p.accuracy_reward, "{own:?}");
			assert!(own.bloc_reputation >= 0.5 * share * k as f64 * p.accuracy_reward, "{own:?}");
		}
	}

	#[test]
	fn old_rule_pays_self_dealing_and_lying_at_any_share() {
		let p = Panel::default();
		let (prsp, reputation) = old_rule_self_dealing(&p);
		assert!(prsp.abs() < 1e-12);
		assert_eq!(reputation, 3.0 * p.accuracy_reward);
		let (prsp, reputation) = old_rule_lying(&p);
		assert!((prsp - p.pot).abs() < 1e-11);
		assert_eq!(reputation, 3.0 * p.accuracy_reward);
	}

	#[test]
	fn a_minority_that_always_lies_loses_what_a_strategic_one_keeps() {
		let p = Panel { outlier_slash: 0.05, ..panel(0.2, 7) };
		let liar = run_panels(&p, Play::AlwaysLie, false);
		let honest = run_panels(&p, Play::Honest, false);
		let strategic = run_panels(&p, Play::LieWhenHoldingMedian, false);
		assert!(liar.bloc_prsp < 0.0 && liar.bloc_reputation < 0.0, "{liar:?}");
		assert!(honest.bloc_prsp > 0.0 && honest.bloc_reputation > 0.0, "{honest:?}");
		// Lying only when it holds the median costs the bloc nothing...
		assert!(strategic.bloc_prsp >= honest.bloc_prsp, "{strategic:?} vs {honest:?}");
		assert!(strategic.bloc_reputation >= honest.bloc_reputation);
		// ...and the honest seats of the captured panels pay for it.
		assert!(strategic.honest_prsp_per_seat < honest.honest_prsp_per_seat);
		assert!(strategic.honest_outlier_rate > honest.honest_outlier_rate);
	}

	/// Property-style (seeded loop): per-seat rules make the whole settlement split-neutral —
	/// a bloc of one account and the same bond in several accounts fare the same, up to
	/// rounding (one planck and one reputation point per account and task).
	#[test]
	fn settlement_is_split_neutral() {
		let mut gen = Rng::new(9);
		for _ in 0..12 {
			let k = [3u32, 5, 7, 15][gen.range(0, 3) as usize];
			let share = 0.05 + 0.4 * gen.unit();
			let play = [Play::Honest, Play::AlwaysLie, Play::LieWhenHoldingMedian][gen.range(0, 2) as usize];
			let p = Panel { tasks: 300, seed: gen.next_u64(), ..panel(share, k) };
			let one = run_panels(&Panel { bloc_accounts: 1, ..p }, play, false);
			let many = run_panels(&Panel { bloc_accounts: gen.range(2, 6) as u32, ..p }, play, false);
			assert_eq!(one.bloc_seats, many.bloc_seats);
			assert_eq!(one.captured, many.captured);
			assert!((one.bloc_prsp - many.bloc_prsp).abs() < 1e-9, "{one:?} {many:?}");
			assert!((one.bloc_reputation - many.bloc_reputation).abs() <= 6.0, "{one:?} {many:?}");
			assert_eq!(one.honest_reputation_per_seat, many.honest_reputation_per_seat);
		}
	}

	#[test]
	fn a_lazy_sybil_is_paid_without_a_slash_and_loses_with_one() {
		let lazy = |outlier_slash| run_panels(&Panel { outlier_slash, ..panel(0.05, 7) }, Play::Lazy, false);
		let (free, slashed) = (lazy(0.0), lazy(0.01));
		// Reputation penalties do not bind an account with none: only the bond does.
		assert!(free.bloc_prsp > 0.0, "{free:?}");
		assert!(slashed.bloc_prsp < 0.0, "{slashed:?}");
	}

	#[test]
	fn panels_are_deterministic() {
		let p = panel(0.3, 5);
		assert_eq!(run_panels(&p, Play::AlwaysLie, false), run_panels(&p, Play::AlwaysLie, false));
	}

	#[test]
	fn quorum_failure_probabilities() {
		assert!((downtime_failure_probability(3, 3, 0.9) - (1.0 - 0.729)).abs() < 1e-12);
		assert_eq!(withholding_probability(7, 8, 0.1), 1.0);
		// Quorum k: one bloc seat is enough to fail the task.
		assert!((withholding_probability(7, 7, 0.2) - (1.0 - 0.8f64.powi(7))).abs() < 1e-12);
		for (k, share) in [(3u32, 0.2), (7, 0.3), (15, 0.45)] {
			let full = capture_probability_with_downtime(k, median_seats(k), share, 1.0);
			assert!((full - capture_probability(k, share)).abs() < 1e-12);
			// Honest downtime only helps the bloc; a quorum of k removes that help.
			assert!(capture_probability_with_downtime(k, median_seats(k), share, 0.9) >= full);
			assert!(capture_probability_with_downtime(k, k, share, 0.9) <= full);
		}
	}

	// --- Appeals ---

	const PRSP: u128 = 1_000_000_000_000;

	fn dispute(share: f64, bloc_appeals: bool) -> Dispute {
		Dispute { share, bloc_appeals, trials: 1_000, ..Default::default() }
	}

	#[test]
	fn appeal_panels_grow_to_two_n_plus_one() {
		assert_eq!(appeal_panel_size(7), 15);
		assert_eq!(appeal_panel_size(15), 31);
		assert_eq!(appeal_panel_size(appeal_panel_size(7)), 31);
		assert_eq!(appeal_panel_size(u32::MAX), u32::MAX);
		let d = Dispute::default();
		assert_eq!([d.appeal_bond(1), d.appeal_bond(2), d.appeal_bond(3)], [100 * PRSP, 200 * PRSP, 400 * PRSP]);
		assert_eq!((dispute(0.49, false).bloc_members(), dispute(0.05, false).bloc_members()), (49, 5));
	}

	#[test]
	fn the_verdict_is_the_seat_weighted_median() {
		// Four honest seats against three bloc seats: the lowest honest score.
		assert_eq!(panel_verdict(&[40, 80, 75, 90, 0], &[3, 1, 2, 1, 0]), 75);
		// Four bloc seats out of seven: the bloc's score.
		assert_eq!(panel_verdict(&[40, 80, 75], &[4, 2, 1]), 40);
		assert!(beyond(69, 80, 10) && !beyond(70, 80, 10) && !beyond(90, 80, 10) && beyond(91, 80, 10));
	}

	/// Property-style (seeded loop) over shares and both policies: panel sizes, exclusion, who
	/// appeals what, bonds, slashes, and the pool's accounting, exactly, dispute by dispute.
	#[test]
	fn disputes_follow_the_rules_and_the_pool_balances_exactly() {
		let mut rng = Rng::new(17);
		for share in [0.0, 0.05, 0.2, 0.4, 0.49, 0.7, 1.0] {
			for bloc_appeals in [false, true] {
				let d = dispute(share, bloc_appeals);
				let bloc = d.bloc_members();
				for _ in 0..200 {
					let o = run_dispute(&d, &mut rng);
					// Panels of 7, 15, 31 seats; at most max_appeal_rounds appeal rounds.
					assert!(!o.rounds.is_empty() && o.rounds.len() <= 3);
					for (r, round) in o.rounds.iter().enumerate() {
						assert_eq!(round.seats.iter().sum::<u32>(), [7, 15, 31][r]);
						assert_eq!(round.shifted, beyond(round.verdict, d.truth, d.tolerance));
					}
					// Exclusion: nobody sits on two rounds.
					for i in 0..100 {
						let sat = o.rounds.iter().filter(|r| r.seats[i] > 0).count();
						assert!(sat <= 1, "evaluator {i} sat on {sat} rounds");
					}
					// One appeal per appeal round, plus governance; bonds 100, 200, 400 PRSP.
					assert_eq!(o.appeals.len(), o.rounds.len() - 1 + o.governance as usize);
					for (r, a) in o.appeals.iter().enumerate() {
						assert_eq!(a.appealed_round as usize, r);
						assert_eq!(a.bond, 50 * PRSP * (1u128 << (r + 1)));
						let contested = &o.rounds[r];
						match a.by {
							Appellant::Honest => assert!(contested.shifted, "honest appeals shifted verdicts only"),
							Appellant::Bloc => assert!(bloc_appeals && bloc > 0 && !contested.shifted),
						}
						assert_eq!(a.succeeded, beyond(contested.verdict, o.final_verdict, d.tolerance));
						if !a.succeeded {
							assert_eq!(a.reward, 0);
						}
					}
					// Governance decides the truth, so the final verdict is never shifted.
					assert!(!o.final_shifted);
					assert_eq!(o.governance, o.last_round_shifted);
					let last = o.rounds.last().expect("round 0");
					assert_eq!(o.final_verdict, if o.governance { d.truth } else { last.verdict });
					// A dispute that stops before round 2 was not appealed: its last verdict is honest.
					if o.rounds.len() < 3 {
						assert!(!last.shifted);
					}
					// The pot is paid or returned, to the planck.
					assert_eq!(o.pot_to_bloc + o.pot_to_honest + o.pot_returned, 10 * PRSP);
					// Slashes: 1 PRSP per seat beyond tolerance of the final verdict.
					let outlier_seats = |bloc_side: bool| -> u128 {
						o.rounds
							.iter()
							.flat_map(|r| r.seats.iter().enumerate())
							.filter(|(i, s)| {
								**s > 0 && (*i < bloc) == bloc_side && beyond(o.scores[*i], o.final_verdict, d.tolerance)
							})
							.map(|(_, s)| *s as u128)
							.sum()
					};
					assert_eq!(o.slashed_bloc, outlier_seats(true) * PRSP);
					assert_eq!(o.slashed_honest, outlier_seats(false) * PRSP);
					let failed: u128 = o.appeals.iter().filter(|a| !a.succeeded).map(|a| a.bond).sum();
					assert_eq!(o.failed_bonds, failed);
					// Π: slashes + failed bonds = paid out + burnt, exactly.
					let paid = o.pool_to_appellants + o.pool_to_bloc_jurors + o.pool_to_honest_jurors;
					assert_eq!(o.slashed_bloc + o.slashed_honest + o.failed_bonds, paid + o.pool_burnt);
					assert_eq!(o.pool_to_appellants, o.appeals.iter().map(|a| a.reward).sum::<u128>());
					if o.appeals.is_empty() {
						// No appeal, no appeal round: nobody can take the pool.
						assert_eq!(o.pool_burnt, o.pool());
					}
					if o.appeals.iter().any(|a| a.succeeded) {
						assert!(o.pool_burnt < 100, "only rounding dust is burnt: {o:?}");
						assert!(o.pool_to_appellants >= (o.pool() / 2).saturating_sub(10));
					}
					// The nets add up: what the parties gained is what the pool paid, minus what
					// they lost into it, plus the pot.
					let gained = o.honest_appellant_net + o.bloc_appeal_net + o.bloc_jury_net + o.honest_jury_net;
					let expected = (o.pot_to_bloc + o.pot_to_honest + paid) as i128 - o.pool() as i128;
					assert_eq!(gained, expected);
				}
			}
		}
	}

	#[test]
	fn without_a_bloc_nothing_is_shifted_and_nobody_appeals() {
		// The honest noise is bounded by 6 sigma (Irwin–Hall): at sigma 1.5 every score is within
		// 9 points of the truth, so no verdict can leave the tolerance.
		for bloc_appeals in [false, true] {
			let d = Dispute { noise: 1.5, ..dispute(0.0, bloc_appeals) };
			let mut rng = Rng::new(3);
			for _ in 0..500 {
				let o = run_dispute(&d, &mut rng);
				assert_eq!(o.rounds.len(), 1);
				assert!(!o.rounds[0].shifted && o.appeals.is_empty() && !o.governance, "{o:?}");
				assert_eq!(o.pool(), 0);
				assert_eq!(o.pot_to_bloc, 0);
				assert!(o.pot_returned < 7, "the pot is paid to the panel, dust aside");
			}
			let row = run_appeals(&d);
			assert_eq!((row.round0_shifted, row.governance, row.honest_appeals, row.bloc_appeals), (0.0, 0.0, 0.0, 0.0));
			assert_eq!(row.rounds, 1.0);
		}
		// At the default sigma 5 only a freak draw shifts a verdict, and the (empty) bloc never
		// appeals.
		let row = run_appeals(&dispute(0.0, true));
		assert!(row.round0_shifted < 0.002, "{row:?}");
		assert_eq!(row.bloc_appeals, 0.0);
	}

	#[test]
	fn a_bloc_holding_every_bond_is_overturned_by_governance_and_pays_for_it() {
		for bloc_appeals in [false, true] {
			let d = dispute(1.0, bloc_appeals);
			let mut rng = Rng::new(5);
			for _ in 0..100 {
				let o = run_dispute(&d, &mut rng);
				assert_eq!(o.rounds.len(), 3);
				assert!(o.rounds.iter().all(|r| r.shifted && r.verdict == 40));
				assert!(o.governance && o.final_verdict == 80);
				assert_eq!(o.appeals.len(), 3);
				assert!(o.appeals.iter().all(|a| a.by == Appellant::Honest && a.succeeded));
				// Every seat (7 + 15 + 31) is slashed 1 PRSP; no member is coherent, so the pot
				// goes back and the appellant takes the whole pool (dust aside).
				assert_eq!((o.slashed_bloc, o.slashed_honest, o.failed_bonds), (53 * PRSP, 0, 0));
				assert_eq!(o.pot_returned, 10 * PRSP);
				assert_eq!(o.pool_to_bloc_jurors + o.pool_to_honest_jurors, 0);
				assert!(o.pool_burnt < 3);
				assert_eq!(o.honest_appellant_net, (53 * PRSP - o.pool_burnt) as i128);
				assert_eq!(o.bloc_jury_net, -((53 * PRSP) as i128));
			}
		}
	}

	#[test]
	fn the_first_panel_is_captured_as_often_as_the_binomial_says() {
		for share in [0.1, 0.3, 0.49] {
			let row = run_appeals(&Dispute { trials: 2_000, ..dispute(share, false) });
			let exact = capture_probability(7, share);
			// Holding >= 4 of 7 seats shifts the verdict; a minority bloc also drags the median
			// down to the lowest honest score, which now and then leaves the tolerance.
			assert!(
				row.round0_shifted > exact - 0.03 && row.round0_shifted < exact + 0.07,
				"share {share}: {row:?} vs {exact}"
			);
			// Governance is needed only if all three panels are shifted: far rarer.
			assert!(row.governance < 0.5 * row.round0_shifted + 0.005, "{row:?}");
			assert_eq!(row.final_shifted, 0.0);
		}
	}

	#[test]
	fn a_bloc_appealing_honest_verdicts_shifts_more_rounds_but_loses_its_bonds() {
		let honest_only = run_appeals(&dispute(0.4, false));
		let bloc_too = run_appeals(&dispute(0.4, true));
		assert_eq!(honest_only.bloc_appeals, 0.0);
		assert!(bloc_too.bloc_appeals > 0.5, "{bloc_too:?}");
		// Without governance it would win more verdicts...
		assert!(
			bloc_too.shifted_after_appeals > honest_only.shifted_after_appeals + 0.05,
			"{honest_only:?} {bloc_too:?}"
		);
		// ...with it, none, and nearly every bond it posts (100 or 200 PRSP) is lost.
		assert_eq!((honest_only.final_shifted, bloc_too.final_shifted), (0.0, 0.0));
		assert!(bloc_too.bloc_appeal_net < -80.0 * bloc_too.bloc_appeals, "{bloc_too:?}");
		assert!(bloc_too.bloc_jury_net + bloc_too.bloc_appeal_net < honest_only.bloc_jury_net);
		// "Only if it has a chance": a 5% bloc never holds 8 of 15 seats with 1% probability.
		assert_eq!(run_appeals(&dispute(0.05, true)).bloc_appeals, 0.0);
	}

	#[test]
	fn appeals_are_deterministic() {
		let d = dispute(0.3, true);
		assert_eq!(run_appeals(&d), run_appeals(&d));
		let rows = appeals_rows(&d, &[0.3]);
		assert_eq!(rows, vec![run_appeals(&d)]);
	}
}
