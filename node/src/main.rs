//! The Perspective node: a Substrate solochain node (BABE block authoring, GRANDPA finality,
//! ParityDB storage) serving the Perspective runtime over JSON-RPC.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod equivocation;
mod ports;
mod rpc;
mod service;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;

fn main() {
	// Print errors with their `Display` text (what went wrong and how to fix it), not `Debug`.
	if let Err(error) = command::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
