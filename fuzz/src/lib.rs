//! # perspective-fuzz
//!
//! Decodes bytes into a sequence of steps (advance blocks, or a call from one of the fuzz
//! accounts), executes them natively on the development genesis through `Executive` (so every
//! hook runs), and checks invariants after every block. Work in progress for issue 17: the
//! deterministic seeded mode runs in `cargo test`; the coverage-guided campaign comes next.

pub mod chain;
pub mod invariants;
pub mod steps;

use std::fmt;

/// What one sequence did.
#[derive(Default, Debug, Clone)]
pub struct Stats {
	pub blocks: u32,
	pub calls: u32,
	pub succeeded: u32,
	/// How often each event (`pallet::Variant`) was emitted: what the sequences reached.
	pub events: std::collections::BTreeMap<String, u32>,
}

impl Stats {
	pub fn add(&mut self, other: &Stats) {
		self.blocks += other.blocks;
		self.calls += other.calls;
		self.succeeded += other.succeeded;
		for (event, n) in &other.events {
			*self.events.entry(event.clone()).or_default() += n;
		}
	}
}

/// A broken invariant, with the step that preceded it.
#[derive(Debug)]
pub struct Failure {
	pub step: usize,
	pub block: u32,
	pub what: String,
	pub trace: Vec<String>,
}

impl fmt::Display for Failure {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(f, "invariant broken at block {} after step {}: {}", self.block, self.step, self.what)?;
		for (i, line) in self.trace.iter().enumerate() {
			writeln!(f, "  {i:>4}: {line}")?;
		}
		Ok(())
	}
}

/// Most steps and blocks one input may run (keeps every input fast).
pub const MAX_STEPS: usize = 256;
pub const MAX_BLOCKS: u32 = 384;

/// Runs the steps `data` decodes into from genesis, checking the invariants after every block.
pub fn run(data: &[u8]) -> Result<Stats, Failure> {
	let mut ext = chain::new_chain();
	ext.execute_with(|| steps::Runner::new(data).run())
}

/// Deterministic input bytes for a seed (SplitMix64), so the seeded mode decodes exactly like
/// a fuzzer's inputs.
pub fn seeded_input(seed: u64, len: usize) -> Vec<u8> {
	let mut state = seed;
	let mut out = Vec::with_capacity(len);
	while out.len() < len {
		state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = state;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^= z >> 31;
		out.extend_from_slice(&z.to_le_bytes());
	}
	out.truncate(len);
	out
}
