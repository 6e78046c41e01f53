#!/usr/bin/env bash
# Starts a 3-node Mastermind cluster on loopback: one coordinator+gateway, two workers.
#   scripts/local-cluster.sh          start it (builds the jar first if missing) and print the URLs
#   scripts/local-cluster.sh stop     stop the nodes it started (SIGTERM, by PID)
# Logs and PIDs go to target/local-cluster/. Ports: HTTP 8080, cluster 5701-5703, management (the
# workers' /metrics and /health*) 9102-9103 (override with MM_HTTP_PORT, MM_CLUSTER_BASE and MM_MANAGEMENT_BASE).
# MM_OTLP_ENDPOINT (e.g. http://127.0.0.1:4318/v1/traces) turns tracing on for every node.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/target/local-cluster"
PIDS="$DIR/pids"
HTTP_PORT="${MM_HTTP_PORT:-8080}"
BASE="${MM_CLUSTER_BASE:-5701}"
MANAGEMENT="${MM_MANAGEMENT_BASE:-9100}"
NAME="${MM_CLUSTER_NAME:-mastermind-local}"
TRACING=()
[[ -n "${MM_OTLP_ENDPOINT:-}" ]] && TRACING=(--otlp-endpoint "$MM_OTLP_ENDPOINT")

stop() {
  [[ -f "$PIDS" ]] || { echo "no local cluster running"; return 0; }
  while read -r pid; do
    kill -TERM "$pid" 2>/dev/null && echo "stopping $pid" || true
  done < "$PIDS"
  rm -f "$PIDS"
}

if [[ "${1:-}" == "stop" ]]; then
  stop
  exit 0
fi

[[ -f "$ROOT/node/target/mastermind-node.jar" ]] || mvn -q -B -f "$ROOT/pom.xml" package -DskipTests
mkdir -p "$DIR"
[[ -f "$PIDS" ]] && stop
: > "$PIDS"
printf '{"clusterName":"%s"}\n' "$NAME" > "$DIR/cluster.json"

start() { # id roles cluster-port extra-args...
  local id=$1 roles=$2 port=$3; shift 3
  "$ROOT/scripts/mastermind" node --conf "$DIR/cluster.json" --node-id "$id" --roles "$roles" --cluster \
    --cluster-port "$port" --join "127.0.0.1:$BASE" ${TRACING[@]+"${TRACING[@]}"} "$@" > "$DIR/$id.log" 2>&1 &
  echo $! >> "$PIDS"
}

wait_ready() { # id
  for _ in $(seq 1 600); do
    grep -q " ready " "$DIR/$1.log" 2>/dev/null && { grep " ready " "$DIR/$1.log"; return 0; }
    sleep 0.1
  done
  echo "node $1 did not start; see $DIR/$1.log" >&2
  return 1
}

start node-1 coordinator,gateway "$BASE" --http-port "$HTTP_PORT"
wait_ready node-1
start node-2 worker $((BASE + 1)) --management-port $((MANAGEMENT + 2))
start node-3 worker $((BASE + 2)) --management-port $((MANAGEMENT + 3))
wait_ready node-2
wait_ready node-3

cat <<MSG

Cluster '$NAME' is up (PIDs in $PIDS, logs in $DIR):
  gateway   http://127.0.0.1:$HTTP_PORT   (coordinator + gateway, cluster port $BASE)
  workers   node-2 (cluster port $((BASE + 1)), management http://127.0.0.1:$((MANAGEMENT + 2)))
            node-3 (cluster port $((BASE + 2)), management http://127.0.0.1:$((MANAGEMENT + 3)))
Try:
  curl -s -XPOST -H 'content-type: application/json' 'http://127.0.0.1:$HTTP_PORT/api/v1/tasks?wait=5000' -d '{"type":"compute","payload":{"function":"primes","data":{"upTo":1000000}}}'
  curl -s http://127.0.0.1:$HTTP_PORT/api/v1/nodes
  curl -s http://127.0.0.1:$((MANAGEMENT + 2))/health/ready      # a worker: ready once joined to the leader
  curl -s http://127.0.0.1:$((MANAGEMENT + 2))/metrics | head
Stop with: scripts/local-cluster.sh stop
MSG
