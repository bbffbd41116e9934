//! The pallets whose weights the `benchmark pallet` command can measure in this runtime.

pub use frame_benchmarking::baseline::Pallet as BaselineBench;
pub use frame_system_benchmarking::{
	extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
};

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_babe, Babe]
	[pallet_grandpa, Grandpa]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_collective, Council]
	[pallet_whitelist, Whitelist]
	[pallet_reputation, Reputation]
	[pallet_hybrid_voting, HybridVoting]
	[pallet_referenda_admin, ReferendaAdmin]
	[pallet_council_elections, CouncilElections]
	[pallet_evaluation, Evaluation]
	[pallet_contributions, Contributions]
	[pallet_validator_set, ValidatorSet]
);
