#!/usr/bin/env bash
# Runs every test: builds the release node, runs all Rust tests (release profile, reusing the
# node's artifacts), then the end-to-end suite (dev chain, CLI, 4-validator network) in e2e/.
#   ./scripts/test.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$PERSPECTIVE_ROOT"

"$PERSPECTIVE_ROOT/scripts/build.sh"
source "$PERSPECTIVE_ROOT/scripts/common.sh"

results="$(mktemp)"
trap 'rm -f "$results"' EXIT

log "Rust tests (cargo test --release --workspace, then the CLI on its own)"
cargo test --release --locked --workspace --exclude perspective-cli 2>&1 | tee -a "$results"
cargo test --release --locked -p perspective-cli 2>&1 | tee -a "$results"
# The pallets' benchmark test suites (`impl_benchmark_test_suite!`: every benchmark's setup and
# `verify` block, e.g. `claim_at_scale`) exist only with `runtime-benchmarks`, in their own
# invocation so the feature does not reach the node's dependency graph. Filtered to the
# benchmark tests: the pallets' other tests ran above.
log "benchmark test suites of the pallets (--features runtime-benchmarks)"
benchmarked=()
for manifest in pallets/*/Cargo.toml; do
	if grep -q '^runtime-benchmarks' "$manifest"; then
		benchmarked+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)")
	fi
done
SKIP_WASM_BUILD=1 cargo test --release --locked --features runtime-benchmarks "${benchmarked[@]}" -- benchmark 2>&1 | tee -a "$results"

log "every event and error variant of every pallet is asserted by a test"
python3 scripts/check-coverage.py 2>&1 | tee -a "$results"

log "end-to-end tests (e2e/, node:test + @polkadot/api)"
cd "$PERSPECTIVE_ROOT/e2e"
npm ci --no-audit --no-fund --loglevel=error
npm test 2>&1 | tee -a "$results"

# One closing line over both runners (cargo's "test result:" lines, node's "ℹ pass/fail/skipped/todo").
# A skipped or ignored test fails the run: a test that cannot run here does not belong in the suite.
python3 - "$results" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
passed = failed = skipped = 0
for p, f, i in re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", text):
    passed += int(p); failed += int(f); skipped += int(i)
passed += sum(int(n) for n in re.findall(r"^ℹ pass (\d+)$", text, re.M))
failed += sum(int(n) for n in re.findall(r"^ℹ fail (\d+)$", text, re.M))
failed += sum(int(n) for n in re.findall(r"^ℹ cancelled (\d+)$", text, re.M))
skipped += sum(int(n) for n in re.findall(r"^ℹ (?:skipped|todo) (\d+)$", text, re.M))
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or skipped else 0)
PY
log "all tests passed"
