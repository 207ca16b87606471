#!/usr/bin/env bash
# The project's test command (README, CI): starts the real services (PostgreSQL, nginx, Redis,
# Prometheus on loopback; installs them from Debian's packages if missing), then runs every
# module's unit AND integration tests in one Maven pass (benchmarks run there once, as tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh down >/dev/null 2>&1 || true
scripts/services.sh up
trap 'scripts/services.sh down >/dev/null 2>&1 || true' EXIT
mvn -B -ntp verify -DexcludedTestGroups=none
