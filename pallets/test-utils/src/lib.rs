//! Test doubles shared by the pallets' mock runtimes. A dev-dependency only: nothing here is
//! part of the runtime.

use frame_support::{parameter_types, traits::Randomness, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use perspective_primitives::{ReputationProvider, ReputationReason, ReputationScore, ReputationUpdater};
use sp_runtime::traits::Hash;
use std::{collections::BTreeMap, marker::PhantomData};

parameter_types! {
	/// Every account's reputation (accounts are `u64` in the mocks).
	pub static ReputationTable: BTreeMap<u64, ReputationScore> = BTreeMap::new();
	/// Every reputation change: (who, signed amount, reason).
	pub static ReputationLog: Vec<(u64, i128, ReputationReason)> = vec![];
	/// What a penalty's hook (e.g. governance re-tallying votes) reports having used ...
	pub static PenaltyHookWeight: Weight = Weight::zero();
	/// ... and its worst case.
	pub static MaxPenaltyHookWeight: Weight = Weight::from_parts(1_000, 0);
	/// Mixed into [`TestRandomness`], so a test can try other draws.
	pub static RandomSeed: u64 = 0;
}

/// Deterministic randomness for mock runtimes: `random(subject)` is
/// `(T::Hashing(SCALE(RandomSeed, subject, block number)), block number)`, the block number
/// being the mock's current one. With `TestDefaultConfig` (`Hashing = BlakeTwo256`, `Hash =
/// H256`, `BlockNumber = u64`) that is `(H256(blake2_256(SCALE(seed, subject, now))), now)`.
/// The same subject gives the same output within a block and, in general, another one in the
/// next block or with another seed.
pub struct TestRandomness<T>(PhantomData<T>);

impl<T: frame_system::Config> Randomness<T::Hash, BlockNumberFor<T>> for TestRandomness<T> {
	fn random(subject: &[u8]) -> (T::Hash, BlockNumberFor<T>) {
		let now = frame_system::Pallet::<T>::block_number();
		(T::Hashing::hash_of(&(RandomSeed::get(), subject, now)), now)
	}
}

/// A reputation table that records every change, standing in for `pallet-reputation`.
pub struct TestReputation;

impl TestReputation {
	/// Starts a test: `scores` as the table, an empty log, default hook weights.
	pub fn reset(scores: impl IntoIterator<Item = (u64, ReputationScore)>) {
		ReputationTable::set(scores.into_iter().collect());
		ReputationLog::set(vec![]);
		PenaltyHookWeight::set(Weight::zero());
		MaxPenaltyHookWeight::set(Weight::from_parts(1_000, 0));
	}
}

impl ReputationProvider<u64> for TestReputation {
	fn reputation_of(who: &u64) -> ReputationScore {
		ReputationTable::get().get(who).copied().unwrap_or(0)
	}
	fn total_reputation() -> ReputationScore {
		ReputationTable::get().values().sum()
	}
}

impl ReputationUpdater<u64> for TestReputation {
	fn reward(who: &u64, amount: ReputationScore, reason: ReputationReason) -> ReputationScore {
		ReputationLog::mutate(|l| l.push((*who, amount as i128, reason)));
		ReputationTable::mutate(|t| {
			let s = t.entry(*who).or_default();
			*s += amount;
			*s
		})
	}
	fn penalize(who: &u64, amount: ReputationScore, reason: ReputationReason) -> (ReputationScore, Weight) {
		ReputationLog::mutate(|l| l.push((*who, -(amount as i128), reason)));
		let score = ReputationTable::mutate(|t| {
			let s = t.entry(*who).or_default();
			*s = s.saturating_sub(amount);
			*s
		});
		(score, PenaltyHookWeight::get())
	}
	fn update_weight() -> Weight {
		MaxPenaltyHookWeight::get()
	}
}
