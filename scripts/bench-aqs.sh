#!/usr/bin/env bash
# AQS benchmark: seem's `pipeline shear` (predictor off and on) vs a LAMMPS `change_box … remap` +
# `minimize` loop on the same 4000-atom Cu64Zr36 glass, same potential, same Δγ and ftol (2-norm).
# Both start with a minimization of the glass, then make STEPS strain steps; the tilt of step n is
# the same double in both (n·Δγ·ly, written with 17 significant digits). Prints force evaluations
# per strain step, strain steps per second and the ratios, plus the largest |Δσ_xy| and relative
# |ΔE| between LAMMPS and seem (predictor off) over the steps before the first stress drop.
# Usage: scripts/bench-aqs.sh [STEPS=50] [STRAIN_STEP=1e-5] [FTOL=1e-8] [THREADS=1]   (Δγ = 1e-5 is the paper's)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-50}; dgamma=${2:-1e-5}; ftol=${3:-1e-8}; threads=${4:-1}
pot=potentials/CuZr_mm.eam.fs
glass=.bench/glass-4000.data
command -v lmp >/dev/null || { echo "lmp (LAMMPS) not found: apt-get install lammps" >&2; exit 1; }
scratch=${SEEM_SCRATCH:-.build}   # SwiftPM scratch path (default .build)
swift build -c release --scratch-path "$scratch" --product pipeline >/dev/null
[ -f "$glass" ] || { echo "making $glass with LAMMPS (once, ~2 min)…" >&2; scripts/make-glass-lammps.sh "$pot" "$glass"; }
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/pipeline
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
maxstrain=$(awk -v n="$steps" -v d="$dgamma" 'BEGIN { printf "%.17g", n * d }')

# LAMMPS: velocities zeroed (static stress), one minimize for the start, then the loop.
ly=$(awk '$3 == "ylo" { printf "%.17g", $2 - $1 }' "$glass")
{
  cat <<IN
units metal
atom_style atomic
read_data $(realpath "$glass")
change_box all triclinic
pair_style eam/fs
pair_coeff * * $(realpath "$pot") Cu Zr
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all set 0 0 0
thermo_style custom step pe pxx pyy pzz pxy pxz pyz fnorm
thermo_modify format float %.17g
minimize 0 $ftol 10000 100000
IN
  awk -v n="$steps" -v d="$dgamma" -v ly="$ly" 'BEGIN {
    for (k = 1; k <= n; k++) {
      printf "change_box all xy final %.17g remap units box\n", (k * d) * ly
      printf "minimize 0 '"$ftol"' 10000 100000\n" } }'
} > "$tmp/in.shear"
t0=$(date +%s.%N)
(cd "$tmp" && OMP_NUM_THREADS=1 lmp -in in.shear -log log.lammps -screen none -nocite)
t1=$(date +%s.%N)
# Per minimization: the thermo line before "Loop time" (pe, pxy) and the evaluation count.
awk '/^Loop time/ { print prev } { prev = $0 }' "$tmp/log.lammps" > "$tmp/lammps-thermo.txt"
awk '/Iterations, force evaluations/ { print $5, $6 }' "$tmp/log.lammps" > "$tmp/lammps-counts.txt"
lammps_evals=$(awk 'NR > 1 { s += $2 } END { printf "%.2f", s / (NR - 1) }' "$tmp/lammps-counts.txt")
lammps_rate=$(awk -v a="$t0" -v b="$t1" -v n="$steps" 'BEGIN { printf "%.4f", n / (b - a) }')

ours() {  # $1 = predictor on|off; prints "evaluations_per_step steps_per_second"
  local out="$tmp/seem-$1"
  local a b
  a=$(date +%s.%N)
  "$bin" shear "$glass" --potential "$pot" --elements Cu,Zr --strain-step "$dgamma" --max-strain "$maxstrain" \
      --ftol "$ftol" --predictor "$1" --threads "$threads" --checkpoint-every 1000000 --output "$out" > "$out.json"
  b=$(date +%s.%N)
  local e
  e=$(sed 's/.*"force_evaluations_per_step": \([^,]*\),.*/\1/' "$out.json")
  awk -v e="$e" -v a="$a" -v b="$b" -v n="$steps" 'BEGIN { printf "%.2f %.4f", e, n / (b - a) }'
}
read -r off_evals off_rate <<<"$(ours off)"
read -r on_evals on_rate <<<"$(ours on)"
fallbacks=$(sed 's/.*"predictor_fallbacks": \([0-9]*\),.*/\1/' "$tmp/seem-on.json")

# Agreement with LAMMPS (predictor off), steps before the first stress drop in LAMMPS.
agreement=$(paste -d' ' <(tail -n +2 "$tmp/seem-off/history.csv" | tr ',' ' ') "$tmp/lammps-thermo.txt" | awk '
  { pe = $3; sxy = $7; lpe = $15; lsxy = -$19 * 1e-4
    if (NR > 1 && lsxy < prev) stop = 1
    prev = lsxy
    if (!stop) { de = (pe - lpe) / lpe; if (de < 0) de = -de; ds = sxy - lsxy; if (ds < 0) ds = -ds
                 if (de > mde) mde = de; if (ds > mds) mds = ds; n++ } }
  END { printf "%d elastic steps: max |dE|/|E| %.2e, max |d sigma_xy| %.2e GPa", n, mde, mds }')

echo "4000-atom Cu64Zr36 glass, $steps steps of Δγ = $dgamma, ftol $ftol (2-norm), seem with $threads thread(s), LAMMPS 1 process:"
printf "  %-28s %10s %12s\n" "" "evals/step" "steps/s"
printf "  %-28s %10s %12s\n" "LAMMPS change_box+minimize" "$lammps_evals" "$lammps_rate"
printf "  %-28s %10s %12s\n" "seem, predictor off" "$off_evals" "$off_rate"
printf "  %-28s %10s %12s   (%s fallbacks)\n" "seem, predictor on" "$on_evals" "$on_rate" "$fallbacks"
awk -v le="$lammps_evals" -v lr="$lammps_rate" -v oe="$off_evals" -v orr="$off_rate" -v ne="$on_evals" -v nr="$on_rate" 'BEGIN {
  printf "  fewer evaluations per step vs LAMMPS: %.2fx (predictor off), %.2fx (predictor on)\n", le / oe, le / ne
  printf "  steps per second vs LAMMPS:           %.2fx (predictor off), %.2fx (predictor on)\n", orr / lr, nr / lr }'
echo "  agreement with LAMMPS (predictor off), $agreement"
