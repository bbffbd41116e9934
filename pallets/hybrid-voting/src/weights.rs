//! PLACEHOLDER until `scripts/benchmark.sh pallet_hybrid_voting` regenerates this file.
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]
use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

pub trait WeightInfo {
	fn vote_new(v: u32) -> Weight;
	fn vote_existing(v: u32) -> Weight;
	fn remove_vote(v: u32) -> Weight;
	fn unlock(v: u32) -> Weight;
	fn reduce_reputation(v: u32) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn vote_new(v: u32) -> Weight { Weight::from_parts(50_000_000 + 100_000 * v as u64, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 4)) }
	fn vote_existing(v: u32) -> Weight { Weight::from_parts(50_000_000 + 100_000 * v as u64, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 4)) }
	fn remove_vote(v: u32) -> Weight { Weight::from_parts(50_000_000 + 100_000 * v as u64, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 4)) }
	fn unlock(v: u32) -> Weight { Weight::from_parts(30_000_000 + 100_000 * v as u64, 10_000).saturating_add(T::DbWeight::get().reads_writes(3, 3)) }
	fn reduce_reputation(v: u32) -> Weight { Weight::from_parts(10_000_000 + 20_000_000 * v as u64, 10_000).saturating_add(T::DbWeight::get().reads_writes(1 + v as u64, 1 + v as u64)) }
}
impl WeightInfo for () {
	fn vote_new(v: u32) -> Weight { Weight::from_parts(50_000_000 + 100_000 * v as u64, 10_000).saturating_add(RocksDbWeight::get().reads_writes(5, 4)) }
	fn vote_existing(v: u32) -> Weight { Weight::from_parts(50_000_000 + 100_000 * v as u64, 10_000).saturating_add(RocksDbWeight::get().reads_writes(5, 4)) }
	fn remove_vote(v: u32) -> Weight { Weight::from_parts(50_000_000 + 100_000 * v as u64, 10_000).saturating_add(RocksDbWeight::get().reads_writes(5, 4)) }
	fn unlock(v: u32) -> Weight { Weight::from_parts(30_000_000 + 100_000 * v as u64, 10_000).saturating_add(RocksDbWeight::get().reads_writes(3, 3)) }
	fn reduce_reputation(v: u32) -> Weight { Weight::from_parts(10_000_000 + 20_000_000 * v as u64, 10_000).saturating_add(RocksDbWeight::get().reads_writes(1 + v as u64, 1 + v as u64)) }
}
