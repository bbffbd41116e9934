//! The agent's durable state: for every task it scored, the scores and the salt of its
//! commitment, written to disk **before** the commitment is submitted, so a restart between
//! commit and reveal can still reveal (a lost salt means a missed reveal and a slash).
//!
//! One JSON file per chain and account. Every save writes a temporary file, syncs it, renames
//! it over the old one and syncs the directory: after a crash the file is either the old or the
//! new state, never a torn one. A lock file keeps a second agent off the same state.

use serde::{Deserialize, Serialize};
use std::{
	collections::BTreeMap,
	fs::{self, File, OpenOptions},
	io::Write,
	path::{Path, PathBuf},
};

/// Where a task stands for this agent.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "phase")]
pub enum Phase {
	/// Scored and saved; the commitment may or may not have reached the chain.
	Persisted,
	/// The commitment is on chain (seen in the task's evaluations).
	Committed,
	/// The reveal is on chain.
	Revealed,
	/// Not evaluated, with the reason (scorer failure, hash mismatch, window missed...).
	Skipped { reason: String },
}

/// One task's record.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TaskRecord {
	#[serde(flatten)]
	pub phase: Phase,
	pub scores: Vec<u16>,
	#[serde(with = "hex32")]
	pub salt: [u8; 32],
	#[serde(with = "hex32")]
	pub commitment: [u8; 32],
	pub commit_end: u32,
	pub reveal_end: u32,
	/// Best block at which this agent last saw its commitment included: a later best block that
	/// does not show it yet (the subscription may deliver older blocks first) is not a reason
	/// to commit again; only a re-organisation that lost it for several blocks is.
	#[serde(default)]
	pub committed_at: Option<u32>,
	/// Best block that included this agent's reveal.
	#[serde(default)]
	pub revealed_at: Option<u32>,
	/// Finalized block at which the outcome (the reveal, or the task's end) was seen: from then
	/// on nothing can undo it and the record only waits to be pruned.
	#[serde(default)]
	pub final_at: Option<u32>,
	/// Best block at which the commitment was last submitted.
	#[serde(default)]
	pub commit_sent_at: Option<u32>,
	/// Best block at which the reveal was last submitted.
	#[serde(default)]
	pub reveal_sent_at: Option<u32>,
}

impl TaskRecord {
	/// A record in `phase` that has not been sent anywhere yet.
	pub fn new(phase: Phase, scores: Vec<u16>, salt: [u8; 32], commitment: [u8; 32], commit_end: u32, reveal_end: u32) -> Self {
		Self {
			phase,
			scores,
			salt,
			commitment,
			commit_end,
			reveal_end,
			committed_at: None,
			revealed_at: None,
			final_at: None,
			commit_sent_at: None,
			reveal_sent_at: None,
		}
	}
}

/// A pending contribution registration (between `commit_registration` and `register`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RegistrationRecord {
	#[serde(with = "hex32")]
	pub content_hash: [u8; 32],
	#[serde(with = "hex32")]
	pub salt: [u8; 32],
}

/// Everything the file holds.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
	pub version: u32,
	/// Genesis hash (hex) of the chain this state belongs to.
	pub genesis: String,
	/// SS58 address of the account.
	pub account: String,
	pub tasks: BTreeMap<u64, TaskRecord>,
	/// Keyed by the registration commitment (hex).
	pub registrations: BTreeMap<String, RegistrationRecord>,
}

pub const VERSION: u32 = 1;

/// The state file, held exclusively while this value lives.
pub struct Store {
	path: PathBuf,
	state: State,
	_lock: File,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	#[error("state file {0}: {1}")]
	Io(PathBuf, std::io::Error),
	#[error("state file {0} is not valid JSON state: {1}")]
	Corrupt(PathBuf, serde_json::Error),
	#[error("state file {path} belongs to {found}, not to {expected}")]
	WrongOwner { path: PathBuf, found: String, expected: String },
	#[error("another agent holds the state file {0} (its lock file is locked)")]
	Locked(PathBuf),
}

impl Store {
	/// Opens (or creates) the state of `account` on the chain with genesis `genesis`.
	pub fn open(path: &Path, genesis: &str, account: &str) -> Result<Self, StoreError> {
		let io = |e| StoreError::Io(path.to_path_buf(), e);
		if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
			fs::create_dir_all(dir).map_err(io)?;
		}
		let lock_path = path.with_extension("lock");
		let lock = OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path).map_err(io)?;
		match lock.try_lock() {
			Ok(()) => {},
			Err(fs::TryLockError::WouldBlock) => return Err(StoreError::Locked(path.to_path_buf())),
			Err(fs::TryLockError::Error(e)) => return Err(io(e)),
		}
		let state = match fs::read(path) {
			Ok(bytes) => {
				let state: State =
					serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt(path.to_path_buf(), e))?;
				let (found, expected) = (format!("{}/{}", state.genesis, state.account), format!("{genesis}/{account}"));
				if found != expected {
					return Err(StoreError::WrongOwner { path: path.to_path_buf(), found, expected });
				}
				state
			},
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => State {
				version: VERSION,
				genesis: genesis.into(),
				account: account.into(),
				..Default::default()
			},
			Err(e) => return Err(io(e)),
		};
		Ok(Self { path: path.to_path_buf(), state, _lock: lock })
	}

	pub fn state(&self) -> &State {
		&self.state
	}

	pub fn path(&self) -> &Path {
		&self.path
	}

	/// Applies `change` and makes it durable before returning.
	pub fn update(&mut self, change: impl FnOnce(&mut State)) -> Result<(), StoreError> {
		let mut next = self.state.clone();
		change(&mut next);
		write_atomically(&self.path, &next)?;
		self.state = next;
		Ok(())
	}
}

/// Writes `state` to `path` so that a crash leaves either the old or the new file.
pub fn write_atomically(path: &Path, state: &State) -> Result<(), StoreError> {
	let io = |e| StoreError::Io(path.to_path_buf(), e);
	let bytes = serde_json::to_vec_pretty(state).map_err(|e| StoreError::Corrupt(path.to_path_buf(), e))?;
	let tmp = path.with_extension("tmp");
	{
		let mut file = OpenOptions::new().create(true).truncate(true).write(true).open(&tmp).map_err(io)?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(io)?;
		}
		file.write_all(&bytes).map_err(io)?;
		file.sync_all().map_err(io)?;
	}
	fs::rename(&tmp, path).map_err(io)?;
	if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
		File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
	}
	Ok(())
}

mod hex32 {
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&format!("0x{}", hex::encode(bytes)))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
		let text = String::deserialize(d)?;
		let raw = hex::decode(text.trim_start_matches("0x")).map_err(serde::de::Error::custom)?;
		raw.try_into().map_err(|_| serde::de::Error::custom("expected 32 bytes"))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn record(task: u64) -> TaskRecord {
		TaskRecord::new(Phase::Persisted, vec![80, task as u16], [task as u8; 32], [1; 32], 10, 20)
	}

	#[test]
	fn a_saved_record_survives_reopening() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("agent.json");
		{
			let mut store = Store::open(&path, "0xgen", "5Alice").unwrap();
			store.update(|s| {
				s.tasks.insert(3, record(3));
			})
			.unwrap();
		}
		let store = Store::open(&path, "0xgen", "5Alice").unwrap();
		assert_eq!(store.state().tasks.get(&3), Some(&record(3)));
	}

	#[test]
	fn a_second_agent_cannot_open_the_same_state() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("agent.json");
		let _first = Store::open(&path, "0xgen", "5Alice").unwrap();
		assert!(matches!(Store::open(&path, "0xgen", "5Alice"), Err(StoreError::Locked(_))));
	}

	#[test]
	fn another_chain_or_account_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("agent.json");
		Store::open(&path, "0xgen", "5Alice").unwrap().update(|_| {}).unwrap();
		assert!(matches!(Store::open(&path, "0xother", "5Alice"), Err(StoreError::WrongOwner { .. })));
		assert!(matches!(Store::open(&path, "0xgen", "5Bob"), Err(StoreError::WrongOwner { .. })));
	}

	#[test]
	fn a_torn_temporary_file_does_not_replace_the_state() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("agent.json");
		Store::open(&path, "0xgen", "5Alice").unwrap().update(|s| {
			s.tasks.insert(1, record(1));
		})
		.unwrap();
		// A crash in the middle of the next save leaves a partial temporary file behind.
		fs::write(path.with_extension("tmp"), b"{\"version\":1,\"gen").unwrap();
		let store = Store::open(&path, "0xgen", "5Alice").unwrap();
		assert_eq!(store.state().tasks.get(&1), Some(&record(1)));
	}

	/// SIGKILL at random moments of a stream of saves: every time, the file reopens, holds a
	/// whole state (tasks 1..=k, nothing torn) and no save the writer acknowledged is lost.
	#[cfg(unix)]
	#[test]
	fn a_killed_writer_leaves_a_whole_state_with_every_acknowledged_save() {
		use std::{io::Read, process::{Command, Stdio}, time::Duration};
		const TEST: &str = "store::tests::a_killed_writer_leaves_a_whole_state_with_every_acknowledged_save";
		// In the child (this same test, re-run with the file in the environment): the writer.
		// It saves task after task (each with a large payload, so a save takes a while) and
		// acknowledges each on stdout once `update` returned, until it is killed.
		if let Some(path) = std::env::var_os("PERSPECTIVE_STORE_CRASH_FILE") {
			let mut store = Store::open(Path::new(&path), "0xgen", "5Alice").unwrap();
			let padding = "x".repeat(64 * 1024);
			let mut out = std::io::stdout().lock();
			for task in 1.. {
				store
					.update(|s| {
						let mut r = record(task);
						r.phase = Phase::Skipped { reason: padding.clone() };
						s.tasks.insert(task, r);
					})
					.unwrap();
				writeln!(out, "saved {task}").unwrap();
				out.flush().unwrap();
			}
		}
		let dir = tempfile::tempdir().unwrap();
		let exe = std::env::current_exe().unwrap();
		let mut kills_mid_save = 0;
		for round in 0..12u64 {
			let path = dir.path().join(format!("agent-{round}.json"));
			let mut child = Command::new(&exe)
				.args(["--exact", TEST, "--nocapture", "--test-threads=1"])
				.env("PERSPECTIVE_STORE_CRASH_FILE", &path)
				.stdout(Stdio::piped())
				.stderr(Stdio::null())
				.spawn()
				.unwrap();
			// 20 ms to 130 ms: from the first saves to dozens of them.
			std::thread::sleep(Duration::from_millis(20 + round * 10));
			child.kill().unwrap(); // SIGKILL
			child.wait().unwrap();
			let mut acknowledged = String::new();
			child.stdout.take().unwrap().read_to_string(&mut acknowledged).unwrap();
			let last_ack = acknowledged
				.lines()
				.filter_map(|l| l.strip_prefix("saved ")?.parse::<u64>().ok())
				.max()
				.unwrap_or(0);
			if !path.exists() {
				assert_eq!(last_ack, 0, "round {round}: acknowledged saves but no file");
				continue;
			}
			let store = Store::open(&path, "0xgen", "5Alice")
				.unwrap_or_else(|e| panic!("round {round}: the state does not reopen after SIGKILL: {e}"));
			let tasks: Vec<u64> = store.state().tasks.keys().copied().collect();
			let saved = tasks.len() as u64;
			assert_eq!(tasks, (1..=saved).collect::<Vec<_>>(), "round {round}: not a whole state");
			assert!(saved >= last_ack, "round {round}: save {last_ack} was acknowledged, the file holds {saved}");
			// At most one save can be on disk and not yet acknowledged (killed between the
			// rename and the print).
			assert!(saved <= last_ack + 1, "round {round}: {saved} saved, {last_ack} acknowledged");
			if path.with_extension("tmp").exists() {
				kills_mid_save += 1;
			}
		}
		// The test means something only if some kills landed while a save was under way.
		assert!(kills_mid_save > 0, "no kill hit a save in progress; make the saves larger");
	}
}
