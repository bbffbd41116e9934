//! Helpers shared by the runtime integration tests (`*/tests.rs`).

use crate::{
	genesis_config_presets::genesis_config_of, AccountId, Balance, Balances, BlockNumber,
	BuildStorage, RuntimeOrigin, System,
};
use frame_support::traits::fungible::Inspect;
use sp_keyring::Sr25519Keyring;

/// Genesis state of the named preset (`development`, `local_testnet`) at block 1.
pub fn externalities(preset: &str) -> sp_io::TestExternalities {
	let config = genesis_config_of(&preset.into()).expect("the preset deserializes");
	let mut ext: sp_io::TestExternalities =
		config.build_storage().expect("the preset builds").into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The development chain's genesis state at block 1.
pub fn dev_externalities() -> sp_io::TestExternalities {
	externalities(sp_genesis_builder::DEV_RUNTIME_PRESET)
}

pub fn acc(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

pub fn signed(k: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(acc(k))
}

/// Spendable balance (free, not held or frozen aside).
pub fn free(k: Sr25519Keyring) -> Balance {
	Balances::balance(&acc(k))
}

/// Advances block by block to `n`, running `hooks(block)` for each new block (the hooks of the
/// pallets a test exercises).
pub fn run_to(n: BlockNumber, hooks: impl Fn(BlockNumber)) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		hooks(next);
	}
}
