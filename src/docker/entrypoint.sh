#!/usr/bin/env bash
# Starts the node jar as PID 1 (exec), so SIGTERM from `docker stop` or Kubernetes reaches the JVM and
# drains the node. MASTERMIND_JAVA_OPTS adds JVM options (heap, GC, -Dmastermind.<key>=...).
set -euo pipefail
# Hazelcast on Java 17 wants these (the jar's manifest carries the --add-opens, not --add-modules).
# shellcheck disable=SC2086
# MaxTenuringThreshold=0: as scripts/mastermind (shorter young pauses); a flag in MASTERMIND_JAVA_OPTS wins.
exec java -XX:MaxTenuringThreshold=0 ${MASTERMIND_JAVA_OPTS:-} --add-modules java.se \
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -jar /opt/mastermind/mastermind-node.jar "$@"
