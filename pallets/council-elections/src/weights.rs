//! PLACEHOLDER until `scripts/benchmark.sh pallet_council_elections` regenerates this file.
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]
use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

pub trait WeightInfo {
	fn submit_candidacy(c: u32) -> Weight;
	fn renounce_candidacy(c: u32) -> Weight;
	fn vote(v: u32) -> Weight;
	fn remove_voter(v: u32) -> Weight;
	fn set_params() -> Weight;
	fn election(c: u32) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn submit_candidacy(c: u32) -> Weight { Weight::from_parts(40_000_000 + 100_000 * c as u64, 10_000).saturating_add(T::DbWeight::get().reads_writes(4, 3)) }
	fn renounce_candidacy(c: u32) -> Weight { Weight::from_parts(40_000_000 + 100_000 * c as u64, 10_000).saturating_add(T::DbWeight::get().reads_writes(3, 3)) }
	fn vote(v: u32) -> Weight { Weight::from_parts(60_000_000 + 1_000_000 * v as u64, 20_000).saturating_add(T::DbWeight::get().reads_writes(7, 5)) }
	fn remove_voter(v: u32) -> Weight { Weight::from_parts(40_000_000 + 1_000_000 * v as u64, 20_000).saturating_add(T::DbWeight::get().reads_writes(5, 4)) }
	fn set_params() -> Weight { Weight::from_parts(10_000_000, 1_000).saturating_add(T::DbWeight::get().writes(1)) }
	fn election(c: u32) -> Weight { Weight::from_parts(50_000_000 + 30_000_000 * c as u64, 20_000).saturating_add(T::DbWeight::get().reads_writes(5 + 3 * c as u64, 5 + 3 * c as u64)) }
}
impl WeightInfo for () {
	fn submit_candidacy(c: u32) -> Weight { Weight::from_parts(40_000_000 + 100_000 * c as u64, 10_000).saturating_add(RocksDbWeight::get().reads_writes(4, 3)) }
	fn renounce_candidacy(c: u32) -> Weight { Weight::from_parts(40_000_000 + 100_000 * c as u64, 10_000).saturating_add(RocksDbWeight::get().reads_writes(3, 3)) }
	fn vote(v: u32) -> Weight { Weight::from_parts(60_000_000 + 1_000_000 * v as u64, 20_000).saturating_add(RocksDbWeight::get().reads_writes(7, 5)) }
	fn remove_voter(v: u32) -> Weight { Weight::from_parts(40_000_000 + 1_000_000 * v as u64, 20_000).saturating_add(RocksDbWeight::get().reads_writes(5, 4)) }
	fn set_params() -> Weight { Weight::from_parts(10_000_000, 1_000).saturating_add(RocksDbWeight::get().writes(1)) }
	fn election(c: u32) -> Weight { Weight::from_parts(50_000_000 + 30_000_000 * c as u64, 20_000).saturating_add(RocksDbWeight::get().reads_writes(5 + 3 * c as u64, 5 + 3 * c as u64)) }
}
