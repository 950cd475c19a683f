#!/usr/bin/env bash
# The validation study: builds the release `pipeline` (installing OpenBLAS if it is missing), runs
# configs/validation.json (1000-atom Cu64Zr36 glasses on Mendelev 2009, four cooling rates × six samples,
# AQS to γ = 0.4, harvest, SEEM with 6-fold cross-validation over samples, report) and prints the
# side-by-side table of scripts/validation-table.py: Table I next to the paper's, the per-rate findings of
# Fig. 1, the fixed point of Fig. 2d, SEEM against AQS on held-out samples, and each goal met or not.
# Interrupt it at any time and run it again: the study resumes where it stopped (~2 h on 2 cores).
#   scripts/validate.sh [--workdir DIR] [--jobs N]
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
workdir="runs/validation"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--workdir" ] && workdir="${args[$((i + 1))]}"
done
"$bin" run configs/validation.json "$@"
python3 scripts/validation-table.py "$workdir"
