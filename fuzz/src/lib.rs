//! # perspective-fuzz
//!
//! Decodes bytes into a sequence of steps (advance N blocks, warp to the next block with work,
//! a signed action of one of 32 funded accounts as a real signed extrinsic, a batch of them, or
//! a governance call from a governance origin), executes them natively on the development
//! genesis through `Executive` (so every hook runs), and checks invariants after every block
//! (see [`steps`] for the grammar, [`invariants`] for the checks, [`ghost`] for the
//! ghost-coalition profile). The deterministic seeded mode runs in `cargo test`
//! (`tests/seeded.rs`); [`run`] is the entry point of the coverage-guided campaign.

pub mod accounts;
pub mod chain;
pub mod ghost;
pub mod gov;
pub mod invariants;
pub mod logs;
pub mod steps;

use std::{collections::BTreeMap, fmt};

/// What one sequence (or, added up, several) did.
#[derive(Default, Debug, Clone)]
pub struct Stats {
	pub sequences: u32,
	/// Sequences in the ghost-coalition profile.
	pub ghost_sequences: u32,
	pub steps: u32,
	pub blocks: u32,
	/// Warps, and the idle blocks they skipped.
	pub warps: u32,
	pub warped_blocks: u64,
	/// Signed extrinsics applied (whatever their dispatch result) and governance dispatches.
	pub calls: u32,
	pub succeeded: u32,
	/// Signed transactions refused as invalid (fees, stale nonce, no room in any block).
	pub rejected: u32,
	/// Transactions retried in the next block because the block was full.
	pub retried: u32,
	/// How often each event (`pallet::Variant`) was emitted: what the sequences reached.
	pub events: BTreeMap<String, u32>,
	/// Calls tried and succeeded, by path and `Pallet::call`: `signed` (a signed extrinsic),
	/// `batched` (inside a utility batch), `sudo`, `gov` (a governance origin, dispatched
	/// directly), `council` (a closed motion), `referendum` (an enacted referendum),
	/// `whitelisted` (a dispatched whitelisted call).
	pub tried: BTreeMap<String, u32>,
	pub ok: BTreeMap<String, u32>,
	/// Error logs of the runtime (other than the overweight-dispatch one, which fails).
	pub error_logs: BTreeMap<String, u32>,
	/// The ghost-coalition sequences' reports.
	pub ghost: Vec<ghost::GhostReport>,
	/// Where the time went (nanoseconds): building and signing transactions, applying them
	/// (signature check included), governance dispatches, producing blocks (hooks), and the
	/// invariant checks.
	pub nanos: Nanos,
}

/// Time spent per activity, in nanoseconds.
#[derive(Default, Debug, Clone, Copy)]
pub struct Nanos {
	pub sign: u128,
	pub apply: u128,
	pub governance: u128,
	pub blocks: u128,
	pub checks: u128,
}

impl Stats {
	pub fn add(&mut self, other: &Stats) {
		self.sequences += other.sequences;
		self.ghost_sequences += other.ghost_sequences;
		self.steps += other.steps;
		self.blocks += other.blocks;
		self.warps += other.warps;
		self.warped_blocks += other.warped_blocks;
		self.calls += other.calls;
		self.succeeded += other.succeeded;
		self.rejected += other.rejected;
		self.retried += other.retried;
		for (map, theirs) in [
			(&mut self.events, &other.events),
			(&mut self.tried, &other.tried),
			(&mut self.ok, &other.ok),
			(&mut self.error_logs, &other.error_logs),
		] {
			for (key, n) in theirs {
				*map.entry(key.clone()).or_default() += n;
			}
		}
		self.ghost.extend(other.ghost.iter().cloned());
		self.nanos.sign += other.nanos.sign;
		self.nanos.apply += other.nanos.apply;
		self.nanos.governance += other.nanos.governance;
		self.nanos.blocks += other.nanos.blocks;
		self.nanos.checks += other.nanos.checks;
	}

	/// Counts one try of `key` (`path Pallet::call`), and a success if `ok`.
	pub fn tally(&mut self, key: &str, ok: bool) {
		*self.tried.entry(key.to_string()).or_default() += 1;
		if ok {
			*self.ok.entry(key.to_string()).or_default() += 1;
		}
	}

	/// Successful calls per pallet, whatever the path.
	pub fn ok_by_pallet(&self) -> BTreeMap<String, u32> {
		let mut by_pallet = BTreeMap::new();
		for (key, n) in &self.ok {
			let call = key.split(' ').nth(1).unwrap_or(key);
			let pallet = call.split("::").next().unwrap_or(call);
			*by_pallet.entry(pallet.to_string()).or_default() += n;
		}
		by_pallet
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

thread_local! {
	/// The running sequence's trace, kept outside the runner so that a panic does not lose it.
	pub(crate) static FLIGHT_RECORDER: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
	/// The block the running sequence is in.
	pub(crate) static FLIGHT_BLOCK: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Most steps and blocks one input may run (keeps every input fast).
pub const MAX_STEPS: usize = 256;
pub const MAX_BLOCKS: u32 = 384;

/// Runs the steps `data` decodes into from genesis, checking the invariants after every block.
///
/// Never panics: a panic inside the runtime (or the harness) is returned as a [`Failure`] with
/// the trace of the steps before it; every input either passes or breaks an invariant.
pub fn run(data: &[u8]) -> Result<Stats, Failure> {
	use std::panic::{catch_unwind, AssertUnwindSafe};
	FLIGHT_RECORDER.with(|t| t.borrow_mut().clear());
	let mut ext = chain::new_chain();
	let outcome = catch_unwind(AssertUnwindSafe(|| ext.execute_with(|| steps::Runner::new(data).run())));
	match outcome {
		Ok(result) => result,
		Err(panic) => {
			let what = panic
				.downcast_ref::<String>()
				.cloned()
				.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
				.unwrap_or_else(|| "a panic without a message".into());
			let (block, trace) = FLIGHT_RECORDER.with(|t| {
				let trace = std::mem::take(&mut *t.borrow_mut());
				(FLIGHT_BLOCK.with(|b| b.get()), trace)
			});
			Err(Failure { step: trace.len(), block, what: format!("panic: {what}"), trace })
		},
	}
}

#[cfg(test)]
mod tests {
	/// The same input runs the same sequence: signatures are randomized (sr25519), but nothing
	/// the runtime decides depends on them (panel draws use BABE randomness, which the
	/// secondary-plain pre-digests leave at the epoch's), and session keys come from seeds.
	#[test]
	fn a_sequence_is_deterministic() {
		let input = super::seeded_input(0x2a, 1_024);
		let a = super::run(&input).map_err(|f| f.to_string());
		let b = super::run(&input).map_err(|f| f.to_string());
		match (a, b) {
			(Ok(a), Ok(b)) => {
				assert_eq!((a.blocks, a.calls, a.succeeded, &a.events, &a.ok), (b.blocks, b.calls, b.succeeded, &b.events, &b.ok));
			},
			(Err(a), Err(b)) => assert_eq!(a.lines().next(), b.lines().next()),
			(a, b) => panic!("the same input ended differently: {a:?} / {b:?}"),
		}
	}
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
