//! `perspective eval run`: the evaluator agent.
//!
//! **Best blocks drive the work.** On each one the agent first moves every saved record forward
//! from the chain's state (reveal once the commit window has closed, commit a saved commitment
//! that is not on chain yet), then looks for new tasks it is drawn for
//! (`EvaluationApi::drawn_for`). A new task is fetched and scored in the background, with a
//! deadline inside its commit window, so a slow download or scorer never holds up another task's
//! reveal. Scores arrive, a fresh random salt is drawn and **scores and salt are saved to the
//! state file** before the commitment is submitted. Transactions are submitted without waiting:
//! their outcome comes back as a message, and the chain's storage decides what happens next.
//!
//! **Finalized blocks settle it.** A commitment missing from a finalized block past the commit
//! window, or a reveal missing past the reveal window, is given up (and said so); a reveal lost in
//! a re-organisation is sent again while the window is open; finished records are pruned a day
//! later.
//!
//! Every record is driven from the chain's state, not from memory, so a restart at any point
//! resumes: a saved commitment that never reached the chain is resubmitted (the same one: a salt
//! is never drawn twice for a task), a commitment on chain is revealed. A scorer that fails or
//! times out makes the agent skip the task, and say why; it never commits scores it did not get.

use crate::{
	chain::{self, AccountId, At, Chain, DispatchFailed},
	commitment,
	eval::{chain_commitment, evaluations, task_view},
	fetch::Fetcher,
	scorer::{self, ScorerInput},
	store::{Phase, Store, TaskRecord},
	types::{EvaluationEntry, TaskStatus},
	Cli, Out,
};
use anyhow::Context;
use std::{
	collections::BTreeMap,
	path::PathBuf,
	time::{Duration, Instant},
};
use subxt::dynamic;
use subxt_signer::sr25519::Keypair;
use tokio::{sync::mpsc, task::JoinHandle};

#[derive(clap::Args)]
pub struct AgentArgs {
	/// Scoring command, run with `sh -c`: reads the task as JSON on stdin (task, kind,
	/// criteria, content_path, content_hash, uri), prints `{"scores": [..]}` (one per
	/// criterion, 0..=100). It does not get PERSPECTIVE_SURI.
	#[arg(long)]
	pub scorer: String,
	/// Seconds the scorer may take (also capped by the time left in the commit window).
	#[arg(long, default_value_t = 60)]
	pub scorer_timeout: u64,
	/// State file (salts and scores). Default: `$XDG_STATE_HOME/perspective/agent-<chain>-<account>.json`.
	#[arg(long)]
	pub state: Option<PathBuf>,
	/// Directory that `file://` task URIs may point into (shared storage, a local mirror).
	/// Without it `file://` URIs are refused: whoever opens a task chooses its URI.
	#[arg(long)]
	pub file_root: Option<PathBuf>,
	/// IPFS gateway for `ipfs://` URIs, e.g. `https://ipfs.io`.
	#[arg(long)]
	pub ipfs_gateway: Option<String>,
	/// Largest content the agent downloads, in bytes.
	#[arg(long, default_value_t = 256 * 1024 * 1024)]
	pub max_content_bytes: u64,
}

/// Blocks after a submission (or an inclusion) during which a transaction missing from a best
/// block is taken for one still on its way or a late block, not a lost one.
const RESUBMIT_AFTER_BLOCKS: u32 = 3;

/// Finalized blocks a finished record is kept for (a day), for `eval tasks` and debugging.
const PRUNE_AFTER_BLOCKS: u32 = 14_400;

/// Seconds per block, for the scorer's deadline.
const BLOCK_SECONDS: u64 = 6;

/// Seconds between reconnection attempts when the node goes away.
const RECONNECT_SECONDS: u64 = 5;

/// Errors after which sending the same commit again cannot succeed.
const FINAL_COMMIT_ERRORS: &[&str] =
	&["CommitClosed", "NotDrawn", "NotOnPanel", "AlreadySettled", "TaskNotFound", "OpenerCannotEvaluate", "NotEvaluator"];
/// Errors after which sending the same reveal again cannot succeed.
const FINAL_REVEAL_ERRORS: &[&str] =
	&["RevealTooLate", "CommitmentMismatch", "NoCommitment", "AlreadySettled", "TaskNotFound", "WrongNumberOfScores", "ScoreOutOfRange"];
/// Errors that mean the chain already has what was sent.
const ALREADY_DONE_ERRORS: &[&str] = &["AlreadyCommitted", "AlreadyRevealed"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
	Commit,
	Reveal,
}

/// What became of a submitted transaction.
struct Outcome {
	task: u64,
	action: Action,
	result: anyhow::Result<chain::Included>,
}

/// What a background scoring job gives back.
type Scored = Result<Vec<u16>, String>;

struct Agent<'a> {
	chain: Chain,
	signer: Keypair,
	me: AccountId,
	store: Store,
	fetcher: Fetcher,
	args: &'a AgentArgs,
	out: Out,
	/// Tasks being fetched and scored in the background, with their commit and reveal ends.
	scoring: BTreeMap<u64, (JoinHandle<Scored>, u32, u32)>,
	outcomes: mpsc::UnboundedSender<Outcome>,
}

pub async fn run(cli: &Cli, out: Out, args: &AgentArgs) -> anyhow::Result<()> {
	let signer = cli.signer()?;
	let me = signer.public_key().0;
	let chain = Chain::connect(&cli.url).await?;
	let genesis = format!("{:?}", chain.api.genesis_hash());
	let account = chain::ss58(&me);
	let path = match &args.state {
		Some(path) => path.clone(),
		None => default_state_dir()?.join(format!("agent-{}-{account}.json", &genesis[..10.min(genesis.len())])),
	};
	let store = Store::open(&path, &genesis, &account)?;
	let fetcher = Fetcher {
		ipfs_gateway: args.ipfs_gateway.clone(),
		max_bytes: args.max_content_bytes,
		timeout: Duration::from_secs(120),
		dir: path.parent().map(|d| d.join("content")).unwrap_or_else(|| PathBuf::from("content")),
		file_root: args.file_root.clone(),
	};
	let (outcomes, mut outcome_rx) = mpsc::unbounded_channel();
	let mut agent = Agent { chain, signer, me, store, fetcher, args, out, scoring: BTreeMap::new(), outcomes };
	agent.check_encoding().await?;
	agent.log(None, None, "started", serde_json::json!({ "account": account, "state": path.display().to_string(), "tasks": agent.store.state().tasks.len() }));
	loop {
		if let Err(error) = agent.follow(&mut outcome_rx).await {
			agent.log(None, None, "disconnected", serde_json::json!({ "error": format!("{error:#}"), "retry_in_s": RECONNECT_SECONDS }));
		}
		tokio::time::sleep(Duration::from_secs(RECONNECT_SECONDS)).await;
		match Chain::connect(&cli.url).await {
			Ok(chain) if format!("{:?}", chain.api.genesis_hash()) == genesis => agent.chain = chain,
			Ok(_) => anyhow::bail!("{} now serves another chain than this state file's", cli.url),
			Err(error) => agent.log(None, None, "disconnected", serde_json::json!({ "error": format!("{error:#}") })),
		}
	}
}

pub(crate) fn default_state_dir() -> anyhow::Result<PathBuf> {
	if let Some(dir) = std::env::var_os("XDG_STATE_HOME") {
		return Ok(PathBuf::from(dir).join("perspective"));
	}
	let home = std::env::var_os("HOME").context("neither XDG_STATE_HOME nor HOME is set: pass --state")?;
	Ok(PathBuf::from(home).join(".local/state/perspective"))
}

impl Agent<'_> {
	fn log(&self, block: Option<u64>, task: Option<u64>, event: &str, details: serde_json::Value) {
		if self.out.json {
			let mut line = serde_json::json!({ "event": event, "block": block, "task": task });
			if let (Some(map), serde_json::Value::Object(extra)) = (line.as_object_mut(), details) {
				map.extend(extra);
			}
			println!("{line}");
		} else {
			let at = block.map(|b| format!("[block {b}] ")).unwrap_or_default();
			let on = task.map(|t| format!("task {t}: ")).unwrap_or_default();
			println!("{at}{on}{event} {details}");
		}
	}

	/// The local commitment encoding must match the runtime's. Checked once at start with
	/// random inputs: the real scores and salt never leave this process before the reveal.
	async fn check_encoding(&self) -> anyhow::Result<()> {
		let mut random = [0u8; 42];
		getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
		let task = u64::from_le_bytes(random[..8].try_into().unwrap_or_default());
		let scores = vec![u16::from(random[8]) % 101, u16::from(random[9]) % 101];
		let salt: [u8; 32] = random[10..42].try_into().unwrap_or_default();
		let at = self.chain.best().await?;
		let theirs = chain_commitment(&at, task, &self.me, &scores, &salt).await?;
		let ours = commitment::evaluation(task, &self.me, &scores, &salt);
		anyhow::ensure!(
			theirs == ours,
			"the runtime computes another commitment than this tool (0x{} vs 0x{}): refusing to evaluate",
			hex::encode(theirs),
			hex::encode(ours)
		);
		Ok(())
	}

	/// Follows best and finalized blocks and transaction outcomes until the connection fails.
	async fn follow(&mut self, outcome_rx: &mut mpsc::UnboundedReceiver<Outcome>) -> anyhow::Result<()> {
		let mut best = self.chain.api.stream_best_blocks().await?;
		let mut finalized = self.chain.api.stream_blocks().await?;
		let (mut last_best, mut last_final) = (0u64, 0u64);
		loop {
			tokio::select! {
				block = best.next() => {
					let block = block.context("the node closed the best-block subscription")??;
					if block.number() <= last_best {
						continue;
					}
					last_best = block.number();
					let at = block.at().await?;
					self.on_best(&at).await;
				},
				block = finalized.next() => {
					let block = block.context("the node closed the finalized-block subscription")??;
					if block.number() <= last_final {
						continue;
					}
					last_final = block.number();
					let at = block.at().await?;
					self.on_finalized(&at).await;
				},
				Some(outcome) = outcome_rx.recv() => self.on_outcome(outcome),
			}
		}
	}

	/// One failing task never stops the others: errors are logged per task.
	async fn on_best(&mut self, at: &At) {
		let now = at.block_number() as u32;
		let block = Some(u64::from(now));
		self.collect_scores(now).await;
		// Reveals and commits of saved records first: they have deadlines.
		let records: Vec<(u64, TaskRecord)> = self.store.state().tasks.iter().map(|(t, r)| (*t, r.clone())).collect();
		for (task, record) in records {
			if let Err(error) = self.advance(at, now, task, record).await {
				self.log(block, Some(task), "error", serde_json::json!({ "error": format!("{error:#}"), "retry": "next block" }));
			}
		}
		let drawn = match crate::eval::drawn_for(at, &self.me).await {
			Ok(drawn) => drawn,
			Err(error) => return self.log(block, None, "error", serde_json::json!({ "error": format!("{error:#}") })),
		};
		for (task, seats) in drawn {
			if self.store.state().tasks.contains_key(&task) || self.scoring.contains_key(&task) {
				continue;
			}
			if let Err(error) = self.start_scoring(at, now, task, seats).await {
				self.log(block, Some(task), "error", serde_json::json!({ "error": format!("{error:#}"), "retry": "next block" }));
			}
		}
	}

	/// Fetches and scores `task` in the background, with a deadline inside its commit window.
	async fn start_scoring(&mut self, at: &At, now: u32, task: u64, seats: u32) -> anyhow::Result<()> {
		let Some(view) = task_view(at, task).await? else { return Ok(()) };
		let block = Some(u64::from(now));
		// Leave two blocks to get the commitment in.
		let blocks_left = view.commit_end.saturating_sub(now).saturating_sub(2);
		if blocks_left == 0 {
			let reason = format!("drawn at block {now}, too late to commit (window ends at {})", view.commit_end);
			return self.save_skipped(task, block, view.commit_end, view.reveal_end, reason);
		}
		self.log(block, Some(task), "drawn", serde_json::json!({ "seats": seats, "commit_end": view.commit_end, "reveal_end": view.reveal_end, "uri": crate::types::text(&view.uri) }));
		let deadline = Instant::now() + Duration::from_secs(u64::from(blocks_left) * BLOCK_SECONDS);
		let fetcher = self.fetcher.clone();
		let command = self.args.scorer.clone();
		let scorer_timeout = Duration::from_secs(self.args.scorer_timeout);
		let uri = crate::types::text(&view.uri);
		let (kind, criteria, content_hash) =
			(format!("{:?}", view.kind), view.criteria.iter().map(|c| crate::types::text(c)).collect(), view.content_hash);
		let job = async move {
			let fetched = tokio::time::timeout_at(deadline.into(), fetcher.fetch(&uri, &content_hash))
				.await
				.map_err(|_| "content: not fetched before the commit deadline".to_string())?
				.map_err(|e| format!("content: {e}"))?;
			let input = ScorerInput {
				task,
				kind,
				criteria,
				content_path: fetched.path.clone(),
				content_hash: format!("0x{}", hex::encode(content_hash)),
				uri,
			};
			let timeout = scorer_timeout.min(deadline.saturating_duration_since(Instant::now()));
			let scores = scorer::score(&command, &input, timeout).await.map_err(|e| format!("scorer: {e}"));
			if fetched.downloaded {
				let _ = std::fs::remove_file(&fetched.path);
			}
			scores
		};
		self.scoring.insert(task, (tokio::spawn(job), view.commit_end, view.reveal_end));
		Ok(())
	}

	/// Saves the scores of finished background jobs (with a fresh salt), or why there are none.
	async fn collect_scores(&mut self, now: u32) {
		let block = Some(u64::from(now));
		let done: Vec<u64> = self.scoring.iter().filter(|(_, (job, ..))| job.is_finished()).map(|(t, _)| *t).collect();
		for task in done {
			let Some((job, commit_end, reveal_end)) = self.scoring.remove(&task) else { continue };
			let result = job.await.unwrap_or_else(|e| Err(format!("the scoring job failed: {e}")));
			let saved = match result {
				Ok(scores) => self.save_scores(task, block, scores, commit_end, reveal_end),
				Err(reason) => self.save_skipped(task, block, commit_end, reveal_end, reason),
			};
			if let Err(error) = saved {
				self.log(block, Some(task), "error", serde_json::json!({ "error": format!("{error:#}") }));
			}
		}
	}

	fn save_scores(&mut self, task: u64, block: Option<u64>, scores: Vec<u16>, commit_end: u32, reveal_end: u32) -> anyhow::Result<()> {
		let mut salt = [0u8; 32];
		getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for the salt: {e}"))?;
		let commitment = commitment::evaluation(task, &self.me, &scores, &salt);
		let record = TaskRecord::new(Phase::Persisted, scores, salt, commitment, commit_end, reveal_end);
		// Durable before anything reaches the chain. The scores stay private until the reveal.
		self.store.update(|s| {
			s.tasks.insert(task, record);
		})?;
		self.log(block, Some(task), "scored", serde_json::json!({ "commitment": format!("0x{}", hex::encode(commitment)) }));
		Ok(())
	}

	fn save_skipped(&mut self, task: u64, block: Option<u64>, commit_end: u32, reveal_end: u32, reason: String) -> anyhow::Result<()> {
		self.log(block, Some(task), "skipped", serde_json::json!({ "reason": reason }));
		let record = TaskRecord::new(Phase::Skipped { reason }, Vec::new(), [0; 32], [0; 32], commit_end, reveal_end);
		self.store.update(|s| {
			s.tasks.insert(task, record);
		})?;
		Ok(())
	}

	/// Moves one record forward according to the best block: commit or reveal. Giving up is
	/// left to finalized blocks, so a fork or a late block never makes the agent drop a task.
	async fn advance(&mut self, at: &At, now: u32, task: u64, record: TaskRecord) -> anyhow::Result<()> {
		if matches!(record.phase, Phase::Skipped { .. }) || record.final_at.is_some() {
			return Ok(());
		}
		let recently = |sent: Option<u32>| sent.is_some_and(|s| now <= s.saturating_add(RESUBMIT_AFTER_BLOCKS));
		let entries = evaluations(at, task).await?;
		match entries.iter().find(|e| e.who == self.me) {
			Some(entry) if entry.commitment != record.commitment => {
				let reason = format!(
					"the chain holds commitment 0x{} for this account, not the saved 0x{}",
					hex::encode(entry.commitment),
					hex::encode(record.commitment)
				);
				self.set(task, Some(u64::from(now)), |r| r.phase = Phase::Skipped { reason })
			},
			Some(EvaluationEntry { scores: Some(_), .. }) => {
				// Seen on chain: whatever the transaction's own report said (or never said).
				if record.phase != Phase::Revealed {
					self.set(task, None, |r| {
						r.phase = Phase::Revealed;
						r.revealed_at.get_or_insert(now);
					})?;
					self.log(Some(u64::from(now)), Some(task), "revealed", serde_json::json!({ "scores": record.scores, "seen": "in a best block" }));
				}
				Ok(())
			},
			Some(_) => {
				if record.phase == Phase::Persisted || (record.phase == Phase::Committed && record.committed_at.is_none()) {
					self.set(task, None, |r| {
						r.phase = Phase::Committed;
						r.committed_at.get_or_insert(now);
					})?;
					if record.phase == Phase::Persisted {
						self.log(Some(u64::from(now)), Some(task), "committed", serde_json::json!({ "commitment": format!("0x{}", hex::encode(record.commitment)), "seen": "in a best block" }));
					}
				}
				// A reveal included a moment ago may not show in this (late or forked) block.
				if recently(record.reveal_sent_at) || (record.phase == Phase::Revealed && recently(record.revealed_at)) {
					return Ok(());
				}
				// Reveal once the best block is past the commit window (not in its last block:
				// a fork at that height would fail it and publish the scores early).
				if now < record.commit_end || now.saturating_add(1) >= record.reveal_end {
					return Ok(());
				}
				let call = dynamic::tx("Evaluation", "reveal", (task, record.scores.clone(), record.salt));
				self.send(task, now, Action::Reveal, call).await
			},
			None => {
				if entries.is_empty() && !task_is_open(at, task).await? {
					return Ok(()); // Settled or failed: the finalized block will say.
				}
				if now.saturating_add(1) >= record.commit_end || recently(record.commit_sent_at) || recently(record.committed_at) {
					return Ok(());
				}
				let call = dynamic::tx("Evaluation", "commit", (task, record.commitment));
				self.send(task, now, Action::Commit, call).await
			},
		}
	}

	/// Submits without waiting: the outcome arrives through the channel.
	async fn send<C: subxt::transactions::Payload>(&mut self, task: u64, now: u32, action: Action, call: C) -> anyhow::Result<()> {
		let progress = self.chain.send(&call, &self.signer).await?;
		self.set(task, None, |r| match action {
			Action::Commit => r.commit_sent_at = Some(now),
			Action::Reveal => r.reveal_sent_at = Some(now),
		})?;
		let (chain, outcomes) = (self.chain.clone(), self.outcomes.clone());
		tokio::spawn(async move {
			let result = chain.included(progress).await;
			let _ = outcomes.send(Outcome { task, action, result });
		});
		Ok(())
	}

	fn on_outcome(&mut self, Outcome { task, action, result }: Outcome) {
		let what = match action {
			Action::Commit => "commit",
			Action::Reveal => "reveal",
		};
		let outcome = match result {
			Ok(included) => {
				let block = Some(included.block_number);
				let number = included.block_number as u32;
				let fee = included.fee.to_string();
				let Some(record) = self.store.state().tasks.get(&task).cloned() else { return };
				// Only forward: a best block may already have shown this (and logged it).
				let advances = match action {
					Action::Commit => record.phase == Phase::Persisted,
					Action::Reveal => matches!(record.phase, Phase::Persisted | Phase::Committed),
				};
				if !advances {
					return;
				}
				let saved = self.set(task, None, |r| match action {
					Action::Commit => {
						r.phase = Phase::Committed;
						r.committed_at = Some(number);
					},
					Action::Reveal => {
						r.phase = Phase::Revealed;
						r.revealed_at = Some(number);
					},
				});
				match action {
					Action::Commit => {
						let commitment = format!("0x{}", hex::encode(record.commitment));
						self.log(block, Some(task), "committed", serde_json::json!({ "commitment": commitment, "fee": fee }));
					},
					Action::Reveal =>
						self.log(block, Some(task), "revealed", serde_json::json!({ "scores": record.scores, "fee": fee })),
				}
				saved
			},
			Err(error) => {
				let name = error.downcast_ref::<DispatchFailed>().and_then(|f| f.name.clone()).unwrap_or_default();
				let final_errors = match action {
					Action::Commit => FINAL_COMMIT_ERRORS,
					Action::Reveal => FINAL_REVEAL_ERRORS,
				};
				if ALREADY_DONE_ERRORS.contains(&name.as_str()) {
					// Sent twice (a restart while the first was in the pool): the chain has it.
					self.log(None, Some(task), &format!("{what} already on chain"), serde_json::json!({ "error": format!("{error:#}") }));
					Ok(())
				} else if final_errors.contains(&name.as_str()) {
					let reason = format!("{what} failed for good: {error:#}");
					self.set(task, None, |r| r.phase = Phase::Skipped { reason: reason.clone() }).map(|()| {
						self.log(None, Some(task), "skipped", serde_json::json!({ "reason": reason }));
					})
				} else {
					self.log(None, Some(task), &format!("{what} failed"), serde_json::json!({ "error": format!("{error:#}"), "retry": "after 3 blocks" }));
					Ok(())
				}
			},
		};
		if let Err(error) = outcome {
			self.log(None, Some(task), "error", serde_json::json!({ "error": format!("{error:#}") }));
		}
	}

	/// Settles records against a finalized block: confirms reveals, gives up on missed windows,
	/// re-sends a reveal lost in a re-organisation, prunes finished records.
	async fn on_finalized(&mut self, at: &At) {
		let now = at.block_number() as u32;
		let records: Vec<(u64, TaskRecord)> = self.store.state().tasks.iter().map(|(t, r)| (*t, r.clone())).collect();
		for (task, record) in records {
			if let Err(error) = self.finalize(at, now, task, record).await {
				self.log(Some(u64::from(now)), Some(task), "error", serde_json::json!({ "error": format!("{error:#}") }));
			}
		}
	}

	async fn finalize(&mut self, at: &At, now: u32, task: u64, record: TaskRecord) -> anyhow::Result<()> {
		let block = Some(u64::from(now));
		if let Some(final_at) = record.final_at {
			if now > final_at.saturating_add(PRUNE_AFTER_BLOCKS) {
				self.store.update(|s| {
					s.tasks.remove(&task);
				})?;
			}
			return Ok(());
		}
		let outcome = if let Phase::Skipped { .. } = record.phase {
			Some("skipped".to_string())
		} else {
			match task_view(at, task).await?.map(|v| v.status) {
				Some(TaskStatus::Open) => {
					let mine = evaluations(at, task).await?.into_iter().find(|e| e.who == self.me);
					match mine {
						Some(EvaluationEntry { scores: Some(_), .. }) => Some("reveal finalized".to_string()),
						None if now >= record.commit_end => {
							let reason = format!("the commitment was not on chain when the commit window closed (block {})", record.commit_end);
							self.set(task, block, |r| r.phase = Phase::Skipped { reason: reason.clone() })?;
							Some(reason)
						},
						Some(_) if now >= record.reveal_end => {
							let reason = format!("the reveal was not on chain when the reveal window closed (block {})", record.reveal_end);
							self.set(task, block, |r| r.phase = Phase::Skipped { reason: reason.clone() })?;
							Some(reason)
						},
						Some(_) if record.phase == Phase::Revealed &&
							now > record.revealed_at.unwrap_or(0).saturating_add(RESUBMIT_AFTER_BLOCKS) =>
						{
							// The block with the reveal was abandoned: the next best block reveals again.
							self.log(block, Some(task), "reveal lost in a re-organisation", serde_json::json!({ "revealed_at": record.revealed_at, "retry": "next block" }));
							self.set(task, None, |r| {
								r.phase = Phase::Committed;
								r.revealed_at = None;
								r.reveal_sent_at = None;
							})?;
							None
						},
						_ => None,
					}
				},
				Some(TaskStatus::Settled { consensus, .. }) => Some(format!("task settled on {consensus:?}")),
				Some(TaskStatus::Failed { .. }) => Some("task failed".to_string()),
				// Unknown at this block: over (and pruned) once its windows are past; before
				// that, the block is older than the task (a subscription may start far back).
				None if now >= record.reveal_end => Some("task over".to_string()),
				None => None,
			}
		};
		if let Some(outcome) = outcome {
			self.log(block, Some(task), "final", serde_json::json!({ "outcome": outcome }));
			self.set(task, None, |r| r.final_at = Some(now))?;
		}
		Ok(())
	}

	/// Changes one record durably (and logs a skip).
	fn set(&mut self, task: u64, block: Option<u64>, change: impl FnOnce(&mut TaskRecord)) -> anyhow::Result<()> {
		let mut skipped = None;
		self.store.update(|s| {
			if let Some(r) = s.tasks.get_mut(&task) {
				let was_skipped = matches!(r.phase, Phase::Skipped { .. });
				change(r);
				if let (false, Phase::Skipped { reason }) = (was_skipped, &r.phase) {
					skipped = Some(reason.clone());
				}
			}
		})?;
		if let (Some(reason), Some(_)) = (skipped, block) {
			self.log(block, Some(task), "skipped", serde_json::json!({ "reason": reason }));
		}
		Ok(())
	}
}

/// Whether `task` is still open at `at`.
async fn task_is_open(at: &At, task: u64) -> anyhow::Result<bool> {
	Ok(matches!(task_view(at, task).await?.map(|v| v.status), Some(TaskStatus::Open)))
}
