#!/usr/bin/env bash
# Benchmarks a pallet in the Perspective runtime on this machine and writes its weights.rs.
#   ./scripts/benchmark.sh <pallet> [output file]
#   e.g. ./scripts/benchmark.sh pallet_balances /tmp/balances_weights.rs
# Builds the node with `--features runtime-benchmarks` first (slow the first time: it pulls in
# frame-benchmarking-cli). STEPS and REPEAT override the sampling (defaults 50 and 20).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PALLET="${1:?usage: $0 <pallet, e.g. pallet_balances> [output file]}"
OUTPUT="${2:-}"
if [ -z "$OUTPUT" ]; then
	crate_dir="$PERSPECTIVE_ROOT/pallets/${PALLET#pallet_}"
	[ -d "$crate_dir" ] || die "no crate at $crate_dir: pass the output file explicitly"
	OUTPUT="$crate_dir/src/weights.rs"
fi

"$PERSPECTIVE_ROOT/scripts/build.sh" --features runtime-benchmarks
source "$PERSPECTIVE_ROOT/scripts/common.sh"
WASM="$CARGO_TARGET_DIR/release/wbuild/perspective-runtime/perspective_runtime.compact.compressed.wasm"

log "benchmarking $PALLET -> $OUTPUT"
"$PERSPECTIVE_NODE_BIN" benchmark pallet \
	--runtime "$WASM" \
	--genesis-builder-preset development \
	--pallet "$PALLET" \
	--extrinsic '*' \
	--steps "${STEPS:-50}" \
	--repeat "${REPEAT:-20}" \
	--header "$PERSPECTIVE_ROOT/scripts/weights-header.txt" \
	--output "$OUTPUT"
log "wrote $OUTPUT"
