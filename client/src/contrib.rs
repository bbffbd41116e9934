//! `perspective contrib ...` and `perspective rewards ...`: register contributions (the
//! two-step commit-then-register protocol), follow their evaluation, claim rewards.

use crate::{
	chain::{self, AccountId, At, Chain},
	commitment,
	store::{RegistrationRecord, Store},
	eval::account_or_signer,
	types::{ContributionInfo, ContributionKind, ContributionStatus, PendingRewards},
	Cli, Out,
};
use anyhow::{anyhow, Context};
use clap::Subcommand;
use std::path::PathBuf;
use subxt::dynamic::{self, Value};

#[derive(Subcommand)]
pub enum ContribCommand {
	/// Register a file as a contribution: hashes it (blake2-256 of its bytes), commits to the
	/// hash, registers it in the next block and prints its id and evaluation task.
	Register {
		#[arg(long)]
		file: PathBuf,
		#[arg(long, value_enum)]
		kind: ContributionKind,
		/// Where evaluators fetch it (default: `file://` + the file's absolute path, for a
		/// local network).
		#[arg(long)]
		uri: Option<String>,
		/// Free-form metadata (e.g. JSON).
		#[arg(long, default_value = "")]
		metadata: String,
		/// Parent contributions (repeat for several): they share this one's rewards.
		#[arg(long = "parent")]
		parents: Vec<u64>,
		/// File keeping the registration's salt between its two steps. Default:
		/// `$XDG_STATE_HOME/perspective/contrib-<chain>-<account>.json`.
		#[arg(long)]
		state: Option<PathBuf>,
	},
	/// Cancel an unused registration commitment (printed by a `register` that failed after its
	/// first step), releasing its deposit.
	CancelCommitment {
		/// The commitment, 0x + 64 hex digits.
		commitment: String,
		#[arg(long)]
		state: Option<PathBuf>,
	},
	/// A contribution's status, score and lineage.
	Status { id: u64 },
}

#[derive(Subcommand)]
pub enum RewardsCommand {
	/// What the account can claim now, and its epoch.
	Pending { account: Option<String> },
	/// Claim everything claimable.
	Claim,
}

pub async fn run(cli: &Cli, out: Out, command: &ContribCommand) -> anyhow::Result<()> {
	match command {
		ContribCommand::Register { file, kind, uri, metadata, parents, state } => {
			let signer = cli.signer()?;
			let owner = signer.public_key().0;
			let content_hash = commitment::content_hash_of(
				std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
			)?;
			let uri = match uri {
				Some(uri) => uri.clone(),
				None => crate::fetch::file_uri(&std::fs::canonicalize(file)?),
			};
			let chain = Chain::connect(&cli.url).await?;
			let mut store = open_store(&chain, &owner, state)?;
			let at = chain.best().await?;
			// A registration this command began earlier (its `register` failed or was
			// interrupted) resumes with its saved salt while its commitment is on chain.
			let saved = store.state().registrations.iter().find(|(_, r)| r.content_hash == content_hash).map(|(k, r)| (k.clone(), r.clone()));
			let mut resumed = None;
			if let Some((key, record)) = saved {
				let registration = commitment::registration(&content_hash, &owner, &record.salt);
				match registration_made_at(&at, &owner, &registration).await? {
					Some(made_at) => resumed = Some((record.salt, registration, made_at, 0u128)),
					None => store.update(|s| {
						s.registrations.remove(&key);
					})?,
				}
			}
			let (salt, registration, made_at, commit_fee) = match resumed {
				Some(resumed) => resumed,
				None => {
					let mut salt = [0u8; 32];
					getrandom::fill(&mut salt).map_err(|e| anyhow!("no randomness for the salt: {e}"))?;
					let registration = commitment::registration(&content_hash, &owner, &salt);
					// Saved before the commitment is sent: without its salt it could only be cancelled.
					store.update(|s| {
						s.registrations.insert(hex0x(&registration), RegistrationRecord { content_hash, salt });
					})?;
					let committed = chain
						.submit(&dynamic::tx("Contributions", "commit_registration", (registration,)), &signer)
						.await
						.context("commit_registration")?;
					(salt, registration, committed.block_number, committed.fee)
				},
			};
			let retry = format!(
				"the registration commitment {} and its salt are saved in {}: run the same command again to retry, or `perspective contrib cancel-commitment {}` to release its deposit",
				hex0x(&registration),
				store.path().display(),
				hex0x(&registration)
			);
			// `register` must come in a later block than the commitment.
			let waited = tokio::time::timeout(chain::INCLUSION_TIMEOUT, async {
				loop {
					if chain.best().await?.block_number() > made_at {
						return anyhow::Ok(());
					}
					tokio::time::sleep(std::time::Duration::from_millis(500)).await;
				}
			})
			.await;
			match waited {
				Ok(Ok(())) => {},
				Ok(Err(error)) => return Err(error.context(retry)),
				Err(_) => return Err(anyhow!("no new block after the commitment; {retry}")),
			}
			let kind_value = Value::unnamed_variant(format!("{kind:?}"), []);
			let call = dynamic::tx(
				"Contributions",
				"register",
				(kind_value, content_hash, uri.as_bytes().to_vec(), metadata.as_bytes().to_vec(), parents.clone(), salt),
			);
			let registered = chain.submit(&call, &signer).await.with_context(|| format!("register ({retry})"))?;
			store.update(|s| {
				s.registrations.remove(&hex0x(&registration));
			})?;
			#[derive(scale_decode::DecodeAsType)]
			struct Registered {
				id: u64,
				deposit: u128,
				task: Option<u64>,
			}
			let event = registered
				.events
				.iter()
				.filter_map(Result::ok)
				.find(|e| e.pallet_name() == "Contributions" && e.event_name() == "ContributionRegistered")
				.ok_or_else(|| anyhow!("registered, but no ContributionRegistered event was found"))?
				.decode_fields_unchecked_as::<Registered>()?;
			let fee = commit_fee + registered.fee;
			out.emit(
				serde_json::json!({ "id": event.id, "task": event.task, "content_hash": format!("0x{}", hex::encode(content_hash)), "uri": uri, "deposit": event.deposit.to_string(), "fee": fee.to_string() }),
				|| format!(
					"contribution {} registered (content hash 0x{}, deposit {}, fees {}); {}",
					event.id,
					hex::encode(content_hash),
					chain::prsp(event.deposit),
					chain::prsp(fee),
					match event.task {
						Some(task) => format!("evaluated in task {task}"),
						None => "no evaluation task could be opened yet: run `perspective contrib status` and request one".into(),
					}
				),
			);
			Ok(())
		},
		ContribCommand::CancelCommitment { commitment, state } => {
			let signer = cli.signer()?;
			let owner = signer.public_key().0;
			let registration: [u8; 32] = hex::decode(commitment.trim_start_matches("0x"))
				.ok()
				.and_then(|bytes| bytes.try_into().ok())
				.ok_or_else(|| anyhow!("a commitment is 0x and 64 hex digits"))?;
			let chain = Chain::connect(&cli.url).await?;
			let mut store = open_store(&chain, &owner, state)?;
			let done = chain
				.submit(&dynamic::tx("Contributions", "cancel_registration_commitment", (registration,)), &signer)
				.await?;
			store.update(|s| {
				s.registrations.remove(&hex0x(&registration));
			})?;
			out.emit(serde_json::json!({ "cancelled": hex0x(&registration), "fee": done.fee.to_string() }), || {
				format!("registration commitment {} cancelled, its deposit released (fee {})", hex0x(&registration), chain::prsp(done.fee))
			});
			Ok(())
		},
		ContribCommand::Status { id } => {
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.best().await?;
			let info = contribution(&at, *id).await?.ok_or_else(|| anyhow!("no contribution {id}"))?;
			let lineage = lineage(&at, *id).await?;
			out.emit(serde_json::json!({ "contribution": info, "lineage": lineage }), || {
				let status = match &info.status {
					ContributionStatus::Evaluating { task } => format!("being evaluated in task {task}"),
					ContributionStatus::Unscored { task: Some(task) } => format!("unscored (task {task} failed)"),
					ContributionStatus::Unscored { task: None } => "unscored (no task opened yet)".into(),
					ContributionStatus::Accepted { task, quality, points, epoch } =>
						format!("accepted with quality {quality} in task {task}: {points} points in epoch {epoch}"),
					ContributionStatus::Rejected { task, quality } => format!("rejected with quality {quality} in task {task}"),
				};
				let ancestors: Vec<String> = lineage.iter().map(|(id, depth)| format!("{id} (depth {depth})")).collect();
				format!(
					"contribution {id} ({:?}) by {}: {status}; deposit held {}{}{}",
					info.kind,
					chain::ss58(&info.owner),
					chain::prsp(info.deposit),
					if info.retired { "; retired" } else { "" },
					if ancestors.is_empty() { String::new() } else { format!("; lineage {}", ancestors.join(", ")) },
				)
			});
			Ok(())
		},
	}
}

pub async fn rewards(cli: &Cli, out: Out, command: &RewardsCommand) -> anyhow::Result<()> {
	match command {
		RewardsCommand::Pending { account } => {
			let who = account_or_signer(cli, account)?;
			let chain = Chain::connect(&cli.url).await?;
			let pending = pending_rewards(&chain.best().await?, &who).await?;
			out.emit(serde_json::json!({ "account": chain::ss58(&who), "claimable": pending.claimable.to_string(), "epoch": pending.epoch }), || {
				format!("{} can claim {} (open epoch {})", chain::ss58(&who), chain::prsp(pending.claimable), pending.epoch)
			});
			Ok(())
		},
		RewardsCommand::Claim => {
			let signer = cli.signer()?;
			let chain = Chain::connect(&cli.url).await?;
			let done = chain.submit(&dynamic::tx("Contributions", "claim", ()), &signer).await?;
			#[derive(scale_decode::DecodeAsType)]
			struct Claimed {
				amount: u128,
			}
			let amount: u128 = done
				.events
				.iter()
				.filter_map(Result::ok)
				.filter(|e| e.pallet_name() == "Contributions" && e.event_name() == "RewardsClaimed")
				.filter_map(|e| e.decode_fields_unchecked_as::<Claimed>().ok())
				.map(|c| c.amount)
				.sum();
			out.emit(serde_json::json!({ "amount": amount.to_string(), "fee": done.fee.to_string(), "block": done.block_hash }), || {
				format!("claimed {} (fee {}) in block {}", chain::prsp(amount), chain::prsp(done.fee), done.block_hash)
			});
			Ok(())
		},
	}
}

fn hex0x(bytes: &[u8; 32]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// The state file of pending registrations (locked while this command runs).
fn open_store(chain: &Chain, owner: &AccountId, state: &Option<PathBuf>) -> anyhow::Result<Store> {
	let genesis = format!("{:?}", chain.api.genesis_hash());
	let account = chain::ss58(owner);
	let path = match state {
		Some(path) => path.clone(),
		None => crate::agent::default_state_dir()?.join(format!("contrib-{}-{account}.json", &genesis[..10.min(genesis.len())])),
	};
	Ok(Store::open(&path, &genesis, &account)?)
}

/// The block a registration commitment of `owner` was made in, if it is on chain (unused).
async fn registration_made_at(at: &At, owner: &AccountId, registration: &[u8; 32]) -> anyhow::Result<Option<u64>> {
	#[derive(scale_decode::DecodeAsType)]
	struct Made {
		made_at: u32,
	}
	let addr = dynamic::storage::<(AccountId, [u8; 32]), Made>("Contributions", "RegistrationCommitments");
	Ok(match at.storage().try_fetch(addr, (*owner, *registration)).await? {
		Some(value) => Some(u64::from(value.decode()?.made_at)),
		None => None,
	})
}


pub async fn contribution(at: &At, id: u64) -> anyhow::Result<Option<ContributionInfo>> {
	let call = dynamic::runtime_api_call::<_, Option<ContributionInfo>>("ContributionsApi", "contribution", (id,));
	Ok(at.runtime_apis().call(call).await?)
}

pub async fn lineage(at: &At, id: u64) -> anyhow::Result<Vec<(u64, u32)>> {
	let call = dynamic::runtime_api_call::<_, Vec<(u64, u32)>>("ContributionsApi", "lineage", (id, 8u32));
	Ok(at.runtime_apis().call(call).await?)
}

pub async fn pending_rewards(at: &At, who: &AccountId) -> anyhow::Result<PendingRewards> {
	let call = dynamic::runtime_api_call::<_, PendingRewards>("ContributionsApi", "pending_rewards", (*who,));
	Ok(at.runtime_apis().call(call).await?)
}
