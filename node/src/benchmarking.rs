//! `perspective-node benchmark ...`: measures pallet weights, storage and block costs and this
//! machine's hardware. Only built with `--features runtime-benchmarks`.

use crate::{cli::Cli, service};
use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
use perspective_runtime::opaque::Block;
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;

/// Runs a benchmark subcommand.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	// `benchmark pallet --runtime <wasm>` needs no chain spec, and the benchmarking node built by
	// scripts/benchmark.sh has no embedded runtime to build one from.
	match cmd {
		BenchmarkCmd::Pallet(pallet) if pallet.runtime.is_some() =>
			return pallet.run_with_spec::<sp_runtime::traits::HashingFor<Block>, ()>(None),
		// Builds blocks of `system.remark` from the runtime blob and a genesis preset: measures the
		// block execution weight (an empty block) and the extrinsic base weight.
		BenchmarkCmd::Overhead(overhead) if overhead.params.runtime.is_some() =>
			return overhead.run_with_default_builder_and_spec::<Block, ()>(None),
		_ => {},
	}
	let runner = cli.create_runner(cmd)?;
	match cmd {
		BenchmarkCmd::Pallet(cmd) => runner.sync_run(|config| {
			cmd.run_with_spec::<sp_runtime::traits::HashingFor<Block>, ()>(Some(
				config.chain_spec,
			))
		}),
		BenchmarkCmd::Block(cmd) => runner.sync_run(|config| {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			cmd.run(client)
		}),
		BenchmarkCmd::Storage(cmd) => runner.sync_run(|config| {
			let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_trie_cache = backend.expose_shared_trie_cache();
			cmd.run(config, client, db, storage, shared_trie_cache)
		}),
		BenchmarkCmd::Machine(cmd) =>
			runner.sync_run(|config| cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone())),
		BenchmarkCmd::Overhead(cmd) =>
			runner.sync_run(|config| cmd.run_with_default_builder_and_spec::<Block, ()>(Some(config.chain_spec))),
		BenchmarkCmd::Extrinsic(_) => Err(format!(
			"`benchmark extrinsic` is not wired into {}: use `benchmark pallet` for extrinsic \
			 weights and `benchmark overhead` for the extrinsic base weight.",
			Cli::impl_name()
		)
		.into()),
	}
}
