#!/usr/bin/env python3
"""Cross-checks seem's adaptive common-neighbour analysis (`pipeline structure`) against OVITO's
CommonNeighborAnalysisModifier (adaptive mode) atom by atom, on a glass and on crystals (jittered fcc,
hcp, B2, fcc in a tilted cell, one conventional fcc cell and a one-atom bcc primitive cell) and the glass
sheared affinely by 20 % in a tilted cell.

Needs `pip install ovito` (not part of CI) and a built `pipeline` (PIPELINE=..., default .build/debug/pipeline).
Usage: scripts/check-acna-ovito.py [DATA_FILE ...]   (default: examples/CuZr-glass-4000.data + the crystals)
Exit status 1 when any atom is classified differently.
"""
import csv
import math
import os
import random
import subprocess
import sys
import tempfile

from ovito.io import import_file
from ovito.modifiers import CommonNeighborAnalysisModifier

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIPELINE = os.environ.get("PIPELINE", os.path.join(REPO, ".build/debug/pipeline"))


def write_data(path, box, positions, types):
    """LAMMPS data file (atom_style atomic); box = (lx, ly, lz, xy, xz, yz) with lo at the origin."""
    lx, ly, lz, xy, xz, yz = box
    with open(path, "w") as f:
        f.write("crystal for the a-CNA cross-check\n\n%d atoms\n%d atom types\n\n" % (len(positions), max(types)))
        f.write("0 %r xlo xhi\n0 %r ylo yhi\n0 %r zlo zhi\n" % (lx, ly, lz))
        if xy or xz or yz:
            f.write("%r %r %r xy xz yz\n" % (xy, xz, yz))
        f.write("\nMasses\n\n" + "".join("%d 1.0\n" % (t + 1) for t in range(max(types))))
        f.write("\nAtoms # atomic\n\n")
        for i, (p, t) in enumerate(zip(positions, types)):
            f.write("%d %d %r %r %r\n" % (i + 1, t, p[0], p[1], p[2]))


def cubic(basis, a, n, jitter=0.0, two_species=False, seed=1):
    rng = random.Random(seed)
    pos, typ = [], []
    for i in range(n):
        for j in range(n):
            for k in range(n):
                for b, f in enumerate(basis):
                    pos.append([a * (c + d) + jitter * (2 * rng.random() - 1) for c, d in zip((i, j, k), f)])
                    typ.append(b % 2 + 1 if two_species else 1)
    return (a * n, a * n, a * n, 0.0, 0.0, 0.0), pos, typ


def hcp(a, n, jitter, seed=2):
    rng = random.Random(seed)
    c, b = a * math.sqrt(8 / 3), a * math.sqrt(3)
    basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 5 / 6, 0.5), (0, 1 / 3, 0.5)]
    pos = []
    for i in range(n):
        for j in range(n):
            for k in range(n):
                for f in basis:
                    pos.append([s * (m + d) + jitter * (2 * rng.random() - 1) for s, m, d in zip((a, b, c), (i, j, k), f)])
    return (a * n, b * n, c * n, 0.0, 0.0, 0.0), pos, [1] * len(pos)


def sheared_glass(path, gamma):
    """The example glass (cubic box at the origin) sheared affinely by gamma: a triclinic cell, x += gamma*y."""
    lines = open(path).read().split("\n")
    edge = float(next(l for l in lines if l.endswith("xlo xhi")).split()[1])
    start = next(k for k, l in enumerate(lines) if l.startswith("Atoms")) + 2
    pos, typ = [], []
    for l in lines[start:]:
        t = l.split()
        if len(t) < 5:
            break
        x, y, z = (float(v) for v in t[2:5])
        pos.append([x + gamma * y, y, z])
        typ.append(int(t[1]))
    return (edge, edge, edge, gamma * edge, 0.0, 0.0), pos, typ


def crystals(directory):
    fcc = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]
    bcc = [(0, 0, 0), (0.5, 0.5, 0.5)]
    out = []
    cases = {
        "fcc-jittered": cubic(fcc, 3.615, 5, jitter=0.1),
        "hcp-jittered": hcp(2.9, 4, jitter=0.08),
        "b2-jittered": cubic(bcc, 3.0, 6, jitter=0.06, two_species=True),
        "fcc-strongly-jittered": cubic(fcc, 3.615, 5, jitter=0.35, seed=3),
        "fcc-one-cell": cubic(fcc, 3.615, 1),
    }
    box, pos, typ = cubic(fcc, 3.6, 4, jitter=0.05, seed=4)
    cases["fcc-tilted"] = ((box[0], box[1], box[2], 3.6, -7.2, 3.6), pos, typ)  # tilts are lattice vectors
    l = 3.3 * math.sqrt(3) / 2
    xy = xz = -l / 3
    ly = math.sqrt(l * l - xy * xy)
    yz = (-l * l / 3 - xy * xz) / ly
    cases["bcc-primitive"] = ((l, ly, math.sqrt(l * l - xz * xz - yz * yz), xy, xz, yz), [[0.1, 0.1, 0.1]], [1])
    cases["glass-sheared"] = sheared_glass(os.path.join(REPO, "examples/CuZr-glass-4000.data"), 0.2)
    for name, (box, pos, typ) in cases.items():
        path = os.path.join(directory, name + ".data")
        write_data(path, box, pos, typ)
        out.append(path)
    return out


def ovito_classes(path):
    pipeline = import_file(path, atom_style="atomic")
    pipeline.modifiers.append(CommonNeighborAnalysisModifier(mode=CommonNeighborAnalysisModifier.Mode.AdaptiveCutoff))
    data = pipeline.compute()
    ids = data.particles["Particle Identifier"]
    types = data.particles["Structure Type"]
    return {int(i): int(t) for i, t in zip(ids, types)}


def main():
    work = tempfile.mkdtemp(prefix="acna-ovito-")
    files = sys.argv[1:] or [os.path.join(REPO, "examples/CuZr-glass-4000.data")] + crystals(work)
    subprocess.run([PIPELINE, "structure", "--per-atom", work] + files, check=True)
    names = ["other", "fcc", "hcp", "bcc", "ico"]
    failed = False
    for path in files:
        with open(os.path.join(work, os.path.basename(path) + ".acna.csv")) as f:
            ours = {int(r["id"]): int(r["structure"]) for r in csv.DictReader(f)}
        theirs = ovito_classes(path)
        differ = [i for i in ours if ours[i] != theirs.get(i)]
        counts = lambda d: ", ".join("%s %d" % (n, sum(1 for v in d.values() if v == k)) for k, n in enumerate(names))
        print("%s: %d atoms, %d differ | seem: %s | OVITO: %s" % (os.path.basename(path), len(ours), len(differ), counts(ours), counts(theirs)))
        for i in differ[:10]:
            print("   id %d: seem %s, OVITO %s" % (i, names[ours[i]], names[theirs[i]] if theirs.get(i) is not None else "missing"))
        failed |= bool(differ) or len(ours) != len(theirs)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
