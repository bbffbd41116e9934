//! `cargo run -p evaluation-sim --release [-- --tasks N] [--panel-tasks N] [--appeal-trials N]`:
//! prints the tables in the pallet README (markdown). `--tasks`: tasks per row of the aggregation
//! study (2,000); `--panel-tasks`: tasks per cell of the panel study (40,000); `--appeal-trials`:
//! disputes per row of the appeals study (2,000).

use evaluation_sim::{
	appeals_rows, capture_probability, capture_probability_with_downtime, downtime_failure_probability,
	median_seats, old_rule_lying, old_rule_self_dealing, run, run_panels, withholding_probability, AppealsRow,
	Dispute, Panel, PanelOutcome, Play, Scenario,
};

/// Bloc shares of the eligible bond in the panel tables.
const SHARES: [f64; 6] = [0.05, 0.10, 0.20, 0.30, 0.40, 0.49];
/// Panel sizes compared.
const SIZES: [u32; 4] = [3, 5, 7, 15];
/// `outlier_slash` values compared (fraction of `min_bond` per outlier seat).
const SLASHES: [f64; 4] = [0.0, 0.01, 0.05, 0.10];
/// The `outlier_slash` of the self-dealing and lying tables (the recommended default).
const TABLE_SLASH: f64 = 0.01;
/// The pot of a contribution-scoring task (contributions' `evaluation_fee`), PRSP.
const CONTRIBUTION_POT: f64 = 10.0;

fn main() {
	let started = std::time::Instant::now();
	current_rule_tables();
	panel_tables();
	appeals_tables();
	eprintln!("evaluation-sim: {:.1} s", started.elapsed().as_secs_f64());
}

/// The tables of the aggregation study (every evaluator reveals every task; weight = bond ×
/// reputation).
fn current_rule_tables() {
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
	let tolerances: [pallet_evaluation::Score; 7] = [3, 5, 8, 10, 15, 20, 30];
	for tolerance in tolerances {
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

/// A probability as a percentage, with more digits as it shrinks.
fn pct(p: f64) -> String {
	if p >= 0.01 {
		format!("{:.1}%", 100.0 * p)
	} else if p >= 0.0001 {
		format!("{:.2}%", 100.0 * p)
	} else if p > 0.0 {
		format!("{:.0e}", p)
	} else {
		"0".to_string()
	}
}

fn prsp(x: f64) -> String {
	let s = format!("{:+.2}", x);
	if s == "-0.00" { "+0.00".into() } else { s }
}

fn rep(x: f64) -> String {
	let s = format!("{:+.0}", x);
	if s == "-0" { "+0".into() } else { s }
}

fn cell(o: &PanelOutcome) -> String {
	format!("{} / {}", prsp(o.bloc_prsp), rep(o.bloc_reputation))
}

fn header(first: &str, rest: &[String]) {
	println!("| {first} | {} |", rest.join(" | "));
	println!("|---:|{}", "---:|".repeat(rest.len()));
}

/// The tables of issue 15: panels drawn by lot, with replacement, in proportion to bond.
fn panel_tables() {
	let base = Panel::default();
	let mut args = std::env::args();
	let tasks = match args.position(|a| a == "--panel-tasks") {
		Some(_) => args.next().and_then(|n| n.parse().ok()).expect("--panel-tasks N"),
		None => base.tasks,
	};
	let base = Panel { tasks, ..base };
	let at = |share: f64, k: u32| Panel { share, panel_size: k, ..base };
	let ks: Vec<String> = SIZES.iter().map(|k| format!("k = {k}")).collect();
	let (old_self_prsp, old_self_rep) = old_rule_self_dealing(&base);
	let (old_lie_prsp, old_lie_rep) = old_rule_lying(&base);

	println!("\n## Panels drawn by lot (issue 15)\n");
	println!(
		"Seats drawn with replacement in proportion to bond; consensus weight = seats; per seat: \
		 pot share, +{} reputation x closeness/best, outlier -{} reputation and outlier_slash x min_bond \
		 burnt. min_bond {} PRSP, pot = min_reward = {} PRSP, tolerance {}, {} criteria, {} honest accounts \
		 (bonds 1-10 x min_bond, noise sigma {}), a bloc of {} accounts lying by {} points; {} tasks per cell, \
		 seed {}. PRSP and reputation are per task; \"old rule\" = today's first-come panel of 3 seats \
		 (min = max = 3), which a bloc fills at any share. Fees (about 0.001 PRSP a call) are left out.\n",
		base.accuracy_reward, base.outlier_penalty, base.min_bond, base.pot, base.tolerance, base.criteria,
		base.honest_accounts, base.noise, base.bloc_accounts, base.lie, base.tasks, base.seed
	);

	println!("### Capture probability: the bloc holds >= ceil(k/2) seats (exact binomial)\n");
	header("bloc share", &[ks.clone(), vec!["old rule".into()]].concat());
	for share in SHARES {
		let cells: Vec<String> = SIZES.iter().map(|k| pct(capture_probability(*k, share))).collect();
		println!("| {:.0}% | {} | 100% |", 100.0 * share, cells.join(" | "));
	}

	println!(
		"\n### Self-dealing: the bloc opens a task (pot {} PRSP) and is drawn for it; it scores honestly \
		 (outlier_slash {:.0}%)\n",
		base.pot,
		100.0 * TABLE_SLASH
	);
	println!("Cells: the bloc's PRSP / reputation per task on its own task.\n");
	header(
		"bloc share",
		&[
			ks.clone(),
			vec![
				"k = 7, on someone else's task".into(),
				"reputation premium of self-dealing".into(),
				"k = 7, PRSP per 1,000 reputation".into(),
				"old rule".into(),
			],
		]
		.concat(),
	);
	for share in SHARES {
		let mut cells = Vec::new();
		let mut premium: f64 = 0.0;
		let mut k7 = (PanelOutcome::default(), PanelOutcome::default());
		for k in SIZES {
			let p = Panel { outlier_slash: TABLE_SLASH, ..at(share, k) };
			let own = run_panels(&p, Play::Honest, true);
			let elsewhere = run_panels(&p, Play::Honest, false);
			premium = premium.max((own.bloc_reputation - elsewhere.bloc_reputation).abs());
			cells.push(cell(&own));
			if k == 7 {
				k7 = (own, elsewhere);
			}
		}
		println!(
			"| {:.0}% | {} | {} | {} | {:.2} | {} / {} |",
			100.0 * share,
			cells.join(" | "),
			cell(&k7.1),
			rep(premium),
			-1000.0 * k7.0.bloc_prsp / k7.0.bloc_reputation,
			prsp(old_self_prsp),
			rep(old_self_rep)
		);
	}

	println!(
		"\n### Lying: the bloc moves every criterion by {} points (outlier_slash {:.0}% of min_bond per seat)\n",
		base.lie,
		100.0 * TABLE_SLASH
	);
	println!("Bloc that lies on every task it is drawn for. Cells: the bloc's PRSP / reputation per task.\n");
	header("bloc share", &[ks.clone(), vec!["old rule".into()]].concat());
	let mut runs = Vec::new();
	for share in SHARES {
		let mut row = Vec::new();
		for k in SIZES {
			let p = Panel { outlier_slash: TABLE_SLASH, ..at(share, k) };
			row.push((
				run_panels(&p, Play::Honest, false),
				run_panels(&p, Play::AlwaysLie, false),
				run_panels(&p, Play::LieWhenHoldingMedian, false),
			));
		}
		let cells: Vec<String> = row.iter().map(|(_, liar, _)| cell(liar)).collect();
		println!("| {:.0}% | {} | {} / {} |", 100.0 * share, cells.join(" | "), prsp(old_lie_prsp), rep(old_lie_rep));
		runs.push(row);
	}
	println!(
		"\nBloc that lies only when it holds the median (it sees its seats before committing), \
		 otherwise scores honestly. Cells: its gain over scoring honestly throughout, PRSP / reputation \
		 per task (the verdicts it sets are on top).\n"
	);
	header("bloc share", &[ks.clone(), vec!["old rule".into()]].concat());
	for (share, row) in SHARES.iter().zip(&runs) {
		let cells: Vec<String> = row
			.iter()
			.map(|(honest, _, strategic)| {
				format!(
					"{} / {}",
					prsp(strategic.bloc_prsp - honest.bloc_prsp),
					rep(strategic.bloc_reputation - honest.bloc_reputation)
				)
			})
			.collect();
		println!("| {:.0}% | {} | {} / {} |", 100.0 * share, cells.join(" | "), prsp(old_lie_prsp), rep(old_lie_rep));
	}
	println!(
		"\nHonest seats, k = 7: PRSP / reputation per seat and task, outlier rate, and consensus error \
		 (points), against a bloc that scores honestly, always lies, or lies when it holds the median.\n"
	);
	header(
		"bloc share",
		&["bloc honest".into(), "bloc always lies".into(), "bloc lies holding the median".into(), "honest outliers (always / holding)".into(), "error (always / holding)".into()],
	);
	let k7 = SIZES.iter().position(|k| *k == 7).expect("k = 7 is in the table");
	for (share, row) in SHARES.iter().zip(&runs) {
		let (honest, liar, strategic) = &row[k7];
		let seat = |o: &PanelOutcome| format!("{:+.3} / {}", o.honest_prsp_per_seat, rep(o.honest_reputation_per_seat));
		println!(
			"| {:.0}% | {} | {} | {} | {} / {} | {:.2} / {:.2} |",
			100.0 * share,
			seat(honest),
			seat(liar),
			seat(strategic),
			pct(liar.honest_outlier_rate),
			pct(strategic.honest_outlier_rate),
			liar.error,
			strategic.error
		);
	}

	println!("\n### outlier_slash sweep\n");
	println!(
		"Honest seat with no bloc: PRSP per seat and task (pot share - slashes) for each k; a bloc at k = 7 \
		 that always lies: PRSP per task; \"break-even verdict\": what each verdict it captures must be worth \
		 to a 20% bloc for always lying to beat honest scoring (PRSP lost / verdicts captured); a lazy 5% bloc \
		 scoring 50 everywhere: PRSP per seat; last column: an honest seat when the pot is a contribution's \
		 evaluation fee.\n"
	);
	header(
		"outlier_slash",
		&[
			vec!["PRSP per outlier seat".into()],
			SIZES.iter().map(|k| format!("honest seat, k = {k}")).collect(),
			vec![
				"bloc 10%, k = 7".into(),
				"bloc 20%, k = 7".into(),
				"bloc 30%, k = 7".into(),
				"break-even verdict, 20%, k = 7".into(),
				"honest seat under a 30% bloc lying holding the median, k = 7".into(),
				"lazy 5% (always 50), k = 7, per seat".into(),
				format!("honest seat, k = 7, pot {CONTRIBUTION_POT} PRSP"),
			],
		]
		.concat(),
	);
	for slash in SLASHES {
		let with = |share: f64, k: u32| Panel { outlier_slash: slash, ..at(share, k) };
		let honest: Vec<String> = SIZES
			.iter()
			.map(|k| format!("{:+.3}", run_panels(&with(0.0, *k), Play::Honest, false).honest_prsp_per_seat))
			.collect();
		let liars: Vec<PanelOutcome> =
			[0.1, 0.2, 0.3].iter().map(|s| run_panels(&with(*s, 7), Play::AlwaysLie, false)).collect();
		let fair = run_panels(&with(0.2, 7), Play::Honest, false);
		let breakeven = (fair.bloc_prsp - liars[1].bloc_prsp) / liars[1].captured;
		let strategic = run_panels(&with(0.3, 7), Play::LieWhenHoldingMedian, false);
		let lazy = run_panels(&with(0.05, 7), Play::Lazy, false);
		let rich = run_panels(&Panel { pot: CONTRIBUTION_POT, ..with(0.0, 7) }, Play::Honest, false);
		println!(
			"| {:.0}% | {:.0} | {} | {} | {} | {} | {:.0} PRSP | {:+.3} | {:+.3} | {:+.3} |",
			100.0 * slash,
			slash * base.min_bond,
			honest.join(" | "),
			prsp(liars[0].bloc_prsp),
			prsp(liars[1].bloc_prsp),
			prsp(liars[2].bloc_prsp),
			breakeven,
			strategic.honest_prsp_per_seat,
			lazy.bloc_prsp / lazy.bloc_seats,
			rich.honest_prsp_per_seat
		);
	}

	println!("\n### Quorum (k = 7)\n");
	println!(
		"\"Withhold\": the bloc can fail a task by not revealing (honest seats < quorum). \"Capture, 95% \
		 up\": the bloc sets the consensus when each honest seat reveals with probability 95%. \"Downtime \
		 failure\": a task with no bloc fails because fewer than quorum seats reveal.\n"
	);
	header(
		"quorum",
		&[
			"withhold: bloc 10% / 20% / 30%".into(),
			"capture, 95% up: bloc 10% / 20% / 30%".into(),
			"downtime failure: 95% / 99% up".into(),
		],
	);
	let k = 7;
	for quorum in 1..=k {
		let w: Vec<String> = [0.1, 0.2, 0.3].iter().map(|s| pct(withholding_probability(k, quorum, *s))).collect();
		let c: Vec<String> =
			[0.1, 0.2, 0.3].iter().map(|s| pct(capture_probability_with_downtime(k, quorum, *s, 0.95))).collect();
		println!(
			"| {quorum}{} | {} | {} | {} / {} |",
			if quorum == median_seats(k) { " (= ceil(k/2))" } else { "" },
			w.join(" / "),
			c.join(" / "),
			pct(downtime_failure_probability(k, quorum, 0.95)),
			pct(downtime_failure_probability(k, quorum, 0.99))
		);
	}
}

/// The columns both appeals tables share.
fn appeals_columns() -> Vec<String> {
	[
		"P(round 0 shifted) = P(final shifted), no appeals",
		"P(final shifted), appeals without governance = P(governance needed)",
		"rounds per dispute",
		"honest appellant: P(appeals) / appeals per dispute",
		"honest appellant: PRSP per appeal / per dispute it appealed",
		"bloc: PRSP per dispute (pot + pool - slashes)",
		"honest evaluators: PRSP per dispute",
		"pool burnt, PRSP per dispute",
		"briber value, PRSP per dispute: no appeals / appeals, no governance / with governance",
	]
	.iter()
	.map(|c| c.to_string())
	.collect()
}

fn appeals_cells(r: &AppealsRow) -> Vec<String> {
	let appellant = if r.honest_appeals > 0.0 {
		format!("{} / {}", prsp(r.honest_profit_per_appeal), prsp(r.honest_profit_per_appealing_dispute))
	} else {
		"–".to_string()
	};
	vec![
		pct(r.round0_shifted),
		pct(r.shifted_after_appeals),
		format!("{:.3}", r.rounds),
		format!("{} / {:.3}", pct(r.honest_appeal_rate), r.honest_appeals),
		appellant,
		prsp(r.bloc_jury_net),
		prsp(r.honest_jury_net),
		format!("{:.2}", r.burnt),
		format!("{:.1} / {:.1} / {:.1}", r.briber_value_no_appeals, r.briber_value_no_governance, r.briber_value),
	]
}

/// The appeals study: a bloc that always reveals a shifted verdict, an honest appellant, and
/// (B) a bloc that also appeals the honest verdicts it has a chance to capture.
fn appeals_tables() {
	let base = Dispute::default();
	let mut args = std::env::args();
	let trials = match args.position(|a| a == "--appeal-trials") {
		Some(_) => args.next().and_then(|n| n.parse().ok()).expect("--appeal-trials N"),
		None => base.trials,
	};
	let base = Dispute { trials, ..base };
	let bond = |round: u32| base.appeal_bond(round) as f64 / 1e12;
	let second = evaluation_sim::appeal_panel_size(base.first_panel);
	let third = evaluation_sim::appeal_panel_size(second);

	println!("\n## Appeals: a bribed first panel\n");
	println!(
		"{} evaluators with equal bonds (min_bond {} PRSP); a bloc holding a share of the bond (its first \
		 members) reveals {} in every round it sits on, the honest reveal the truth {} + noise (sigma {}, \
		 rounded, clamped); one criterion, tolerance {}. Round 0: {} seats by lot with replacement; an appeal \
		 draws 2n + 1 seats ({}, then {}) from the evaluators who sat on no earlier round; verdict = kappa = 1/2 \
		 seat-weighted median; \"shifted\" = beyond tolerance of the truth. max_appeal_rounds {}: a verdict \
		 still shifted after round {} goes to governance, assumed to decide the truth. The honest appellant \
		 appeals every shifted verdict. Appeal bonds {} x 2^r PRSP ({} / {} / governance {}). Settlement on the \
		 final verdict: pot {} PRSP to round 0's coherent members (seats x closeness); every outlier of every \
		 round slashed {} PRSP a seat into a pool, with the bonds of failed appeals (an appeal succeeds if the \
		 verdict it contested is beyond tolerance of the final one; its bond is refunded); the pool goes half \
		 to successful appeals (by bond), half to coherent appeal-round members (seats x closeness), all to one \
		 side if the other is empty, else burnt. The briber values a final shifted verdict at {} PRSP and pays \
		 the bloc nothing extra. {} disputes per row, seed {}.\n",
		base.evaluators,
		base.min_bond,
		base.bloc_score,
		base.truth,
		base.noise,
		base.tolerance,
		base.first_panel,
		second,
		third,
		base.max_appeal_rounds,
		base.max_appeal_rounds,
		base.appeal_bond_base,
		bond(1),
		bond(2),
		bond(base.max_appeal_rounds + 1),
		base.pot,
		base.outlier_slash * base.min_bond,
		base.briber_value,
		base.trials,
		base.seed
	);

	let honest_only = appeals_rows(&base, &SHARES);
	println!("### (A) A bribed bloc, an honest appellant\n");
	header("bloc share", &appeals_columns());
	for r in &honest_only {
		println!("| {:.0}% | {} |", 100.0 * r.share, appeals_cells(r).join(" | "));
	}

	let bloc_too = appeals_rows(&Dispute { bloc_appeals: true, ..base }, &SHARES);
	println!(
		"\n### (B) The bloc also appeals every honest verdict, when it has a chance\n\n\"A chance\": the exact \
		 probability that its members who have not sat yet take a majority of the next panel is at least \
		 {}%. The honest appellant still appeals every shifted verdict.\n",
		100.0 * base.bloc_min_chance
	);
	header(
		"bloc share",
		&[
			appeals_columns(),
			vec![
				"bloc appeals per dispute".into(),
				"bloc: PRSP per dispute from its own appeals".into(),
				"bloc: total PRSP per dispute".into(),
			],
		]
		.concat(),
	);
	for r in &bloc_too {
		println!(
			"| {:.0}% | {} | {:.3} | {} | {} |",
			100.0 * r.share,
			appeals_cells(r).join(" | "),
			r.bloc_appeals,
			prsp(r.bloc_appeal_net),
			prsp(r.bloc_jury_net + r.bloc_appeal_net)
		);
	}
}
