//! `perspective contrib ...` and `perspective rewards ...`: register contributions (the
//! two-step commit-then-register protocol), follow their evaluation, claim rewards.

use crate::{
	chain::{self, AccountId, At, Chain},
	commitment,
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
		ContribCommand::Register { file, kind, uri, metadata, parents } => {
			let signer = cli.signer()?;
			let owner = signer.public_key().0;
			let content_hash = commitment::content_hash_of(
				std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
			)?;
			let uri = match uri {
				Some(uri) => uri.clone(),
				None => crate::fetch::file_uri(&std::fs::canonicalize(file)?),
			};
			let mut salt = [0u8; 32];
			getrandom::fill(&mut salt).map_err(|e| anyhow!("no randomness for the salt: {e}"))?;
			let registration = commitment::registration(&content_hash, &owner, &salt);
			let chain = Chain::connect(&cli.url).await?;
			let committed = chain
				.submit(&dynamic::tx("Contributions", "commit_registration", (registration,)), &signer)
				.await
				.context("commit_registration")?;
			// `register` must come in a later block than the commitment.
			let made_at = block_number_of(&chain, &committed.block_hash).await?;
			loop {
				if chain.best().await?.block_number() > made_at {
					break;
				}
				tokio::time::sleep(std::time::Duration::from_millis(500)).await;
			}
			let kind_value = Value::unnamed_variant(format!("{kind:?}"), []);
			let call = dynamic::tx(
				"Contributions",
				"register",
				(kind_value, content_hash, uri.as_bytes().to_vec(), metadata.as_bytes().to_vec(), parents.clone(), salt),
			);
			let registered = chain.submit(&call, &signer).await.context("register")?;
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
			let fee = committed.fee + registered.fee;
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

async fn block_number_of(chain: &Chain, hash: &str) -> anyhow::Result<u64> {
	let header: serde_json::Value = chain.rpc.request("chain_getHeader", subxt::rpcs::rpc_params![hash]).await?;
	header
		.get("number")
		.and_then(|n| n.as_str())
		.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| anyhow!("no header for block {hash}"))
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
