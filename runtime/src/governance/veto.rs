//! What a referendum proposal dispatches, for the council veto's cool-off (review L-2).
//!
//! `referendaAdmin.veto` bars the vetoed proposal's hash and the hash of every *leaf* call it
//! dispatches; the call filter [`super::NotVetoed`] refuses `referenda.submit` of a proposal with
//! a barred leaf, so `utility.batchAll([vetoed])`, `scheduler.schedule(.., vetoed)` and the like
//! no longer dodge the 28-day cool-off.
//!
//! [`RuntimeWrappers`] lists every call of this runtime that dispatches another call. **A new
//! pallet with such a call (a proxy, a multisig...) must be added here**, or wrapping a vetoed
//! call in it dodges the cool-off.

use crate::{Preimage, RuntimeCall};
use alloc::vec;
use frame_support::traits::ConstU32;
use pallet_referenda_admin::{CallWrappers, UnwrapCalls, Wrapped};
use sp_runtime::traits::BlakeTwo256;

/// Wrapper calls nest at most this deep (`batchAll([dispatchAs(.., batch([schedule(C)]))])`
/// reaches `C` at depth 4).
pub const MAX_DEPTH: u32 = 4;
/// At most this many calls (wrappers and leaves, repeats included) are visited per proposal.
pub const MAX_CALLS: u32 = 64;
/// At most this many preimage bytes are read and decoded per proposal (all its preimages
/// together): 16 KiB. Larger proposals (a `system.setCode` with the whole runtime) cannot be
/// submitted; upgrade with `system.authorizeUpgrade(code_hash)` (32 bytes), then
/// `system.applyAuthorizedUpgrade(code)`.
pub const MAX_PREIMAGE_BYTES: u32 = 16 * 1024;
/// A veto bars at most this many leaf calls besides the proposal itself; a proposal with more
/// distinct leaf calls cannot be submitted.
pub const MAX_LEAF_CALLS: u32 = 16;

/// The leaf calls of a proposal, for `pallet_referenda_admin::Config::ProposalCalls`.
pub type ProposalCalls = UnwrapCalls<
	RuntimeCall,
	BlakeTwo256,
	Preimage,
	RuntimeWrappers,
	ConstU32<MAX_DEPTH>,
	ConstU32<MAX_CALLS>,
	ConstU32<MAX_PREIMAGE_BYTES>,
>;

/// Every call of this runtime that dispatches other calls.
pub struct RuntimeWrappers;

impl CallWrappers<RuntimeCall, BlakeTwo256> for RuntimeWrappers {
	fn wrapped(call: &RuntimeCall) -> Wrapped<'_, RuntimeCall, BlakeTwo256> {
		use pallet_scheduler::Call as Scheduler;
		use pallet_sudo::Call as Sudo;
		use pallet_utility::Call as Utility;
		use pallet_whitelist::Call as Whitelist;
		match call {
			RuntimeCall::Utility(
				Utility::batch { calls } |
				Utility::batch_all { calls } |
				Utility::force_batch { calls },
			) => Wrapped::Calls(calls.iter().collect()),
			RuntimeCall::Utility(
				Utility::as_derivative { call, .. } |
				Utility::dispatch_as { call, .. } |
				Utility::dispatch_as_fallible { call, .. } |
				Utility::with_weight { call, .. },
			) => Wrapped::Calls(vec![&**call]),
			RuntimeCall::Utility(Utility::if_else { main, fallback }) =>
				Wrapped::Calls(vec![&**main, &**fallback]),
			RuntimeCall::Scheduler(
				Scheduler::schedule { call, .. } |
				Scheduler::schedule_named { call, .. } |
				Scheduler::schedule_after { call, .. } |
				Scheduler::schedule_named_after { call, .. },
			) => Wrapped::Calls(vec![&**call]),
			RuntimeCall::Sudo(
				Sudo::sudo { call } |
				Sudo::sudo_unchecked_weight { call, .. } |
				Sudo::sudo_as { call, .. },
			) => Wrapped::Calls(vec![&**call]),
			RuntimeCall::Whitelist(Whitelist::dispatch_whitelisted_call_with_preimage { call }) =>
				Wrapped::Calls(vec![&**call]),
			RuntimeCall::Whitelist(Whitelist::dispatch_whitelisted_call {
				call_hash,
				call_encoded_len,
				..
			}) => Wrapped::Preimage { hash: *call_hash, len: Some(*call_encoded_len) },
			// A council motion (reachable through `utility.dispatchAs` a member).
			RuntimeCall::Council(
				pallet_collective::Call::propose { proposal, .. } |
				pallet_collective::Call::execute { proposal, .. },
			) => Wrapped::Calls(vec![&**proposal]),
			// A referendum submitted by a proposal (through `utility.dispatchAs` a signed
			// origin, which bypasses the call filter) dispatches its own proposal later.
			RuntimeCall::Referenda(pallet_referenda::Call::submit { proposal, .. }) =>
				Wrapped::Bounded(proposal),
			_ => Wrapped::Leaf,
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn batch(calls: alloc::vec::Vec<RuntimeCall>) -> RuntimeCall {
		RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn leaf(index: u32, len: u32) -> RuntimeCall {
		let mut remark = index.to_le_bytes().to_vec();
		remark.resize((len as usize).max(4), 0);
		RuntimeCall::System(frame_system::Call::remark { remark })
	}
}
