//! Contribution accounting: registry with lineage, evaluation-backed scores, epoch reward pools
//! with royalties and O(1) claims (`pallet-contributions`), configured for this runtime.

use crate::{
	currency::{MILLI_UNIT, UNIT},
	governance::ParameterOrigin,
	time::{DAYS, HOURS},
	Balance, Balances, BlockNumber, Evaluation, Reputation, Runtime, RuntimeHoldReason,
};
use alloc::{vec, vec::Vec};
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use pallet_contributions::{ContributionParams, PerPool};
use sp_runtime::Perbill;

parameter_types! {
	pub const ContributionsPalletId: PalletId = PalletId(*b"prsp/ctb");
	/// The most this pallet mints per epoch, whatever governance decides: 1,000 PRSP, the
	/// genesis emission of both presets, about 0.007% of their 14M PRSP genesis issuance.
	/// Epochs last at least `MinEpochLength` (10 blocks), so minting never exceeds 100 PRSP per
	/// block (the `development` rate). On `local_testnet` (1-hour epochs) governance can only
	/// lower the emission or shorten epochs down to that rate; a production network should set
	/// a lower cap or a longer `MinEpochLength`.
	pub const MaxEpochEmission: Balance = 1_000 * UNIT;
	/// Shortest epoch: 10 blocks (one minute, the `development` preset). Each epoch writes one
	/// `ClosedEpochs` entry.
	pub const MinEpochLength: BlockNumber = 10;
	/// Longest epoch: 30 days (rewards become claimable when an epoch closes).
	pub const MaxEpochLength: BlockNumber = 30 * DAYS;
	/// The largest deposit a registration may cost: 1,000 PRSP (genesis: at most 22.8 PRSP).
	pub const MaxContributionDeposit: Balance = 1_000 * UNIT;
	/// The largest evaluation fee: 1,000 PRSP (genesis 10 PRSP).
	pub const MaxEvaluationFee: Balance = 1_000 * UNIT;
	/// At most 10,000 reputation per accepted contribution (genesis 5,000).
	pub const MaxAcceptanceReputation: u128 = 10_000;
	/// At most 50,000 reputation lost per rejected contribution (genesis 5,000).
	pub const MaxRejectionPenalty: u128 = 50_000;
	/// A registration commitment (about 100 bytes of storage until `register` uses it or its
	/// maker cancels it) holds the runtime's storage deposit for one item of 128 bytes.
	pub const RegistrationCommitDeposit: Balance = crate::currency::deposit(1, 128);
	/// A registration commitment may be used up to a day after it was made: long enough for a
	/// busy pool, short enough that stale commitments do not linger unnoticed.
	pub const MaxCommitmentAge: BlockNumber = DAYS;
	/// Every contribution is scored on these (0..=100 each); its quality is their mean.
	pub ScoringCriteria: Vec<Vec<u8>> = vec![b"quality".to_vec(), b"usefulness".to_vec()];
}

impl pallet_contributions::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Evaluation = Evaluation;
	type Reputation = Reputation;
	type ParamsOrigin = ParameterOrigin;
	type PalletId = ContributionsPalletId;
	type ScoringCriteria = ScoringCriteria;
	/// The evaluation pallet's URI limit: the URI is passed on to the scoring task.
	type MaxUriLen = ConstU32<256>;
	type MaxMetadataLen = ConstU32<1024>;
	type MaxParents = ConstU32<4>;
	type MaxRoyaltyDepth = ConstU32<2>;
	/// The evaluation pallet's `MaxPanelSize`: at most that many accurate evaluators per task.
	type MaxParticipants = ConstU32<9>;
	type RegistrationCommitDeposit = RegistrationCommitDeposit;
	type MaxCommitmentAge = MaxCommitmentAge;
	type MaxEpochEmission = MaxEpochEmission;
	type MinEpochLength = MinEpochLength;
	type MaxEpochLength = MaxEpochLength;
	type MaxDeposit = MaxContributionDeposit;
	type MaxEvaluationFee = MaxEvaluationFee;
	/// The evaluation pallet's largest `min_reward`: an accepted fee always opens a task.
	type MinEvaluationFee = crate::evaluation::EvaluationMaxMinReward;
	type MaxReputationReward = MaxAcceptanceReputation;
	type MaxReputationPenalty = MaxRejectionPenalty;
	type WeightInfo = pallet_contributions::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ContributionsBenchmarkHelper;
}

/// Gives the evaluation pallet its `local_testnet` parameters in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct ContributionsBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_contributions::BenchmarkHelper<Balance> for ContributionsBenchmarkHelper {
	fn prepare_evaluation() -> Balance {
		pallet_evaluation::Params::<Runtime>::put(crate::evaluation::local_params());
		10 * UNIT
	}
}

/// Genesis parameters (governance changes them with `contributions.setParams`):
/// - pools: datasets 30%, models 30%, code 15%, documentation 5%, other 5%, evaluators'
///   participation 15% of each epoch's emission;
/// - royalty 10% per generation, two generations deep;
/// - accepted from a quality of 60/100; a rejected contribution loses half its deposit;
/// - deposit 10 PRSP + 0.01 PRSP per byte of URI and metadata; evaluation fee 10 PRSP.
pub fn genesis_params(epoch_length: BlockNumber, epoch_emission: Balance) -> ContributionParams<Balance, BlockNumber> {
	ContributionParams {
		epoch_length,
		epoch_emission,
		pool_weights: PerPool { dataset: 30, model: 30, code: 15, documentation: 5, other: 5, participation: 15 },
		royalty: Perbill::from_percent(10),
		royalty_depth: 2,
		acceptance_threshold: 60,
		deposit_base: 10 * UNIT,
		deposit_per_byte: 10 * MILLI_UNIT,
		evaluation_fee: 10 * UNIT,
		rejection_slash: Perbill::from_percent(50),
		acceptance_reputation: 5_000,
		rejection_penalty: 5_000,
	}
}

/// `development`: 10-block (1-minute) epochs minting 1,000 PRSP each.
pub fn development_params() -> ContributionParams<Balance, BlockNumber> {
	genesis_params(10, 1_000 * UNIT)
}

/// `local_testnet`: 1-hour epochs minting 1,000 PRSP each (8.76M PRSP a year at most).
pub fn local_params() -> ContributionParams<Balance, BlockNumber> {
	genesis_params(HOURS, 1_000 * UNIT)
}

#[cfg(test)]
mod tests;
