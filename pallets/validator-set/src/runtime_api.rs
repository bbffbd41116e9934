//! Runtime API of the validator set, for clients (polkadot.js `api.call.validatorSetApi.*`).

use crate::types::{Operator, SessionIndex};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Who validates, who applied, and where each operator stands.
	pub trait ValidatorSetApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The approved validator set: the set pallet-session uses from the session after the
		/// next rotation (the validators authoring now are `session.validators`).
		fn approved_validators() -> Vec<AccountId>;
		/// An operator's bond and status, if it applied and has not withdrawn its bond.
		fn operator(who: AccountId) -> Option<Operator<Balance, BlockNumber>>;
		/// The session the chain is in now.
		fn current_session() -> SessionIndex;
	}
}
