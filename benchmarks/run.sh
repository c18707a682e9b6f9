#!/usr/bin/env bash
# Runs every benchmark and rewrites docs/benchmarks.md. Installs wrk (Debian package) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq wrk
fi
mvn -q -B -pl benchmarks -am compile exec:exec
