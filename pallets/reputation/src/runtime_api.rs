//! Runtime API to read decayed reputation from outside the runtime (polkadot.js:
//! `api.call.reputationApi.reputationOf(who)`).

use perspective_primitives::ReputationScore;

sp_api::decl_runtime_apis! {
	/// Reads an account's reputation and the total, both with decay applied at the best block.
	pub trait ReputationApi<AccountId, BlockNumber> where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// `who`'s reputation now (decayed, rounded down).
		fn reputation_of(who: AccountId) -> ReputationScore;
		/// The sum of all reputation now (decayed, rounded up); at least any account's score.
		fn total_reputation() -> ReputationScore;
		/// The half-life in blocks (zero: no decay).
		fn half_life() -> BlockNumber;
	}
}
