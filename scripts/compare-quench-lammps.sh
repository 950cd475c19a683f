#!/usr/bin/env bash
# Inherent-structure (IS) energy per atom after the same quench protocol, seem (`pipeline quench`) vs
# LAMMPS (fix nvt + minimize), at two cooling rates. Each code makes PARENTS independent parents (own
# species shuffle of the fcc lattice and own melt velocities) and SAMPLES samples per parent and rate
# (own velocities at the branch point). Samples of one parent share its melt, so they are not
# independent: per code and rate the script reports the mean over parents of each parent's sample
# mean, with the standard error from the scatter of those parent means, plus the per-sample sd (all
# samples pooled, and within parents); then seem − LAMMPS with the combined standard error, and the
# slow − fast trend per code (paired within each parent).
#
# Usage: scripts/compare-quench-lammps.sh [PARENTS=4] [SAMPLES=2] [CELLS=5] [SLOW_RATE=2.5e13] [FAST_RATE=1e14] [DT_PS=0.002]
#   4·CELLS³ atoms at the paper's density; melt 20 ps at 2500 K, cool to 1400 K at 1e14 K/s, relax
#   10 ps, quench to 100 K at the rate, minimize (ftol 2e-4 eV/Å, 2-norm). The same DT_PS in both codes.
#   Environment: SEEM_SCRATCH (build directory of `pipeline`, default .build); COMPARE_OUT=DIR keeps
#   the raw values (values.txt: code rate parent sample energy) and the LAMMPS minimizer stop reasons.
# Both codes run one after the other, single-threaded. Default: 500 atoms, 4 parents × 2 samples × 2
# rates at 2 fs, about 18 min on one core (LAMMPS 11, seem 7).
set -euo pipefail
cd "$(dirname "$0")/.."
parents=${1:-4}; samples=${2:-2}; cells=${3:-5}; slow=${4:-2.5e13}; fast=${5:-1e14}; dt=${6:-0.002}
scratch=${SEEM_SCRATCH:-.build}
pot=$(realpath potentials/CuZr_mm.eam.fs)
atoms=$((4 * cells * cells * cells))
edge=$(awk -v n="$atoms" 'BEGIN {printf "%.6f", (n * 63425.726272 / 4000)^(1/3)}')
a=$(awk -v e="$edge" -v c="$cells" 'BEGIN {printf "%.8f", e / c}')
melt_ps=20; relax_ps=10; branch_rate=1e14
export OMP_NUM_THREADS=1
command -v lmp >/dev/null || { echo "lmp (LAMMPS) not found" >&2; exit 1; }
swift build -c release --scratch-path "$scratch" --product pipeline >/dev/null
pipeline=$scratch/release/pipeline
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
steps() { awk -v p="$1" -v dt="$dt" 'BEGIN {printf "%d", p / dt + 0.5}'; }              # ps → steps
ramp_steps() { awk -v d="$1" -v r="$2" -v dt="$dt" 'BEGIN {printf "%d", d / r * 1e12 / dt + 0.5}'; }
rates=("$slow" "$fast")
values=$work/values.txt; : > "$values"

# LAMMPS. Parent p: species seed 4711+p, velocity seed 8111+p. Sample k of parent p at rate index ri:
# velocity seed 100000+1000p+100ri+k. Neighbor lists as seem's: skin 1 Å, checked every step.
lammps_header() {
  printf 'units metal\natom_style atomic\n%s\npair_style eam/fs\npair_coeff * * %s Cu Zr\n' "$1" "$pot"
  printf 'neighbor 1.0 bin\nneigh_modify every 1 delay 0 check yes\ntimestep %s\n' "$dt"
}
lammps_parent() {  # p → $work/lammps-branch-p.data
  { lammps_header "lattice fcc $a
region box block 0 $cells 0 $cells 0 $cells
create_box 2 box
create_atoms 1 box
set type 1 type/ratio 2 0.36 $((4711 + $1))"
    cat <<IN
velocity all create 2500 $((8111 + $1)) dist gaussian
fix 1 all nvt temp 2500 2500 0.1
run $(steps $melt_ps)
unfix 1
fix 1 all nvt temp 2500 1400 0.1
run $(ramp_steps 1100 $branch_rate)
write_data $work/lammps-branch-$1.data nocoeff
IN
  } > "$work/parent.in"
  (cd "$work" && lmp -in parent.in -log none -screen none)
}
lammps_sample() {  # parent rate-index sample → "IS <energy>" and "STOP <reason>"
  { lammps_header "read_data $work/lammps-branch-$1.data"
    cat <<IN
velocity all create 1400 $((100000 + 1000 * $1 + 100 * $2 + $3)) dist gaussian
fix 1 all nvt temp 1400 1400 0.1
run $(steps $relax_ps)
unfix 1
fix 1 all nvt temp 1400 100 0.1
run $(ramp_steps 1300 "${rates[$2]}")
unfix 1
minimize 0 2e-4 100000 1000000
variable e equal pe/atoms
print "IS \${e}"
IN
  } > "$work/sample.in"
  (cd "$work" && lmp -in sample.in -log none -echo none | awk '/^IS / {print $0} /Stopping criterion/ {sub(/.*= /, ""); print "STOP " $0}')
}

# seem: parent p is `pipeline quench --seed p+1` (species shuffle and velocities derive from the seed);
# the second rate reuses the first rate's finished parent directory (same key: rates are not in it).
seem_rate() {  # parent rate-index → one IS energy per line
  local out=$work/seem-p$1-r$2
  if [ "$2" -gt 0 ]; then mkdir -p "$out"; cp -r "$work/seem-p$1-r0/parent" "$out/parent"; fi
  "$pipeline" quench --atoms "$atoms" --box "$edge" --potential "$pot" --elements Cu,Zr \
    --melt-ps "$melt_ps" --branch-rate "$branch_rate" --relax-ps "$relax_ps" --rate "${rates[$2]}" \
    --samples "$samples" --seed $(($1 + 1)) --timestep "$dt" --threads 1 --output "$out" >/dev/null
  for d in "$out"/sample-*; do sed 's/.*"is_energy_per_atom_eV": \([-0-9.e+]*\).*/\1/' "$d/summary.json"; done
}

t0=$(date +%s)
for p in $(seq 0 $((parents - 1))); do
  lammps_parent "$p"
  for ri in 0 1; do
    for k in $(seq 0 $((samples - 1))); do
      lammps_sample "$p" "$ri" "$k" > "$work/l.txt"
      awk -v r="${rates[$ri]}" -v p="$p" -v k="$k" '/^IS / {print "lammps", r, p, k, $2}' "$work/l.txt" >> "$values"
      awk '/^STOP / {sub(/^STOP /, ""); print}' "$work/l.txt" >> "$work/lammps-stops.txt"
    done
  done
done
t1=$(date +%s)
for p in $(seq 0 $((parents - 1))); do
  for ri in 0 1; do
    seem_rate "$p" "$ri" | awk -v r="${rates[$ri]}" -v p="$p" '{print "seem", r, p, NR - 1, $1}' >> "$values"
  done
done
t2=$(date +%s)
zr() { awk '/^Atoms/ {f = 1; next} /^Velocities/ {f = 0} f && NF >= 5 && $2 == 2 {n++} END {print n + 0}' "$1"; }
zr_lammps=$(for p in $(seq 0 $((parents - 1))); do zr "$work/lammps-branch-$p.data"; done | sort -u | tr '\n' ' ')
zr_seem=$(for p in $(seq 0 $((parents - 1))); do zr "$work/seem-p$p-r0/parent/branch.data"; done | sort -u | tr '\n' ' ')
if [ -n "${COMPARE_OUT:-}" ]; then
  mkdir -p "$COMPARE_OUT"; cp "$values" "$work/lammps-stops.txt" "$COMPARE_OUT/"
  cat "$work"/seem-p*-r*/sample-*/summary.json | grep -o '"stop_reason": "[^"]*"' | sort | uniq -c > "$COMPARE_OUT/seem-stops.txt"
fi

echo "IS energy per atom (eV): $atoms atoms, dt $dt ps, melt $melt_ps ps at 2500 K, $branch_rate K/s to 1400 K,"
echo "relax $relax_ps ps, quench to 100 K, CG to ftol 2e-4 eV/Å; $parents parents × $samples samples per rate and code"
echo "Zr atoms per parent: LAMMPS ${zr_lammps}, seem ${zr_seem}"
[ "$zr_lammps" = "$zr_seem" ] || echo "WARNING: the codes' compositions differ (LAMMPS set type/ratio vs seem's largest remainder): choose CELLS with 0.36·atoms an integer"
echo "wall time: LAMMPS $((t1 - t0)) s, seem $((t2 - t1)) s"
echo "LAMMPS minimizer stops: $(sort "$work/lammps-stops.txt" | uniq -c | tr -s ' ' | tr '\n' ';')"
awk -v slow="$slow" -v fast="$fast" -v P="$parents" '
  { key = $1 SUBSEP $2 SUBSEP $3; s[key] += $5; q[key] += $5 * $5; c[key]++
    all[$1 SUBSEP $2] += $5; all2[$1 SUBSEP $2] += $5 * $5; n[$1 SUBSEP $2]++ }
  function stats(code, rate,   p, m, k, sw, w, sd) {  # sets M, SE, SD (all samples), SDW (within parents)
    M = 0; sw = 0; w = 0
    for (p = 0; p < P; p++) { k = code SUBSEP rate SUBSEP p; m[p] = s[k] / c[k]; M += m[p]
      sw += q[k] - c[k] * m[p] * m[p]; w += c[k] - 1 }
    M /= P; sd = 0
    for (p = 0; p < P; p++) sd += (m[p] - M) ^ 2
    SE = sqrt(sd / (P - 1) / P)
    k = code SUBSEP rate
    SD = sqrt((all2[k] - all[k] * all[k] / n[k]) / (n[k] - 1))
    SDW = w > 0 ? sqrt(sw / w) : 0
  }
  function trend(code,   p, d, D, v) {  # paired slow − fast over parents: sets T, TSE
    D = 0
    for (p = 0; p < P; p++) { d[p] = s[code SUBSEP slow SUBSEP p] / c[code SUBSEP slow SUBSEP p] - s[code SUBSEP fast SUBSEP p] / c[code SUBSEP fast SUBSEP p]; D += d[p] }
    D /= P; v = 0
    for (p = 0; p < P; p++) v += (d[p] - D) ^ 2
    T = D; TSE = sqrt(v / (P - 1) / P)
  }
  END {
    printf "\nper parent (sample means):\n"
    for (p = 0; p < P; p++) {
      printf "  parent %d:", p
      for (r = 0; r < 2; r++) { rate = r ? fast : slow
        printf "  %s K/s LAMMPS %.5f seem %.5f", rate, s["lammps" SUBSEP rate SUBSEP p] / c["lammps" SUBSEP rate SUBSEP p], s["seem" SUBSEP rate SUBSEP p] / c["seem" SUBSEP rate SUBSEP p] }
      printf "\n"
    }
    printf "\n| rate (K/s) | LAMMPS mean ± SE (sample sd all / within) | seem mean ± SE (sample sd all / within) | seem − LAMMPS | in SE |\n|---|---|---|---|---|\n"
    for (r = 0; r < 2; r++) { rate = r ? fast : slow
      stats("lammps", rate); lm = M; lse = SE; lsd = SD; lsw = SDW
      stats("seem", rate); sm = M; sse = SE; ssd = SD; ssw = SDW
      d = sm - lm; dse = sqrt(lse ^ 2 + sse ^ 2)
      printf "| %s | %.4f ± %.4f (%.4f / %.4f) | %.4f ± %.4f (%.4f / %.4f) | %+.4f ± %.4f | %+.1f |\n", rate, lm, lse, lsd, lsw, sm, sse, ssd, ssw, d, dse, d / dse }
    trend("lammps"); lt = T; ltse = TSE; trend("seem"); st = T; stse = TSE
    printf "\nslow − fast (paired within parents): LAMMPS %+.4f ± %.4f, seem %+.4f ± %.4f eV/atom\n", lt, ltse, st, stse
  }' "$values"
