#!/usr/bin/env python3
"""What verifying a study's outputs by their SHA-256 costs: measured on a finished study, extrapolated
to the paper's study (configs/paper.json).

    python3 scripts/verify-cost.py CONFIG WORKDIR [PIPELINE]

Times `pipeline status --verify` (hashes every output) against plain `pipeline status` (sizes only)
on the finished study in WORKDIR, five times each (best of five, warm page cache), and sums the bytes
its unit.json records list. From that study it also measures bytes per history row, per thermo row and
per atom of a LAMMPS data file, and estimates the bytes the paper's study writes from its config:
rows per AQS history (max_strain / strain_step + 1), thermo rows per quench (every thermo_every steps
of the melt, the cooling from the branch temperature at each rate, and the relaxation), and the
glass and inherent structure of every sample and of the large system.
"""
import glob
import json
import os
import subprocess
import sys
import time


def best_of(n, argv):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    config, workdir = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    pipeline = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", ".build", "release", "pipeline")
    records = [json.load(open(f)) for f in glob.glob(os.path.join(workdir, "**", "unit.json"), recursive=True)]
    total = sum(o["bytes"] for r in records for o in r["outputs"])
    verify = best_of(5, [pipeline, "status", config, "--workdir", workdir, "--verify"])
    plain = best_of(5, [pipeline, "status", config, "--workdir", workdir])
    rate = total / max(verify - plain, 1e-9)
    print(f"measured: {len(records)} units, {total / 1e6:.1f} MB of outputs; status --verify {verify:.3f} s, "
          f"plain status {plain:.3f} s: {rate / 1e6:.0f} MB/s of hashing")

    # Bytes per row and per atom, from this study's own files.
    def per_line(pattern):
        files = glob.glob(os.path.join(workdir, pattern))
        size = sum(os.path.getsize(f) for f in files)
        lines = sum(sum(1 for _ in open(f)) for f in files)
        return size / max(lines, 1)
    history_row = per_line("shear/rate-*/sample-*/history.csv")
    thermo_row = per_line("quench/rate-*/sample-*/thermo.csv")
    study = json.load(open(os.path.join(workdir, "config.json")))
    atoms = study["system"]["atoms"]
    data_files = glob.glob(os.path.join(workdir, "quench/rate-*/sample-*/*.data"))
    per_atom = sum(os.path.getsize(f) for f in data_files) / max(len(data_files), 1) / atoms

    paper = json.load(open(os.path.join(here, "..", "configs", "paper.json")))
    q, aqs = paper["quench"], paper["aqs"]
    rates = [2.0 ** k * 1e10 for k in q["rate_exponents"]]
    samples = q["samples_per_rate"] * len(rates)
    history = (round(aqs["max_strain"] / aqs["strain_step"]) + 1) * history_row
    dt = q["timestep_ps"]
    thermo = 0.0
    for r in rates:
        steps = (q["melt_ps"] + (q["branch_temperature_K"] - q["final_temperature_K"]) / r * 1e12 + q["relax_ps"]) / dt
        thermo += q["samples_per_rate"] * steps / q["thermo_every"] * thermo_row
    structures = samples * 2 * paper["system"]["atoms"] * per_atom
    large = paper.get("large_system")
    large_bytes = 0.0
    if large:
        large_bytes = 2 * large["atoms"] * per_atom + (round(large["max_strain"] / aqs["strain_step"]) + 1) * history_row
    paper_total = samples * history + thermo + structures + large_bytes
    print(f"paper's study (configs/paper.json): {samples} samples; histories {samples * history / 1e9:.2f} GB, "
          f"thermo {thermo / 1e9:.2f} GB, structures {(structures + large_bytes) / 1e9:.2f} GB: {paper_total / 1e9:.1f} GB, "
          f"about {paper_total / rate:.0f} s of hashing per full verification at the measured rate")


if __name__ == "__main__":
    main()
