//! Built-in chain specifications, generated from the runtime's genesis presets.

use perspective_runtime::{token, WASM_BINARY};
use sc_service::{ChainType, Properties};

/// A chain specification of the Perspective chain (no extensions: a solochain).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token metadata shown by wallets such as polkadot.js apps.
fn token_properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), token::SYMBOL.into());
	properties.insert("tokenDecimals".into(), token::DECIMALS.into());
	properties.insert("ss58Format".into(), token::SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The WASM runtime is not available: this node was built with SKIP_WASM_BUILD. \
		 Rebuild without it (see scripts/setup.sh)."
			.to_string()
	})
}

/// `--dev`: a single validator (Alice, also sudo) that finalizes on its own.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	chain_spec(
		"Perspective Development",
		"perspective_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: four validators (Alice, Bob, Charlie, Dave) on one machine or LAN.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	chain_spec(
		"Perspective Local Testnet",
		"perspective_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// A chain spec whose genesis is the runtime's named preset. The protocol id (which separates
/// the chains' p2p networks) is derived from the chain id.
fn chain_spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(token_properties())
		.build())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sc_chain_spec::ChainSpec as _;

	#[test]
	fn chain_specs_advertise_the_token_to_wallets() {
		for spec in [development_chain_spec().unwrap(), local_chain_spec().unwrap()] {
			let props = spec.properties();
			assert_eq!(props["tokenSymbol"], "PRSP");
			assert_eq!(props["tokenDecimals"], 12);
			assert_eq!(props["ss58Format"], 42);
		}
	}

	#[test]
	fn chain_specs_build_genesis_storage_from_the_presets() {
		for spec in [development_chain_spec().unwrap(), local_chain_spec().unwrap()] {
			let storage = spec.as_storage_builder().build_storage().unwrap();
			assert!(storage.top.contains_key(sp_core::storage::well_known_keys::CODE));
		}
	}
}
