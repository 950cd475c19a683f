#!/usr/bin/env bash
# MD benchmark: seem's Nosé–Hoover NVT vs LAMMPS `fix nvt` on the same 4000-atom Cu64Zr36 glass,
# same potential, timestep, thermostat and neighbor skin, in one invocation. Prints steps/s, the
# ratio, and what the paper's protocol costs per sample at each cooling rate at that timestep.
# Usage: scripts/bench-md.sh [STEPS=1000] [TEMPERATURE=1400] [SKIN=1.0] [THREADS=1] [DT_PS=0.001]
# (DT_PS defaults to the protocol's timestep, 1 fs; the README's steps/s table was measured at 0.002.)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1000}; temp=${2:-1400}; skin=${3:-1.0}; threads=${4:-1}; dt=${5:-0.001}
pot=potentials/CuZr_mm.eam.fs
glass=examples/CuZr-glass-4000.data
command -v lmp >/dev/null || { echo "lmp (LAMMPS) not found: apt-get install lammps" >&2; exit 1; }
swift build -c release --product pipeline >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/in.md" <<IN
units metal
atom_style atomic
read_data $(realpath "$glass")
pair_style eam/fs
pair_coeff * * $(realpath "$pot") Cu Zr
neighbor $skin bin
neigh_modify delay 0 every 1 check yes
velocity all create $temp 4711 dist gaussian
fix 1 all nvt temp $temp $temp 0.1
timestep $dt
thermo 1000
run $steps
IN
(cd "$tmp" && OMP_NUM_THREADS=1 lmp -in in.md -log log.txt -screen none >/dev/null)
lammps_s=$(awk '/^Loop time of/ {print $4}' "$tmp/log.txt")
ps=$(awk -v n="$steps" -v dt="$dt" 'BEGIN {print n*dt}')
.build/release/pipeline quench --structure "$glass" --potential "$pot" --elements Cu,Zr --samples 0 \
  --melt-temperature "$temp" --melt-ps "$ps" --branch-temperature "$temp" --branch-rate 1e30 \
  --timestep "$dt" --tdamp 0.1 --skin "$skin" --threads "$threads" --thermo-every 1000 --output "$tmp/ours" >/dev/null
ours_s=$(sed 's/.*"wall_seconds": \([0-9.e+-]*\).*/\1/' "$tmp/ours/parent/summary.json")
awk -v l="$lammps_s" -v o="$ours_s" -v n="$steps" -v dt="$dt" -v t="$temp" -v skin="$skin" -v th="$threads" 'BEGIN {
  printf "NVT at %s K, 4000-atom glass, dt %s ps, skin %s Å, %d steps (seem: %d thread(s), LAMMPS: 1 process)\n", t, dt, skin, n, th
  printf "  LAMMPS fix nvt   %8.1f steps/s  (%.2f ns/day)\n", n/l, n*dt*1e-3/l*86400
  printf "  seem             %8.1f steps/s  (%.2f ns/day)\n", n/o, n*dt*1e-3/o*86400
  printf "  speed-up: %.2fx\n", l/o
  # Paper protocol per sample: 100 ps relax + (1400-100) K at 2^x·1e10 K/s; the shared melt once.
  printf "  paper protocol at this speed (per sample, after the shared melt of %.1f h):\n", (500+1100/1e11*1e12)/(n*dt/o)/3600
  for (x = 1; x <= 10; x++) { rate = 2^x*1e10; ps = 100 + 1300/rate*1e12; printf "    %8.2e K/s: %8.0f ps, %7.1f h\n", rate, ps, ps/(n*dt/o)/3600 }
}'
