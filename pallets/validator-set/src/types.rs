//! Types stored by the validator-set pallet and returned by its runtime API.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::Perbill;

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
	/// Blocks a departing validator's bond stays held after the last block it could have
	/// validated in, so that offences it committed can still be reported and governance can
	/// still slash it. At least the longest path from a report to an enacted slash.
	pub unbonding_period: BlockNumber,
	/// Share of the bond burnt when the chain reports an offence (a BABE or GRANDPA
	/// equivocation) by the operator; at most once per operator and session.
	pub offence_slash: Perbill,
}

/// Where an operator is in its lifecycle.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum OperatorStatus<BlockNumber> {
	/// Applied, waiting for governance.
	Applied,
	/// Approved: in the validator set from the session after next.
	Validating,
	/// Removed or resigned; the bond can be withdrawn from block `withdrawable_at`.
	Unbonding { withdrawable_at: BlockNumber },
}

/// An operator: an applicant, a validator or a departed validator whose bond is still held.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Operator<Balance, BlockNumber> {
	/// Held from the operator's account (hold reason `ValidatorSet::ValidatorBond`).
	pub bond: Balance,
	pub status: OperatorStatus<BlockNumber>,
	/// The session of the last offence the chain punished it for (one slash per session).
	pub last_offence: Option<SessionIndex>,
}
