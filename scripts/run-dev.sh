#!/usr/bin/env bash
# Builds the node if needed and runs a single-validator development chain (Alice validates and is
# sudo; state lives in a temporary directory and is discarded on exit).
#   ./scripts/run-dev.sh [extra node flags]
# RPC (WebSocket + HTTP) listens on 127.0.0.1:${RPC_PORT:-9944}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$PERSPECTIVE_ROOT/scripts/build.sh"

RPC_PORT="${RPC_PORT:-9944}"
cat >&2 <<MSG

  Perspective dev chain starting. Connect polkadot.js:
    apps:         https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${RPC_PORT}#/explorer
    @polkadot/api: new WsProvider('ws://127.0.0.1:${RPC_PORT}')
  Dev accounts (Alice..Ferdie) are endowed with 1,000,000 PRSP each. Stop with Ctrl-C.

MSG
exec "$PERSPECTIVE_NODE_BIN" --dev --tmp --rpc-port "$RPC_PORT" --rpc-cors all "$@"
