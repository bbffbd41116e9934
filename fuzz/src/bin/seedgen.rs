//! Writes the seed corpus of the coverage-guided campaign (`scripts/fuzz.sh`):
//! - the first `--seeds` (default 64) seeded sequences, exactly as `tests/seeded.rs` runs them;
//! - for every event the runtime emitted over `--candidates` (default 512) more random inputs
//!   of varied lengths, the shortest input that emitted it: one entry per reachable behaviour
//!   (appeals, disputes, epoch closes...), independent of how the step grammar encodes steps.
//!
//! ```text
//! cargo run -p perspective-fuzz --release --bin seedgen -- OUT_DIR [--seeds N] [--candidates M]
//! ```
//! Files are named by content hash, so rerunning adds nothing twice. An input that breaks an
//! invariant is reported and written to OUT_DIR as well (libFuzzer then reports it first).

use std::collections::BTreeMap;

fn main() {
	let mut args = std::env::args().skip(1);
	let mut out: Option<std::path::PathBuf> = None;
	let mut seeds = 64u64;
	let mut candidates = 512u64;
	while let Some(arg) = args.next() {
		match arg.as_str() {
			"--seeds" => seeds = args.next().and_then(|v| v.parse().ok()).expect("--seeds N"),
			"--candidates" => candidates = args.next().and_then(|v| v.parse().ok()).expect("--candidates M"),
			dir => out = Some(dir.into()),
		}
	}
	let out = out.expect("usage: seedgen OUT_DIR [--seeds N] [--candidates M]");
	std::fs::create_dir_all(&out).expect("creatable output dir");
	let started = std::time::Instant::now();
	let mut written = 0;
	let mut write = |data: &[u8]| {
		let name = format!("{}", hex(&sp_io::hashing::blake2_128(data)));
		let path = out.join(name);
		if !path.exists() {
			std::fs::write(&path, data).expect("writable output dir");
			written += 1;
		}
	};
	let mut failures = 0;
	for i in 0..seeds {
		let input = perspective_fuzz::seeded_input(0x17 + i, 1_024);
		if let Err(f) = perspective_fuzz::run(&input) {
			failures += 1;
			eprintln!("seed {:#x} breaks an invariant:\n{f}", 0x17 + i);
		}
		write(&input);
	}
	// The shortest input that emitted each event.
	let mut best: BTreeMap<String, Vec<u8>> = BTreeMap::new();
	let lengths = [64usize, 128, 256, 512, 1_024, 2_048, 4_096];
	for i in 0..candidates {
		let len = lengths[(i as usize) % lengths.len()];
		let input = perspective_fuzz::seeded_input(0xC0_0000 + i, len);
		match perspective_fuzz::run(&input) {
			Ok(stats) =>
				for event in stats.events.keys() {
					let shorter = best.get(event).map(|b| input.len() < b.len()).unwrap_or(true);
					if shorter {
						best.insert(event.clone(), input.clone());
					}
				},
			Err(f) => {
				failures += 1;
				eprintln!("candidate {i} breaks an invariant:\n{f}");
				write(&input);
			},
		}
	}
	for (event, input) in &best {
		eprintln!("{:>5} bytes  {event}", input.len());
		write(input);
	}
	eprintln!(
		"seedgen: {written} new files in {} ({} seeded, {} events covered), {failures} failing inputs, {:.1} s",
		out.display(),
		seeds,
		best.len(),
		started.elapsed().as_secs_f64()
	);
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}
