//! Weights of reused polkadot-sdk pallets, measured in this runtime on the project's machines
//! with `scripts/benchmark.sh <pallet> runtime/src/weights/<pallet>.rs` (not hand-written).
//! Perspective's own pallets keep their generated `weights.rs` in their crates.

pub mod pallet_balances;
pub mod pallet_collective;
pub mod pallet_whitelist;
pub mod pallet_referenda;
pub mod equivocation;
