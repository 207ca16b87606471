#!/usr/bin/env bash
# N rollouts baking on one worker with the embedded Temporal server, in real time (issue 13):
#   scripts/bench-scale.sh N [--steady SECONDS] [--singles K]
# Prints time to start all, heap/RSS/threads, CPU while baking, trigger checks per second against
# the expected N/5, breach -> rolled back (one at a time, then all at once), history size.
# MVN_OFFLINE=-o builds offline; BENCH_JAVA_OPTS sets the JVM options (default -Xmx2g).
# CI runs a 20-rollout smoke size as a test (ScaleBenchTest); results: docs/scale.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 N [--steady SECONDS] [--singles K]" >&2; exit 2; }
mvn -q -B -ntp ${MVN_OFFLINE:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  dev.rollout.bench.ScaleBench "$@"
