#!/usr/bin/env bash
# Where a clustered task's cpu goes: starts the cluster of `scripts/bench.sh throughput` row 4
# (coordinator+gateway JVM c1, worker JVMs w1 and w2 with --cpu 2) and its WebSocket client (256 in
# flight), then prints the rate and each JVM's user and system cpu per task over the measured window
# (from /proc/PID/stat). With --jfr, each node records JFR (2 ms sampling) to DIR/{c1,w1,w2}.jfr; with
# --gc-log, each node logs its collections with their phases to DIR/gc-{c1,w1,w2}.log; with --rate N, the
# client runs an open loop at N tasks/s instead (FrontDoorBench open: submit->start and submit->result
# percentiles, as row 5 of scripts/bench.sh throughput, and the worst submit->result of each measured second).
#
#   scripts/profile-cluster.sh [--warmup S] [--seconds S] [--events true|false] [--jfr DIR] [--gc-log DIR] [--rate N]
#
# Build first (mvn -q -B package -DskipTests). Loopback only; every process it starts is ended by PID.
# MASTERMIND_JAVA_OPTS applies to the nodes, as with scripts/mastermind.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
WARMUP=40 SECS=10 EVENTS=true JFR="" GCLOG="" OPEN_RATE=""
while (($#)); do
  case $1 in
    --warmup) WARMUP=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --jfr) JFR=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --gc-log) GCLOG=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --rate) OPEN_RATE=$2; shift 2 ;;
    *) echo "usage: $0 [--warmup S] [--seconds S] [--events true|false] [--jfr DIR] [--gc-log DIR] [--rate N]" >&2; exit 2 ;;
  esac
done
HDR=$(ls "${MM_M2_REPO:-$HOME/.m2/repository}"/org/hdrhistogram/HdrHistogram/*/HdrHistogram-*.jar | head -1)
CP="node/target/test-classes:node/target/mastermind-node.jar:$HDR"
WORK=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
echo "{\"clusterName\":\"mm-profile-$$-$RANDOM\"}" > "$WORK/cluster.json"
SEED=$((20000 + RANDOM % 10000)) HTTP=$((30000 + RANDOM % 5000))

# node NAME ARGS...: starts it in the background, waits for its " ready " line, records its java PID
node() {
  local name=$1; shift
  local jfr=${JFR:+-XX:StartFlightRecording=filename=$JFR/$name.jfr,settings=profile,jdk.ExecutionSample#period=2ms}
  local gc=${GCLOG:+-Xlog:gc*,gc+phases=debug:file=$GCLOG/gc-$name.log}
  MASTERMIND_JAVA_OPTS="${MASTERMIND_JAVA_OPTS:-} $jfr $gc" scripts/mastermind node --cluster --conf "$WORK/cluster.json" \
    --node-id "$name" "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do grep -q " ready " "$WORK/$name.log" && return 0; sleep 0.2; done
  echo "$name did not start:" >&2; tail -20 "$WORK/$name.log" >&2; exit 1
}
node c1 --roles coordinator,gateway --http-port "$HTTP" --cluster-port "$SEED"
node w1 --roles worker --cpu 2 --join "127.0.0.1:$SEED" --cluster-port $((SEED + 1)) --http-port $((HTTP + 1))
node w2 --roles worker --cpu 2 --join "127.0.0.1:$SEED" --cluster-port $((SEED + 2)) --http-port $((HTTP + 2))
for _ in $(seq 1 100); do curl -s "127.0.0.1:$HTTP/api/v1/cluster" | grep -q '"healthy":2' && break; sleep 0.2; done

# the client's heap as bench.sh gives its drivers: fixed and touched at start (a growing one stalled the
# open loop's sends for seconds on this VM)
if [[ -n $OPEN_RATE ]]; then
  LOAD=(open --rate "$OPEN_RATE" --events "$EVENTS")
else
  LOAD=(ws --events "$EVENTS" --window 256 --label profile)
fi
java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$CP" io.mastermind.bench.FrontDoorBench "${LOAD[@]}" --port "$HTTP" \
  --warmup "$WARMUP" --seconds "$SECS" > "$WORK/client.out" 2>&1 &
CLIENT=$!
PIDS+=($CLIENT)
JVMS=("${PIDS[0]}" "${PIDS[1]}" "${PIDS[2]}" "$CLIENT") # scripts/mastermind execs java: same PIDs
# per JVM: user ticks, system ticks, read and write system calls (sockets included: what batching saves)
ticks() {
  for p in "${JVMS[@]}"; do
    echo "$(awk '{print $14 + $16 "," $15 + $17}' "/proc/$p/stat"),$(awk '/^syscr|^syscw/ {print $2}' "/proc/$p/io" | paste -sd,)"
  done | paste -sd' '
}
# the leader's store counters: flushes, entries, time in the store (GET /api/v1/cluster "store")
# and its scheduling passes: passes, tasks offered to the load balancer ("scheduler")
store() {
  local summary; summary=$(curl -s --noproxy '*' --max-time 2 "127.0.0.1:$HTTP/api/v1/cluster")
  echo "$(grep -oE '"store":\{[^}]*\}' <<< "$summary" | grep -oE '[0-9]+' | paste -sd,),$(grep -oE '"scheduler":\{"passes"[^}]*\}' <<< "$summary" | grep -oE '[0-9]+' | paste -sd,)"
}
sleep "$WARMUP"; BEFORE=$(ticks); STORE_BEFORE=$(store); sleep "$SECS"; AFTER=$(ticks); STORE_AFTER=$(store)
wait "$CLIENT" || true
grep -E "per second|open loop: [0-9]|open loop: worst" "$WORK/client.out"
NAMES=(c1 w1 w2)
if [[ -n $JFR ]]; then for i in 0 1 2; do jcmd "${JVMS[$i]}" JFR.dump filename="$JFR/${NAMES[$i]}.jfr" > /dev/null 2>&1 || true; done; fi
awk -v b="$STORE_BEFORE" -v a="$STORE_AFTER" -v secs="$SECS" 'BEGIN {
  split(b, x, ","); split(a, y, ","); f = y[1] - x[1]
  if (f > 0) printf "store  %.0f flushes/s, %.1f entries per flush, %.2f ms in the store per flush\n", f / secs, (y[2] - x[2]) / f, (y[3] - x[3]) / f
  p = y[4] - x[4]
  if (p > 0) printf "passes %.0f/s, %.1f tasks offered per pass, %.2f passes per flush\n", p / secs, (y[5] - x[5]) / p, (f > 0 ? p / f : 0)
}'
RATE=$(grep -oE '"(perSecond|achievedPerSecond)":[0-9.]*' "$WORK/client.out" | tail -1 | cut -d: -f2)
awk -v before="$BEFORE" -v after="$AFTER" -v secs="$SECS" -v rate="${RATE:-0}" 'BEGIN {
  split("c1 w1 w2 client", name, " "); n = split(before, b, " "); split(after, a, " ")
  if (rate <= 0) { print "no rate measured"; exit 1 }
  for (i = 1; i <= n; i++) {
    split(b[i], x, ","); split(a[i], y, ",")
    u = (y[1] - x[1]) / 100; s = (y[2] - x[2]) / 100; tu += u; ts += s
    r = (y[3] - x[3]) / (rate * secs); w = (y[4] - x[4]) / (rate * secs)
    printf "%-6s user %4.0f µs/task, system %4.0f µs/task (%3.0f%% of a core), %.2f reads and %.2f writes/task\n", name[i], u * 1e6 / (rate * secs), s * 1e6 / (rate * secs), (u + s) / secs * 100, r, w
  }
  printf "all    user %4.0f µs/task, system %4.0f µs/task at %.0f tasks/s\n", tu * 1e6 / (rate * secs), ts * 1e6 / (rate * secs), rate
}'
