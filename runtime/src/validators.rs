//! Validators: pallet-session drives the Aura and GRANDPA authority sets from the governed
//! validator set (`pallet-validator-set`), configured for this runtime.
//!
//! Timeline of a change: governance approves (or removes) during session `s`; the rotation at
//! the end of `s` queues the new set; it authors and votes from session `s + 2`. The validator-set
//! pallet rotates sessions every `session_length` blocks (a governance parameter) from its hook,
//! charging a rotation's benchmarked weight; pallet-session never ends a session by itself
//! (its own hook would declare the whole block's weight for every rotation block). The presets
//! use short sessions (`SESSION_LENGTH`): a rotation without a change costs a few storage
//! accesses, and the delay from a governance decision to the new set stays at ~2 minutes.

use crate::{
	currency::{deposit, UNIT},
	governance::ParameterOrigin,
	time::DAYS,
	AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, RuntimeHoldReason, Session,
	SessionKeys, ValidatorSet,
};
use frame_support::{parameter_types, traits::ConstU32};
use pallet_validator_set::ValidatorSetParams;
use sp_runtime::{
	traits::{ConvertInto, OpaqueKeys},
	Perbill,
};

/// Blocks per session in the genesis presets (one minute at 6-second blocks).
pub const SESSION_LENGTH: BlockNumber = 10;
/// Most validators: the Aura and GRANDPA `MaxAuthorities`.
pub const MAX_VALIDATORS: u32 = 32;

parameter_types! {
	/// Held while an account has session keys registered: pays for their three storage entries
	/// (the keys, and one owner index per key).
	pub const SessionKeyDeposit: Balance = deposit(3, 96);
	/// The most governance may require as a validator bond: 10,000 PRSP, 10× the genesis
	/// minimum, so that operators can still apply.
	pub const ValidatorMaxMinBond: Balance = 10_000 * UNIT;
	/// Sessions of at least `SESSION_LENGTH` (10 blocks, one minute): each rotation costs a
	/// benchmarked `rotate_session`.
	pub const MinSessionLength: BlockNumber = SESSION_LENGTH;
	/// Sessions of at most one day: a set change (the removal of a misbehaving validator too)
	/// is active two rotations after it is made, so within two days.
	pub const MaxSessionLength: BlockNumber = DAYS;
	/// Unbonding of at least two sessions of the genesis length (20 blocks), what the presets
	/// use; see the validator-set README on why this is short (finding M-3).
	pub const MinUnbondingPeriod: BlockNumber = 2 * SESSION_LENGTH;
	/// Unbonding of at most 28 days, so that governance cannot lock bonds for good.
	pub const MaxUnbondingPeriod: BlockNumber = 28 * DAYS;
	/// One `remove` burns at most half a bond.
	pub const MaxValidatorSlash: Perbill = Perbill::from_percent(50);
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Validators are identified by their account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	/// The validator-set pallet rotates sessions (see the module docs).
	type ShouldEndSession = pallet_validator_set::RotatedByValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// No offence reporting: misbehaving validators are removed (and slashed) by governance.
	type DisablingStrategy = ();
	/// pallet-session's own benchmarks need pallet-staking; its reference weights are used.
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_validator_set::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type KeysRegistry = Session;
	type Sessions = pallet_validator_set::SessionPallet<Runtime>;
	/// A council motion (half the council), a general-admin referendum, or root.
	type ManagerOrigin = ParameterOrigin;
	type ParamsOrigin = ParameterOrigin;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MaxApplicants = ConstU32<16>;
	type MaxMinBond = ValidatorMaxMinBond;
	type MinSessionLength = MinSessionLength;
	type MaxSessionLength = MaxSessionLength;
	type MinUnbondingPeriod = MinUnbondingPeriod;
	type MaxUnbondingPeriod = MaxUnbondingPeriod;
	type MaxSlash = MaxValidatorSlash;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ValidatorSetBenchmarkHelper;
}

/// Registers real session keys (generated in the benchmark's keystore, with their proof).
#[cfg(feature = "runtime-benchmarks")]
pub struct ValidatorSetBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for ValidatorSetBenchmarkHelper {
	fn register_session_keys(who: &AccountId) {
		use codec::Encode;
		let generated = SessionKeys::generate(&who.encode(), None);
		pallet_session::Pallet::<Runtime>::set_keys(
			crate::RuntimeOrigin::signed(who.clone()),
			generated.keys,
			generated.proof.encode(),
		)
		.expect("the benchmark account can pay the key deposit");
	}
}

/// Genesis parameters: a 1,000 PRSP minimum bond, released 2 sessions after the validator
/// left; `SESSION_LENGTH`-block sessions; the set never goes below `min_validators`.
pub fn genesis_params(min_validators: u32) -> ValidatorSetParams<Balance, BlockNumber> {
	ValidatorSetParams {
		min_bond: 1_000 * UNIT,
		min_validators,
		unbonding_sessions: 2,
		session_length: SESSION_LENGTH,
	}
}

#[cfg(test)]
mod tests;
