#!/usr/bin/env bash
# Runs the test suite on a fresh machine: installs what the tests need (LAMMPS for the differential
# tests, OpenBLAS), then `swift test`. Extra arguments go to `swift test` (e.g. --filter EAMTests).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v lmp >/dev/null 2>&1 || missing+=(lammps)
[ -f /usr/share/lammps/potentials/CuZr_mm.eam.fs ] || missing+=(lammps-data)
dpkg -s libopenblas-dev >/dev/null 2>&1 || missing+=(libopenblas-dev)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
export SEEM_REQUIRE_LAMMPS=1     # differential tests fail, not skip, without LAMMPS
export SEEM_REQUIRE_CHROMIUM=1   # the report render test fails, not skips, without headless Chromium
swift test "$@"
