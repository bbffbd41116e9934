//! Runtime API for UIs: what an account has voted (polkadot.js:
//! `api.call.hybridVotingApi.votesOf(who)`).

use crate::VoteRecord;
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// Reads hybrid-voting records.
	pub trait HybridVotingApi<AccountId, Balance, PollIndex> where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		PollIndex: codec::Codec,
	{
		/// `who`'s recorded votes by poll (referendum) index, with the reputation counted.
		fn votes_of(who: AccountId) -> Vec<(PollIndex, VoteRecord<Balance>)>;
		/// The balance `who` has frozen for votes and conviction locks now.
		fn frozen_for_voting(who: AccountId) -> Balance;
	}
}
