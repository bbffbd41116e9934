//! Error logs of the runtime, captured per thread.
//!
//! `Executive::apply_extrinsic` reports a dispatch's weight clamped to what it was charged
//! (`PostDispatchInfo::calc_actual_weight`), so its events can never show a call that used more
//! than it declared. What is left of that is the error FRAME logs when it clamps ("Post dispatch
//! weight is greater than pre dispatch weight"): a logger installed here catches it, and the
//! steps turn it into a failure of the extrinsic that logged it. Every other error log (e.g. a
//! pallet's "settling task failed", `defensive!` failures) is counted in the stats.
//!
//! The logger is installed once per process, unless the process already has one (then
//! [`active`] is false and the weight check falls back to direct dispatches only).

use std::{cell::RefCell, sync::OnceLock};

/// FRAME's message when a dispatch's post-dispatch weight exceeds its pre-dispatch weight.
pub const OVERWEIGHT: &str = "Post dispatch weight is greater than pre dispatch weight";

thread_local! {
	static CAPTURED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

struct Capture;

impl log::Log for Capture {
	fn enabled(&self, metadata: &log::Metadata) -> bool {
		metadata.level() <= log::Level::Error
	}
	fn log(&self, record: &log::Record) {
		if record.level() <= log::Level::Error {
			let line = format!("{}: {}", record.target(), record.args());
			CAPTURED.with(|c| c.borrow_mut().push(line));
		}
	}
	fn flush(&self) {}
}

/// Installs the capturing logger if the process has none. Returns whether it is active.
pub fn install() -> bool {
	static INSTALLED: OnceLock<bool> = OnceLock::new();
	*INSTALLED.get_or_init(|| {
		let ok = log::set_boxed_logger(Box::new(Capture)).is_ok();
		if ok {
			log::set_max_level(log::LevelFilter::Error);
		}
		ok
	})
}

/// Whether error logs are being captured.
pub fn active() -> bool {
	install()
}

/// The error logs captured on this thread since the last call.
pub fn take() -> Vec<String> {
	CAPTURED.with(|c| std::mem::take(&mut *c.borrow_mut()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::dispatch::{DispatchInfo, PostDispatchInfo};
	use sp_runtime::Weight;

	#[test]
	fn an_overweight_dispatch_is_caught() {
		assert!(install(), "no other logger in this test binary");
		take();
		let info = DispatchInfo { call_weight: Weight::from_parts(10, 10), ..Default::default() };
		let post = PostDispatchInfo { actual_weight: Some(Weight::from_parts(11, 0)), pays_fee: Default::default() };
		assert_eq!(post.calc_actual_weight(&info), Weight::from_parts(10, 0));
		assert!(take().iter().any(|line| line.contains(OVERWEIGHT)));
		let fits = PostDispatchInfo { actual_weight: Some(Weight::from_parts(9, 9)), pays_fee: Default::default() };
		fits.calc_actual_weight(&info);
		assert!(take().is_empty());
	}
}
