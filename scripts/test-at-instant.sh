#!/usr/bin/env bash
# Runs Maven's tests with the test JVMs' wall clock moved to an awkward instant (UTC), to catch
# tests and code that hold only at some hours of the week (CI runs at any hour):
#   scripts/test-at-instant.sh "2026-12-06 23:59:30" -o -B -pl worker -am test -Dtest='dev/rollout/worker/**' -Dsurefire.failIfNoSpecifiedTests=false
# Needs Debian's libfaketime (apt-get install faketime). The monotonic clock stays real, and the
# clock is moved by an offset, so processes a test starts (chaos) share their parent's clock.
# FAKETIME_FORCE_MONOTONIC_FIX=0: with the fix (which this glibc turns on by default) every
# Object.wait(ms) in the JVM returns at once: waits spin, the machine saturates and tests time out
# for reasons that have nothing to do with the clock.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 'YYYY-MM-DD HH:MM:SS' <mvn args...>" >&2; exit 2; }
instant=$1; shift
lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -e "$lib" ] || { echo "libfaketime missing: apt-get install faketime" >&2; exit 2; }
date -u -d "$instant" >/dev/null
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
jvm=$(mktemp -d)
trap 'rm -rf "$jvm"' EXIT
mkdir "$jvm/bin"
ln -s "$java_home/release" "$jvm/release" # surefire reads the JDK's version from it
cat > "$jvm/bin/java" <<EOF
#!/bin/sh
off=\$(( \$(date -u -d "$instant" +%s) - \$(date -u +%s) ))
case \$off in -*) ;; *) off=+\$off ;; esac
LD_PRELOAD=$lib FAKETIME="\$off" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 exec "$java_home/bin/java" "\$@"
EOF
chmod +x "$jvm/bin/java"
cd "$(dirname "$0")/.."
nice mvn "$@" -Djvm="$jvm/bin/java"
