//! `perspective gov ...` (referenda with hybrid token-and-reputation voting) and
//! `perspective council ...` (members and elections).

use crate::{
	chain::{self, Chain},
	eval::signed,
	Cli, Out,
};
use anyhow::{anyhow, Context};
use clap::{Subcommand, ValueEnum};
use subxt::dynamic::{self, Value};

#[derive(Subcommand)]
pub enum GovCommand {
	/// Submit a referendum for a call, e.g. `gov propose Reputation set_half_life 14400`
	/// (each argument in scale-value syntax: numbers, "strings", { named: fields },
	/// Variant(..), 0x.. bytes), or `gov propose --call-hex 0x..`. Holds the submission
	/// deposit; `--decision-deposit` also places the decision deposit.
	Propose {
		/// Pallet of the call, as in the metadata (`Reputation`, `Evaluation`, ...).
		pallet: Option<String>,
		/// Call name (`set_half_life`).
		call: Option<String>,
		/// The call's arguments, in order.
		args: Vec<String>,
		/// The SCALE-encoded call instead of PALLET CALL ARGS.
		#[arg(long)]
		call_hex: Option<String>,
		/// Track origin: `general-admin` (parameters of Perspective's pallets) or `root`.
		#[arg(long, value_enum, default_value_t = Track::GeneralAdmin)]
		track: Track,
		/// Also place the decision deposit, so the referendum starts deciding.
		#[arg(long)]
		decision_deposit: bool,
	},
	/// Vote on referendum INDEX with BALANCE PRSP (and, through the pallet, your reputation).
	Vote {
		index: u32,
		#[arg(value_enum)]
		direction: Direction,
		/// PRSP locked behind the vote.
		#[arg(long)]
		balance: String,
		/// Conviction: locks the balance longer for more weight.
		#[arg(long, value_enum, default_value_t = Conviction::None)]
		conviction: Conviction,
	},
	/// A referendum (or the most recent ones).
	Status { index: Option<u32> },
}

#[derive(Subcommand)]
pub enum CouncilCommand {
	/// The council's members.
	Members,
	/// Stand for the next election (holds the candidacy bond).
	Stand,
	/// Withdraw a candidacy.
	Renounce,
	/// Vote for up to 16 candidates, staking STAKE PRSP (frozen, not spent).
	Vote {
		candidates: Vec<String>,
		#[arg(long)]
		stake: String,
	},
	/// Remove your ballot and unfreeze its stake.
	RemoveVote,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Track {
	GeneralAdmin,
	Root,
}

#[derive(Clone, Copy, ValueEnum, Debug)]
pub enum Direction {
	Aye,
	Nay,
	Abstain,
}

#[derive(Clone, Copy, ValueEnum, Debug)]
pub enum Conviction {
	None,
	Locked1x,
	Locked2x,
	Locked3x,
	Locked4x,
	Locked5x,
	Locked6x,
}

pub async fn run(cli: &Cli, out: Out, command: &GovCommand) -> anyhow::Result<()> {
	match command {
		GovCommand::Propose { pallet, call, args, call_hex, track, decision_deposit } => {
			let signer = cli.signer()?;
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.best().await?;
			let call_bytes = match (call_hex, pallet, call) {
				(Some(hex), _, _) => hex::decode(hex.trim_start_matches("0x")).context("--call-hex is not hex")?,
				(None, Some(pallet), Some(call)) => {
					let values = args
						.iter()
						.map(|a| {
							let (parsed, rest) = scale_value::stringify::from_str(a);
							let value = parsed.map_err(|e| anyhow!("argument {a:?}: {e}"))?;
							anyhow::ensure!(rest.trim().is_empty(), "argument {a:?}: unexpected {rest:?}");
							Ok(value)
						})
						.collect::<anyhow::Result<Vec<Value>>>()?;
					at.tx().call_data(&dynamic::tx(pallet.as_str(), call.as_str(), values)).map_err(|e| anyhow!("{pallet}.{call}: {e}"))?
				},
				_ => return Err(anyhow!("give PALLET CALL [ARGS..] or --call-hex")),
			};
			let origin = match track {
				Track::GeneralAdmin => Value::unnamed_variant("Origins", [Value::unnamed_variant("GeneralAdmin", [])]),
				Track::Root => Value::unnamed_variant("system", [Value::unnamed_variant("Root", [])]),
			};
			// Calls up to 128 bytes go inline; longer ones through a preimage.
			let proposal = if call_bytes.len() <= 128 {
				Value::unnamed_variant("Inline", [Value::from_bytes(&call_bytes)])
			} else {
				chain
					.submit(&dynamic::tx("Preimage", "note_preimage", (call_bytes.clone(),)), &signer)
					.await
					.context("note_preimage")?;
				Value::named_variant(
					"Lookup",
					[
						("hash", Value::from_bytes(sp_crypto_hashing::blake2_256(&call_bytes))),
						("len", Value::u128(call_bytes.len() as u128)),
					],
				)
			};
			let enactment = Value::unnamed_variant("After", [Value::u128(0)]);
			let done = chain.submit(&dynamic::tx("Referenda", "submit", (origin, proposal, enactment)), &signer).await?;
			#[derive(scale_decode::DecodeAsType)]
			struct Submitted {
				index: u32,
				track: u16,
			}
			let submitted = done
				.events
				.iter()
				.filter_map(Result::ok)
				.find(|e| e.pallet_name() == "Referenda" && e.event_name() == "Submitted")
				.ok_or_else(|| anyhow!("submitted, but no Referenda.Submitted event was found"))?
				.decode_fields_unchecked_as::<Submitted>()?;
			let mut fee = done.fee;
			if *decision_deposit {
				fee += chain
					.submit(&dynamic::tx("Referenda", "place_decision_deposit", (submitted.index,)), &signer)
					.await
					.context("place_decision_deposit")?
					.fee;
			}
			out.emit(
				serde_json::json!({ "index": submitted.index, "track": submitted.track, "call": format!("0x{}", hex::encode(&call_bytes)), "fee": fee.to_string() }),
				|| format!("referendum {} submitted on track {} (fees {})", submitted.index, submitted.track, chain::prsp(fee)),
			);
			Ok(())
		},
		GovCommand::Vote { index, direction, balance, conviction } => {
			let balance = chain::parse_prsp(balance)?;
			let vote = Value::named_composite([
				("direction", Value::unnamed_variant(format!("{direction:?}"), [])),
				("conviction", Value::unnamed_variant(format!("{conviction:?}"), [])),
				("balance", Value::u128(balance)),
			]);
			signed(cli, out, dynamic::tx("HybridVoting", "vote", (*index, vote)), &format!("voted {direction:?} on referendum {index}")).await
		},
		GovCommand::Status { index } => {
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.best().await?;
			let count: u32 = at
				.storage()
				.try_fetch(dynamic::storage::<(), u32>("Referenda", "ReferendumCount"), ())
				.await?
				.map(|v| v.decode())
				.transpose()?
				.unwrap_or(0);
			let indices: Vec<u32> = match index {
				Some(i) => vec![*i],
				None => (count.saturating_sub(5)..count).rev().collect(),
			};
			let mut rows = Vec::new();
			for i in indices {
				let info = at
					.storage()
					.try_fetch(dynamic::storage::<(u32,), Value>("Referenda", "ReferendumInfoFor"), (i,))
					.await?
					.map(|v| v.decode())
					.transpose()?;
				rows.push((i, info.map(|v| v.to_string())));
			}
			let json: Vec<_> = rows.iter().map(|(i, info)| serde_json::json!({ "index": i, "info": info })).collect();
			out.emit(serde_json::json!({ "count": count, "referenda": json }), || {
				if rows.is_empty() {
					return "no referenda yet".into();
				}
				rows.iter()
					.map(|(i, info)| format!("referendum {i}: {}", info.as_deref().unwrap_or("none")))
					.collect::<Vec<_>>()
					.join("\n")
			});
			Ok(())
		},
	}
}

pub async fn council(cli: &Cli, out: Out, command: &CouncilCommand) -> anyhow::Result<()> {
	match command {
		CouncilCommand::Members => {
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.best().await?;
			let members: Vec<[u8; 32]> = at
				.storage()
				.try_fetch(dynamic::storage::<(), Vec<[u8; 32]>>("Council", "Members"), ())
				.await?
				.map(|v| v.decode())
				.transpose()?
				.unwrap_or_default();
			let names: Vec<String> = members.iter().map(chain::ss58).collect();
			out.emit(serde_json::json!({ "members": names }), || {
				if names.is_empty() { "the council has no members".into() } else { format!("council ({}):\n  {}", names.len(), names.join("\n  ")) }
			});
			Ok(())
		},
		CouncilCommand::Stand => signed(cli, out, dynamic::tx("CouncilElections", "submit_candidacy", ()), "candidacy submitted").await,
		CouncilCommand::Renounce => signed(cli, out, dynamic::tx("CouncilElections", "renounce_candidacy", ()), "candidacy renounced").await,
		CouncilCommand::Vote { candidates, stake } => {
			let stake = chain::parse_prsp(stake)?;
			let votes = candidates.iter().map(|c| chain::parse_account(c)).collect::<anyhow::Result<Vec<_>>>()?;
			signed(cli, out, dynamic::tx("CouncilElections", "vote", (votes, stake)), "council ballot cast").await
		},
		CouncilCommand::RemoveVote => signed(cli, out, dynamic::tx("CouncilElections", "remove_voter", ()), "ballot removed").await,
	}
}
