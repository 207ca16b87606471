#!/usr/bin/env bash
# Prints the project's benchmark figures (timings are printed, never asserted):
#   1. rehearsal wall time per plan under plans/ (median of --runs, default 10);
#   2. with --live: breach -> rollback latency against a real Prometheus (20 runs) and
#      backup/restore of a ~100 MB PostgreSQL database; these need scripts/services.sh up.
# CI runs each benchmark once as a test (scripts/test.sh); this script is for the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10 live=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --live) live=1; shift ;;
    *) echo "usage: $0 [--runs N] [--live]" >&2; exit 2 ;;
  esac
done
mvn -q -B -ntp -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
java -cp "bench/target/classes:$(cat bench/target/bench.classpath)" dev.rollout.bench.RehearsalBench --runs "$runs"
if [ $live -eq 1 ]; then
  mvn -B -ntp -pl activities,rehearsal -am test -DexcludedTestGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest='DetectionLatencyBenchmarkTest,BackupRestoreBenchTest' | grep -vE '^\[(INFO|WARNING)\]'
fi
