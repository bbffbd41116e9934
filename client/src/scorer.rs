//! Runs the evaluator's scoring command: a JSON document on its stdin (the task, its criteria
//! and where the content is), `{"scores": [..]}` on its stdout. Anything else (a non-zero exit,
//! a timeout, output that is not that JSON, the wrong number of scores, a score above the
//! maximum) is a [`ScorerError`], and the agent skips the task instead of committing garbage.

use serde::{Deserialize, Serialize};
use std::{path::PathBuf, process::Stdio, time::Duration};
use tokio::{io::AsyncWriteExt, process::Command};

/// Largest score (`perspective_primitives::evaluation::MAX_SCORE`).
pub const MAX_SCORE: u16 = 100;

/// What the scorer reads on stdin.
#[derive(Serialize, Debug, Clone)]
pub struct ScorerInput {
	pub task: u64,
	/// `ModelOutput`, `Dataset`, `Model`, `Code` or `Other`.
	pub kind: String,
	/// The criteria, one score each, in order (UTF-8, lossy).
	pub criteria: Vec<String>,
	/// The fetched content, its hash checked.
	pub content_path: PathBuf,
	pub content_hash: String,
	pub uri: String,
}

#[derive(Deserialize)]
struct ScorerOutput {
	scores: Vec<u16>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScorerError {
	#[error("the scorer could not be started: {0}")]
	Spawn(String),
	#[error("the scorer exited with {status}: {stderr}")]
	Failed { status: String, stderr: String },
	#[error("the scorer did not answer within {0:?}")]
	Timeout(Duration),
	#[error("the scorer's output is not {{\"scores\": [integers]}}: {0}")]
	BadOutput(String),
	#[error("the scorer gave {got} scores for {want} criteria")]
	WrongCount { got: usize, want: usize },
	#[error("the scorer gave {0}, above the maximum score {MAX_SCORE}")]
	OutOfRange(u16),
}

/// Runs `command` (through `sh -c`) on `input`, waiting at most `timeout`.
pub async fn score(command: &str, input: &ScorerInput, timeout: Duration) -> Result<Vec<u16>, ScorerError> {
	let mut child = Command::new("sh");
	child
		.arg("-c")
		.arg(command)
		// The scorer reads content chosen by whoever opened the task: it gets no signing key.
		.env_remove("PERSPECTIVE_SURI")
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.kill_on_drop(true);
	// Its own process group, so a timeout kills what the scorer started, not only `sh`.
	#[cfg(unix)]
	child.process_group(0);
	let mut child = child.spawn().map_err(|e| ScorerError::Spawn(e.to_string()))?;
	let group = child.id();
	let document = serde_json::to_vec(input).map_err(|e| ScorerError::Spawn(e.to_string()))?;
	let mut stdin = child.stdin.take().ok_or_else(|| ScorerError::Spawn("no stdin".into()))?;
	let run = async move {
		// A scorer that ignores its input may close stdin early: that is not an error.
		let _ = stdin.write_all(&document).await;
		drop(stdin);
		child.wait_with_output().await
	};
	let output = match tokio::time::timeout(timeout, run).await {
		Err(_) => {
			#[cfg(unix)]
			if let Some(group) = group.and_then(|g| i32::try_from(g).ok()) {
				// SAFETY: kill(2) on the process group this function created; no memory is shared.
				unsafe { libc::kill(-group, libc::SIGKILL) };
			}
			return Err(ScorerError::Timeout(timeout));
		},
		Ok(Err(e)) => return Err(ScorerError::Spawn(e.to_string())),
		Ok(Ok(output)) => output,
	};
	if !output.status.success() {
		let stderr = String::from_utf8_lossy(&output.stderr);
		return Err(ScorerError::Failed {
			status: output.status.to_string(),
			stderr: stderr.trim().chars().take(500).collect(),
		});
	}
	parse(&output.stdout, input.criteria.len())
}

/// Checks the scorer's stdout: `{"scores": [..]}`, one score per criterion, each ≤ `MAX_SCORE`.
pub fn parse(stdout: &[u8], criteria: usize) -> Result<Vec<u16>, ScorerError> {
	let text = String::from_utf8_lossy(stdout);
	let parsed: ScorerOutput = serde_json::from_str(text.trim())
		.map_err(|e| ScorerError::BadOutput(format!("{e} in {:?}", text.chars().take(200).collect::<String>())))?;
	if parsed.scores.len() != criteria {
		return Err(ScorerError::WrongCount { got: parsed.scores.len(), want: criteria });
	}
	if let Some(&bad) = parsed.scores.iter().find(|&&s| s > MAX_SCORE) {
		return Err(ScorerError::OutOfRange(bad));
	}
	Ok(parsed.scores)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn input(criteria: usize) -> ScorerInput {
		ScorerInput {
			task: 4,
			kind: "ModelOutput".into(),
			criteria: (0..criteria).map(|i| format!("c{i}")).collect(),
			content_path: "/dev/null".into(),
			content_hash: "0x00".into(),
			uri: "file:///dev/null".into(),
		}
	}

	const SECOND: Duration = Duration::from_secs(5);

	#[tokio::test]
	async fn a_good_scorer_reads_the_task_and_its_scores_are_used() {
		// Echoes the task id from its input as the first score.
		let cmd = r#"python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"scores":[d["task"], 90]}))'"#;
		assert_eq!(score(cmd, &input(2), SECOND).await, Ok(vec![4, 90]));
	}

	#[tokio::test]
	async fn a_failing_scorer_is_reported_with_its_stderr() {
		let err = score("echo broken model >&2; exit 3", &input(1), SECOND).await.unwrap_err();
		assert!(matches!(&err, ScorerError::Failed { stderr, .. } if stderr == "broken model"), "{err}");
	}

	#[tokio::test]
	async fn a_slow_scorer_times_out() {
		let err = score("sleep 10", &input(1), Duration::from_millis(300)).await.unwrap_err();
		assert_eq!(err, ScorerError::Timeout(Duration::from_millis(300)));
	}

	#[cfg(unix)]
	#[tokio::test]
	async fn a_timed_out_scorer_is_killed_with_what_it_started() {
		let dir = tempfile::tempdir().unwrap();
		let pidfile = dir.path().join("pid");
		let command = format!("sleep 30 & echo $! > {}; wait", pidfile.display());
		let err = score(&command, &input(1), Duration::from_millis(500)).await.unwrap_err();
		assert_eq!(err, ScorerError::Timeout(Duration::from_millis(500)));
		let pid = std::fs::read_to_string(&pidfile).unwrap().trim().to_string();
		tokio::time::sleep(Duration::from_millis(200)).await;
		// Gone, or a zombie waiting for a parent that does not reap: not running either way.
		let running = std::fs::read_to_string(format!("/proc/{pid}/stat"))
			.map(|stat| !stat.rsplit(')').next().unwrap_or("").trim_start().starts_with('Z'))
			.unwrap_or(false);
		assert!(!running, "the scorer's child {pid} outlived the timeout");
	}

	#[tokio::test]
	async fn the_scorer_does_not_see_the_signing_key() {
		// No other test reads or writes this variable.
		std::env::set_var("PERSPECTIVE_SURI", "//NotForTheScorer");
		let result = score(r#"[ -z "$PERSPECTIVE_SURI" ] && echo '{"scores": [7]}'"#, &input(1), SECOND).await;
		std::env::remove_var("PERSPECTIVE_SURI");
		assert_eq!(result, Ok(vec![7]));
	}

	#[tokio::test]
	async fn a_missing_scorer_fails() {
		let err = score("/nonexistent/scorer", &input(1), SECOND).await.unwrap_err();
		assert!(matches!(err, ScorerError::Failed { .. }), "{err}");
	}

	#[test]
	fn garbage_wrong_counts_and_out_of_range_scores_are_refused() {
		assert!(matches!(parse(b"80 90", 2), Err(ScorerError::BadOutput(_))));
		assert!(matches!(parse(b"{\"scores\": [-1, 2]}", 2), Err(ScorerError::BadOutput(_))));
		assert_eq!(parse(b"{\"scores\": [80]}", 2), Err(ScorerError::WrongCount { got: 1, want: 2 }));
		assert_eq!(parse(b"{\"scores\": [80, 101]}", 2), Err(ScorerError::OutOfRange(101)));
		assert_eq!(parse(b" {\"scores\": [0, 100]}\n", 2), Ok(vec![0, 100]));
	}
}
