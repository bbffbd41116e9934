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
	AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent, RuntimeHoldReason, Session,
	SessionKeys, ValidatorSet,
};
use frame_support::{parameter_types, traits::ConstU32};
use pallet_validator_set::ValidatorSetParams;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

/// Blocks per session in the genesis presets (one minute at 6-second blocks).
pub const SESSION_LENGTH: BlockNumber = 10;
/// Most validators: the Aura and GRANDPA `MaxAuthorities`.
pub const MAX_VALIDATORS: u32 = 32;

parameter_types! {
	/// Held while an account has session keys registered: pays for their three storage entries
	/// (the keys, and one owner index per key).
	pub const SessionKeyDeposit: Balance = deposit(3, 96);
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
