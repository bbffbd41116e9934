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

log "end-to-end tests (e2e/, node:test + @polkadot/api)"
cd "$PERSPECTIVE_ROOT/e2e"
npm ci --no-audit --no-fund --loglevel=error
npm test 2>&1 | tee -a "$results"

# One closing line over both runners (cargo's "test result:" lines, node's "ℹ pass/fail").
python3 - "$results" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
passed = failed = 0
for p, f in re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", text):
    passed += int(p); failed += int(f)
passed += sum(int(n) for n in re.findall(r"^ℹ pass (\d+)$", text, re.M))
failed += sum(int(n) for n in re.findall(r"^ℹ fail (\d+)$", text, re.M))
print(f"total: {passed} passed, {failed} failed")
PY
log "all tests passed"
