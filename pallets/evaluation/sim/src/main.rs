//! `cargo run -p evaluation-sim --release [-- --tasks N]`: prints the tables in the pallet
//! README (markdown).

use evaluation_sim::{run, Scenario};

fn main() {
	let mut base = Scenario::default();
	let args: Vec<String> = std::env::args().collect();
	if let Some(i) = args.iter().position(|a| a == "--tasks") {
		base.tasks = args.get(i + 1).and_then(|n| n.parse().ok()).expect("--tasks N");
	}
	println!(
		"Scenario: {} tasks x {} criteria; 12 honest (noise sigma {}), 2 random, 2 lazy (always 50), \
		 4 colluders adding +{} points; tolerance {} points per criterion; reputation +{} for an \
		 exact match, -{} for an outlier; seed {}.\n",
		base.tasks, base.criteria, base.noise, base.bias, base.tolerance, base.accuracy_reward,
		base.outlier_penalty, base.seed
	);
	println!("## Collusion sweep (tolerance {})\n", base.tolerance);
	println!("| bloc weight | error: κ-median (ours) | error: weighted mean | error: unweighted median (Sybil bloc) | paid to honest | random | lazy | bloc | honest outliers | reputation per reveal: honest / random / lazy / bloc |");
	println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
	for pct in (0..=45).step_by(5) {
		let o = run(&Scenario { collusion: pct as f64 / 100.0, ..base });
		println!(
			"| {pct}% | {:.2} | {:.2} | {:.2} | {:.1}% | {:.1}% | {:.1}% | {:.1}% | {:.1}% | {:+.0} / {:+.0} / {:+.0} / {} |",
			o.error_kappa_median,
			o.error_weighted_mean,
			o.error_plain_median,
			100.0 * o.reward_share[0],
			100.0 * o.reward_share[1],
			100.0 * o.reward_share[2],
			100.0 * o.reward_share[3],
			100.0 * o.outlier_rate[0],
			o.reputation_per_reveal[0],
			o.reputation_per_reveal[1],
			o.reputation_per_reveal[2],
			if pct == 0 { "–".to_string() } else { format!("{:+.0}", o.reputation_per_reveal[3]) },
		);
	}
	println!("\n## Tolerance sweep (bloc weight 30%)\n");
	println!("| tolerance | honest outliers | paid to honest | random | lazy | bloc |");
	println!("|---:|---:|---:|---:|---:|---:|");
	for tolerance in [3u8, 5, 8, 10, 15, 20, 30] {
		let o = run(&Scenario { collusion: 0.3, tolerance, ..base });
		println!(
			"| {tolerance} | {:.1}% | {:.1}% | {:.1}% | {:.1}% | {:.1}% |",
			100.0 * o.outlier_rate[0],
			100.0 * o.reward_share[0],
			100.0 * o.reward_share[1],
			100.0 * o.reward_share[2],
			100.0 * o.reward_share[3],
		);
	}
	println!("\n## Outlier penalty sweep (tolerance {}, reputation per reveal)\n", base.tolerance);
	println!("| outlier penalty | bloc 0%: honest / random / lazy | bloc 30%: honest / random / lazy / bloc |");
	println!("|---:|---|---|");
	for penalty in [1_000.0, 2_000.0, 3_000.0, 5_000.0] {
		let calm = run(&Scenario { outlier_penalty: penalty, ..base });
		let attacked = run(&Scenario { outlier_penalty: penalty, collusion: 0.3, ..base });
		let r = |o: &evaluation_sim::Outcome, i: usize| format!("{:+.0}", o.reputation_per_reveal[i]);
		println!(
			"| {penalty} | {} / {} / {} | {} / {} / {} / {} |",
			r(&calm, 0), r(&calm, 1), r(&calm, 2),
			r(&attacked, 0), r(&attacked, 1), r(&attacked, 2), r(&attacked, 3),
		);
	}
}
