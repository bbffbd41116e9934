//! JSON-RPC for contribution rewards: `contributions_pendingRewards(account, at?)` answers from
//! the runtime API `ContributionsApi::pending_rewards` at the best block (or `at`), so the RPC
//! and `api.call.contributionsApi.pendingRewards` always agree.
//!
//! Balances and points are decimal strings: they are 128-bit and JavaScript numbers are not.

use std::sync::Arc;

use codec::Codec;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObject};
use pallet_contributions::{EpochIndex, PerPool};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::{Block as BlockT, MaybeDisplay};

pub use pallet_contributions::runtime_api::ContributionsApi as ContributionsRuntimeApi;

/// An account's rewards, as the RPC returns them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RpcPendingRewards {
	/// Claimable now (planck, decimal).
	pub claimable: String,
	/// The open epoch.
	pub epoch: EpochIndex,
	/// Points earned in the open epoch per pool (decimal), claimable once it closes.
	pub points_this_epoch: PerPool<String>,
}

#[rpc(client, server)]
pub trait ContributionsApi<BlockHash, AccountId> {
	/// What `who` can claim now and the points it earned in the open epoch.
	#[method(name = "contributions_pendingRewards")]
	fn pending_rewards(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<RpcPendingRewards>;
}

/// Serves [`ContributionsApiServer`] from a client's runtime API.
pub struct Contributions<C, Block> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<Block>,
}

impl<C, Block> Contributions<C, Block> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

/// The runtime API call failed (e.g. unknown block, runtime without the API).
pub const RUNTIME_ERROR: i32 = 1;

impl<C, Block, AccountId, Balance, BlockNumber> ContributionsApiServer<<Block as BlockT>::Hash, AccountId>
	for Contributions<C, (Block, Balance, BlockNumber)>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ContributionsRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	AccountId: Codec + Send + Sync + 'static,
	Balance: Codec + MaybeDisplay + Send + Sync + 'static,
	BlockNumber: Codec + Send + Sync + 'static,
{
	fn pending_rewards(&self, who: AccountId, at: Option<Block::Hash>) -> RpcResult<RpcPendingRewards> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let pending = self.client.runtime_api().pending_rewards(at, who).map_err(|e| {
			ErrorObject::owned(RUNTIME_ERROR, "Unable to query pending rewards.", Some(e.to_string()))
		})?;
		let points = pending.points_this_epoch;
		Ok(RpcPendingRewards {
			claimable: pending.claimable.to_string(),
			epoch: pending.epoch,
			points_this_epoch: PerPool {
				dataset: points.dataset.to_string(),
				model: points.model.to_string(),
				code: points.code.to_string(),
				documentation: points.documentation.to_string(),
				other: points.other.to_string(),
				participation: points.participation.to_string(),
			},
		})
	}
}
