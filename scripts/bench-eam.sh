#!/usr/bin/env bash
# Force-evaluation benchmark: seem's EAM vs LAMMPS pair_style eam/fs (plain and OPT) on the same
# 4000-atom Cu64Zr36 glass, same potential file, same neighbor skin, one evaluation per step with a
# fixed neighbor list. Prints ms per evaluation and the ratios.
# Usage: [POTENTIAL=FILE] [GLASS=DATA] scripts/bench-eam.sh [EVALUATIONS=200] [SKIN=1.0]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}; skin=${2:-1.0}
pot=${POTENTIAL:-potentials/CuZr_mm.eam.fs}
glass=${GLASS:-examples/CuZr-glass-4000.data}
command -v lmp >/dev/null || { echo "lmp (LAMMPS) not found: apt-get install lammps" >&2; exit 1; }
swift build -c release --product pipeline >/dev/null
[ -f "$glass" ] || { echo "making $glass with LAMMPS (~2 min)…" >&2; scripts/make-glass-lammps.sh "$pot" "$glass"; }
bin=.build/release/pipeline
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/in.bench" <<IN
units metal
atom_style atomic
read_data $(realpath "$glass")
pair_style eam/fs
pair_coeff * * $(realpath "$pot") Cu Zr
neighbor $skin bin
neigh_modify every 100000 delay 100000 check no
fix 1 all nve
timestep 0.0
run 1
run $n
IN
# "Pair" row of LAMMPS's timing breakdown of the second run: average seconds over all steps.
lammps_ms() { (cd "$tmp" && OMP_NUM_THREADS=1 lmp "$@" -in in.bench -log none -screen none -echo none; \
               OMP_NUM_THREADS=1 lmp "$@" -in in.bench -log log.txt -screen none >/dev/null; \
               awk -v n="$n" '/^Pair +\|/ {t=$3} END {printf "%.4f", 1000*t/n}' log.txt); }
ours_ms() { "$bin" evaluate "$glass" --potential "$pot" --elements Cu,Zr --repeat "$n" --skin "$skin" --threads "$1" \
            | sed 's/.*"seconds_per_evaluation": \([^}]*\)}.*/\1/' | awk '{printf "%.4f", 1000*$1}'; }
l=$(lammps_ms); lo=$(lammps_ms -sf opt)
o1=$(ours_ms 1); o2=$(ours_ms 2)
echo "4000-atom Cu64Zr36 glass, skin $skin Å, $n evaluations, ms per force evaluation (median for seem, mean for LAMMPS):"
printf "  LAMMPS eam/fs       %8s ms\n  LAMMPS eam/fs/opt   %8s ms\n  seem, 1 thread      %8s ms\n  seem, 2 threads     %8s ms\n" "$l" "$lo" "$o1" "$o2"
awk -v l="$l" -v lo="$lo" -v o1="$o1" -v o2="$o2" 'BEGIN {
  printf "  speed-up vs LAMMPS eam/fs:     %.2fx (1 thread)\n", l/o1
  printf "  speed-up vs LAMMPS eam/fs/opt: %.2fx (1 thread)\n", lo/o1
  printf "  seem 2 threads vs 1 thread:    %.2fx\n", o1/o2 }'
