#!/usr/bin/env bash
# Makes a 4000-atom Cu64Zr36 glass (39.88 Å cube) with LAMMPS for benchmarks: melt at 2000 K,
# quench to 300 K at ~1.7e14 K/s, minimize. Usage: make-glass-lammps.sh POTENTIAL OUT.data [SEED]
set -euo pipefail
pot=$(realpath "$1"); out=$2; seed=${3:-4711}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat > "$work/in.glass" <<IN
units metal
atom_style atomic
lattice fcc 3.988
region box block 0 10 0 10 0 10
create_box 2 box
create_atoms 1 box
set type 1 type/ratio 2 0.36 $seed
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * $pot Cu Zr
neighbor 1.0 bin
velocity all create 2000 $seed dist gaussian
fix 1 all nvt temp 2000 2000 0.1
timestep 0.002
run 2000
unfix 1
fix 1 all nvt temp 2000 300 0.1
run 5000
unfix 1
minimize 0 1e-6 10000 100000
write_data $work/glass.data nocoeff
IN
(cd "$work" && lmp -in in.glass -log none -screen none)
mkdir -p "$(dirname "$out")"
mv "$work/glass.data" "$out"
