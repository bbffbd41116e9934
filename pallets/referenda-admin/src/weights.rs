//! PLACEHOLDER until `scripts/benchmark.sh pallet_referenda_admin` regenerates this file.
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]
use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

pub trait WeightInfo {
	fn set_track() -> Weight;
	fn veto() -> Weight;
	fn settle_submission_deposit() -> Weight;
	fn clear_cool_off() -> Weight;
	fn time_out_stranded() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_track() -> Weight { Weight::from_parts(20_000_000, 3_000).saturating_add(T::DbWeight::get().reads_writes(1, 1)) }
	fn veto() -> Weight { Weight::from_parts(40_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(4, 4)) }
	fn settle_submission_deposit() -> Weight { Weight::from_parts(30_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(2, 2)) }
	fn clear_cool_off() -> Weight { Weight::from_parts(10_000_000, 3_000).saturating_add(T::DbWeight::get().reads_writes(1, 1)) }
	fn time_out_stranded() -> Weight { Weight::from_parts(30_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(3, 3)) }
}
impl WeightInfo for () {
	fn set_track() -> Weight { Weight::from_parts(20_000_000, 3_000).saturating_add(RocksDbWeight::get().reads_writes(1, 1)) }
	fn veto() -> Weight { Weight::from_parts(40_000_000, 5_000).saturating_add(RocksDbWeight::get().reads_writes(4, 4)) }
	fn settle_submission_deposit() -> Weight { Weight::from_parts(30_000_000, 5_000).saturating_add(RocksDbWeight::get().reads_writes(2, 2)) }
	fn clear_cool_off() -> Weight { Weight::from_parts(10_000_000, 3_000).saturating_add(RocksDbWeight::get().reads_writes(1, 1)) }
	fn time_out_stranded() -> Weight { Weight::from_parts(30_000_000, 5_000).saturating_add(RocksDbWeight::get().reads_writes(3, 3)) }
}
