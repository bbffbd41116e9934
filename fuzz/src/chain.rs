//! The chain the fuzzer drives: the development genesis plus funded fuzz accounts, and blocks
//! produced natively through `Executive` (BABE secondary pre-digest, timestamp), so every hook
//! runs: draws, settlements, epochs, elections, session rotations.

use perspective_runtime::{
	genesis_config_presets::genesis_config_of, AccountId, Babe, Balance, BuildStorage, Executive,
	Header, Runtime, RuntimeOrigin, Session, System, Timestamp,
};
use sp_consensus_babe::{
	digests::{CompatibleDigestItem, PreDigest, SecondaryPlainPreDigest},
	AuthorityIndex,
};
use sp_runtime::{traits::Header as _, Digest, DigestItem};
use std::sync::OnceLock;

/// Accounts the steps act from: `FUZZ_ACCOUNTS` fresh accounts funded at genesis.
pub const FUZZ_ACCOUNTS: u8 = 24;
/// What each fuzz account holds at genesis: 1,000,000 PRSP, except the last two (poor).
pub const RICH: Balance = 1_000_000 * perspective_runtime::currency::UNIT;

pub fn account(i: u8) -> AccountId {
	let mut raw = [0u8; 32];
	raw[..8].copy_from_slice(b"prspfuzz");
	raw[31] = i;
	AccountId::from(raw)
}

fn genesis() -> &'static sp_runtime::Storage {
	static GENESIS: OnceLock<sp_runtime::Storage> = OnceLock::new();
	GENESIS.get_or_init(|| {
		let mut config = genesis_config_of(&sp_genesis_builder::DEV_RUNTIME_PRESET.into())
			.expect("the development preset deserializes");
		for i in 0..FUZZ_ACCOUNTS {
			let amount = if i + 2 >= FUZZ_ACCOUNTS { 200 * perspective_runtime::currency::UNIT } else { RICH };
			config.balances.balances.push((account(i), amount));
		}
		config.build_storage().expect("the genesis builds")
	})
}

/// Fresh externalities at genesis, at block 1 as the node starts (call [`next_block`] to open
/// block 2, the first block of BABE's epoch 0).
pub fn new_chain() -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities = genesis().clone().into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Finishes the open block (if any) and opens the next, one slot later, authored by the next
/// enabled authority in turn, with the slot's timestamp set. Returns the new block number.
pub fn next_block() -> u32 {
	let parent_hash = if pallet_babe_initialized() {
		Executive::finalize_block().hash()
	} else {
		System::parent_hash()
	};
	let slot = Babe::current_slot() + 1;
	let disabled = Session::disabled_validators();
	let authors: Vec<AuthorityIndex> = (0..Session::validators().len() as AuthorityIndex)
		.filter(|i| !disabled.contains(i))
		.collect();
	let author = authors.get((*slot % authors.len().max(1) as u64) as usize).copied().unwrap_or(0);
	let header = Header::new(
		System::block_number() + 1,
		Default::default(),
		Default::default(),
		parent_hash,
		Digest {
			logs: vec![DigestItem::babe_pre_digest(PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
				authority_index: author,
				slot,
			}))],
		},
	);
	let _ = Executive::initialize_block(&header);
	Timestamp::set(RuntimeOrigin::none(), *slot * Babe::slot_duration()).expect("the timestamp inherent");
	System::block_number()
}

fn pallet_babe_initialized() -> bool {
	frame_support::storage::unhashed::exists(&frame_support::storage::storage_prefix(b"Babe", b"Initialized"))
}

/// The runtime type, for generic calls.
pub type R = Runtime;
