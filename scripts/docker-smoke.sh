#!/usr/bin/env bash
# Container smoke test: builds the node image (src/docker/Dockerfile), starts the 3-node compose cluster
# (src/compose/compose.yaml, with the example secrets), waits until all three nodes are healthy, runs a
# task through the gateway on each coordinator, and tears the cluster down again.
# Needs a Docker engine with compose v2; when `docker info` fails it says SKIPPED and exits 0.
#   scripts/docker-smoke.sh            # exit 0: passed or skipped; 1: failed (the nodes' logs are printed)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "docker-smoke: SKIPPED: no Docker engine here (docker info failed); nothing was built or run"
  exit 0
fi
if ! docker compose version >/dev/null 2>&1; then
  echo "docker-smoke: SKIPPED: docker compose (v2) is not installed"
  exit 0
fi

ENV_FILE=src/compose/.env.example
COMPOSE=(docker compose --env-file "$ENV_FILE" -f src/compose/compose.yaml -p mastermind-smoke)
TOKEN="$(sed -n 's/^MASTERMIND_API_TOKENS=\([^,:]*\).*/\1/p' "$ENV_FILE")"

fail() {
  echo "docker-smoke: FAILED: $*" >&2
  "${COMPOSE[@]}" logs --no-color --tail 80 >&2 || true
  exit 1
}
cleanup() { "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "docker-smoke: building the image"
docker build -q -f src/docker/Dockerfile -t mastermind-node:latest . >/dev/null || fail "docker build"

echo "docker-smoke: starting the cluster"
"${COMPOSE[@]}" up -d || fail "compose up"

api() { curl -fsS --max-time 15 -H "Authorization: Bearer $TOKEN" "$@"; }

healthy=""
for _ in $(seq 1 90); do
  healthy="$(api localhost:8080/api/v1/nodes 2>/dev/null | grep -o '"state" *: *"healthy"' | wc -l || true)"
  [[ "${healthy:-0}" -ge 3 ]] && break
  sleep 2
done
[[ "${healthy:-0}" -ge 3 ]] || fail "3 healthy nodes expected, saw ${healthy:-0}"
echo "docker-smoke: 3 nodes healthy"

for port in 8080 8081; do
  result="$(api -XPOST -H 'content-type: application/json' "localhost:$port/api/v1/tasks?wait=20000" \
    -d '{"type":"compute","payload":{"function":"primes","data":{"upTo":1000}}}')" || fail "task through :$port"
  grep -q '"status" *: *"succeeded"' <<<"$result" || fail "task through :$port did not succeed: $result"
  echo "docker-smoke: task through the gateway on :$port succeeded"
done
for port in 9090 9091 9092; do
  curl -fsS --max-time 5 "localhost:$port/health/ready" >/dev/null || fail "/health/ready on management :$port"
done
echo "docker-smoke: PASSED"
