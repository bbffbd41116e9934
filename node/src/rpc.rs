//! The node's custom JSON-RPC methods, on top of the standard Substrate ones that `sc-service`
//! installs (chain, state, author, system, ...).

use std::sync::Arc;

use jsonrpsee::RpcModule;
use perspective_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
}

/// Builds the RPC extensions: `system_accountNextIndex` (nonce including pool),
/// `payment_queryInfo` / `payment_queryFeeDetails` (fee estimates) and
/// `contributions_pendingRewards` (claimable contribution rewards).
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ pallet_contributions_rpc::ContributionsRuntimeApi<Block, AccountId, Balance, BlockNumber>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_contributions_rpc::{Contributions, ContributionsApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Contributions::<C, (Block, Balance, BlockNumber)>::new(client).into_rpc())?;

	Ok(module)
}
