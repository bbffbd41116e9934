//! libFuzzer target: every input is a step sequence for `perspective_fuzz::run` (the same
//! decoder as the seeded mode); a broken invariant or a panic in the runtime is a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
	if let Err(failure) = perspective_fuzz::run(data) {
		panic!("{failure}");
	}
});
