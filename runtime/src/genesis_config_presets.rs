//! Genesis presets: JSON patches over the default genesis config, selected by name from the chain
//! spec (`--dev` uses `development`, `--chain local` uses `local_testnet`).

use crate::{
	currency::UNIT,
	governance::tracks::{GENERAL_ADMIN, ROOT, WHITELISTED_CALLER},
	time::{DAYS, MINUTES},
	AccountId, BabeConfig, BalancesConfig, BlockNumber, ContributionsConfig, CouncilElectionsConfig,
	EvaluationConfig, ReferendaAdminConfig, ReputationConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, SudoConfig, ValidatorSetConfig,
};
use pallet_council_elections::ElectionParams;
use pallet_contributions::ContributionParams;
use pallet_evaluation::EvaluationParams;
use pallet_referenda_admin::TrackTimings;
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance given to every endowed development account: 1 million tokens.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// Reputation half-life: about three months.
pub const REPUTATION_HALF_LIFE: BlockNumber = 90 * DAYS;

/// Starting reputation of the development accounts: Alice, Bob and Charlie are reputable,
/// Dave and Eve less so, Ferdie barely.
pub fn dev_reputation() -> Vec<(AccountId, u128)> {
	[
		(Sr25519Keyring::Alice, 1_000_000),
		(Sr25519Keyring::Bob, 1_000_000),
		(Sr25519Keyring::Charlie, 1_000_000),
		(Sr25519Keyring::Dave, 250_000),
		(Sr25519Keyring::Eve, 250_000),
		(Sr25519Keyring::Ferdie, 10_000),
	]
	.into_iter()
	.map(|(k, score)| (k.to_account_id(), score))
	.collect()
}

/// The genesis council of development chains: Alice, Bob and Charlie.
pub fn dev_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.into_iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// The same periods for the root and general-admin tracks; the whitelisted (fast) track
/// decides in half the time.
fn all_tracks(timings: TrackTimings<BlockNumber>) -> Vec<(u16, TrackTimings<BlockNumber>)> {
	let fast = TrackTimings { decision_period: timings.decision_period / 2, ..timings };
	vec![(ROOT, timings), (WHITELISTED_CALLER, fast), (GENERAL_ADMIN, timings)]
}

/// Track periods of the `development` chain: a referendum can pass in about a minute (prepare
/// 1 block, decide within 20 blocks (fast track: 10), confirm 2, enact 2 blocks later).
pub fn development_track_timings() -> Vec<(u16, TrackTimings<BlockNumber>)> {
	all_tracks(TrackTimings {
		prepare_period: 1,
		decision_period: 20,
		confirm_period: 2,
		min_enactment_period: 2,
	})
}

/// Track periods of `local_testnet`: minutes to hours, to rehearse governance by hand.
pub fn local_track_timings() -> Vec<(u16, TrackTimings<BlockNumber>)> {
	all_tracks(TrackTimings {
		prepare_period: 5 * MINUTES,
		decision_period: 60 * MINUTES,
		confirm_period: 5 * MINUTES,
		min_enactment_period: 5 * MINUTES,
	})
}

/// A genesis validator: its account and its session keys.
pub struct GenesisValidator {
	pub account: AccountId,
	pub keys: SessionKeys,
}

/// Builds a genesis patch with the given validators, endowed accounts, sudo key and referendum
/// track periods. The validators reach BABE and GRANDPA through pallet-session (whose genesis
/// sets both authority lists), each with the minimum bond held, unbonding for
/// `unbonding_period` blocks after leaving.
fn testnet_genesis(
	validators: Vec<GenesisValidator>,
	min_validators: u32,
	unbonding_period: BlockNumber,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	track_timings: Vec<(u16, TrackTimings<BlockNumber>)>,
	evaluation: EvaluationParams<crate::Balance, BlockNumber>,
	contributions: ContributionParams<crate::Balance, BlockNumber>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|account| (account, ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig {
			params: crate::validators::genesis_params(min_validators, unbonding_period),
			validators: validators.iter().map(|v| v.account.clone()).collect::<Vec<_>>(),
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|v| (v.account.clone(), v.account, v.keys))
				.collect::<Vec<_>>(),
		},
		babe: BabeConfig { epoch_config: crate::validators::BABE_GENESIS_EPOCH_CONFIG },
		sudo: SudoConfig { key: Some(root) },
		reputation: ReputationConfig { half_life: REPUTATION_HALF_LIFE, scores: dev_reputation() },
		referenda_admin: ReferendaAdminConfig { timings: track_timings },
		council_elections: CouncilElectionsConfig {
			members: dev_council(),
			params: ElectionParams {
				candidacy_bond: 100 * UNIT,
				min_candidate_reputation: 100_000,
				desired_members: 5,
				min_members: 3,
			},
		},
		evaluation: EvaluationConfig { params: Some(evaluation) },
		contributions: ContributionsConfig { params: Some(contributions) },
	})
}

/// A well-known development account as a validator: its sr25519 key for BABE, its ed25519 key
/// for GRANDPA (what `--alice` etc. put in the node's keystore).
fn dev_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> GenesisValidator {
	let babe: BabeId = sr.public().into();
	let grandpa: GrandpaId = ed.public().into();
	GenesisValidator { account: sr.to_account_id(), keys: SessionKeys { babe, grandpa } }
}

/// `development`: Alice is the only validator and the sudo key; all dev accounts are endowed.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		1,
		// The shortest unbonding allowed: two sessions (two minutes).
		crate::validators::MinUnbondingPeriod::get(),
		Sr25519Keyring::iter().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		development_track_timings(),
		crate::evaluation::development_params(),
		crate::contributions::development_params(),
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate (GRANDPA with 4 voters tolerates one
/// down), and the set may not shrink below them; Alice is sudo; all dev accounts are endowed.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		// Four is the smallest GRANDPA set that keeps finalizing with one validator down.
		4,
		crate::validators::PRODUCTION_UNBONDING_PERIOD,
		Sr25519Keyring::iter().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		local_track_timings(),
		crate::evaluation::local_params(),
		crate::contributions::local_params(),
	)
}

/// Returns the JSON patch of the named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	// Serialising a `serde_json::Value` cannot fail.
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// Names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

/// The full genesis config of a preset: its patch merged over the default config, as the node's
/// genesis builder does it.
#[cfg(feature = "std")]
pub fn genesis_config_of(preset: &PresetId) -> Result<RuntimeGenesisConfig, String> {
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) =>
				for (k, v) in patch {
					merge(base.entry(k).or_insert(Value::Null), v);
				},
			(base, patch) => *base = patch,
		}
	}
	let patch = get_preset(preset).ok_or("unknown preset")?;
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).map_err(|e| e.to_string())?;
	merge(&mut config, serde_json::from_slice(&patch).map_err(|e| e.to_string())?);
	serde_json::from_value(config).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::BuildStorage;

	/// Every preset must turn into a valid genesis state: a misspelt or stale key would otherwise
	/// only show up when a node starts.
	#[test]
	fn every_preset_builds_genesis_storage() {
		for name in preset_names() {
			let config = genesis_config_of(&name)
				.unwrap_or_else(|e| panic!("preset {name:?} does not deserialize: {e}"));
			config.build_storage().unwrap_or_else(|e| panic!("preset {name:?}: {e}"));
		}
	}

	#[test]
	fn local_testnet_has_four_authorities_and_dev_has_one() {
		for (preset, expected) in [(DEV_PRESET, 1), (LOCAL_PRESET, 4)] {
			let config = genesis_config_of(&preset.into()).unwrap();
			// The authorities come from the session genesis, not BABE's or GRANDPA's own lists.
			assert!(config.babe.authorities.is_empty() && config.grandpa.authorities.is_empty());
			assert_eq!(config.session.keys.len(), expected);
			assert_eq!(config.validator_set.validators.len(), expected);
			assert_eq!(config.validator_set.params.min_validators, expected as u32);
			sp_io::TestExternalities::new(config.build_storage().unwrap()).execute_with(|| {
				assert_eq!(pallet_babe::Authorities::<crate::Runtime>::get().len(), expected);
				assert_eq!(crate::Grandpa::grandpa_authorities().len(), expected);
				assert_eq!(pallet_session::Validators::<crate::Runtime>::get().len(), expected);
			});
		}
		assert!(get_preset(&"no-such-preset".into()).is_none());
	}

	const DEV_PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
	const LOCAL_PRESET: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
}
