#!/usr/bin/env bash
# The test command from the README: unit tests of every module.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify
