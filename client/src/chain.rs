//! The connection to a Perspective node: signing and submitting calls, reading storage and
//! runtime APIs, and turning a failed dispatch into the text polkadot.js apps shows
//! (`section.Error: docs`).
//!
//! Calls, storage entries and runtime APIs are addressed by name against the node's metadata
//! (subxt's dynamic API) and decoded into the small types of [`crate::types`], which name only
//! the fields the CLI reads: a runtime upgrade that adds fields elsewhere does not break it.

use anyhow::{anyhow, Context};
use subxt::{
	client::{ClientAtBlock, OnlineClientAtBlockImpl},
	config::PolkadotExtrinsicParamsBuilder,
	error::DispatchError,
	rpcs::{rpc_params, RpcClient},
	transactions::{Payload, TransactionStatus},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

pub type Cfg = PolkadotConfig;
/// A client pinned to one block.
pub type At = ClientAtBlock<Cfg, OnlineClientAtBlockImpl<Cfg>>;
pub type AccountId = [u8; 32];
pub type Events = subxt::extrinsics::ExtrinsicEvents<Cfg>;

/// One PRSP in planck.
pub const UNIT: u128 = 1_000_000_000_000;

#[derive(Clone)]
pub struct Chain {
	pub api: OnlineClient<Cfg>,
	pub rpc: RpcClient,
}

/// A call that made it into a block and succeeded.
pub struct Included {
	pub block_hash: String,
	pub block_number: u64,
	pub events: Events,
	/// `TransactionPayment::TransactionFeePaid.actual_fee` for the signer.
	pub fee: u128,
}

impl Chain {
	/// Connects to the node at `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> anyhow::Result<Self> {
		let rpc = RpcClient::from_insecure_url(url)
			.await
			.with_context(|| format!("cannot connect to {url} (is a node running there?)"))?;
		let config = PolkadotConfig::builder().use_historic_types(false).build();
		let api = OnlineClient::from_rpc_client_with_config(config, rpc.clone())
			.await
			.with_context(|| format!("cannot read the chain's metadata from {url}"))?;
		Ok(Self { api, rpc })
	}

	/// The best block (the newest one this node builds on).
	pub async fn best(&self) -> anyhow::Result<At> {
		let number = self.block_number(None).await?;
		Ok(self.api.at_block(number).await?)
	}

	/// The number of the block `hash` (hex), or of the best block.
	async fn block_number(&self, hash: Option<&str>) -> anyhow::Result<u64> {
		let header: serde_json::Value = self.rpc.request("chain_getHeader", rpc_params![hash]).await?;
		header
			.get("number")
			.and_then(|n| n.as_str())
			.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| anyhow!("chain_getHeader returned no block number: {header}"))
	}

	/// The next nonce of `who`, counting its transactions waiting in the node's pool.
	pub async fn next_nonce(&self, who: &Keypair) -> anyhow::Result<u64> {
		let address = ss58(&who.public_key().0);
		Ok(self.rpc.request("system_accountNextIndex", rpc_params![address]).await?)
	}

	/// Signs `call` with `signer`, submits it and waits until it is in a best block. Fails with
	/// the pool's reason if the node refuses it, with [`DispatchFailed`] (`section.Error: docs`)
	/// if it fails, and after [`INCLUSION_TIMEOUT`] if it is not included by then.
	pub async fn submit<C: Payload>(&self, call: &C, signer: &Keypair) -> anyhow::Result<Included> {
		let progress = self.send(call, signer).await?;
		self.included(progress).await
	}

	/// Signs and submits `call`; returns once the pool accepted it.
	pub async fn send<C: Payload>(&self, call: &C, signer: &Keypair) -> anyhow::Result<Progress> {
		let at = self.best().await?;
		let nonce = self.next_nonce(signer).await?;
		let params = PolkadotExtrinsicParamsBuilder::<Cfg>::new().nonce(nonce).mortal(64).build();
		at.transactions()
			.sign_and_submit_then_watch(call, signer, params)
			.await
			.map_err(|e| anyhow!("the node refused the transaction: {e}"))
	}

	/// Follows a submitted transaction until it is in a best block (at most [`INCLUSION_TIMEOUT`]).
	pub async fn included(&self, progress: Progress) -> anyhow::Result<Included> {
		match tokio::time::timeout(INCLUSION_TIMEOUT, self.follow(progress)).await {
			Ok(result) => result,
			Err(_) => Err(anyhow!(
				"not in a block after {} s (it may still be included; check before sending it again)",
				INCLUSION_TIMEOUT.as_secs()
			)),
		}
	}

	async fn follow(&self, mut progress: Progress) -> anyhow::Result<Included> {
		while let Some(status) = progress.next().await {
			match status? {
				TransactionStatus::InBestBlock(in_block) | TransactionStatus::InFinalizedBlock(in_block) => {
					let block_hash = format!("{:?}", in_block.block_hash());
					let events = match in_block.wait_for_success().await {
						Ok(events) => events,
						Err(subxt::error::TransactionEventsError::ExtrinsicFailed(error)) =>
							return Err(DispatchFailed::from(&error).into()),
						Err(other) => return Err(other.into()),
					};
					let fee = fee_paid(&events);
					let block_number = self.block_number(Some(&block_hash)).await?;
					return Ok(Included { block_hash, block_number, events, fee });
				},
				TransactionStatus::Invalid { message } => return Err(anyhow!("invalid transaction: {message}")),
				TransactionStatus::Dropped { message } => return Err(anyhow!("transaction dropped: {message}")),
				TransactionStatus::Error { message } => return Err(anyhow!("transaction error: {message}")),
				_ => continue,
			}
		}
		Err(anyhow!("the node stopped reporting the transaction's progress"))
	}
}

/// A submitted transaction's progress.
pub type Progress = subxt::transactions::TransactionProgress<Cfg, OnlineClientAtBlockImpl<Cfg>>;

/// How long [`Chain::submit`] waits for a transaction to be in a block (10 blocks).
pub const INCLUSION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A transaction that was included and failed: its error as polkadot.js apps shows it, and the
/// error's name (`AlreadyCommitted`) for callers that react to particular errors.
#[derive(Debug)]
pub struct DispatchFailed {
	pub text: String,
	/// The module error's variant name, if it is one.
	pub name: Option<String>,
}

impl std::fmt::Display for DispatchFailed {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.text)
	}
}

impl std::error::Error for DispatchFailed {}

impl From<&DispatchError> for DispatchFailed {
	fn from(error: &DispatchError) -> Self {
		let name = match error {
			DispatchError::Module(module) => module.details().ok().map(|d| d.variant.name.to_string()),
			_ => None,
		};
		Self { text: describe(error), name }
	}
}

/// `section.Error: docs` for a module error (as polkadot.js apps shows it), else the error.
pub fn describe(error: &DispatchError) -> String {
	if let DispatchError::Module(module) = error {
		if let Ok(details) = module.details() {
			let pallet = details.pallet.name();
			let section = lower_first(pallet);
			let docs = details.variant.docs.join(" ");
			return format!("{section}.{}: {}", details.variant.name, docs.trim());
		}
	}
	error.to_string()
}

fn lower_first(name: &str) -> String {
	let mut chars = name.chars();
	match chars.next() {
		Some(first) => first.to_lowercase().chain(chars).collect(),
		None => String::new(),
	}
}

/// The fee the signer paid, from `TransactionPayment::TransactionFeePaid`.
fn fee_paid(events: &Events) -> u128 {
	#[derive(scale_decode::DecodeAsType)]
	struct FeePaid {
		actual_fee: u128,
	}
	events
		.iter()
		.filter_map(Result::ok)
		.filter(|e| e.pallet_name() == "TransactionPayment" && e.event_name() == "TransactionFeePaid")
		.filter_map(|e| e.decode_fields_unchecked_as::<FeePaid>().ok())
		.map(|f| f.actual_fee)
		.sum()
}

/// The SS58 address (prefix 42, the Substrate default this chain uses).
pub fn ss58(account: &AccountId) -> String {
	subxt::utils::AccountId32(*account).to_string()
}

/// Parses an SS58 address or a 0x-prefixed 32-byte hex account.
pub fn parse_account(text: &str) -> anyhow::Result<AccountId> {
	if let Some(hex) = text.strip_prefix("0x") {
		let raw = hex::decode(hex).context("not hex")?;
		return raw.try_into().map_err(|_| anyhow!("an account is 32 bytes"));
	}
	let id: subxt::utils::AccountId32 = text.parse().map_err(|e| anyhow!("{text:?} is not an SS58 address: {e:?}"))?;
	Ok(id.0)
}

/// `amount` planck as PRSP, with as many decimals as it has.
pub fn prsp(amount: u128) -> String {
	let (whole, frac) = (amount / UNIT, amount % UNIT);
	if frac == 0 {
		format!("{whole} PRSP")
	} else {
		format!("{whole}.{} PRSP", format!("{frac:012}").trim_end_matches('0'))
	}
}

/// Parses "12", "12.5" (PRSP) or "12500000000000planck".
pub fn parse_prsp(text: &str) -> anyhow::Result<u128> {
	if let Some(planck) = text.strip_suffix("planck") {
		return planck.trim().parse().context("not a whole number of planck");
	}
	let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
	if frac.len() > 12 {
		return Err(anyhow!("{text}: at most 12 decimals"));
	}
	let whole: u128 = whole.parse().with_context(|| format!("{text} is not an amount of PRSP"))?;
	let frac: u128 = if frac.is_empty() { 0 } else { format!("{frac:0<12}").parse().with_context(|| format!("{text} is not an amount of PRSP"))? };
	whole.checked_mul(UNIT).and_then(|w| w.checked_add(frac)).ok_or_else(|| anyhow!("{text}: too large"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_and_print() {
		assert_eq!(parse_prsp("12").unwrap(), 12 * UNIT);
		assert_eq!(parse_prsp("0.5").unwrap(), UNIT / 2);
		assert_eq!(parse_prsp("7planck").unwrap(), 7);
		assert!(parse_prsp("1.0000000000001").is_err());
		assert!(parse_prsp("abc").is_err());
		assert_eq!(prsp(12 * UNIT), "12 PRSP");
		assert_eq!(prsp(UNIT / 2), "0.5 PRSP");
	}

	#[test]
	fn accounts_parse_from_ss58_and_hex() {
		let alice = parse_account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap();
		assert_eq!(hex::encode(alice), "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
		assert_eq!(ss58(&alice), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert_eq!(parse_account(&format!("0x{}", hex::encode(alice))).unwrap(), alice);
		assert!(parse_account("nonsense").is_err());
	}
}
