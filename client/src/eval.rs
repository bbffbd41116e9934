//! `perspective eval ...`: bond as an evaluator, see the tasks you are drawn for, run the agent.

use crate::{
	chain::{self, AccountId, At, Chain},
	types::{AccountData, AccountInfo, EvaluationEntry, EvaluatorInfo, TaskView},
	Cli, Out,
};
use clap::Subcommand;
use subxt::dynamic;

#[derive(Subcommand)]
pub enum EvalCommand {
	/// Become an evaluator, holding BOND PRSP (at least the chain's minimum bond).
	Register { bond: String },
	/// Add to the bond.
	BondExtra { amount: String },
	/// Start unbonding: no new draws; `withdraw` after the unbonding delay.
	Unbond,
	/// Release the bond once unbonded and no task is pending.
	Withdraw,
	/// The evaluator record (default: the signer).
	Status { account: Option<String> },
	/// The open tasks this account is drawn for, with their windows.
	Tasks { account: Option<String> },
	/// Follow the chain and evaluate every task this account is drawn for: fetch the content,
	/// run the scorer, commit, and reveal inside the window. Keeps the salts in a state file so
	/// a restart never loses a reveal.
	Run(crate::agent::AgentArgs),
}

pub async fn run(cli: &Cli, out: Out, command: &EvalCommand) -> anyhow::Result<()> {
	match command {
		EvalCommand::Register { bond } => {
			let bond = chain::parse_prsp(bond)?;
			signed(cli, out, dynamic::tx("Evaluation", "register", (bond,)), "registered as an evaluator").await
		},
		EvalCommand::BondExtra { amount } => {
			let amount = chain::parse_prsp(amount)?;
			signed(cli, out, dynamic::tx("Evaluation", "bond_extra", (amount,)), "bond increased").await
		},
		EvalCommand::Unbond => signed(cli, out, dynamic::tx("Evaluation", "unbond", ()), "unbonding started").await,
		EvalCommand::Withdraw => signed(cli, out, dynamic::tx("Evaluation", "withdraw", ()), "bond withdrawn").await,
		EvalCommand::Status { account } => {
			let who = account_or_signer(cli, account)?;
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.best().await?;
			match evaluator(&at, &who).await? {
				None => out.emit(serde_json::json!({ "account": chain::ss58(&who), "evaluator": null }), || {
					format!("{} is not an evaluator", chain::ss58(&who))
				}),
				Some(info) => out.emit(serde_json::json!({ "account": chain::ss58(&who), "evaluator": info }), || {
					format!(
						"{}: bond {}{}, {} pending tasks, {} accurate, {} outliers, {} missed, earned {}{}",
						chain::ss58(&who),
						chain::prsp(info.bond),
						info.unbonding_at.map(|b| format!(" (unbonding, withdrawable from block {b})")).unwrap_or_default(),
						info.pending_tasks,
						info.accurate,
						info.outliers,
						info.missed,
						chain::prsp(info.earned),
						if info.slot.is_some() { "; can be drawn" } else { "; cannot be drawn" },
					)
				}),
			}
			Ok(())
		},
		EvalCommand::Tasks { account } => {
			let who = account_or_signer(cli, account)?;
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.best().await?;
			let now = at.block_number() as u32;
			let mut rows = Vec::new();
			for (task, seats) in drawn_for(&at, &who).await? {
				if let Some(view) = task_view(&at, task).await? {
					rows.push((task, seats, view));
				}
			}
			let json: Vec<_> = rows
				.iter()
				.map(|(task, seats, v)| serde_json::json!({ "task": task, "seats": seats, "view": v }))
				.collect();
			out.emit(serde_json::json!({ "block": now, "tasks": json }), || {
				if rows.is_empty() {
					return format!("block {now}: {} is drawn for no open task", chain::ss58(&who));
				}
				let mut text = format!("block {now}:");
				for (task, seats, v) in &rows {
					text.push_str(&format!(
						"\n  task {task}: {seats} seat(s), {:?}, commit before block {}, reveal before block {}, {} criteria, uri {}",
						v.kind,
						v.commit_end,
						v.reveal_end,
						v.criteria.len(),
						crate::types::text(&v.uri)
					));
				}
				text
			});
			Ok(())
		},
		EvalCommand::Run(args) => crate::agent::run(cli, out, args).await,
	}
}

/// Signs and submits `call`, printing `done` with the fee.
pub async fn signed<C: subxt::transactions::Payload>(cli: &Cli, out: Out, call: C, done: &str) -> anyhow::Result<()> {
	let signer = cli.signer()?;
	let chain = Chain::connect(&cli.url).await?;
	let included = chain.submit(&call, &signer).await?;
	out.emit(
		serde_json::json!({ "ok": true, "fee": included.fee.to_string(), "block": included.block_hash }),
		|| format!("{done} (fee {}) in block {}", chain::prsp(included.fee), included.block_hash),
	);
	Ok(())
}

pub fn account_or_signer(cli: &Cli, account: &Option<String>) -> anyhow::Result<AccountId> {
	match account {
		Some(a) => chain::parse_account(a),
		None => Ok(cli.signer()?.public_key().0),
	}
}

pub async fn account_data(at: &At, who: &AccountId) -> anyhow::Result<AccountData> {
	let addr = dynamic::storage::<(AccountId,), AccountInfo>("System", "Account");
	Ok(at.storage().fetch(addr, (*who,)).await?.decode()?.data)
}

pub async fn evaluator(at: &At, who: &AccountId) -> anyhow::Result<Option<EvaluatorInfo>> {
	let call = dynamic::runtime_api_call::<_, Option<EvaluatorInfo>>("EvaluationApi", "evaluator", (*who,));
	Ok(at.runtime_apis().call(call).await?)
}

pub async fn drawn_for(at: &At, who: &AccountId) -> anyhow::Result<Vec<(u64, u32)>> {
	let call = dynamic::runtime_api_call::<_, Vec<(u64, u32)>>("EvaluationApi", "drawn_for", (*who,));
	Ok(at.runtime_apis().call(call).await?)
}

pub async fn task_view(at: &At, task: u64) -> anyhow::Result<Option<TaskView>> {
	let call = dynamic::runtime_api_call::<_, Option<TaskView>>("EvaluationApi", "task", (task,));
	Ok(at.runtime_apis().call(call).await?)
}

/// The chain's own commitment for these inputs (to check the local encoding against).
pub async fn chain_commitment(at: &At, task: u64, who: &AccountId, scores: &[u16], salt: &[u8; 32]) -> anyhow::Result<[u8; 32]> {
	let call = dynamic::runtime_api_call::<_, [u8; 32]>(
		"EvaluationApi",
		"commitment",
		(task, *who, scores.to_vec(), *salt),
	);
	Ok(at.runtime_apis().call(call).await?)
}

/// The commitments (and reveals) on `task`.
pub async fn evaluations(at: &At, task: u64) -> anyhow::Result<Vec<EvaluationEntry>> {
	let addr = dynamic::storage::<(u64,), Vec<EvaluationEntry>>("Evaluation", "Evaluations");
	Ok(match at.storage().try_fetch(addr, (task,)).await? {
		Some(value) => value.decode()?,
		None => Vec::new(),
	})
}
