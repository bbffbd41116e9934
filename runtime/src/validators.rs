//! Consensus and validators: BABE authors blocks, GRANDPA finalizes them, pallet-session
//! rotates both authority sets to the governed validator set (`pallet-validator-set`), and
//! offences the nodes prove (BABE and GRANDPA equivocations) reach the validator set through
//! pallet-offences, with key-ownership proofs from pallet-session's historical module.
//!
//! One session is one BABE epoch (`EPOCH_DURATION_IN_SLOTS` = 10 slots, one minute): the
//! validator-set pallet's hook rotates the session when BABE's epoch is over, charging a
//! rotation's benchmarked weight (pallet-session's own hook would declare the whole block's
//! weight). Timeline of a change: governance approves (or removes) during session `s`; the
//! rotation at the end of `s` queues the new set; it authors and votes from session `s + 2`.

use crate::{
	currency::{deposit, UNIT},
	governance::ParameterOrigin,
	time::{DAYS, EPOCH_DURATION_IN_SLOTS, MILLI_SECS_PER_BLOCK},
	AccountId, Babe, Balance, Balances, BlockNumber, Historical, Offences, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, Session, SessionKeys, UncheckedExtrinsic, ValidatorSet,
};
use alloc::vec::Vec;
use frame_support::{parameter_types, traits::ConstU32};
use pallet_validator_set::ValidatorSetParams;
use sp_consensus_babe::{AllowedSlots, BabeEpochConfiguration};
use sp_runtime::{
	traits::{Convert, ConvertInto, OpaqueKeys},
	Perbill,
};

/// Most validators: BABE's and GRANDPA's `MaxAuthorities`.
pub const MAX_VALIDATORS: u32 = 32;

/// BABE's genesis epoch configuration: a slot has a primary author with probability 1/4 per
/// authority's VRF lottery (`c`), and every slot without one gets a secondary author, chosen
/// from the epoch randomness and proving its slot with a VRF too (so every block carries a VRF
/// output for the chain's randomness).
pub const BABE_GENESIS_EPOCH_CONFIG: BabeEpochConfiguration = BabeEpochConfiguration {
	c: (1, 4),
	allowed_slots: AllowedSlots::PrimaryAndSecondaryVRFSlots,
};

/// Sessions whose validator sets stay provable (their historical roots are kept): an
/// equivocation can be reported up to one day (of one-minute sessions) after it happened.
pub const OFFENCE_WINDOW_SESSIONS: u32 = 1_440;

parameter_types! {
	pub const EpochDuration: u64 = EPOCH_DURATION_IN_SLOTS;
	pub const ExpectedBlockTime: u64 = MILLI_SECS_PER_BLOCK;
	/// An equivocation report stays valid in the pool as long as the offence can be proven.
	pub const ReportLongevity: u64 = OFFENCE_WINDOW_SESSIONS as u64 * EPOCH_DURATION_IN_SLOTS;
	/// GRANDPA remembers the session of each authority set id for the same window.
	pub const MaxSetIdSessionEntries: u64 = OFFENCE_WINDOW_SESSIONS as u64;
	/// Held while an account has session keys registered: pays for their three storage entries
	/// (the keys, and one owner index per key).
	pub const SessionKeyDeposit: Balance = deposit(3, 96);
	/// The most governance may require as a validator bond: 10,000 PRSP, 10× the genesis
	/// minimum, so that operators can still apply.
	pub const ValidatorMaxMinBond: Balance = 10_000 * UNIT;
	/// A session lasts one epoch: at most `EPOCH_DURATION_IN_SLOTS` blocks (a block takes at
	/// least one slot).
	pub const MaxSessionBlocks: BlockNumber = EPOCH_DURATION_IN_SLOTS as BlockNumber;
	/// Unbonding of at least two sessions (20 blocks): what `--dev` uses. The production-like
	/// `local_testnet` preset unbonds for 28 days, longer than any governance path from a
	/// report to an enacted slash (see the validator-set README).
	pub const MinUnbondingPeriod: BlockNumber = 2 * EPOCH_DURATION_IN_SLOTS as BlockNumber;
	/// Unbonding of at most 28 days, so that governance cannot lock bonds for good.
	pub const MaxUnbondingPeriod: BlockNumber = 28 * DAYS;
	/// One `remove`, or one offence, burns at most half a bond.
	pub const MaxValidatorSlash: Perbill = Perbill::from_percent(50);
}

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ExpectedBlockTime;
	/// Epochs change when sessions rotate (pallet-session tells BABE the next authorities).
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	/// Blocks by a validator disabled for an offence are invalid.
	type DisabledValidators = Session;
	type WeightInfo = crate::weights::equivocation::ReportWeights<Runtime>;
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type MaxNominators = ConstU32<0>;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_babe::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::equivocation::ReportWeights<Runtime>;
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = MaxSetIdSessionEntries;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_authorship::Config for Runtime {
	/// The author's account, from BABE's authority index and pallet-session's validators.
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	type EventHandler = ();
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	/// The validator set slashes, disables and removes the offender.
	type OnOffenceHandler = ValidatorSet;
}

/// A validator is identified by its account alone: its bond is read from the validator set
/// when an offence is reported.
pub struct AccountIdentification;
impl Convert<AccountId, Option<()>> for AccountIdentification {
	fn convert(_validator: AccountId) -> Option<()> {
		Some(())
	}
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = AccountIdentification;
}

/// pallet-session's session manager: the validator set, with each session's validators noted in
/// the historical module (for key-ownership proofs) and roots older than
/// `OFFENCE_WINDOW_SESSIONS` pruned, one per session.
pub type SessionManager = pallet_session::historical::NoteHistoricalRoot<Runtime, ProvableSessions>;

/// The validator set as the historical module's session manager.
pub struct ProvableSessions;
impl pallet_session::SessionManager<AccountId> for ProvableSessions {
	fn new_session(index: u32) -> Option<Vec<AccountId>> {
		<ValidatorSet as pallet_session::SessionManager<AccountId>>::new_session(index)
	}
	fn new_session_genesis(index: u32) -> Option<Vec<AccountId>> {
		<ValidatorSet as pallet_session::SessionManager<AccountId>>::new_session_genesis(index)
	}
	fn end_session(index: u32) {
		<ValidatorSet as pallet_session::SessionManager<AccountId>>::end_session(index)
	}
	fn start_session(index: u32) {
		<ValidatorSet as pallet_session::SessionManager<AccountId>>::start_session(index);
		if let Some(oldest_kept) = index.checked_sub(OFFENCE_WINDOW_SESSIONS) {
			Historical::prune_up_to(oldest_kept);
		}
	}
}
impl pallet_session::historical::SessionManager<AccountId, ()> for ProvableSessions {
	fn new_session(index: u32) -> Option<Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<AccountId>>::new_session(index)
			.map(|validators| validators.into_iter().map(|v| (v, ())).collect())
	}
	fn new_session_genesis(index: u32) -> Option<Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<AccountId>>::new_session_genesis(index)
			.map(|validators| validators.into_iter().map(|v| (v, ())).collect())
	}
	fn start_session(index: u32) {
		<Self as pallet_session::SessionManager<AccountId>>::start_session(index)
	}
	fn end_session(index: u32) {
		<Self as pallet_session::SessionManager<AccountId>>::end_session(index)
	}
}

/// Equivocation reports are unsigned transactions the nodes build from their offchain context.
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Validators are identified by their account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	/// The validator-set pallet rotates sessions when BABE's epoch is over (module docs).
	type ShouldEndSession = pallet_validator_set::RotatedByValidatorSet;
	type NextSessionRotation = Babe;
	type SessionManager = SessionManager;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Offenders are disabled, at most a third of the set at once (GRANDPA needs two thirds).
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	/// pallet-session's own benchmarks need pallet-staking; its reference weights are used.
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_validator_set::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type KeysRegistry = Session;
	/// Sessions end with BABE's epochs.
	type Sessions = pallet_validator_set::SessionPallet<Runtime, Babe>;
	/// A council motion (half the council), a general-admin referendum, or root.
	type ManagerOrigin = ParameterOrigin;
	type ParamsOrigin = ParameterOrigin;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MaxApplicants = ConstU32<16>;
	type MaxMinBond = ValidatorMaxMinBond;
	type MaxSessionBlocks = MaxSessionBlocks;
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

/// Unbonding on the production-like `local_testnet` preset: 28 days, longer than the slowest
/// governance path from a report to an enacted slash (a runtime test checks it).
pub const PRODUCTION_UNBONDING_PERIOD: BlockNumber = 28 * DAYS;

/// Genesis parameters: a 1,000 PRSP minimum bond, released `unbonding_period` blocks after the
/// validator's last session; 10% of the bond burnt per proven offence; the set never goes
/// below `min_validators`.
pub fn genesis_params(
	min_validators: u32,
	unbonding_period: BlockNumber,
) -> ValidatorSetParams<Balance, BlockNumber> {
	ValidatorSetParams {
		min_bond: 1_000 * UNIT,
		min_validators,
		unbonding_period,
		offence_slash: Perbill::from_percent(10),
	}
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod offence_tests;
