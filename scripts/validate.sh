#!/usr/bin/env bash
# The validation study: runs configs/validation.json through scripts/study.sh (which installs OpenBLAS
# if it is missing and builds the release `pipeline`): 1000-atom Cu64Zr36 glasses on Mendelev 2009, four
# cooling rates × six samples, AQS to γ = 0.4, one 8000-atom large system, harvest, SEEM with 6-fold
# cross-validation over samples, report. Then prints the side-by-side table of
# scripts/validation-table.py: Table I next to the paper's, the routes to τ_A and τ_B, the per-rate
# findings of Fig. 1, the fixed point of Fig. 2d, SEEM against AQS on held-out samples, and each goal
# met or not. Interrupt it at any time and run it again: the study resumes where it stopped.
#   scripts/validate.sh [--workdir DIR] [--jobs N]
set -euo pipefail
cd "$(dirname "$0")/.."
workdir="runs/validation"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--workdir" ] && workdir="${args[$((i + 1))]}"
done
scripts/study.sh configs/validation.json "$@"
python3 scripts/validation-table.py "$workdir"
