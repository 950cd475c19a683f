#!/usr/bin/env bash
# Runs a study on a fresh machine: installs OpenBLAS (LAPACK for the harvest fits) if it is missing,
# builds the release `pipeline`, then `pipeline run CONFIG [ARGS…]` (default configs/quick.json).
# Re-running the same command resumes where it stopped; the report is WORKDIR/report/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s libopenblas-dev >/dev/null 2>&1; then
  echo "installing libopenblas-dev" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends libopenblas-dev >/dev/null
fi
swift build -c release --product pipeline >&2
bin="$(swift build -c release --show-bin-path)/pipeline"
config="${1:-configs/quick.json}"
[ $# -gt 0 ] && shift
exec "$bin" run "$config" "$@"
