//! Weight of the BABE and GRANDPA equivocation reports (`babe.reportEquivocation[Unsigned]`,
//! `grandpa.reportEquivocation[Unsigned]`), composed from what is measured on this machine:
//!
//! 1. checking the equivocation proof: the `check_equivocation_proof` benchmarks of
//!    pallet-babe and pallet-grandpa, run in this runtime (`scripts/benchmark.sh pallet_babe`,
//!    `pallet_grandpa`; two signature verifications and, for BABE, two header hashes);
//! 2. checking the key-ownership proof against the historical session root: a trie proof over
//!    the session's validators (pallet-session's formula: 35 µs plus 175 ns per validator,
//!    floored at 100 validators, and 5 reads), since its benchmark needs pallet-staking;
//! 3. recording the offence in pallet-offences (reports, concurrent index: 3 reads, 3 writes);
//! 4. punishing the offenders: pallet-offences hands every offender of the same time slot to the
//!    validator set again, so up to one per validator of the session: the validator set's
//!    `on_offence` benchmark (slash, disable, leave a set of `MaxValidators`) times the session's
//!    validator count.
//!
//! Like polkadot-sdk's runtimes, the reports are charged this weight whether they are signed or
//! unsigned (the unsigned ones come from the nodes and pay no fee).

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{
		constants::{WEIGHT_REF_TIME_PER_MICROS, WEIGHT_REF_TIME_PER_NANOS},
		Weight,
	},
};
use pallet_validator_set::WeightInfo as _;

/// `check_equivocation_proof` of pallet-babe, measured in this runtime on this machine
/// (2026-12-01, 20 repeats: 93.9 µs; it reads no storage).
const BABE_CHECK_EQUIVOCATION_PROOF: Weight = Weight::from_parts(93_941_031, 0);
/// `check_equivocation_proof` of pallet-grandpa, measured the same way (75.3 µs).
const GRANDPA_CHECK_EQUIVOCATION_PROOF: Weight = Weight::from_parts(75_295_207, 0);

/// The report weights for pallet-babe and pallet-grandpa in runtime `T`.
pub struct ReportWeights<T>(PhantomData<T>);

impl<T: pallet_validator_set::Config> ReportWeights<T> {
	/// Everything but the equivocation proof's own check (steps 2 to 4 of the module docs).
	fn key_ownership_and_offence(validator_count: u32) -> Weight {
		let validators = u64::from(validator_count.max(100));
		let db = T::DbWeight::get();
		Weight::from_parts(35 * WEIGHT_REF_TIME_PER_MICROS, 0)
			.saturating_add(
				Weight::from_parts(175 * WEIGHT_REF_TIME_PER_NANOS, 0).saturating_mul(validators),
			)
			.saturating_add(db.reads(5))
			.saturating_add(db.reads_writes(3, 3))
			.saturating_add(
				<T as pallet_validator_set::Config>::WeightInfo::on_offence(T::MaxValidators::get())
					.saturating_mul(u64::from(validator_count.min(T::MaxValidators::get()))),
			)
	}
}

impl<T: pallet_validator_set::Config> pallet_babe::WeightInfo for ReportWeights<T> {
	fn plan_config_change() -> Weight {
		T::DbWeight::get().writes(1)
	}

	fn report_equivocation(validator_count: u32, _max_nominators_per_validator: u32) -> Weight {
		BABE_CHECK_EQUIVOCATION_PROOF.saturating_add(Self::key_ownership_and_offence(validator_count))
	}
}

impl<T: pallet_validator_set::Config> pallet_grandpa::WeightInfo for ReportWeights<T> {
	fn report_equivocation(validator_count: u32, _max_nominators_per_validator: u32) -> Weight {
		GRANDPA_CHECK_EQUIVOCATION_PROOF
			// The set id's session is looked up.
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(Self::key_ownership_and_offence(validator_count))
	}

	fn note_stalled() -> Weight {
		Weight::from_parts(3 * WEIGHT_REF_TIME_PER_MICROS, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
}
