#!/usr/bin/env bash
# Runs every test: builds the release node, runs all Rust tests (release profile, reusing the
# node's artifacts), then the end-to-end suite (dev chain + 4-validator network) in e2e/.
#   ./scripts/test.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PERSPECTIVE_ROOT"

"$PERSPECTIVE_ROOT/scripts/build.sh"
source "$PERSPECTIVE_ROOT/scripts/common.sh"

log "Rust tests (cargo test --release --workspace)"
cargo test --release --locked --workspace

log "end-to-end tests (e2e/, node:test + @polkadot/api)"
cd "$PERSPECTIVE_ROOT/e2e"
npm ci --no-audit --no-fund --loglevel=error
npm test
log "all tests passed"
