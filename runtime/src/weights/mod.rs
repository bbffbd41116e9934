//! Weights of reused polkadot-sdk pallets, measured in this runtime on the project's machines
//! with `scripts/benchmark.sh <pallet> runtime/src/weights/<pallet>.rs` (not hand-written).
//! Perspective's own pallets keep their generated `weights.rs` in their crates.
//!
//! `block_weights.rs` (an empty block) and `extrinsic_weights.rs` (the base cost of any
//! extrinsic) come from `scripts/benchmark.sh --overhead`; `frame_system_extensions.rs` and
//! `pallet_transaction_payment.rs` weigh the transaction extensions every signed call runs.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_transaction_payment;
pub mod pallet_balances;
pub mod pallet_collective;
pub mod pallet_whitelist;
pub mod pallet_referenda;
pub mod equivocation;

use frame_support::{traits::Get, weights::Weight};

/// The measured transaction-extension weights, plus the one storage read their benchmark does
/// not count: a mortal transaction's `CheckMortality` reads the `System::BlockHash` of its
/// birth block, but `frame-system-benchmarking` whitelists that key (so the generated
/// `check_mortality_mortal_transaction` shows no read). polkadot.js signs mortal transactions by
/// default, so every such transaction pays for the read here: one `DbWeight` read and the
/// proof of one `BlockHash` entry ([`BLOCK_HASH_PROOF`]).
pub struct SystemExtensionsWeight<T>(core::marker::PhantomData<T>);

/// Proof size of one `System::BlockHash` entry as the benchmarks count a read: its
/// `MaxEncodedLen` (a `Twox64Concat` u32 key, 12 bytes, and a 32-byte hash) plus 2,475 bytes of
/// trie nodes (`added: 2519`) plus 990 for two additional trie layers (the benchmark CLI's
/// default): 3,509, as upstream's generated weight for this read shows.
pub const BLOCK_HASH_PROOF: u64 = 12 + 32 + 2_475 + 990;

impl<T: ::frame_system::Config> ::frame_system::ExtensionsWeightInfo for SystemExtensionsWeight<T> {
	fn check_genesis() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_genesis()
	}
	fn check_mortality_mortal_transaction() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_mortality_mortal_transaction()
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(Weight::from_parts(0, BLOCK_HASH_PROOF))
	}
	fn check_mortality_immortal_transaction() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_mortality_immortal_transaction()
	}
	fn check_non_zero_sender() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_non_zero_sender()
	}
	fn check_nonce() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_nonce()
	}
	fn check_spec_version() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_spec_version()
	}
	fn check_tx_version() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_tx_version()
	}
	fn check_weight() -> Weight {
		frame_system_extensions::WeightInfo::<T>::check_weight()
	}
	fn weight_reclaim() -> Weight {
		frame_system_extensions::WeightInfo::<T>::weight_reclaim()
	}
}
