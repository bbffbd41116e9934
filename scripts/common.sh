# Shared environment for the project's scripts. Source it; it does not run anything heavy.
#
# - CARGO_TARGET_DIR defaults to ~/.cache/perspective/target so artifacts survive fresh clones.
# - When the target dir lies outside the repo, the WASM builder needs WASM_BUILD_WORKSPACE_HINT to
#   find Cargo.lock (otherwise it resolves crates afresh).
# - scripts/setup.sh records which toolchain builds the WASM runtime; we export it here.

PERSPECTIVE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PERSPECTIVE_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/perspective/target}"
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$PERSPECTIVE_ROOT}"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
PERSPECTIVE_STATE_DIR="$HOME/.cache/perspective"
PERSPECTIVE_WASM_TOOLCHAIN_FILE="$PERSPECTIVE_STATE_DIR/wasm-toolchain"
if [ -z "${WASM_BUILD_TOOLCHAIN:-}" ] && [ -s "$PERSPECTIVE_WASM_TOOLCHAIN_FILE" ]; then
	toolchain="$(cat "$PERSPECTIVE_WASM_TOOLCHAIN_FILE")"
	# An empty marker means "the default rustup toolchain has the target": nothing to export.
	[ "$toolchain" != "default" ] && export WASM_BUILD_TOOLCHAIN="$toolchain"
fi
PERSPECTIVE_NODE_BIN="$CARGO_TARGET_DIR/release/perspective-node"
export PERSPECTIVE_NODE_BIN

log() { printf '\033[1;34m[perspective %s]\033[0m %s\n' "$(date +%T)" "$*" >&2; }
die() { printf '\033[1;31m[perspective] error:\033[0m %s\n' "$*" >&2; exit 1; }
