#!/usr/bin/env bash
# Regenerates docs/benchmarks.md from one run of every benchmark, on this machine (described at
# the top of the file). Nothing in the file is typed by hand: each section is the output of the
# command it names, or a line saying which command fills it when its entry point is missing.
#   scripts/benchmarks.sh [--full] [--runs N] [--scale N] [--steady S] [--no-live] [--no-chaos] [--stress N] [--out FILE]
#   --full       the sizes docs/scale.md reports: scale 1000 rollouts, 30 s steady, 20 singles
#                (default: smoke sizes, scale 20 rollouts, 10 s steady, 3 singles, as CI's ScaleBenchTest)
#   --runs N     rehearsals per plan for the medians, and floor runs (default 10)
#   --scale N    rollouts for the scale benchmark (overrides the size above)
#   --steady S   seconds the scale benchmark measures the steady bake (overrides the size above)
#   --no-live    skip detection latency and backup/restore (they need scripts/services.sh up)
#   --no-chaos   skip the chaos run (about 10 minutes)
#   --stress N   also run the hang stress test: each seed plan rehearsed N times, the canary 5N
#                (the issue's proof is N=200: hours on a loaded machine; off by default)
# How long: the smoke run without chaos took 22 min on this 2-core machine at load ~30 (rehearsals
# of --runs 10: 710 s, floor 337 s, scale 20: 95 s, live: 153 s); chaos adds about 11 min (ChaosTest
# 686 s when the machine was quieter). To stay near 20 min: --runs 3, and --no-chaos quotes the last
# chaos summary from chaos/target instead of running it again.
# The scale analysis (capacity, where the limits are and why) is hand-written in docs/scale.md from
# measured runs; this file only shows what this run measured. MVN_OFFLINE=-o builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10 scale=20 steady=10 singles=3 size=smoke live=1 chaos=1 stress=0 out=docs/benchmarks.md
while [ $# -gt 0 ]; do
  case "$1" in
    --full) scale=1000 steady=30 singles=20 size=full; shift ;;
    --runs) runs=$2; shift 2 ;;
    --scale) scale=$2; size=custom; shift 2 ;;
    --steady) steady=$2; size=custom; shift 2 ;;
    --no-live) live=0; shift ;;
    --no-chaos) chaos=0; shift ;;
    --stress) stress=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,22p' "$0" >&2; exit 2 ;;
  esac
done
mvn_flags=(-q -B -ntp ${MVN_OFFLINE:-})
# Before anything runs: the header is written at the end, when the run itself loads the machine.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
began_all=$SECONDS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One section: a title, the command, the source that measures, its output in a code block.
section() {
  local title=$1 source=$2 command=$3 output=$4
  {
    echo "## $title"
    echo
    echo "Command: \`$command\`"
    echo
    echo "Source: $source"
    echo
    echo '```'
    # Maven's colour codes (it colours even with -B in places) are noise in a document.
    sed 's/\x1b\[[0-9;]*m//g' "$output"
    echo '```'
    echo
  } >> "$tmp/body.md"
}

# A line under the last section (a pointer, never a figure).
note() {
  printf '%s\n\n' "$1" >> "$tmp/body.md"
}

placeholder() {
  local title=$1 text=$2
  printf '## %s\n\n%s\n\n' "$title" "$text" >> "$tmp/body.md"
}

# Links the files that measure a section (paths from the repository root, as seen from docs/).
sources() {
  local out="" f
  for f in "$@"; do
    if [ -e "$f" ]; then out+="${out:+, }[\`$f\`](../$f)"
    else echo "scripts/benchmarks.sh names a source that is not there: $f" >&2; out+="${out:+, }\`$f\` (missing)"; fi
  done
  echo "$out"
}

# Runs a benchmark; a failure is shown in its section, never hidden, and the others still run.
#   measure TITLE SOURCES COMMAND...   (SOURCES: the output of sources)
measure() {
  local title=$1 source=$2; shift 2
  local log="$tmp/$(echo "$title" | tr -c 'a-zA-Z0-9' '_').txt"
  local began=$SECONDS
  # The figures are on stdout; logs (stderr) are kept only when the run fails.
  if "$@" > "$log" 2> "$log.err"; then :; else
    { echo "(exit code $?: the run failed; its last log lines:)"; tail -20 "$log.err"; } >> "$log"
  fi
  echo "(wall time $((SECONDS - began)) s)" >> "$log"
  section "$title" "$source" "$(echo "$*" | sed "s|$bench_cp|<bench classpath>|")" "$log"
}

echo "building the bench module..." >&2
mvn "${mvn_flags[@]}" -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
bench_cp="bench/target/classes:$(cat bench/target/bench.classpath)"
: > "$tmp/body.md"

echo "rehearsals per plan..." >&2
measure "Rehearsal wall time per plan (median of $runs)" "$(sources bench/src/main/java/dev/rollout/bench/RehearsalBench.java bench/src/main/java/dev/rollout/bench/PlanRuns.java)" \
  java -cp "$bench_cp" dev.rollout.bench.RehearsalBench --runs "$runs"

if [ -f bench/src/main/java/dev/rollout/bench/FloorBench.java ]; then
  echo "floor ratio..." >&2
  measure "Rehearsal against the bare floor (ratio; issue 13 asks for at most 1.3)" "$(sources bench/src/main/java/dev/rollout/bench/FloorBench.java)" \
    java -cp "$bench_cp" dev.rollout.bench.FloorBench --runs "$runs"
  note "What the floor is, how the ratio is read and its measured figures: [docs/scale.md, Rehearsal against its floor](scale.md#rehearsal-against-its-floor)."
else
  placeholder "Rehearsal against the bare floor" \
    "Not measured: the floor benchmark (\`dev.rollout.bench.FloorBench\`, branch h6-scale) is not in this tree yet. Run \`scripts/benchmarks.sh\` again once it is."
fi

if [ -x scripts/bench-scale.sh ]; then
  echo "scale ($scale rollouts, $size size)..." >&2
  measure "Scale: $scale rollouts on one worker ($size size)" "$(sources scripts/bench-scale.sh bench/src/main/java/dev/rollout/bench/ScaleBench.java bench/src/main/java/dev/rollout/bench/ScaleTarget.java)" \
    scripts/bench-scale.sh "$scale" --steady "$steady" --singles "$singles"
  note "This run's figures only. The scale analysis — capacity of one worker, where the limits are and why, figures at the full sizes — is [docs/scale.md](scale.md) (hand-written from measured runs; \`--full\` reruns its sizes here)."
else
  placeholder "Scale" \
    "Not measured: the scale benchmark (\`scripts/bench-scale.sh N\`, branch h6-scale) is not in this tree yet. Run \`scripts/bench-scale.sh 200\`, then \`scripts/benchmarks.sh\` again."
fi

if [ $live -eq 1 ]; then
  echo "detection latency and backup/restore (real services)..." >&2
  measure "Breach detection latency and backup/restore (real Prometheus and PostgreSQL)" \
    "$(sources rehearsal/src/test/java/dev/rollout/activities/metrics/live/DetectionLatencyBenchmarkTest.java \
      activities/src/test/java/dev/rollout/activities/integration/BackupRestoreBenchTest.java)" \
    mvn -B -ntp ${MVN_OFFLINE:-} -pl activities,rehearsal -am test -DexcludedTestGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest='DetectionLatencyBenchmarkTest,BackupRestoreBenchTest'
  # Keep the figures, drop Maven's chatter.
  sed -i -E '/^\[(INFO|WARNING)\]|^Downloading|^Downloaded/d' "$tmp/body.md"
else
  placeholder "Breach detection latency and backup/restore" \
    "Not measured in this run (--no-live): they need the real services (\`scripts/services.sh up\`)."
fi

if [ $chaos -eq 1 ]; then
  echo "chaos and fault injection (kill -9 of the worker, PostgreSQL killed)..." >&2
  rm -f chaos/target/chaos-summary.txt chaos/target/faults-summary.txt
  measure "Chaos: worker killed -9 while rollouts run; faults injected" \
    "$(sources chaos/src/test/java/dev/rollout/chaos/ChaosTest.java chaos/src/main/java/dev/rollout/chaos/ChaosWorker.java \
      chaos/src/test/java/dev/rollout/chaos/FaultInjectionTest.java chaos/src/test/java/dev/rollout/chaos/PostgresKillTest.java \
      chaos/src/test/java/dev/rollout/chaos/PostgresKilledInRolloutTest.java)" \
    mvn -B -ntp ${MVN_OFFLINE:-} -pl chaos -am test -DexcludedTestGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest='ChaosTest,FaultInjectionTest,PostgresKillTest,PostgresKilledInRolloutTest'
  sed -i -E '/^\[(INFO|WARNING)\]|^Downloading|^Downloaded|^\[.*(INFO|WARN) /d' "$tmp/body.md"
  for f in chaos/target/chaos-summary.txt chaos/target/faults-summary.txt; do
    [ -f "$f" ] && { echo; cat "$f"; } >> "$tmp/summaries.txt"
  done
else
  last=""
  for f in chaos/target/chaos-summary.txt chaos/target/faults-summary.txt; do
    [ -f "$f" ] && last+="$(cat "$f") (from the run of $(date -u -r "$f" +%Y-%m-%dT%H:%MZ), file $f)"$'\n'
  done
  if [ -n "$last" ]; then
    placeholder "Chaos" "Not run again (--no-chaos); the last runs' summaries, quoted from their files:"
    printf '```\n%s```\n\n' "$last" >> "$tmp/body.md"
  else
    placeholder "Chaos" "Not measured in this run (--no-chaos): run \`scripts/benchmarks.sh\` without it."
  fi
fi

if [ "$stress" -gt 0 ]; then
  # The module that holds the stress test (it may move from workflows to rehearsal).
  stress_test=$(find . -path ./node_modules -prune -o -name RehearsalHangStressTest.java -print | grep -v /target/ | head -1)
  stress_module=$(echo "$stress_test" | sed -E 's|^\./([^/]+)/.*|\1|')
  echo "hang stress ($stress per plan, $((5 * stress)) of the canary, module $stress_module)..." >&2
  rm -f "$stress_module/target/rehearsal-stress.txt"
  hang_watch=$(find . -name HangWatch.java -print | grep -v /target/ | head -1)
  measure "Hang stress: every seed plan rehearsed $stress times, the canary $((5 * stress))" \
    "$(sources "${stress_test#./}" "${hang_watch#./}")" \
    mvn -B -ntp ${MVN_OFFLINE:-} -pl "$stress_module" -am test -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest=RehearsalHangStressTest -Dstress.count="$stress" -Dstress.canary="$((5 * stress))"
  # Keep the per-plan lines (counts, durations, any hang with its history tail), drop Maven's chatter.
  sed -i -E '/^\[(INFO|WARNING)\]|^Downloading|^Downloaded|^\[.*(INFO|WARN|ERROR) /d' "$tmp/body.md"
fi

mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
jdk=$(java -version 2>&1 | head -1)
{
  echo "# Benchmarks"
  echo
  echo "Generated by \`scripts/benchmarks.sh\` on $(date -u +%Y-%m-%dT%H:%MZ) from commit"
  echo "\`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`. Do not edit by hand: run the script again."
  echo
  echo "| machine | |"
  echo "| --- | --- |"
  echo "| CPUs | $(nproc) ($cpu) |"
  echo "| memory | $mem |"
  echo "| JDK | $jdk |"
  echo "| Maven | $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g') |"
  echo "| OS | $(uname -sr) |"
  echo "| load average before the run | $load_before |"
  echo "| load average after the run | LOAD_AFTER |"
  echo "| whole run | $((SECONDS - began_all)) s ($size size) |"
  echo
  echo "Timings are printed, never asserted (CI runs each benchmark once, small, as a test). A"
  echo "loaded machine makes them slower; the load average above says how loaded it was."
  echo
  if [ -f "$tmp/summaries.txt" ]; then
    echo "## Summaries quoted from the chaos and fault runs"
    echo
    echo '```'
    sed '/^$/d' "$tmp/summaries.txt"
    echo '```'
    echo
  fi
  cat "$tmp/body.md"
} > "$out"
sed -i "s|LOAD_AFTER|$(cut -d' ' -f1-3 /proc/loadavg)|" "$out"
echo "wrote $out" >&2
