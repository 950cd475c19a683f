#!/usr/bin/env bash
# Inherent-structure energy per atom after the same quench protocol, seem vs LAMMPS (fix nvt +
# minimize), for several samples at two cooling rates: the means must agree within the sample
# scatter, and slower cooling must give lower energies in both. Small and fast by default.
# Usage: scripts/compare-quench-lammps.sh [SAMPLES=4] [ATOMS_PER_EDGE_CELLS=5] [SLOW_RATE=2.5e13] [FAST_RATE=1e14]
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-4}; cells=${2:-5}; slow=${3:-2.5e13}; fast=${4:-1e14}
pot=$(realpath potentials/CuZr_mm.eam.fs)
atoms=$((4 * cells * cells * cells))
edge=$(awk -v n="$atoms" 'BEGIN {printf "%.6f", (n * 63425.726272 / 4000)^(1/3)}')
a=$(awk -v e="$edge" -v c="$cells" 'BEGIN {printf "%.8f", e / c}')
melt_ps=20; relax_ps=10; dt=0.002
command -v lmp >/dev/null || { echo "lmp (LAMMPS) not found" >&2; exit 1; }
swift build -c release --product pipeline >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
ramp_steps() { awk -v d="$1" -v r="$2" -v dt="$dt" 'BEGIN {printf "%d", d / r * 1e12 / dt + 0.5}'; }

# LAMMPS: parent melt and branch, then each sample from the branch point.
cat > "$work/parent.in" <<IN
units metal
atom_style atomic
lattice fcc $a
region box block 0 $cells 0 $cells 0 $cells
create_box 2 box
create_atoms 1 box
set type 1 type/ratio 2 0.36 4711
pair_style eam/fs
pair_coeff * * $pot Cu Zr
neighbor 1.0 bin
timestep $dt
velocity all create 2500 4711 dist gaussian
fix 1 all nvt temp 2500 2500 0.1
run $(awk -v p="$melt_ps" -v dt="$dt" 'BEGIN {printf "%d", p / dt}')
unfix 1
fix 1 all nvt temp 2500 1400 0.1
run $(ramp_steps 1100 1e14)
write_data $work/branch.data nocoeff
IN
(cd "$work" && lmp -in parent.in -log none -screen none)
lammps_sample() {  # rate sample → IS energy per atom
  cat > "$work/s.in" <<IN
units metal
atom_style atomic
read_data $work/branch.data
pair_style eam/fs
pair_coeff * * $pot Cu Zr
neighbor 1.0 bin
timestep $dt
velocity all create 1400 $((1000 + $2)) dist gaussian
fix 1 all nvt temp 1400 1400 0.1
run $(awk -v p="$relax_ps" -v dt="$dt" 'BEGIN {printf "%d", p / dt}')
unfix 1
fix 1 all nvt temp 1400 100 0.1
run $(ramp_steps 1300 "$1")
unfix 1
minimize 0 2e-4 100000 1000000
variable e equal pe/atoms
print "IS \${e}"
IN
  (cd "$work" && lmp -in s.in -log none -echo none | awk '/^IS / {print $2}')
}
ours_rate() {  # rate → one IS energy per line
  .build/release/pipeline quench --atoms "$atoms" --box "$edge" --potential "$pot" --elements Cu,Zr \
    --melt-ps "$melt_ps" --branch-rate 1e14 --relax-ps "$relax_ps" --rate "$1" --samples "$samples" \
    --timestep "$dt" --threads 1 --output "$work/ours-$1" >/dev/null
  for d in "$work/ours-$1"/sample-*; do sed 's/.*"is_energy_per_atom_eV": \([-0-9.e+]*\).*/\1/' "$d/summary.json"; done
}
stats() { awk '{s += $1; q += $1 * $1; n++} END {m = s / n; sd = sqrt((q / n - m * m) * n / (n - 1)); printf "%.5f ± %.5f (sd %.5f, n %d)", m, sd / sqrt(n), sd, n}'; }
echo "IS energy per atom (eV), $atoms atoms, melt $melt_ps ps at 2500 K, 1e14 K/s to 1400 K, relax $relax_ps ps, ftol 2e-4"
for rate in "$slow" "$fast"; do
  l=$(for k in $(seq 0 $((samples - 1))); do lammps_sample "$rate" "$k"; done | stats)
  o=$(ours_rate "$rate" | stats)
  printf "  %8s K/s   LAMMPS %s   seem %s\n" "$rate" "$l" "$o"
done
