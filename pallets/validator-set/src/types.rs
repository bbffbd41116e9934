//! Types stored by the validator-set pallet and returned by its runtime API.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Index of a session (pallet-session's `SessionIndex`).
pub type SessionIndex = u32;

/// Parameters governance sets with `set_params`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorSetParams<Balance, BlockNumber> {
	/// Smallest bond an operator may apply with.
	pub min_bond: Balance,
	/// The set never shrinks below this many validators (removal and resignation are refused).
	/// GRANDPA with `n` voters tolerates `⌊(n − 1) / 3⌋` faulty or offline ones, so `4` is the
	/// smallest set that survives one validator going down.
	pub min_validators: u32,
	/// Sessions a departing validator's bond stays held after it stopped validating, so
	/// governance can still slash it for what it did in its last sessions.
	pub unbonding_sessions: SessionIndex,
	/// Blocks per session. A set change is active two rotations after it is made.
	pub session_length: BlockNumber,
}

/// Where an operator is in its lifecycle.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum OperatorStatus {
	/// Applied, waiting for governance.
	Applied,
	/// Approved: in the validator set from the session after next.
	Validating,
	/// Removed or resigned; the bond can be withdrawn from session `withdrawable_from`.
	Unbonding { withdrawable_from: SessionIndex },
}

/// An operator: an applicant, a validator or a departed validator whose bond is still held.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Operator<Balance> {
	/// Held from the operator's account (hold reason `ValidatorSet::ValidatorBond`).
	pub bond: Balance,
	pub status: OperatorStatus,
}
