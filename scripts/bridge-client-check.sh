#!/usr/bin/env bash
# Runs the official Vert.x event-bus client (@vertx/eventbus-bridge-client.js over sockjs-client, from
# npm) against a fresh standalone node, once per SockJS transport: websocket, xhr-streaming,
# xhr-polling. Needs Node.js and npm; the Java test suite does not. Builds the jar first if missing.
#   scripts/bridge-client-check.sh         (MM_HTTP_PORT picks the node's port, default 18080)
# Logs go to target/bridge-client-check/. Exits 1 if any check failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JS="$ROOT/api-gateway/src/test/js"
DIR="$ROOT/target/bridge-client-check"
PORT="${MM_HTTP_PORT:-18080}"
mkdir -p "$DIR"

[[ -f "$ROOT/node/target/mastermind-node.jar" ]] || mvn -q -B -f "$ROOT/pom.xml" package -DskipTests
[[ -d "$JS/node_modules/@vertx/eventbus-bridge-client.js" ]] || (cd "$JS" && npm install --no-audit --no-fund --no-package-lock)

"$ROOT/scripts/mastermind" node --node-id bridge-check --http-port "$PORT" > "$DIR/node.log" 2>&1 &
NODE_PID=$!
trap 'kill -TERM "$NODE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  grep -q ' ready ' "$DIR/node.log" && break
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$DIR/node.log" >&2; exit 1; }
  sleep 0.5
done

status=0
for transport in websocket xhr-streaming xhr-polling; do
  MASTERMIND_URL="http://127.0.0.1:$PORT" SOCKJS_TRANSPORTS="$transport" node "$JS/bridge-client-check.js" || status=1
done
exit $status
