// Provisional weights until scripts/benchmark.sh regenerates this file.

#![allow(unused_parens, unused_imports, missing_docs, dead_code)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// Weight of each call and hook of `pallet_contributions`.
pub trait WeightInfo {
	fn register() -> Weight;
	fn update() -> Weight;
	fn retire() -> Weight;
	fn request_evaluation() -> Weight;
	fn claim() -> Weight;
	fn claim_at_scale() -> Weight;
	fn set_params() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn on_initialize_close_epoch() -> Weight;
	fn close_epoch_at_scale() -> Weight;
	fn on_task_settled_accepted(p: u32, ) -> Weight;
	fn on_task_settled_rejected(p: u32, ) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn update() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn retire() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn request_evaluation() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn claim() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn claim_at_scale() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn set_params() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn on_initialize_idle() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn on_initialize_close_epoch() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn close_epoch_at_scale() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn on_task_settled_accepted(_p: u32, ) -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
	fn on_task_settled_rejected(_p: u32, ) -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) }
}

impl WeightInfo for () {
	fn register() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn update() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn retire() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn request_evaluation() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn claim() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn claim_at_scale() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn set_params() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn on_initialize_idle() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn on_initialize_close_epoch() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn close_epoch_at_scale() -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn on_task_settled_accepted(_p: u32, ) -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
	fn on_task_settled_rejected(_p: u32, ) -> Weight { Weight::from_parts(5_000_000_000, 100_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) }
}
