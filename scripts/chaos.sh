#!/usr/bin/env bash
# Chaos run on loopback (issue 9's failover proof): a 3-JVM cluster under load; kill -9 a worker, then
# the leading coordinator, mid-run; then prove that no accepted task was lost, no reported result
# changed and no task was left unfinished.
#   scripts/chaos.sh [--tasks N] [--samples S] [--window W] [--wait SECONDS] [--kill-gap MS] [--keep-logs]
# See usage below. Ends only the processes it started, by PID.
set -uo pipefail
export LC_ALL=C
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC_JAR="${MM_BENCH_JAR:-$ROOT/node/target/mastermind-node.jar}"

usage() {
  cat <<'EOF'
scripts/chaos.sh — kill -9 a worker, then the leading coordinator, under load (127.0.0.1 only)

Usage:
  scripts/chaos.sh [--tasks N] [--samples S] [--window W] [--wait SECONDS] [--anchor-samples S]
                   [--kill-gap MS] [--keep-logs]

Starts three fat-jar JVMs with the shipped defaults (each --cpu 2 --memory 1024, a unique clusterName
in a --conf file, loopback only), each after the previous one printed its " ready " line:
  c1  coordinator,gateway          the leader (started first)
  c2  coordinator,gateway,worker   standby coordinator; the gateway the client uses throughout
  w1  worker,gateway
and, once GET /api/v1/cluster on c1 shows 2 healthy nodes with c1 leading, runs the Java client
io.mastermind.bench.ChaosDriver (node/src/test/java/io/mastermind/bench) against c2's gateway:
  - a WebSocket to /api/v1/ws subscribed to task:* records every event of every task in arrival order
    and the result each task:completed reported (data.result);
  - N `pi` tasks (ids chaos-0 .. chaos-<N-1>, {"samples": S}: random, so a re-run gives another result)
    are submitted with POST /api/v1/tasks, at most W outstanding (submitted, not yet seen ending), so
    submitting goes on across both kills; a 503/429/5xx or an unanswered POST (12 s) is sent again with
    the same id (idempotent); a task counts as accepted on 202/200 only;
  - SIGKILL (kill -9) of w1 (by the PID this script started) once 1/3 of the tasks ended, of c1 once 2/3
    ended (and at least --kill-gap ms after w1's kill), each while an "anchor" runs: when a kill is due,
    long pi tasks (--anchor-samples) are sent one at a time until one is seen started on w1 (for w1's
    kill) or anywhere (for c1's), then the kill is made (at most 15 s after it was due). The short tasks
    end within the time an event takes to arrive, so without anchors a kill rarely catches one running.
    Anchors (ids chaos-anchor-w<k>, chaos-anchor-l<k>) are checked like every other task;
  - at most --wait seconds after the last submission settled, every id is read back with
    GET /api/v1/tasks/{id} from c2 and counted: accepted, succeeded, failed (codes), lost (accepted then
    404), stuck (not ended), results changed (the record's result differs from what task:completed
    reported, or two task:completed disagree, or a terminal record read during the run changed), events
    out of lifecycle order, attempts, and the time from each kill to the next task:completed.
Exit status: 0 when nothing was lost, changed or stuck (and both kills happened); 1 when something was
lost, changed or stuck; 2 usage; 3 when the run could not be made.

Options:
  --tasks N       tasks to submit (default 10000)
  --samples S     pi samples per task (default 200000: a few ms each)
  --window W      tasks outstanding at once (default 64)
  --wait S        bound on the wait for every task to end after the last submission (default 180)
  --anchor-samples S  samples of an anchor task (default 250 x --samples; 0: no anchors: w1 is killed
                  when a task was last placed on it, c1 at the 2/3 mark)
  --kill-gap MS   kill c1 no sooner than MS after w1 (default 0: only the 2/3 mark counts). With few
                  tasks the two kills come well under a second apart.
  --keep-logs     keep node logs and the per-task event file also when the run passes
                  (they are always kept when it fails)
  --ms            dropped: the tasks are `pi` now, not `sleep` (use --samples for their length)

Progress goes to stderr; the markdown block for docs/BENCHMARKS.md to stdout.
Environment: MM_BENCH_JAR (default node/target/mastermind-node.jar), MASTERMIND_JAVA_OPTS (extra JVM
flags for the nodes), MM_M2_REPO (for HdrHistogram; default ~/.m2/repository).
EOF
}

TASKS=10000
SAMPLES=200000
WINDOW=64
WAIT=180
KEEP=0
KILL_GAP=0
ANCHOR=""
COMMAND="scripts/chaos.sh${*:+ $*}"
while (($#)); do
  case $1 in
    --tasks) [[ ${2:-} =~ ^[0-9]+$ ]] && (($2 >= 30)) || { echo "--tasks needs a number >= 30" >&2; exit 2; }
      TASKS=$2; shift 2 ;;
    --samples) [[ ${2:-} =~ ^[0-9]+$ ]] && (($2 >= 1)) || { echo "--samples needs a positive number" >&2; exit 2; }
      SAMPLES=$2; shift 2 ;;
    --window) [[ ${2:-} =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 1000)) || { echo "--window needs 1..1000" >&2; exit 2; }
      WINDOW=$2; shift 2 ;;
    --wait) [[ ${2:-} =~ ^[0-9]+$ ]] && (($2 >= 1)) || { echo "--wait needs seconds" >&2; exit 2; }
      WAIT=$2; shift 2 ;;
    --anchor-samples) [[ ${2:-} =~ ^[0-9]+$ ]] || { echo "--anchor-samples needs a number (0: no anchors)" >&2; exit 2; }
      ANCHOR=$2; shift 2 ;;
    --kill-gap) [[ ${2:-} =~ ^[0-9]+$ ]] || { echo "--kill-gap needs milliseconds" >&2; exit 2; }
      KILL_GAP=$2; shift 2 ;;
    --keep-logs) KEEP=1; shift ;;
    --ms) echo "chaos.sh: --ms was dropped (tasks are pi now; see --samples)" >&2; usage >&2; exit 2 ;;
    -h | --help | help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

say() { printf '[chaos.sh] %s\n' "$*" >&2; }
for tool in java curl jq; do
  command -v "$tool" > /dev/null || { say "$tool not found"; exit 3; }
done

# ---- build what is missing; copy it so a rebuild during the run cannot disturb it ---------------

CLASSES="$ROOT/node/target/test-classes"
HDR_VER=$(sed -n 's:.*<hdrhistogram.version>\(.*\)</hdrhistogram.version>.*:\1:p' "$ROOT/pom.xml")
HDR="${MM_M2_REPO:-$HOME/.m2/repository}/org/hdrhistogram/HdrHistogram/$HDR_VER/HdrHistogram-$HDR_VER.jar"
if [[ ! -f $SRC_JAR || ! -f $CLASSES/io/mastermind/bench/ChaosDriver.class || ! -f $HDR ]]; then
  say "building (mvn -q -B package -DskipTests) for the fat jar and the driver"
  mvn -q -B -f "$ROOT/pom.xml" package -DskipTests >&2 || { say "build failed"; exit 3; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mastermind-chaos.XXXXXX")"
PIDS=()
declare -A PID=() URL=() HPORT=() CPORT=() LOG=()

ours() { # pid: a live (or not yet reaped) direct child of this script
  local stat fields
  [[ -r /proc/$1/stat ]] || return 1
  read -r stat < "/proc/$1/stat" 2>/dev/null || return 1
  stat=${stat##*) }
  fields=($stat)
  [[ ${fields[1]} == "$$" ]]
}
end_pid() { # pid: SIGKILL, only if it is ours
  if ours "$1"; then
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
  fi
  return 0
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${PIDS[@]}"; do end_pid "$pid"; done
  if [[ $KEEP == 1 || $rc != 0 ]]; then
    rm -f "$WORK/run/mastermind-node.jar"
    say "logs kept in $WORK (node logs c1.log c2.log w1.log, driver.out/.err, events.jsonl)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/run"
cp "$SRC_JAR" "$WORK/run/mastermind-node.jar"
cp -r "$CLASSES" "$WORK/run/test-classes"
[[ -f $HDR ]] && cp "$HDR" "$WORK/run/"
JAR="$WORK/run/mastermind-node.jar"
CP="$WORK/run/test-classes:$JAR${HDR:+:$WORK/run/$(basename "$HDR")}"
JAVA_FLAGS=(${MASTERMIND_JAVA_OPTS:-} --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
CURL=(curl -s --noproxy '*' --max-time 2)

# ---- the cluster ------------------------------------------------------------------------------

USED=" "
free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null) \
      || p=$((20000 + RANDOM % 12000))
    [[ $USED == *" $p "* ]] && continue
    USED+="$p "
    PORT=$p
    return 0
  done
  return 1
}

CONF="$WORK/cluster.json"
printf '{"clusterName":"mm-chaos-%s-%s"}\n' "$$" "$RANDOM" > "$CONF"

start() { # id roles [seed cluster port]
  local id=$1 roles=$2 seed=${3:-} attempt i
  for attempt in 1 2 3; do
    free_port || return 1; CPORT[$id]=$PORT
    free_port || return 1; HPORT[$id]=$PORT
    local args=(node --conf "$CONF" --node-id "$id" --roles "$roles" --cluster --cluster-port "${CPORT[$id]}"
      --http-port "${HPORT[$id]}" --cpu 2 --memory 1024)
    [[ -n $seed ]] && args+=(--join "127.0.0.1:$seed")
    LOG[$id]="$WORK/$id.log"
    java "${JAVA_FLAGS[@]}" -Dmastermind.home="$ROOT" -jar "$JAR" "${args[@]}" > "${LOG[$id]}" 2>&1 &
    PID[$id]=$!
    PIDS+=("${PID[$id]}")
    disown "${PID[$id]}"   # no "Killed" job notice when the driver kills it; still ended by PID on exit
    URL[$id]="http://127.0.0.1:${HPORT[$id]}"
    for ((i = 0; i < 600; i++)); do
      grep -q " ready " "${LOG[$id]}" 2>/dev/null && { say "$id up (pid ${PID[$id]}, ${URL[$id]}, roles $roles)"; return 0; }
      kill -0 "${PID[$id]}" 2>/dev/null || break
      sleep 0.1
    done
    end_pid "${PID[$id]}"
    if grep -qiE "address already in use|BindException" "${LOG[$id]}"; then
      mv "${LOG[$id]}" "${LOG[$id]}.busy-port.$attempt"
      continue
    fi
    say "$id did not start; last lines of ${LOG[$id]}:"
    tail -n 15 "${LOG[$id]}" >&2
    return 1
  done
  return 1
}

read -r LOAD_START _ < /proc/loadavg
say "work dir $WORK; load average $LOAD_START"
start c1 coordinator,gateway || exit 3
start c2 coordinator,gateway,worker "${CPORT[c1]}" || exit 3
start w1 worker,gateway "${CPORT[c1]}" || exit 3
body=""
for ((i = 0; i < 600; i++)); do
  body=$("${CURL[@]}" "${URL[c1]}/api/v1/cluster")
  [[ $(jq -r '"\(.nodes.healthy) \(.leader.nodeId)"' <<< "$body" 2>/dev/null) == "2 c1" ]] && break
  sleep 0.1
done
[[ $(jq -r '"\(.nodes.healthy) \(.leader.nodeId)"' <<< "$body" 2>/dev/null) == "2 c1" ]] \
  || { say "the cluster never showed 2 healthy nodes with c1 leading: $body"; exit 3; }
say "cluster up: 2 healthy nodes, leader c1"

# ---- the run ----------------------------------------------------------------------------------

read -r LOAD_RUN _ < /proc/loadavg
MAX=$((WAIT + TASKS / 20 + 300))   # the driver's own bound; the watchdog below adds 120 s
java -Xmx1g -Dvertx.logger-delegate-factory-class-name=io.vertx.core.logging.SLF4JLogDelegateFactory \
  -cp "$CP" io.mastermind.bench.ChaosDriver \
  --port "${HPORT[c2]}" --kill-worker "w1:${PID[w1]}" --kill-leader "c1:${PID[c1]}" --tasks "$TASKS" \
  --samples "$SAMPLES" --window "$WINDOW" --wait "$WAIT" --max-seconds "$MAX" --events-out "$WORK/events.jsonl" \
  --kill-gap-ms "$KILL_GAP" ${ANCHOR:+--anchor-samples "$ANCHOR"} > "$WORK/driver.out" 2> >(tee "$WORK/driver.err" | grep --line-buffered '^\[chaos\]' >&2) &
DRIVER=$!
PIDS+=("$DRIVER")
deadline=$((SECONDS + MAX + 120))
while kill -0 "$DRIVER" 2>/dev/null && ((SECONDS < deadline)); do sleep 1; done
if kill -0 "$DRIVER" 2>/dev/null; then
  say "the driver ran past its bound; ended"
  end_pid "$DRIVER"
  RC=3
else
  wait "$DRIVER"
  RC=$?
fi
sleep 0.2
read -r LOAD_END _ < /proc/loadavg

echo
echo "## Chaos (issue 9)"
echo
echo "Command: \`$COMMAND\`"
echo
echo "Machine: nproc $(nproc); $(java -version 2>&1 | head -n 1); load average (1 min) $LOAD_START before the"
echo "cluster started, $LOAD_RUN when the driver started, $LOAD_END at the end; $(date -u '+%Y-%m-%d %H:%M UTC')."
echo "Nodes: c1 coordinator,gateway (leader); c2 coordinator,gateway,worker; w1 worker,gateway; each \`--cpu 2"
echo "--memory 1024\`, shipped defaults, a unique clusterName in a \`--conf\` file, 127.0.0.1 only."
grep -v '^PROGRESS ' "$WORK/driver.out" | grep -v '^RESULT ' | sed '/^### Chaos run result$/,+1d'
# the kills as the driver saw them, next to what the survivor c2 logged (local time, HH:MM:SS.mmm)
timeline=$( {
  sed -n 's/^\[chaos\] KILL -9 \([a-z0-9]*\) (pid [0-9]*) at [0-9.]* s (\([0-9:.]*\) local): \(.*\)$/\2 driver: kill -9 \1: \3/p' "$WORK/driver.err"
  # a log line starts with an ISO date and time (the node's pattern) or, in older builds, the time alone
  awk '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]/ { ts = substr($1, 12, 12) }
    /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9] / { ts = $1 }
    /^Members \{size:/ && ts != "" { sub(/,.*/, ""); sub(/Members \{size:/, ""); print ts " c2: Hazelcast members now " $0 }
    /leads with epoch/ { sub(/.* - /, ""); print ts " c2: " $0 }' "$WORK/c2.log"
} | sort | awk '!seen[$0]++' )
if [[ -n $timeline ]]; then
  echo
  echo "Timeline (local time; the driver's kills and c2's log):"
  echo
  echo '```'
  printf '%s\n' "$timeline"
  echo '```'
fi
grep '^RESULT ' "$WORK/driver.out" >&2

if ((RC != 0)); then
  say "driver exit $RC; last lines of driver.err:"
  grep -v '^\[chaos\]' "$WORK/driver.err" | tail -n 20 >&2
  # the nodes do not log task ids at INFO: their warnings, errors and coordinator lines instead
  echo
  echo "Node log excerpts (WARN/ERROR and coordinator lines, first line of each, at most 25 per node):"
  echo
  echo '```'
  for id in c1 c2 w1; do
    grep -E '^[0-9:.]+ (WARN|ERROR) |CoordinatorVerticle' "$WORK/$id.log" 2>/dev/null | grep -v 'CP Subsystem is not enabled' \
      | head -n 25 | cut -c1-260 | sed "s/^/$id: /"
  done
  echo '```'
fi
exit "$RC"
