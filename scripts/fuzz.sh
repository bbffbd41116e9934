#!/usr/bin/env bash
# Coverage-guided fuzzing campaign of the runtime (cargo-fuzz + libFuzzer), see fuzz/README.md.
#   ./scripts/fuzz.sh [SECONDS=3600] [JOBS=1]
#
# 1. installs cargo-fuzz (pinned) if missing;
# 2. builds fuzz/libfuzzer (its own workspace, runtime instrumented, perspective-fuzz with the
#    try-runtime feature) with the root Cargo.lock copied in, so every polkadot-sdk crate keeps
#    its stable2609 pin (only libfuzzer-sys is added);
# 3. writes the seed corpus (seedgen) into fuzz/libfuzzer/corpus/runtime (if nearly empty);
# 4. fuzzes for SECONDS with JOBS parallel workers (each restarts after a crash);
# 5. minimises every crash, timeout and out-of-memory input into fuzz/regressions/<kind>-<hash>.bin
#    (replayed by `cargo test -p perspective-fuzz --test regressions`);
# 6. prints and writes a summary (execs/s, total execs, coverage, corpus, crashes) to
#    fuzz/libfuzzer/runs/<timestamp>/summary.txt.
#
# Environment: CARGO_TARGET_DIR (scripts/common.sh; the fuzz build goes to $CARGO_TARGET_DIR/fuzz),
# PERSPECTIVE_CARGO_LOCK (a file: hold it with flock while cargo builds, for shared machines),
# FUZZ_SKIP_BUILD=1 (reuse the last build), FUZZ_SEEDGEN=1/0 (force/skip the seed corpus;
# by default it is written when the corpus has fewer than 64 inputs), FUZZ_SEEDS /
# FUZZ_CANDIDATES (seedgen sizes),
# FUZZ_MAX_LEN (4096), FUZZ_TIMEOUT (30 s per input), FUZZ_RSS_MB (4096), FUZZ_CGU (16),
# FUZZ_MAX_TMIN (8 distinct failures minimised).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PERSPECTIVE_ROOT"

SECONDS_TOTAL="${1:-3600}"
JOBS="${2:-1}"
CARGO_FUZZ_VERSION="0.13.2"
FUZZ_DIR="$PERSPECTIVE_ROOT/fuzz/libfuzzer"
FUZZ_TARGET_DIR="$CARGO_TARGET_DIR/fuzz"
TRIPLE="x86_64-unknown-linux-gnu"
BIN="$FUZZ_TARGET_DIR/$TRIPLE/release/runtime"
CORPUS="$FUZZ_DIR/corpus/runtime"
ARTIFACTS="$FUZZ_DIR/artifacts/runtime"
REGRESSIONS="$PERSPECTIVE_ROOT/fuzz/regressions"
RUN_DIR="$FUZZ_DIR/runs/$(date +%Y%m%d-%H%M%S)"
MAX_LEN="${FUZZ_MAX_LEN:-4096}"
TIMEOUT="${FUZZ_TIMEOUT:-30}"
RSS_MB="${FUZZ_RSS_MB:-4096}"
CGU="${FUZZ_CGU:-16}"
export SKIP_WASM_BUILD=1

cargo_locked() {
	if [ -n "${PERSPECTIVE_CARGO_LOCK:-}" ]; then
		flock "$PERSPECTIVE_CARGO_LOCK" cargo "$@"
	else
		cargo "$@"
	fi
}

# 1. cargo-fuzz. `-s none` needs no nightly: cargo-fuzz adds -Z flags only for sanitizers and
# build-std.
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
	log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
	cargo_locked install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# 2. The instrumented build.
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$BIN" ]; then
	cp "$PERSPECTIVE_ROOT/Cargo.lock" "$FUZZ_DIR/Cargo.lock"
	# Resolves only what the root lock lacks (libfuzzer-sys); then check nothing else moved.
	(cd "$FUZZ_DIR" && cargo_locked metadata --format-version 1 >/dev/null)
	moved="$(python3 - "$PERSPECTIVE_ROOT/Cargo.lock" "$FUZZ_DIR/Cargo.lock" <<'PY'
import re, sys
def pkgs(path):
    text = open(path).read()
    return set(re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', text))
root, fuzz = pkgs(sys.argv[1]), pkgs(sys.argv[2])
extra = sorted(f"{n} {v}" for n, v in fuzz - root if n not in ("libfuzzer-sys", "perspective-fuzz-libfuzzer"))
print("\n".join(extra))
PY
)"
	[ -z "$moved" ] || die "the fuzz build resolved crates the root Cargo.lock does not pin:
$moved"
	log "building the instrumented fuzz target (first build: ~30-60 min on 2 cores)"
	build_started=$(date +%s)
	cargo_locked fuzz build -O -a -s none --no-cfg-fuzzing --codegen-units "$CGU" \
		--fuzz-dir "$FUZZ_DIR" --target-dir "$FUZZ_TARGET_DIR" runtime
	log "built in $(( $(date +%s) - build_started )) s: $BIN"
fi
[ -x "$BIN" ] || die "no fuzz binary at $BIN"

# 3. The seed corpus (non-instrumented build of the seed generator).
mkdir -p "$CORPUS" "$ARTIFACTS" "$REGRESSIONS" "$RUN_DIR"
# Runs when the corpus has fewer than 64 inputs, or with FUZZ_SEEDGEN=1 (e.g. after the grammar
# changed); FUZZ_SEEDGEN=0 skips it.
if [ "${FUZZ_SEEDGEN:-}" = 1 ] || { [ "${FUZZ_SEEDGEN:-}" != 0 ] && [ "$(ls "$CORPUS" | wc -l)" -lt 64 ]; }; then
	log "seed corpus -> $CORPUS"
	cargo_locked run --release --locked -q -p perspective-fuzz --bin seedgen -- "$CORPUS" \
		--seeds "${FUZZ_SEEDS:-64}" --candidates "${FUZZ_CANDIDATES:-512}" 2>&1 | tail -n 3
fi
ls "$ARTIFACTS" | sort >"$RUN_DIR/artifacts-before.txt"

# 4. The campaign: JOBS libFuzzer processes sharing the corpus (each reloads what the others
# add), run directly (what `cargo fuzz run` does after building: nothing rebuilds or holds the
# cargo lock meanwhile). libFuzzer stops at a crash; each worker then restarts until the time is
# up (the crash is in artifacts/, not in the corpus). Fork mode (-fork) is no alternative: its
# jobs re-run their share of the corpus first, and at ~0.2-2 s per input that left ~1 exec/s.
log "fuzzing for $SECONDS_TOTAL s with $JOBS worker(s); logs in $RUN_DIR"
flags=(
	-max_len="$MAX_LEN" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" -print_final_stats=1
	-artifact_prefix="$ARTIFACTS/"
)
started=$(date +%s)
deadline=$(( started + SECONDS_TOTAL ))
worker() {
	local id="$1" run=0 remaining
	while :; do
		remaining=$(( deadline - $(date +%s) ))
		[ "$remaining" -ge 20 ] || break
		"$BIN" "${flags[@]}" -max_total_time="$remaining" "$CORPUS" >"$RUN_DIR/fuzz-$id-$run.log" 2>&1 || true
		run=$(( run + 1 ))
	done
}
for id in $(seq 1 "$JOBS"); do
	worker "$id" &
done
wait
status=0
elapsed=$(( $(date +%s) - started ))

# 5. Minimise the new crashes into fuzz/regressions: one per distinct failure (the failure's
# first line without numbers), the smallest input of each, at most FUZZ_MAX_TMIN (8).
# What an input breaks: the harness's failure line ("invariant broken at ...", panics included),
# else libFuzzer's verdict.
why() {
	local output
	output="$("$BIN" -runs=1 -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" "$1" 2>&1 || true)"
	printf '%s\n' "$output" | grep -m1 'invariant broken' ||
		printf '%s\n' "$output" | grep -m1 -E 'ERROR: libFuzzer|Timeout|out-of-memory|panicked' || true
}
new_artifacts="$(ls "$ARTIFACTS" | sort | comm -13 "$RUN_DIR/artifacts-before.txt" - | grep -E '^(crash|timeout|oom)-' || true)"
by_size="$(for a in $new_artifacts; do printf '%s %s\n' "$(stat -c %s "$ARTIFACTS/$a")" "$a"; done | sort -n | cut -d' ' -f2)"
declare -A seen=()
minimised=()
while IFS= read -r artifact; do
	[ -n "$artifact" ] || continue
	why="$(why "$ARTIFACTS/$artifact")"
	key="$(printf '%s' "${artifact%%-*}: $why" | sed -E 's/(block|step|seed|task|referendum|index) [0-9]+//g; s/0x[0-9a-f]+//g; s/[0-9]+//g')"
	[ -z "${seen[$key]:-}" ] || continue
	seen[$key]=1
	[ "${#minimised[@]}" -lt "${FUZZ_MAX_TMIN:-8}" ] || { log "not minimising $artifact (limit reached)"; continue; }
	kind="${artifact%%-*}"
	hash="${artifact#*-}"
	out="$REGRESSIONS/$kind-${hash:0:12}.bin"
	log "minimising $artifact -> $out"
	"$BIN" -minimize_crash=1 -runs=5000 -max_total_time=300 -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" \
		-exact_artifact_path="$out" "$ARTIFACTS/$artifact" >"$RUN_DIR/tmin-$artifact.log" 2>&1 || true
	[ -s "$out" ] || cp "$ARTIFACTS/$artifact" "$out"
	why="$(why "$out")"
	minimised+=("$out ($(stat -c %s "$out") bytes): $why")
done <<<"$by_size"

# 6. Summary.
summary="$RUN_DIR/summary.txt"
new_count="$(printf '%s' "$new_artifacts" | grep -c . || true)"
python3 - "$RUN_DIR" "$elapsed" "$status" "$CORPUS" "$JOBS" "$new_count" "${minimised[@]+"${minimised[@]}"}" >"$summary" <<'PY'
import glob, os, re, sys
run_dir, elapsed, status, corpus, jobs, new_count = sys.argv[1:7]
minimised = sys.argv[7:]
execs = 0; rates = []; cov = ft = 0; peak = 0
for log in sorted(glob.glob(os.path.join(run_dir, "fuzz-*.log"))):
    text = open(log, errors="replace").read()
    m = re.findall(r"stat::number_of_executed_units: (\d+)", text)
    if m: execs += int(m[-1])
    else:
        m = re.findall(r"^#(\d+)[:\s]", text, re.M)
        if m: execs += int(m[-1])
    m = re.findall(r"stat::average_exec_per_sec:\s+(\d+)", text)
    if m: rates.append(int(m[-1]))
    for c, f in re.findall(r"cov: (\d+) ft: (\d+)", text):
        cov, ft = max(cov, int(c)), max(ft, int(f))
    m = re.findall(r"stat::peak_rss_mb:\s+(\d+)", text)
    if m: peak = max(peak, int(m[-1]))
files = [f for f in glob.glob(os.path.join(corpus, "*")) if os.path.isfile(f)]
size = sum(os.path.getsize(f) for f in files)
e = int(elapsed)
print(f"campaign: {e} s, {jobs} worker(s)")
print(f"executions: {execs} total, {execs / max(e, 1):.2f} execs/s overall"
      + (f" (per job, libFuzzer's average: {', '.join(map(str, rates))})" if rates else ""))
print(f"coverage: cov {cov} (edges), ft {ft} (features)")
print(f"corpus: {len(files)} inputs, {size} bytes ({corpus})")
print(f"peak RSS: {peak} MB")
print(f"libFuzzer runs: {len(glob.glob(os.path.join(run_dir, 'fuzz-*.log')))} (a worker restarts after each crash)")
print(f"crashes: {new_count} new artifacts, {len(minimised)} distinct failures minimised into fuzz/regressions")
for line in minimised:
    print(f"  {line}")
PY
cat "$summary"
ln -sfn "$RUN_DIR" "$FUZZ_DIR/runs/latest"
if [ "${#minimised[@]}" -gt 0 ]; then
	log "crashes minimised into fuzz/regressions: replay with"
	log "  cargo run -p perspective-fuzz --release --bin replay -- fuzz/regressions/<file>.bin"
	exit 1
fi
log "no crash"
