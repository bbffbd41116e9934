//! # Perspective runtime
//!
//! The state transition function of the Perspective chain. This crate composes the FRAME pallets
//! (system, consensus, balances, fees, scheduling and, in later releases, Perspective's own
//! governance, evaluation and contribution pallets) into one runtime that compiles to WASM.
//!
//! Layout:
//! - [`configs`]: the `Config` implementation of every pallet;
//! - [`apis`]: the runtime APIs the node and clients (polkadot.js) call;
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets;
//! - [`governance`]: reputation, referenda, the council and their origins;
//! - [`validators`]: sessions and the governed validator set.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-style macros expand to a lot of code.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

// Declared before `apis`: it defines the `list_benchmarks!`/`add_benchmarks!` macros `apis` uses.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod contributions;
pub mod evaluation;
pub mod genesis_config_presets;
pub mod governance;
pub mod randomness;
pub mod validators;
pub mod weights;
#[cfg(test)]
mod test_utils;
#[cfg(test)]
mod tests;

extern crate alloc;

use alloc::vec::Vec;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Native token metadata, shown by wallets (chain spec `properties`).
pub mod token {
	/// Display name of the native token.
	pub const NAME: &str = "Perspective";
	/// Ticker symbol of the native token.
	pub const SYMBOL: &str = "PRSP";
	/// Number of decimals: one PRSP is `10^12` plancks.
	pub const DECIMALS: u8 = 12;
	/// SS58 address prefix (42: the generic Substrate prefix, `5...` addresses).
	pub const SS58_PREFIX: u16 = 42;
}

/// Balance denominations.
pub mod currency {
	use super::Balance;

	/// One whole token (10^12 plancks).
	pub const UNIT: Balance = 1_000_000_000_000;
	/// 10^-3 of a token.
	pub const MILLI_UNIT: Balance = 1_000_000_000;
	/// 10^-6 of a token.
	pub const MICRO_UNIT: Balance = 1_000_000;
	/// Minimum balance an account must hold to exist. Accounts below it are reaped, which keeps
	/// state bloat from dust accounts in check.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

	/// Deposit for storing `items` items of `bytes` bytes in total: pays for the state they occupy.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		(items as Balance) * 20 * UNIT / 100 + (bytes as Balance) * 100 * MICRO_UNIT
	}
}

/// Block time and derived durations.
pub mod time {
	use super::BlockNumber;

	/// Target block time. BABE authors (at most) one block per slot, and with secondary slots
	/// every slot has an author, so the block time is the slot duration.
	/// NOTE: it cannot change once the chain has started: that would brick block production.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// BABE slot duration in milliseconds.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
	/// Slots per BABE epoch, and so per session: one minute. Like the slot duration it cannot
	/// change once the chain has started.
	pub const EPOCH_DURATION_IN_SLOTS: u64 = 10;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// Opaque types used by the node, which must not depend on the runtime's concrete call types.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: BABE (block authoring, VRF) and GRANDPA (finality).
	pub struct SessionKeys {
		pub babe: Babe,
		pub grandpa: Grandpa,
	}
}

/// Runtime version. Bump `spec_version` on every change of runtime logic and
/// `transaction_version` whenever the encoding of calls or extensions changes.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("perspective"),
	impl_name: alloc::borrow::Cow::Borrowed("perspective-node"),
	authoring_version: 1,
	spec_version: 105,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 4,
	system_version: 1,
};

/// Block number type.
pub type BlockNumber = u32;
/// Signature type: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// Account identifier: the public key of the signature scheme (32 bytes).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction counter of an account.
pub type Nonce = u32;
/// Hash type of the chain.
pub type Hash = sp_core::H256;
/// Address format used in calls (`MultiAddress` so polkadot.js needs no custom types).
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Signed block (a block with its justification).
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions checked on every signed transaction, in order.
/// Build a value with [`tx_extension`]; clients build theirs from the metadata.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The extensions of a signed transaction from an account at `nonce`, valid for `era`, with
/// `tip`, and no metadata-hash check: the one place that lists their values in order (the
/// runtime's tests and the fuzzer sign with it).
pub fn tx_extension(nonce: Nonce, era: generic::Era, tip: Balance) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(era),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(tip),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on the next runtime upgrade, besides the pallets' own.
#[allow(unused_parens)]
type Migrations = ();

/// Dispatches calls to the pallets and runs their hooks.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

// Pallet indices are part of the transaction encoding: never reorder or reuse them.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Block authoring by VRF lottery (primary slots) with round-robin secondary slots; its VRF
	/// outputs are the chain's randomness. Declared before every pallet whose hook needs the
	/// current slot (the validator set ends sessions when BABE's epoch is over).
	/// (Index 2 held Aura before the switch to BABE, which needed a new genesis.)
	#[runtime::pallet_index(2)]
	pub type Babe = pallet_babe;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// Superuser for development and local testnets only; production chains govern instead.
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(8)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(9)]
	pub type Preimage = pallet_preimage;

	/// Non-transferable, decaying reputation.
	#[runtime::pallet_index(10)]
	pub type Reputation = pallet_reputation;

	/// Referendum lifecycle (tracks, curves, alarms) with the hybrid tally.
	#[runtime::pallet_index(11)]
	pub type Referenda = pallet_referenda;

	/// Token + reputation voting on referenda.
	#[runtime::pallet_index(12)]
	pub type HybridVoting = pallet_hybrid_voting;

	/// Governance-set tracks, council veto, deposit settlement.
	#[runtime::pallet_index(13)]
	pub type ReferendaAdmin = pallet_referenda_admin;

	/// Fast track for council-whitelisted calls.
	#[runtime::pallet_index(14)]
	pub type Whitelist = pallet_whitelist;

	/// The general council: members, motions, votes.
	#[runtime::pallet_index(15)]
	pub type Council = pallet_collective<Instance1>;

	/// Elections of the general council.
	#[runtime::pallet_index(16)]
	pub type CouncilElections = pallet_council_elections;

	/// Origins of referendum tracks.
	#[runtime::pallet_index(17)]
	pub type Origins = governance::origins;

	/// Commit-reveal peer evaluation of AI outputs.
	#[runtime::pallet_index(18)]
	pub type Evaluation = pallet_evaluation;

	/// Contribution registry, scores, epoch reward pools and claims.
	#[runtime::pallet_index(19)]
	pub type Contributions = pallet_contributions;

	/// The governed validator set: applications, approvals, removals, bonds.
	/// Declared before `Session`: its genesis provides the first session's validators.
	#[runtime::pallet_index(20)]
	pub type ValidatorSet = pallet_validator_set;

	/// Sessions: rotates the BABE and GRANDPA authorities to the approved set.
	#[runtime::pallet_index(21)]
	pub type Session = pallet_session;

	/// The author of the current block (from BABE's pre-digest), for offence reports.
	#[runtime::pallet_index(22)]
	pub type Authorship = pallet_authorship;

	/// Offences reported by the nodes (BABE and GRANDPA equivocations), handed to the
	/// validator set, which slashes and disables the offender.
	#[runtime::pallet_index(23)]
	pub type Offences = pallet_offences;

	/// Roots of past sessions' validator sets: proves who held a key when an offence happened.
	#[runtime::pallet_index(24)]
	pub type Historical = pallet_session::historical;
}
