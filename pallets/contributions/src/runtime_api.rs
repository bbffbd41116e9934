//! Runtime API to read rewards, contributions, lineage and epochs from outside the runtime
//! (polkadot.js: `api.call.contributionsApi.pendingRewards(who)`; the node also serves
//! `contributions_pendingRewards` over JSON-RPC).

use crate::{ClosedEpoch, ContributionId, ContributionInfo, EpochIndex, EpochState, PendingRewards};
use alloc::vec::Vec;
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Reads contribution accounting state at a block.
	///
	/// Version 2 added `registration_commitment` (two-phase registration).
	#[api_version(2)]
	pub trait ContributionsApi<AccountId, Balance, BlockNumber> where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// What `who` can claim now, and the points it earned in the open epoch.
		fn pending_rewards(who: AccountId) -> PendingRewards<Balance>;
		/// A contribution's record: owner, kind, content, parents, deposit, status.
		fn contribution(id: ContributionId) -> Option<ContributionInfo<AccountId, Balance, BlockNumber>>;
		/// A contribution's ancestors, breadth first, each with its generation (1 = parent), up
		/// to `max_depth` generations (at most 16) and 1,024 entries.
		fn lineage(id: ContributionId, max_depth: u32) -> Vec<(ContributionId, u32)>;
		/// The open epoch: index, start, end and points earned so far per pool.
		fn current_epoch() -> Option<EpochState<BlockNumber>>;
		/// A closed epoch: points, rewards minted and reward per point per pool.
		fn closed_epoch(index: EpochIndex) -> Option<ClosedEpoch<Balance, BlockNumber>>;
		/// The commitment `owner` submits with `commitRegistration` before registering
		/// `content_hash` with `salt` (computes the hash only; nothing is stored). Ask your own
		/// node: the salt must stay secret until `register`.
		#[api_version(2)]
		fn registration_commitment(content_hash: H256, owner: AccountId, salt: [u8; 32]) -> H256;
	}
}
