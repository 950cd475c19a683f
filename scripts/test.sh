#!/usr/bin/env bash
# Runs the test suite on a fresh machine: installs what the tests need (LAMMPS for the differential
# tests, OpenBLAS, headless Chromium for the report; Slurm is brought up by the Slurm test itself),
# builds the release pipeline for the end-to-end tests and the self-contained one of
# scripts/build-static.sh, then `swift test`. Extra arguments go to `swift test` (e.g. --filter EAMTests).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v lmp >/dev/null 2>&1 || missing+=(lammps)
[ -f /usr/share/lammps/potentials/CuZr_mm.eam.fs ] || missing+=(lammps-data)
dpkg -s libopenblas-dev >/dev/null 2>&1 || missing+=(libopenblas-dev)
[ -f "$(gcc -print-file-name=libgfortran.a 2>/dev/null)" ] || missing+=(gfortran)   # OpenBLAS's static link (build-static.sh)
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
# End-to-end runs of `pipeline run` use a release build (the debug one is ~30× slower at MD).
swift build -c release --product pipeline
export SEEM_PIPELINE="$(swift build -c release --show-bin-path)/pipeline"
# The self-contained build for cluster nodes, run with the toolchain hidden (StaticBinaryTests).
export SEEM_STATIC_PIPELINE="$(bash scripts/build-static.sh)"
export SEEM_E2E=1                 # tiny study killed and resumed, re-run, changed SEEM setting; quick config to a report
if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  export SEEM_SLURM_TESTS=1       # the quick study on a real single-node Slurm (scripts/slurm-local.sh); tiny-long requeued at its time limit
fi
swift test "$@"
