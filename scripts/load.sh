#!/usr/bin/env bash
# Load benchmark: fills blocks of a fresh development chain with one kind of call at a time
# (transfers, evaluation commits and reveals, referendum votes, contribution registrations and
# claims) and prints, per phase, calls per block, failures, block weight, block-time deviation
# and the node's memory (see e2e/tools/load.js for what each phase sets up and measures).
#   ./scripts/load.sh [--quick] [--json FILE] [--senders N] [--blocks N] [--open-blocks N]
#   ./scripts/load.sh --url ws://127.0.0.1:9944 [...]   (an already running dev chain)
# --quick: a smoke run of about 4-5 minutes. Uses $PERSPECTIVE_NODE_BIN (default: the release
# build under $CARGO_TARGET_DIR); does not build it.
set -euo pipefail
# common.sh sets PERSPECTIVE_NODE_BIN to the release build: keep the caller's binary if given.
caller_node_bin="${PERSPECTIVE_NODE_BIN:-}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ -n "$caller_node_bin" ]; then
	PERSPECTIVE_NODE_BIN="$caller_node_bin"
	export PERSPECTIVE_NODE_BIN
fi

uses_url=0
for arg in "$@"; do
	case "$arg" in --url | --url=*) uses_url=1 ;; esac
done
if [ "$uses_url" = 0 ] && [ ! -x "$PERSPECTIVE_NODE_BIN" ]; then
	die "node binary not found at $PERSPECTIVE_NODE_BIN: build it (./scripts/build.sh) or set PERSPECTIVE_NODE_BIN"
fi
command -v node >/dev/null 2>&1 || die "node (Node.js >= 20) is required"

cd "$PERSPECTIVE_ROOT/e2e"
if [ ! -d node_modules ]; then
	log "installing the e2e dependencies (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
fi
exec node tools/load.js "$@"
