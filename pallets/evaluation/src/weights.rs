// This file is part of Perspective. Licensed under Apache-2.0.
// Placeholder until scripts/benchmark.sh pallet_evaluation regenerates it.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens, unused_imports, missing_docs, dead_code)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// Weight of each call and hook of `pallet_evaluation`.
pub trait WeightInfo {
	fn register() -> Weight;
	fn bond_extra() -> Weight;
	fn unbond() -> Weight;
	fn withdraw() -> Weight;
	fn open_task(c: u32, u: u32, ) -> Weight;
	fn commit() -> Weight;
	fn reveal() -> Weight;
	fn settle_revealed(e: u32, ) -> Weight;
	fn settle_missed(e: u32, ) -> Weight;
	fn on_initialize_visits(v: u32, ) -> Weight;
	fn set_params() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn bond_extra() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn unbond() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn withdraw() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn open_task(_c: u32, _u: u32, ) -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn commit() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn reveal() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn settle_revealed(e: u32, ) -> Weight { Weight::from_parts(10_000_000, 5000).saturating_mul(e.max(1) as u64) }
	fn settle_missed(e: u32, ) -> Weight { Weight::from_parts(10_000_000, 5000).saturating_mul(e.max(1) as u64) }
	fn on_initialize_visits(v: u32, ) -> Weight { Weight::from_parts(1_000_000, 1000).saturating_mul(v.max(1) as u64) }
	fn set_params() -> Weight { Weight::from_parts(10_000_000, 5000) }
}

impl WeightInfo for () {
	fn register() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn bond_extra() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn unbond() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn withdraw() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn open_task(_c: u32, _u: u32, ) -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn commit() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn reveal() -> Weight { Weight::from_parts(10_000_000, 5000) }
	fn settle_revealed(e: u32, ) -> Weight { Weight::from_parts(10_000_000, 5000).saturating_mul(e.max(1) as u64) }
	fn settle_missed(e: u32, ) -> Weight { Weight::from_parts(10_000_000, 5000).saturating_mul(e.max(1) as u64) }
	fn on_initialize_visits(v: u32, ) -> Weight { Weight::from_parts(1_000_000, 1000).saturating_mul(v.max(1) as u64) }
	fn set_params() -> Weight { Weight::from_parts(10_000_000, 5000) }
}
