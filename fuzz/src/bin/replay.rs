//! Replays inputs through `perspective_fuzz::run` and prints what they did or which invariant
//! they broke (with the decoded step trace).
//!
//! ```text
//! cargo run -p perspective-fuzz --release --bin replay -- FILE...        # corpus files, crashes
//! cargo run -p perspective-fuzz --release --bin replay -- --seed 23      # a seeded sequence
//! cargo run -p perspective-fuzz --release --bin replay -- DIR            # every file in DIR
//! ```
//! Exits with 1 if any input breaks an invariant.

use std::path::PathBuf;

fn main() {
	let mut args = std::env::args().skip(1);
	let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
	let mut len = 1_024usize;
	while let Some(arg) = args.next() {
		match arg.as_str() {
			"--seed" => {
				let seed = args.next().expect("--seed needs a number");
				let seed: u64 = parse_u64(&seed).expect("--seed needs a number (decimal or 0x hex)");
				inputs.push((format!("seed {seed:#x}"), perspective_fuzz::seeded_input(seed, len)));
			},
			"--len" => len = args.next().and_then(|l| l.parse().ok()).expect("--len needs a number"),
			"-h" | "--help" => {
				eprintln!("usage: replay [--len N] [--seed S]... [FILE|DIR]...");
				return;
			},
			path => {
				let path = PathBuf::from(path);
				if path.is_dir() {
					let mut files: Vec<PathBuf> =
						std::fs::read_dir(&path).expect("readable dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
					files.sort();
					for file in files.into_iter().filter(|f| f.is_file()) {
						inputs.push((file.display().to_string(), std::fs::read(&file).expect("readable file")));
					}
				} else {
					inputs.push((path.display().to_string(), std::fs::read(&path).expect("readable file")));
				}
			},
		}
	}
	if inputs.is_empty() {
		eprintln!("nothing to replay: pass files, directories or --seed S");
		std::process::exit(2);
	}
	let mut failed = 0;
	for (name, data) in &inputs {
		let started = std::time::Instant::now();
		match perspective_fuzz::run(data) {
			Ok(stats) => {
				println!(
					"{name}: ok, {} bytes, {} blocks, {} calls ({} succeeded), {:.2} s",
					data.len(),
					stats.blocks,
					stats.calls,
					stats.succeeded,
					started.elapsed().as_secs_f64()
				);
				if inputs.len() == 1 {
					for (event, n) in &stats.events {
						println!("{n:>8}  {event}");
					}
				}
			},
			Err(failure) => {
				failed += 1;
				println!("{name}: FAILED\n{failure}");
			},
		}
	}
	if failed > 0 {
		eprintln!("{failed} of {} inputs broke an invariant", inputs.len());
		std::process::exit(1);
	}
}

fn parse_u64(s: &str) -> Option<u64> {
	match s.strip_prefix("0x") {
		Some(hex) => u64::from_str_radix(hex, 16).ok(),
		None => s.parse().ok(),
	}
}
