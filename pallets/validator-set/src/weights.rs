// PROVISIONAL: replaced by scripts/benchmark.sh pallet_validator_set.
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]
use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

pub trait WeightInfo {
	fn apply() -> Weight;
	fn withdraw_application() -> Weight;
	fn approve(v: u32, ) -> Weight;
	fn remove(v: u32, ) -> Weight;
	fn resign(v: u32, ) -> Weight;
	fn withdraw_bond() -> Weight;
	fn set_params() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn apply() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn withdraw_application() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn approve(_v: u32, ) -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn remove(_v: u32, ) -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn resign(_v: u32, ) -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn withdraw_bond() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn set_params() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
}

impl WeightInfo for () {
	fn apply() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn withdraw_application() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn approve(_v: u32, ) -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn remove(_v: u32, ) -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn resign(_v: u32, ) -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn withdraw_bond() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
	fn set_params() -> Weight { Weight::from_parts(1_000_000_000, 10_000) }
}
