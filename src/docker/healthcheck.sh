#!/usr/bin/env bash
# HEALTHCHECK without curl (the JRE image has none): GET PATH on the management port through bash's
# /dev/tcp; healthy when the status line says 200.
set -euo pipefail
path="${1:-/health/live}"
port="${MASTERMIND_MANAGEMENT_PORT:-9090}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 3 status <&3
[[ "$status" == HTTP/1.?\ 200* ]]
