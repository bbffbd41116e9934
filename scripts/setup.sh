#!/usr/bin/env bash
# Installs or checks everything a build of Perspective needs. Idempotent: run it as often as you like.
#
#   ./scripts/setup.sh          install what is missing (needs root or sudo for apt packages)
#   ./scripts/setup.sh --check  only report; exit 1 if something is missing
#
# What a build needs:
#   - cargo/rustc (stable, 1.95 or newer) for the node;
#   - a Rust toolchain with the `wasm32v1-none` target for the runtime. On a normal machine that is
#     `rustup target add wasm32v1-none`. Where rustup cannot download targets (offline Debian 12
#     machines), we use Debian's `rustc-web` (Rust 1.96 with std sources), prebuild core/alloc/
#     compiler_builtins for wasm32v1-none with bitcode embedded (the runtime blob is linked with LTO),
#     and link it into rustup as the `debian-web` toolchain;
#   - protoc (litep2p's build script needs it);
#   - docker compose or docker-compose, only to validate docker-compose.yml in the e2e suite
#     (`config -q` needs no Docker engine);
#   - Node.js + npm for the end-to-end suite.
#
# Environment: PERSPECTIVE_WASM_TOOLCHAIN=debian-web forces the Debian route even where rustup
# could add the target.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CHECK_ONLY=0
[ "${1:-}" = "--check" ] && CHECK_ONLY=1
missing=()

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		die "need root to run: $*"; fi
}

APT_UPDATED=0
apt_install() {
	if [ "$CHECK_ONLY" = 1 ]; then missing+=("apt packages: $*"); return 0; fi
	command -v apt-get >/dev/null || die "apt-get not found; install these yourself: $*"
	if [ "$APT_UPDATED" = 0 ]; then
		log "apt-get update"
		as_root apt-get update -qq >/dev/null
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# --- Rust (native) -----------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
log "native toolchain: $(rustc --version)"

# --- protoc --------------------------------------------------------------------------------------
if command -v protoc >/dev/null; then
	log "protoc: $(protoc --version)"
else
	apt_install protobuf-compiler
fi

# --- docker compose (e2e/tests/compose.test.js validates docker-compose.yml; no engine needed) ---
if docker compose version >/dev/null 2>&1; then
	log "compose: $(docker compose version --short 2>/dev/null || echo plugin)"
elif command -v docker-compose >/dev/null; then
	log "compose: $(docker-compose version --short 2>/dev/null || echo docker-compose)"
else
	apt_install docker-compose
fi

# --- WASM toolchain ------------------------------------------------------------------------------
mkdir -p "$PERSPECTIVE_STATE_DIR"
wasm_ready=0
# PERSPECTIVE_WASM_TOOLCHAIN=debian-web forces the Debian route (to test it on any machine).
if [ "${PERSPECTIVE_WASM_TOOLCHAIN:-}" = debian-web ]; then
	:
elif rustup target list --installed 2>/dev/null | grep -qx 'wasm32v1-none'; then
	log "wasm: default toolchain has wasm32v1-none"
	echo default >"$PERSPECTIVE_WASM_TOOLCHAIN_FILE"
	wasm_ready=1
elif [ "$CHECK_ONLY" = 0 ] && timeout 120 rustup target add wasm32v1-none >/dev/null 2>&1; then
	log "wasm: installed wasm32v1-none with rustup"
	echo default >"$PERSPECTIVE_WASM_TOOLCHAIN_FILE"
	wasm_ready=1
fi

if [ "$wasm_ready" = 0 ]; then
	log "wasm: using Debian's rustc-web toolchain (rustup has no wasm32v1-none here, or PERSPECTIVE_WASM_TOOLCHAIN=debian-web)"
	if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ] || ! command -v rust-lld >/dev/null; then
		apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
	fi
	WASM_LIB_DIR=/usr/lib/rustlib/wasm32v1-none/lib
	if ls "$WASM_LIB_DIR"/libcore-*.rlib >/dev/null 2>&1 && ls "$WASM_LIB_DIR"/libcompiler_builtins-*.rlib >/dev/null 2>&1; then
		log "wasm: prebuilt core/alloc/compiler_builtins for wasm32v1-none present"
	elif [ "$CHECK_ONLY" = 1 ]; then
		missing+=("prebuilt wasm32v1-none std rlibs in $WASM_LIB_DIR")
	else
		log "wasm: building core/alloc/compiler_builtins for wasm32v1-none (once, ~1 min)"
		work="$(mktemp -d)"
		mkdir -p "$work/src"
		cat >"$work/Cargo.toml" <<'TOML'
[package]
name = "wasm-std-seed"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
panic = "abort"
TOML
		echo '#![no_std]' >"$work/src/lib.rs"
		(cd "$work" && env -u CARGO_TARGET_DIR -u RUSTUP_TOOLCHAIN \
			RUSTFLAGS=-Cembed-bitcode=yes RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
			/usr/bin/cargo build -q --release --target wasm32v1-none \
			-Zbuild-std=core,alloc -Zbuild-std-features=compiler-builtins-mem) ||
			die "building the wasm32v1-none std rlibs failed (see the cargo output above)"
		as_root mkdir -p "$WASM_LIB_DIR"
		for crate in core alloc compiler_builtins; do
			as_root cp "$work"/target/wasm32v1-none/release/deps/lib${crate}-*.rlib "$WASM_LIB_DIR/"
		done
		rm -rf "$work"
		log "wasm: installed rlibs into $WASM_LIB_DIR"
	fi
	if rustup toolchain list 2>/dev/null | grep -q '^debian-web'; then
		log "wasm: rustup toolchain debian-web is linked"
	elif [ "$CHECK_ONLY" = 1 ]; then
		missing+=("rustup toolchain link debian-web /usr")
	else
		rustup toolchain link debian-web /usr
		log "wasm: linked rustup toolchain debian-web -> /usr"
	fi
	echo debian-web >"$PERSPECTIVE_WASM_TOOLCHAIN_FILE"
fi

# --- Node.js for the end-to-end suite ------------------------------------------------------------
if command -v node >/dev/null && command -v npm >/dev/null; then
	log "node: $(node --version), npm $(npm --version)"
else
	apt_install nodejs npm
fi

if [ "${#missing[@]}" -gt 0 ]; then
	for m in "${missing[@]}"; do printf '  missing: %s\n' "$m" >&2; done
	exit 1
fi
log "setup complete (WASM toolchain: $(cat "$PERSPECTIVE_WASM_TOOLCHAIN_FILE"))"
