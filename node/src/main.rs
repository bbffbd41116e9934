//! The Perspective node: a Substrate solochain node (Aura block authoring, GRANDPA finality,
//! ParityDB storage) serving the Perspective runtime over JSON-RPC.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;

fn main() -> sc_cli::Result<()> {
	command::run()
}
