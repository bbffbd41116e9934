#!/usr/bin/env bash
# A 4-validator Perspective network on this machine: Alice, Bob, Charlie and Dave, each with its
# own ports, base path, node key and the others as bootnodes.
#
#   ./scripts/local-testnet.sh start  [alice|bob|charlie|dave|all]   (default: all)
#   ./scripts/local-testnet.sh stop   [alice|bob|charlie|dave|all]
#   ./scripts/local-testnet.sh status
#   ./scripts/local-testnet.sh purge                                  (stop all, delete chain data)
#
# Ports: node i (0 = alice) uses P2P $BASE_P2P+i, RPC $BASE_RPC+i, Prometheus $BASE_PROM+i.
# Environment:
#   PERSPECTIVE_TESTNET_DIR  data, logs, pids   (default ~/.cache/perspective/local-testnet)
#   BASE_P2P=30333 BASE_RPC=9944 BASE_PROM=9615
#   PERSPECTIVE_NODE_BIN     node binary        (default $CARGO_TARGET_DIR/release/perspective-node)
# Validator keys come from the well-known dev seeds (--alice ...): for testing only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

TESTNET_DIR="${PERSPECTIVE_TESTNET_DIR:-$HOME/.cache/perspective/local-testnet}"
BASE_P2P="${BASE_P2P:-30333}"
BASE_RPC="${BASE_RPC:-9944}"
BASE_PROM="${BASE_PROM:-9615}"
VALIDATORS=(alice bob charlie dave)

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

index_of() {
	local i
	for i in "${!VALIDATORS[@]}"; do [ "${VALIDATORS[$i]}" = "$1" ] && { echo "$i"; return; }; done
	die "unknown validator '$1' (expected one of: ${VALIDATORS[*]}, all)"
}

node_dir() { echo "$TESTNET_DIR/$1"; }
pid_file() { echo "$TESTNET_DIR/$1.pid"; }
log_file() { echo "$TESTNET_DIR/$1.log"; }

is_running() {
	local pid_path; pid_path="$(pid_file "$1")"
	[ -f "$pid_path" ] && kill -0 "$(cat "$pid_path")" 2>/dev/null
}

require_binary() {
	[ -x "$PERSPECTIVE_NODE_BIN" ] ||
		die "node binary not found at $PERSPECTIVE_NODE_BIN: build it (cargo build --release) or set PERSPECTIVE_NODE_BIN"
}

# Creates each validator's node key once and prints its libp2p peer id.
peer_id() {
	local name="$1" key_file
	key_file="$(node_dir "$name")/node-key"
	if [ ! -s "$key_file" ]; then
		mkdir -p "$(node_dir "$name")"
		"$PERSPECTIVE_NODE_BIN" key generate-node-key --file "$key_file" 2>/dev/null >/dev/null
	fi
	"$PERSPECTIVE_NODE_BIN" key inspect-node-key --file "$key_file"
}

start_one() {
	local name="$1" i; i="$(index_of "$name")"
	if is_running "$name"; then log "$name already running (pid $(cat "$(pid_file "$name")"))"; return; fi
	local bootnodes=() other j
	for j in "${!VALIDATORS[@]}"; do
		other="${VALIDATORS[$j]}"
		[ "$other" = "$name" ] && continue
		bootnodes+=("/ip4/127.0.0.1/tcp/$((BASE_P2P + j))/p2p/$(peer_id "$other")")
	done
	peer_id "$name" >/dev/null
	local p2p=$((BASE_P2P + i)) rpc=$((BASE_RPC + i)) prom=$((BASE_PROM + i))
	"$PERSPECTIVE_NODE_BIN" \
		--chain local \
		--"$name" \
		--validator \
		--name "$name" \
		--base-path "$(node_dir "$name")" \
		--node-key-file "$(node_dir "$name")/node-key" \
		--port "$p2p" \
		--rpc-port "$rpc" \
		--prometheus-port "$prom" \
		--bootnodes "${bootnodes[@]}" \
		--no-telemetry \
		--no-mdns \
		>>"$(log_file "$name")" 2>&1 &
	echo $! >"$(pid_file "$name")"
	sleep 0.5
	is_running "$name" || { tail -n 20 "$(log_file "$name")" >&2; die "$name failed to start (log: $(log_file "$name"))"; }
	log "started $name: pid $(cat "$(pid_file "$name")"), p2p $p2p, rpc ws://127.0.0.1:$rpc, prometheus $prom, log $(log_file "$name")"
}

stop_one() {
	local name="$1"
	index_of "$name" >/dev/null
	if ! is_running "$name"; then log "$name is not running"; rm -f "$(pid_file "$name")"; return; fi
	local pid; pid="$(cat "$(pid_file "$name")")"
	kill -INT "$pid"
	for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	rm -f "$(pid_file "$name")"
	log "stopped $name"
}

rpc_call() {
	curl -s --max-time 2 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":[${3:-}]}" "http://127.0.0.1:$1" |
		python3 -c 'import json,sys; r=json.load(sys.stdin).get("result"); print(json.dumps(r) if not isinstance(r,str) else r)' 2>/dev/null
}

status() {
	printf '%-8s %-8s %-6s %-6s %-8s %-10s %s\n' NAME STATE PID RPC PEERS BEST FINALIZED
	local i name rpc state pid peers best fin_hash fin
	for i in "${!VALIDATORS[@]}"; do
		name="${VALIDATORS[$i]}"; rpc=$((BASE_RPC + i))
		if is_running "$name"; then
			state=running; pid="$(cat "$(pid_file "$name")")"
			peers="$(rpc_call "$rpc" system_health | python3 -c 'import json,sys; print(json.load(sys.stdin)["peers"])' 2>/dev/null || echo '?')"
			best="$(rpc_call "$rpc" chain_getHeader | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["number"],16))' 2>/dev/null || echo '?')"
			fin_hash="$(rpc_call "$rpc" chain_getFinalizedHead || true)"
			fin="$(rpc_call "$rpc" chain_getHeader "\"$fin_hash\"" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["number"],16))' 2>/dev/null || echo '?')"
			fin="#$fin ${fin_hash:0:18}"
		else
			state=stopped; pid=-; peers=-; best=-; fin=-
		fi
		printf '%-8s %-8s %-6s %-6s %-8s %-10s %s\n' "$name" "$state" "$pid" "$rpc" "$peers" "$best" "$fin"
	done
}

targets() {
	if [ "${1:-all}" = all ]; then echo "${VALIDATORS[@]}"; else index_of "$1" >/dev/null; echo "$1"; fi
}

cmd="${1:-}"; shift || true
case "$cmd" in
	start)
		require_binary
		mkdir -p "$TESTNET_DIR"
		for n in $(targets "${1:-all}"); do start_one "$n"; done
		;;
	stop) for n in $(targets "${1:-all}"); do stop_one "$n"; done ;;
	status) status ;;
	purge)
		for n in "${VALIDATORS[@]}"; do stop_one "$n"; done
		rm -rf "$TESTNET_DIR"
		log "removed $TESTNET_DIR"
		;;
	*) usage ;;
esac
