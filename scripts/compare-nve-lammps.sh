#!/usr/bin/env bash
# NVE energy conservation, seem vs LAMMPS `fix nve`, from the *identical* state: one Cu64Zr36 liquid
# (positions and velocities in a LAMMPS data file), same potential file, timestep and skin. Prints per
# run the total-energy drift (least-squares slope, eV/atom/ns; the "±" comes from 5 blocks of the same
# run and badly underestimates the run-to-run scatter: compare codes over an ensemble of starts, see
# `ensemble`) and the RMS of E_tot about the fit (eV/atom); `early` prints the first STEPS steps of
# PE/KE side by side. NVE_KEEP=DIR keeps each run's "step pe ke" series (every NVE_EVERY=10 steps).
#
# Usage:
#   scripts/compare-nve-lammps.sh start [CELLS=5] [OUT=/tmp/nve/start.data]   # LAMMPS melt: 4·CELLS³ atoms, 20 ps NVT at 2500 K
#   scripts/compare-nve-lammps.sh run DATA CODE DT_PS PS SKIN [NEIGH=default|every1]
#       CODE = seem | lammps; NEIGH (LAMMPS only): default (this LAMMPS's neigh_modify defaults) or
#       every1 (neigh_modify every 1 delay 0 check yes). Prints one table row.
#   scripts/compare-nve-lammps.sh early DATA DT_PS STEPS [SKIN=1.0]   # per-step PE/KE, both codes
#   scripts/compare-nve-lammps.sh ensemble DATA K DT_PS PS [SKIN=1.0]   # K starts 2.5 ps of NVT apart,
#       each run by both codes (LAMMPS with every1); prints mean ± SE and sd of the slopes per code
#   scripts/compare-nve-lammps.sh fit FILE ATOMS DT_PS                 # analyse a "step pe ke" file
# seem runs through the test `nveFromDataFile` (plain velocity Verlet: NVTIntegrator with the
# thermostat off), built with `swift test -c release --scratch-path .build-nve-rel`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
pot=$root/potentials/CuZr_mm.eam.fs
scratch=${SEEM_SCRATCH:-.build-nve-rel}
every=${NVE_EVERY:-10}

fit() {  # file atoms dt_ps every → "slope ± se  rms"
  awk -v n="$1" -v dt="$2" '
    { t[NR] = $1 * dt * 1e-3; e[NR] = ($2 + $3) / n }
    function slope(a, b,   k, mt, me, sxy, sxx, c) {
      c = b - a + 1; mt = 0; me = 0
      for (k = a; k <= b; k++) { mt += t[k]; me += e[k] }
      mt /= c; me /= c; sxy = 0; sxx = 0
      for (k = a; k <= b; k++) { sxy += (t[k] - mt) * (e[k] - me); sxx += (t[k] - mt) ^ 2 }
      M = me; T = mt
      return sxy / sxx
    }
    END {
      s = slope(1, NR); r = 0
      for (k = 1; k <= NR; k++) r += (e[k] - (M + s * (t[k] - T))) ^ 2
      r = sqrt(r / NR)
      # Standard error from the spread of the slopes of 5 consecutive blocks (scaled to the whole run).
      nb = 5; len = int(NR / nb); q = 0; m = 0
      for (b = 0; b < nb; b++) { bs[b] = slope(b * len + 1, (b + 1) * len); m += bs[b] }
      m /= nb; for (b = 0; b < nb; b++) q += (bs[b] - m) ^ 2
      se = sqrt(q / (nb - 1)) / (nb ^ 1.5)
      printf "%+.2e ± %.1e  %.2e  (E(end)-E(0) %+.2e eV/atom)\n", s, se, r, e[NR] - e[1]
    }' "$3"
}

seem_run() {  # data dt steps skin every out
  SEEM_NVE_DATA=$1 SEEM_NVE_TIMESTEP=$2 SEEM_NVE_STEPS=$3 SEEM_NVE_SKIN=$4 SEEM_NVE_EVERY=$5 SEEM_NVE_OUT=$6 \
    swift test -c release --skip-build --scratch-path "$scratch" --filter nveFromDataFile 2>&1 | grep "seem NVE" >&2
}

lammps_run() {  # data dt steps skin every neigh out
  local dir; dir=$(mktemp -d)
  cat > "$dir/in.nve" <<IN
units metal
atom_style atomic
read_data $(realpath "$1")
pair_style eam/fs
pair_coeff * * $pot Cu Zr
neighbor $4 bin
$([ "$6" = every1 ] && echo "neigh_modify every 1 delay 0 check yes")
timestep $2
fix 1 all nve
thermo_style custom step pe ke
thermo_modify format float %.17g norm no
thermo $5
run $3
IN
  (cd "$dir" && OMP_NUM_THREADS=1 lmp -in in.nve -log log.txt -screen none)
  awk '/^ *Step/ {f = 1; next} /^Loop time/ {f = 0} f && NF == 3' "$dir/log.txt" > "$7"
  grep -E "^Loop time|Neighbor list builds|Dangerous" "$dir/log.txt" | tr '\n' ' ' >&2; echo >&2
  rm -rf "$dir"
}

cmd=${1:-}; shift || true
case "$cmd" in
start)
  cells=${1:-5}; out=${2:-/tmp/nve/start.data}
  mkdir -p "$(dirname "$out")"
  atoms=$((4 * cells * cells * cells))
  a=$(awk -v n="$atoms" -v c="$cells" 'BEGIN {printf "%.8f", (n * 63425.726272 / 4000)^(1/3) / c}')
  dir=$(mktemp -d)
  cat > "$dir/melt.in" <<IN
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
timestep 0.002
velocity all create 2500 4711 dist gaussian
fix 1 all nvt temp 2500 2500 0.1
run 10000
write_data $(realpath -m "$out") nocoeff
IN
  (cd "$dir" && lmp -in melt.in -log none -screen none)
  rm -rf "$dir"; echo "$out: $atoms atoms, 20 ps NVT at 2500 K"
  ;;
run)
  data=$1; code=$2; dt=$3; ps=$4; skin=$5; neigh=${6:-default}
  atoms=$(awk '/ atoms$/ {print $1; exit}' "$data")
  steps=$(awk -v p="$ps" -v dt="$dt" 'BEGIN {printf "%d", p / dt + 0.5}')
  out=$(mktemp)
  if [ "$code" = seem ]; then seem_run "$data" "$dt" "$steps" "$skin" "$every" "$out"; label="seem"
  else lammps_run "$data" "$dt" "$steps" "$skin" "$every" "$neigh" "$out"; label="lammps/$neigh"; fi
  printf "%-16s dt %-6s skin %-4s %4s ps  drift %s\n" "$label" "$dt" "$skin" "$ps" "$(fit "$atoms" "$dt" "$out")"
  if [ -n "${NVE_KEEP:-}" ]; then mkdir -p "$NVE_KEEP"; cp "$out" "$NVE_KEEP/$(basename "$data" .data)-$code-${neigh}-$dt-$skin-$ps.txt"; fi
  rm -f "$out"
  ;;
early)
  data=$1; dt=$2; steps=$3; skin=${4:-1.0}
  l=$(mktemp); s=$(mktemp)
  lammps_run "$data" "$dt" "$steps" "$skin" 1 every1 "$l"
  seem_run "$data" "$dt" "$steps" "$skin" 1 "$s"
  paste "$l" "$s" | awk '{dp = $2 - $5; dk = $3 - $6; dp = dp < 0 ? -dp : dp; dk = dk < 0 ? -dk : dk
    if (dp + dk > worst) worst = dp + dk
    if (NR % 100 == 1) printf "step %5d  PE %.10f  |dPE| %.1e  |dKE| %.1e  (worst so far %.1e eV)\n", $1, $2, dp, dk, worst}'
  rm -f "$l" "$s"
  ;;
fit)
  fit "$2" "$3" "$1"
  ;;
ensemble)
  data=$1; k=$2; dt=$3; ps=$4; skin=${5:-1.0}
  dir=$(mktemp -d)
  { printf "units metal\natom_style atomic\nread_data %s\npair_style eam/fs\npair_coeff * * %s Cu Zr\n" "$(realpath "$data")" "$pot"
    printf "neighbor 1.0 bin\ntimestep 0.002\nfix 1 all nvt temp 2500 2500 0.1\n"
    for i in $(seq 1 "$k"); do printf "run 1250\nwrite_data %s/ens%d.data nocoeff\n" "$dir" "$i"; done; } > "$dir/ens.in"
  (cd "$dir" && lmp -in ens.in -log none -screen none >/dev/null)
  for i in $(seq 1 "$k"); do
    "$root/scripts/compare-nve-lammps.sh" run "$dir/ens$i.data" seem "$dt" "$ps" "$skin" 2>/dev/null
    "$root/scripts/compare-nve-lammps.sh" run "$dir/ens$i.data" lammps "$dt" "$ps" "$skin" every1 2>/dev/null
  done | tee "$dir/rows.txt"
  awk '{c = $1; s = $0; sub(/.*drift /, "", s); split(s, f, " "); x[c] += f[1]; q[c] += f[1] * f[1]; n[c]++}
    END {for (c in n) {m = x[c] / n[c]; sd = sqrt((q[c] - n[c] * m * m) / (n[c] - 1))
      printf "%-14s %d runs: mean slope %+.2e ± %.1e (SE), sd %.1e eV/atom/ns\n", c, n[c], m, sd / sqrt(n[c]), sd}}' "$dir/rows.txt"
  rm -rf "$dir"
  ;;
*)
  sed -n '2,23p' "$0"; exit 1
  ;;
esac
