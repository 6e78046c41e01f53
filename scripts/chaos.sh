#!/usr/bin/env bash
# Chaos run on loopback: a 3-node cluster under load; kill -9 a worker, then the leading
# coordinator, mid-run; then count what was accepted, what succeeded and what was lost.
#   scripts/chaos.sh [--tasks N] [--ms SLEEP_MS]
# Nodes: c1 coordinator+gateway (leader), c2 coordinator+gateway+worker (standby), w1 worker+gateway.
# Exits 0 when nothing accepted was lost. Ends only the processes it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TASKS=60
SLEEP_MS=500
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tasks) TASKS=$2; shift 2 ;;
    --ms) SLEEP_MS=$2; shift 2 ;;
    *) echo "usage: scripts/chaos.sh [--tasks N] [--ms SLEEP_MS]" >&2; exit 2 ;;
  esac
done
command -v curl >/dev/null || { echo "chaos.sh needs curl" >&2; exit 2; }
[[ -f "$ROOT/node/target/mastermind-node.jar" ]] || mvn -q -B -f "$ROOT/pom.xml" package -DskipTests

DIR="$(mktemp -d /tmp/mastermind-chaos.XXXXXX)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }
printf '{"clusterName":"chaos-%s"}\n' "$$-$RANDOM" > "$DIR/cluster.json"
SEED=$(free_port)

declare -A URL PID
start() { # id roles cluster-port
  local id=$1 roles=$2 port=$3 http; http=$(free_port)
  local join=(); [[ "$port" != "$SEED" ]] && join=(--join "127.0.0.1:$SEED")
  "$ROOT/scripts/mastermind" node --conf "$DIR/cluster.json" --node-id "$id" --roles "$roles" --cluster \
    --cluster-port "$port" "${join[@]}" --http-port "$http" --cpu 2 --memory 1024 > "$DIR/$id.log" 2>&1 &
  PID[$id]=$!; PIDS+=($!); URL[$id]="http://127.0.0.1:$http"
  for _ in $(seq 1 900); do grep -q " ready " "$DIR/$id.log" && return 0; sleep 0.1; done
  echo "$id did not start, see $DIR/$id.log" >&2; exit 1
}

start c1 coordinator,gateway "$SEED"
start c2 coordinator,gateway,worker "$(free_port)"
start w1 worker,gateway "$(free_port)"
echo "cluster up: c1 ${URL[c1]} (leader), c2 ${URL[c2]} (standby), w1 ${URL[w1]}; logs in $DIR"

ACCEPTED="$DIR/accepted"; : > "$ACCEPTED"
submit() { # gateway-url id -> appends id when accepted
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -XPOST "$1/api/v1/tasks" \
    -d "{\"id\":\"$2\",\"type\":\"io_bound\",\"payload\":{\"function\":\"sleep\",\"data\":{\"ms\":$SLEEP_MS}}}" || true)
  [[ "$code" == 202 || "$code" == 200 ]] && echo "$2" >> "$ACCEPTED" || true
}

third=$((TASKS / 3))
for i in $(seq 1 "$third"); do submit "${URL[c1]}" "chaos-a-$i"; done
echo "kill -9 w1 (worker, pid ${PID[w1]}) with tasks running"
kill -KILL "${PID[w1]}"
for i in $(seq 1 "$third"); do submit "${URL[c1]}" "chaos-b-$i"; done
echo "kill -9 c1 (leading coordinator, pid ${PID[c1]})"
kill -KILL "${PID[c1]}"
for i in $(seq 1 $((TASKS - 2 * third))); do submit "${URL[c2]}" "chaos-c-$i"; done

accepted=$(wc -l < "$ACCEPTED")
echo "accepted $accepted of $TASKS submissions; waiting for them to end (at most 180 s)"
deadline=$((SECONDS + 180))
while :; do
  succeeded=0; failed=0; pending=0
  while read -r id; do
    status=$(curl -s --max-time 5 "${URL[c2]}/api/v1/tasks/$id" | grep -o '"status":"[a-z_]*"' | head -1 | cut -d'"' -f4 || true)
    case "$status" in
      succeeded) succeeded=$((succeeded + 1)) ;;
      failed|timed_out|cancelled) failed=$((failed + 1)) ;;
      *) pending=$((pending + 1)) ;;
    esac
  done < "$ACCEPTED"
  [[ $pending -eq 0 || $SECONDS -ge $deadline ]] && break
  sleep 1
done
lost=$((accepted - succeeded))
echo
echo "accepted:  $accepted"
echo "succeeded: $succeeded"
echo "failed:    $failed"
echo "lost:      $lost"
[[ $lost -eq 0 ]]
