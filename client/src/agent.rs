//! `perspective eval run`: the evaluator agent.
//!
//! On every new best block it asks the chain which open tasks this account is drawn for
//! (`EvaluationApi::drawn_for`). For a new task inside its commit window it fetches the content
//! from the task's URI and checks its hash, runs the scorer, draws a fresh random salt, **saves
//! the scores and salt to the state file** and only then submits the commitment. Once the
//! commit window closes it reveals, inside the reveal window. Every record in the state file is
//! driven from the chain's state, not from memory, so a restart at any point resumes: a saved
//! commitment that never reached the chain is resubmitted (the same one: a salt is never
//! drawn twice for a task), a commitment on chain is revealed. A scorer that fails or times out
//! makes the agent skip the task, and say why; it never commits scores it did not get.

use crate::{
	chain::{self, AccountId, At, Chain},
	commitment,
	eval::{chain_commitment, evaluations, task_view},
	fetch::Fetcher,
	scorer::{self, ScorerInput},
	store::{Phase, Store, TaskRecord},
	types::TaskStatus,
	Cli, Out,
};
use anyhow::Context;
use std::{path::PathBuf, time::Duration};
use subxt::dynamic;
use subxt_signer::sr25519::Keypair;

#[derive(clap::Args)]
pub struct AgentArgs {
	/// Scoring command, run with `sh -c`: reads the task as JSON on stdin (task, kind,
	/// criteria, content_path, content_hash, uri), prints `{"scores": [..]}` (one per
	/// criterion, 0..=100).
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

/// Blocks after its inclusion during which a commitment missing from a best block is taken
/// for a late or forked block, not a lost transaction.
const RESUBMIT_AFTER_BLOCKS: u32 = 3;

/// Finalized blocks a finished record is kept for (a day), for `eval tasks` and debugging.
const PRUNE_AFTER_BLOCKS: u32 = 14_400;

/// Seconds per block, for the scorer's deadline.
const BLOCK_SECONDS: u64 = 6;

struct Agent<'a> {
	chain: Chain,
	signer: Keypair,
	me: AccountId,
	store: Store,
	fetcher: Fetcher,
	args: &'a AgentArgs,
	out: Out,
	/// The local commitment encoding was checked against the runtime's.
	encoding_checked: bool,
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
	let mut agent = Agent { chain, signer, me, store, fetcher, args, out, encoding_checked: false };
	agent.log(None, None, "started", serde_json::json!({ "account": account, "state": path.display().to_string(), "tasks": agent.store.state().tasks.len() }));
	// Best blocks drive the work (commit and reveal as early as possible); finalized blocks
	// confirm it: a reveal lost in a re-organisation is sent again while its window is open,
	// and records are pruned only once their outcome is final.
	let mut best = agent.chain.api.stream_best_blocks().await?;
	let mut finalized = agent.chain.api.stream_blocks().await?;
	let (mut last_best, mut last_final) = (0u64, 0u64);
	loop {
		tokio::select! {
			block = best.next() => {
				let Some(block) = block else { break };
				let block = block?;
				if block.number() <= last_best {
					continue;
				}
				last_best = block.number();
				let at = block.at().await?;
				if let Err(error) = agent.on_best(&at).await {
					agent.log(Some(last_best), None, "error", serde_json::json!({ "error": format!("{error:#}") }));
				}
			},
			block = finalized.next() => {
				let Some(block) = block else { break };
				let block = block?;
				if block.number() <= last_final {
					continue;
				}
				last_final = block.number();
				let at = block.at().await?;
				if let Err(error) = agent.on_finalized(&at).await {
					agent.log(Some(last_final), None, "error", serde_json::json!({ "error": format!("{error:#}") }));
				}
			},
		}
	}
	anyhow::bail!("the node closed the block subscription")
}

fn default_state_dir() -> anyhow::Result<PathBuf> {
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

	async fn on_best(&mut self, at: &At) -> anyhow::Result<()> {
		let now = at.block_number() as u32;
		// New tasks this account is drawn for.
		for (task, seats) in crate::eval::drawn_for(at, &self.me).await? {
			if self.store.state().tasks.contains_key(&task) {
				continue;
			}
			self.score_and_save(at, now, task, seats).await?;
		}
		// Every saved record, from the chain's state.
		let records: Vec<(u64, TaskRecord)> = self.store.state().tasks.iter().map(|(t, r)| (*t, r.clone())).collect();
		for (task, record) in records {
			self.advance(at, now, task, record).await?;
		}
		Ok(())
	}

	async fn score_and_save(&mut self, at: &At, now: u32, task: u64, seats: u32) -> anyhow::Result<()> {
		let Some(view) = task_view(at, task).await? else { return Ok(()) };
		let skip = |reason: String| TaskRecord {
			phase: Phase::Skipped { reason },
			scores: Vec::new(),
			salt: [0; 32],
			commitment: [0; 32],
			commit_end: view.commit_end,
			reveal_end: view.reveal_end,
			committed_at: None,
			revealed_at: None,
			final_at: None,
		};
		// A commitment must be in a block before `commit_end`.
		if now + 1 >= view.commit_end {
			let record = skip(format!("drawn at block {now}, too late to commit (window ends at {})", view.commit_end));
			self.log(Some(now as u64), Some(task), "skipped", serde_json::json!({ "reason": phase_reason(&record.phase) }));
			return self.store.update(|s| { s.tasks.insert(task, record); }).map_err(Into::into);
		}
		self.log(Some(now as u64), Some(task), "drawn", serde_json::json!({ "seats": seats, "commit_end": view.commit_end, "reveal_end": view.reveal_end, "uri": crate::types::text(&view.uri) }));
		let content = match self.fetcher.fetch(&crate::types::text(&view.uri), &view.content_hash).await {
			Ok(path) => path,
			Err(error) => {
				let record = skip(format!("content: {error}"));
				self.log(Some(now as u64), Some(task), "skipped", serde_json::json!({ "reason": phase_reason(&record.phase) }));
				return self.store.update(|s| { s.tasks.insert(task, record); }).map_err(Into::into);
			},
		};
		let input = ScorerInput {
			task,
			kind: format!("{:?}", view.kind),
			criteria: view.criteria.iter().map(|c| crate::types::text(c)).collect(),
			content_path: content,
			content_hash: format!("0x{}", hex::encode(view.content_hash)),
			uri: crate::types::text(&view.uri),
		};
		// Leave two blocks to get the commitment in.
		let window = u64::from(view.commit_end.saturating_sub(now).saturating_sub(2)) * BLOCK_SECONDS;
		let timeout = Duration::from_secs(self.args.scorer_timeout.min(window.max(1)));
		let scores = match scorer::score(&self.args.scorer, &input, timeout).await {
			Ok(scores) => scores,
			Err(error) => {
				let record = skip(format!("scorer: {error}"));
				self.log(Some(now as u64), Some(task), "skipped", serde_json::json!({ "reason": phase_reason(&record.phase) }));
				return self.store.update(|s| { s.tasks.insert(task, record); }).map_err(Into::into);
			},
		};
		let mut salt = [0u8; 32];
		getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for the salt: {e}"))?;
		let commitment = commitment::evaluation(task, &self.me, &scores, &salt);
		if !self.encoding_checked {
			let theirs = chain_commitment(at, task, &self.me, &scores, &salt).await?;
			anyhow::ensure!(theirs == commitment, "the runtime computes another commitment than this tool (0x{} vs 0x{}): refusing to commit", hex::encode(theirs), hex::encode(commitment));
			self.encoding_checked = true;
		}
		let record = TaskRecord { phase: Phase::Persisted, scores: scores.clone(), salt, commitment, commit_end: view.commit_end, reveal_end: view.reveal_end, committed_at: None, revealed_at: None, final_at: None };
		// Durable before anything reaches the chain.
		self.store.update(|s| { s.tasks.insert(task, record); })?;
		self.log(Some(now as u64), Some(task), "scored", serde_json::json!({ "scores": scores }));
		Ok(())
	}

	/// Moves one record forward according to the chain: commit, confirm, reveal, or give up.
	async fn advance(&mut self, at: &At, now: u32, task: u64, record: TaskRecord) -> anyhow::Result<()> {
		let block = Some(now as u64);
		match record.phase {
			Phase::Persisted | Phase::Committed => {},
			Phase::Revealed | Phase::Skipped { .. } => return Ok(()),
		}
		let entries = evaluations(at, task).await?;
		let mine = entries.iter().find(|e| e.who == self.me);
		if let Some(entry) = mine {
			if entry.commitment != record.commitment {
				return self.set_phase(task, block, Phase::Skipped { reason: format!("the chain holds commitment 0x{} for this account, not the saved 0x{}", hex::encode(entry.commitment), hex::encode(record.commitment)) });
			}
			if entry.scores.is_some() {
				if record.phase != Phase::Revealed {
					self.store.update(|s| {
						if let Some(r) = s.tasks.get_mut(&task) {
							r.phase = Phase::Revealed;
							r.revealed_at.get_or_insert(now);
						}
					})?;
				}
				return Ok(());
			}
			if record.phase == Phase::Persisted {
				self.set_phase(task, block, Phase::Committed)?;
			}
			if now + 1 < record.commit_end {
				return Ok(()); // Reveals open when the commit window closes.
			}
			if now + 1 >= record.reveal_end {
				return self.set_phase(task, block, Phase::Skipped { reason: format!("reveal window ended at block {}", record.reveal_end) });
			}
			let call = dynamic::tx("Evaluation", "reveal", (task, record.scores.clone(), record.salt));
			match self.chain.submit(&call, &self.signer).await {
				Ok(done) => {
					self.log(block, Some(task), "revealed", serde_json::json!({ "scores": record.scores, "fee": done.fee.to_string() }));
					self.store.update(|s| {
						if let Some(r) = s.tasks.get_mut(&task) {
							r.phase = Phase::Revealed;
							r.revealed_at = Some(done.block_number as u32);
						}
					})?;
				},
				Err(error) => self.log(block, Some(task), "reveal failed", serde_json::json!({ "error": format!("{error:#}"), "retry": "next block" })),
			}
			return Ok(());
		}
		// Not visible at this block. If the commitment was included a moment ago, this is an
		// older block delivered late, or a short fork: wait rather than pay for a second commit
		// that would fail with `AlreadyCommitted`.
		if let Some(included) = record.committed_at {
			if now <= included.saturating_add(RESUBMIT_AFTER_BLOCKS) && now + 1 < record.commit_end {
				return Ok(());
			}
		}
		// Not on chain: commit (again, with the same commitment) while the window is open.
		if now + 1 >= record.commit_end {
			return self.set_phase(task, block, Phase::Skipped { reason: format!("the commitment did not reach the chain before block {}", record.commit_end) });
		}
		let call = dynamic::tx("Evaluation", "commit", (task, record.commitment));
		match self.chain.submit(&call, &self.signer).await {
			Ok(done) => {
				self.log(block, Some(task), "committed", serde_json::json!({ "commitment": format!("0x{}", hex::encode(record.commitment)), "fee": done.fee.to_string() }));
				self.store.update(|s| {
					if let Some(r) = s.tasks.get_mut(&task) {
						r.phase = Phase::Committed;
						r.committed_at = Some(done.block_number as u32);
					}
				})?;
			},
			Err(error) => self.log(block, Some(task), "commit failed", serde_json::json!({ "error": format!("{error:#}"), "retry": "next block" })),
		}
		Ok(())
	}

	/// Confirms reveals against a finalized block and prunes finished records.
	async fn on_finalized(&mut self, at: &At) -> anyhow::Result<()> {
		let now = at.block_number() as u32;
		let block = Some(u64::from(now));
		let records: Vec<(u64, TaskRecord)> = self.store.state().tasks.iter().map(|(t, r)| (*t, r.clone())).collect();
		for (task, record) in records {
			if let Some(final_at) = record.final_at {
				if now > final_at.saturating_add(PRUNE_AFTER_BLOCKS) {
					self.store.update(|s| { s.tasks.remove(&task); })?;
				}
				continue;
			}
			let outcome = match &record.phase {
				Phase::Skipped { .. } if now >= record.reveal_end => Some("skipped".to_string()),
				Phase::Revealed => {
					let view = task_view(at, task).await?;
					match view.map(|v| v.status) {
						Some(TaskStatus::Open) => {
							let mine = evaluations(at, task).await?.into_iter().find(|e| e.who == self.me);
							if mine.is_some_and(|e| e.scores.is_some()) {
								Some("reveal finalized".to_string())
							} else if now > record.revealed_at.unwrap_or(0).saturating_add(RESUBMIT_AFTER_BLOCKS) {
								// The block with the reveal was abandoned: reveal again.
								self.log(block, Some(task), "reveal lost in a re-organisation", serde_json::json!({ "revealed_at": record.revealed_at, "retry": "next block" }));
								self.store.update(|s| {
									if let Some(r) = s.tasks.get_mut(&task) {
										r.phase = Phase::Committed;
										r.revealed_at = None;
									}
								})?;
								None
							} else {
								None
							}
						},
						Some(TaskStatus::Settled { consensus, .. }) => Some(format!("task settled on {consensus:?}")),
						Some(TaskStatus::Failed { .. }) => Some("task failed".to_string()),
						None => Some("task settled".to_string()),
					}
				},
				_ => None,
			};
			if let Some(outcome) = outcome {
				self.log(block, Some(task), "final", serde_json::json!({ "outcome": outcome }));
				self.store.update(|s| {
					if let Some(r) = s.tasks.get_mut(&task) {
						r.final_at = Some(now);
					}
				})?;
			}
		}
		Ok(())
	}

	fn set_phase(&mut self, task: u64, block: Option<u64>, phase: Phase) -> anyhow::Result<()> {
		if let Phase::Skipped { reason } = &phase {
			self.log(block, Some(task), "skipped", serde_json::json!({ "reason": reason }));
		}
		self.store.update(|s| {
			if let Some(r) = s.tasks.get_mut(&task) {
				r.phase = phase;
			}
		})?;
		Ok(())
	}
}

fn phase_reason(phase: &Phase) -> String {
	match phase {
		Phase::Skipped { reason } => reason.clone(),
		other => format!("{other:?}"),
	}
}
