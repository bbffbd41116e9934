#!/usr/bin/env bash
# Builds the release node (and with it the WASM runtime), installing the toolchain first if needed.
#   ./scripts/build.sh [extra cargo args, e.g. --features runtime-benchmarks]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$PERSPECTIVE_ROOT/scripts/setup.sh" --check >/dev/null 2>&1 || "$PERSPECTIVE_ROOT/scripts/setup.sh"
# Re-read the WASM toolchain that setup may just have recorded.
source "$PERSPECTIVE_ROOT/scripts/common.sh"

log "building perspective-node (release) into $CARGO_TARGET_DIR"
cd "$PERSPECTIVE_ROOT"
cargo build --release --locked -p perspective-node "$@"
log "built $PERSPECTIVE_NODE_BIN"
# The CLI in its own invocation: subxt's features on shared crates would otherwise change the
# node's dependency graph (and rebuild it).
log "building the perspective CLI (release)"
cargo build --release --locked -p perspective-cli
log "built $CARGO_TARGET_DIR/release/perspective"
