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
