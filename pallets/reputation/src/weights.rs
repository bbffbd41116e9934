//! PLACEHOLDER until `scripts/benchmark.sh pallet_reputation` regenerates this file.
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]
use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

pub trait WeightInfo {
	fn set_half_life() -> Weight;
	fn grant() -> Weight;
	fn revoke() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_half_life() -> Weight {
		Weight::from_parts(10_000_000, 1_500).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn grant() -> Weight {
		Weight::from_parts(20_000_000, 3_500).saturating_add(T::DbWeight::get().reads_writes(3, 2))
	}
	fn revoke() -> Weight {
		Weight::from_parts(20_000_000, 3_500).saturating_add(T::DbWeight::get().reads_writes(3, 2))
	}
}
impl WeightInfo for () {
	fn set_half_life() -> Weight {
		Weight::from_parts(10_000_000, 1_500).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn grant() -> Weight {
		Weight::from_parts(20_000_000, 3_500).saturating_add(RocksDbWeight::get().reads_writes(3, 2))
	}
	fn revoke() -> Weight {
		Weight::from_parts(20_000_000, 3_500).saturating_add(RocksDbWeight::get().reads_writes(3, 2))
	}
}
