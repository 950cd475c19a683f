#!/usr/bin/env bash
# SEEM strain steps per second, one core.
#  1. The benchmark package Benchmarks/ (ordo-one/benchmark): 10⁶ steps per iteration on a synthetic
#     20×20 (τ, X1) database, Bernoulli and Poisson; "Throughput (M)" is millions of steps per second.
#  2. With a database argument, also `pipeline seem --threads 1` on it (its stdout reports
#     steps_per_second of the integration alone; /usr/bin/time gives the whole command). This is also the
#     fallback when the benchmark package cannot be built.
# Usage: scripts/bench-seem.sh [DATABASE.json [RUNS=1000]]
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-}; runs=${2:-1000}
ok=0
if (cd Benchmarks && swift package --scratch-path ../.build-bench-seem --disable-sandbox benchmark --filter 'SEEM steps.*' \
      --no-progress); then ok=1; else echo "bench-seem: the benchmark package failed; use the pipeline timing below" >&2; fi
if [ -n "$db" ]; then
  swift build -c release --product pipeline --scratch-path .build-bench-seem-cli >/dev/null
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  echo "pipeline seem on $db, $runs runs per sample, 1 thread:"
  /usr/bin/time -f "  whole command: %e s wall, %U s user, %M KB max RSS" \
    .build-bench-seem-cli/release/pipeline seem --database "$db" --output "$tmp" --runs "$runs" --threads 1
elif [ "$ok" = 0 ]; then
  echo "bench-seem: give a database (scripts/bench-seem.sh DB.json) for the fallback timing" >&2; exit 1
fi
