//! `perspective validator ...`: session keys from the operator's own node, the application
//! and its bond, leaving.

use crate::{
	chain::{self, Chain},
	eval::{account_or_signer, signed},
	types::{Operator, OperatorStatus},
	Cli, Out,
};
use anyhow::{anyhow, Context};
use clap::Subcommand;
use subxt::dynamic;

#[derive(Subcommand)]
pub enum ValidatorCommand {
	/// Generate session keys in the node at --url (its keystore; the RPC is unsafe, so use the
	/// operator's own node on localhost) and register them for the signer (`session.set_keys`,
	/// which holds a small deposit). Refuses a node that is not on this machine unless
	/// --remote-node: the keys are created in that node's keystore, whoever runs it.
	Keys {
		/// The node at --url is not on localhost but is the operator's own (e.g. over SSH).
		#[arg(long)]
		remote_node: bool,
	},
	/// Apply to validate, bonding BOND PRSP (governance approves or rejects).
	Apply { bond: String },
	/// The operator record (default: the signer).
	Status { account: Option<String> },
	/// Leave the validator set; the bond unbonds.
	Resign,
	/// Withdraw a pending application (releases the bond).
	WithdrawApplication,
	/// Release the bond once its unbonding period is over.
	Withdraw,
}

pub async fn run(cli: &Cli, out: Out, command: &ValidatorCommand) -> anyhow::Result<()> {
	match command {
		ValidatorCommand::Keys { remote_node } => {
			anyhow::ensure!(
				*remote_node || is_local(&cli.url),
				"{} is not a node on this machine: session keys would be created in someone else's keystore (pass --remote-node if it is yours)",
				cli.url
			);
			let signer = cli.signer()?;
			let owner = signer.public_key().0;
			let chain = Chain::connect(&cli.url).await?;
			#[derive(serde::Deserialize)]
			struct Generated {
				keys: String,
				proof: Option<String>,
			}
			let generated: Generated = chain
				.rpc
				.request("author_rotateKeysWithOwner", subxt::rpcs::rpc_params![format!("0x{}", hex::encode(owner))])
				.await
				.context("author_rotateKeysWithOwner (the node must allow unsafe RPCs: use your own node, e.g. --rpc-methods unsafe on localhost)")?;
			let keys = hex::decode(generated.keys.trim_start_matches("0x"))?;
			let proof = hex::decode(generated.proof.ok_or_else(|| anyhow!("the node returned no ownership proof"))?.trim_start_matches("0x"))?;
			// `Session.set_keys(keys, proof)`: the keys are already SCALE-encoded `SessionKeys`.
			let at = chain.best().await?;
			let metadata = at.metadata();
			let pallet = metadata.pallet_by_name("Session").ok_or_else(|| anyhow!("the runtime has no Session pallet"))?;
			let call = pallet.call_variant_by_name("set_keys").ok_or_else(|| anyhow!("Session has no set_keys call"))?;
			let mut call_data = vec![pallet.call_index(), call.index];
			call_data.extend_from_slice(&keys);
			codec::Encode::encode_to(&proof, &mut call_data);
			let payload = at.tx().from_call_data_bytes(&call_data).map_err(|e| anyhow!("session.set_keys: {e}"))?;
			let done = chain.submit(&payload, &signer).await.context("session.set_keys")?;
			out.emit(
				serde_json::json!({ "keys": format!("0x{}", hex::encode(&keys)), "fee": done.fee.to_string(), "block": done.block_hash }),
				|| format!("session keys 0x{} generated in the node and registered for {} (fee {})", hex::encode(&keys), chain::ss58(&owner), chain::prsp(done.fee)),
			);
			Ok(())
		},
		ValidatorCommand::Apply { bond } => {
			let bond = chain::parse_prsp(bond)?;
			signed(cli, out, dynamic::tx("ValidatorSet", "apply", (bond,)), "applied to validate").await
		},
		ValidatorCommand::Status { account } => {
			let who = account_or_signer(cli, account)?;
			let chain = Chain::connect(&cli.url).await?;
			let at = chain.best().await?;
			let call = dynamic::runtime_api_call::<_, Option<Operator>>("ValidatorSetApi", "operator", (who,));
			let operator = at.runtime_apis().call(call).await?;
			out.emit(serde_json::json!({ "account": chain::ss58(&who), "operator": operator }), || match &operator {
				None => format!("{} is not an operator", chain::ss58(&who)),
				Some(op) => format!(
					"{}: {}, bond {}",
					chain::ss58(&who),
					match op.status {
						OperatorStatus::Applied => "applied, waiting for governance".to_string(),
						OperatorStatus::Validating => "validating".to_string(),
						OperatorStatus::Unbonding { withdrawable_at } => format!("unbonding, withdrawable from block {withdrawable_at}"),
					},
					chain::prsp(op.bond)
				),
			});
			Ok(())
		},
		ValidatorCommand::Resign => signed(cli, out, dynamic::tx("ValidatorSet", "resign", ()), "resigned").await,
		ValidatorCommand::WithdrawApplication =>
			signed(cli, out, dynamic::tx("ValidatorSet", "withdraw_application", ()), "application withdrawn").await,
		ValidatorCommand::Withdraw => signed(cli, out, dynamic::tx("ValidatorSet", "withdraw_bond", ()), "bond withdrawn").await,
	}
}

/// Whether `url` names a node on this machine (loopback).
fn is_local(url: &str) -> bool {
	let rest = url.split("://").nth(1).unwrap_or(url);
	let host_port = rest.split('/').next().unwrap_or("");
	let host = if let Some(v6) = host_port.strip_prefix('[') {
		v6.split(']').next().unwrap_or("")
	} else {
		host_port.rsplit_once(':').map(|(h, _)| h).unwrap_or(host_port)
	};
	host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
	#[test]
	fn only_loopback_nodes_are_local() {
		for local in ["ws://127.0.0.1:9944", "ws://localhost:9944", "ws://[::1]:9944", "wss://127.0.0.2/rpc"] {
			assert!(super::is_local(local), "{local}");
		}
		for remote in ["ws://10.0.0.5:9944", "wss://rpc.example.org", "ws://localhost.example.org:9944", "ws://127.0.0.1.nip.io:9944"] {
			assert!(!super::is_local(remote), "{remote}");
		}
	}
}
