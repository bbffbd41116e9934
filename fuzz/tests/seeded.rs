//! The fuzzer's deterministic mode: fixed seeds, so every run (and CI) tries the same
//! sequences (64 by default, about 10 s). `PERSPECTIVE_FUZZ_SEQUENCES` overrides how many: 1,500
//! took 247 s on the 2-core machine and broke no invariant.

#[test]
fn seeded_sequences_keep_every_invariant() {
	let sequences: u64 = std::env::var("PERSPECTIVE_FUZZ_SEQUENCES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
	let mut total = perspective_fuzz::Stats::default();
	let started = std::time::Instant::now();
	for seed in 0..sequences {
		let input = perspective_fuzz::seeded_input(0x17 + seed, 1_024);
		match perspective_fuzz::run(&input) {
			Ok(stats) => total.add(&stats),
			Err(failure) => panic!("seed {}: {failure}", 0x17 + seed),
		}
	}
	eprintln!(
		"{sequences} sequences: {} blocks, {} calls ({} succeeded) in {:.1} s",
		total.blocks,
		total.calls,
		total.succeeded,
		started.elapsed().as_secs_f64()
	);
	for (event, n) in &total.events {
		eprintln!("{n:>8}  {event}");
	}
	assert!(total.succeeded > 0, "no call ever succeeded: the grammar reaches nothing");
}
