//! Replays every input in `fuzz/regressions/` (minimised crashes of the coverage-guided
//! campaign, and a few inputs that reach deep paths) through `perspective_fuzz::run`: each must
//! keep every invariant. `scripts/fuzz.sh` adds a file here for every crash it minimises.

#[test]
fn regression_inputs_keep_every_invariant() {
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
	let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
		.map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
		.unwrap_or_default();
	files.retain(|f| f.extension().map(|e| e == "bin").unwrap_or(false));
	files.sort();
	let mut failures = Vec::new();
	for file in &files {
		let data = std::fs::read(file).expect("readable regression input");
		match perspective_fuzz::run(&data) {
			Ok(stats) => eprintln!(
				"{}: ok ({} blocks, {} calls, {} succeeded)",
				file.file_name().unwrap().to_string_lossy(),
				stats.blocks,
				stats.calls,
				stats.succeeded
			),
			Err(failure) => failures.push(format!("{}:\n{failure}", file.display())),
		}
	}
	eprintln!("{} regression inputs replayed from {}", files.len(), dir.display());
	assert!(failures.is_empty(), "{} regression inputs fail:\n{}", failures.len(), failures.join("\n"));
}
