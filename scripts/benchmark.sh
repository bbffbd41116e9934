#!/usr/bin/env bash
# Benchmarks a pallet in the Perspective runtime on this machine and writes its weights.rs.
#   ./scripts/benchmark.sh <pallet> [output file]
#   e.g. ./scripts/benchmark.sh pallet_balances /tmp/balances_weights.rs
#   ./scripts/benchmark.sh --build-only        (just build the benchmarking node and runtime)
#   ./scripts/benchmark.sh --overhead          (block execution and extrinsic base weights into
#                                               runtime/src/weights/{block,extrinsic}_weights.rs)
#   ./scripts/benchmark.sh frame_system_extensions runtime/src/weights/frame_system_extensions.rs
#   ./scripts/benchmark.sh pallet_transaction_payment runtime/src/weights/pallet_transaction_payment.rs
# STEPS and REPEAT override the sampling (defaults 50 and 20); PRESET the genesis preset
# (default local_testnet: production-like track periods, which referenda benchmarks assume).
#
# Two builds, both with `--features runtime-benchmarks` (slow the first time):
#  1. the runtime WASM, with the benchmarks compiled in;
#  2. the node with the `benchmark` subcommand, with SKIP_WASM_BUILD=1. frame-benchmarking-cli
#     depends on a test runtime whose build script looks itself up in this workspace's
#     `cargo metadata`, where an optional dependency does not appear; skipping WASM builds in
#     this step avoids that, and the node runs the WASM from step 1 (`--runtime`).
# The resulting node binary has no embedded runtime: rebuild with scripts/build.sh to run a chain.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PALLET="${1:?usage: $0 <pallet, e.g. pallet_balances> [output file] | --build-only}"
"$PERSPECTIVE_ROOT/scripts/setup.sh" --check >/dev/null 2>&1 || "$PERSPECTIVE_ROOT/scripts/setup.sh"
source "$PERSPECTIVE_ROOT/scripts/common.sh"
cd "$PERSPECTIVE_ROOT"

log "building the runtime WASM with runtime-benchmarks"
cargo build --release --locked -p perspective-runtime --features runtime-benchmarks
WASM="$CARGO_TARGET_DIR/release/wbuild/perspective-runtime/perspective_runtime.compact.compressed.wasm"
cp "$WASM" "$CARGO_TARGET_DIR/release/perspective_runtime.benchmarks.wasm"
WASM="$CARGO_TARGET_DIR/release/perspective_runtime.benchmarks.wasm"

log "building the benchmarking node"
SKIP_WASM_BUILD=1 cargo build --release --locked -p perspective-node --features runtime-benchmarks
[ "$PALLET" = "--build-only" ] && { log "built $PERSPECTIVE_NODE_BIN and $WASM"; exit 0; }
if [ "$PALLET" = "--overhead" ]; then
	# Blocks full of `system.remark` against an empty block, on the development genesis. The
	# generated files import sp_core/sp_weights, which the runtime reaches through frame_support.
	"$PERSPECTIVE_NODE_BIN" benchmark overhead \
		--runtime "$WASM" \
		--genesis-builder-preset "${PRESET:-development}" \
		--header "$PERSPECTIVE_ROOT/scripts/weights-header.txt" \
		--weight-path "$PERSPECTIVE_ROOT/runtime/src/weights"
	sed -i 's/use sp_core::parameter_types;/use frame_support::parameter_types;/; s/use sp_weights::/use frame_support::weights::/' \
		"$PERSPECTIVE_ROOT"/runtime/src/weights/{block,extrinsic}_weights.rs
	log "wrote runtime/src/weights/block_weights.rs and extrinsic_weights.rs"
	exit 0
fi

OUTPUT="${2:-}"
if [ -z "$OUTPUT" ]; then
	crate_name="${PALLET#pallet_}"
	crate_dir="$PERSPECTIVE_ROOT/pallets/${crate_name//_/-}"
	[ -d "$crate_dir" ] || die "no crate at $crate_dir: pass the output file explicitly"
	OUTPUT="$crate_dir/src/weights.rs"
	# Our pallets' weights.rs declare the WeightInfo trait too.
	TEMPLATE="$PERSPECTIVE_ROOT/scripts/pallet-weight-template.hbs"
fi

log "benchmarking $PALLET -> $OUTPUT"
"$PERSPECTIVE_NODE_BIN" benchmark pallet \
	--runtime "$WASM" \
	--genesis-builder-preset "${PRESET:-local_testnet}" \
	--pallet "$PALLET" \
	--extrinsic '*' \
	--steps "${STEPS:-50}" \
	--repeat "${REPEAT:-20}" \
	--header "$PERSPECTIVE_ROOT/scripts/weights-header.txt" \
	${TEMPLATE:+--template "$TEMPLATE"} \
	--output "$OUTPUT"
log "wrote $OUTPUT"
