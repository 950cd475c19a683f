#!/usr/bin/env python3
"""Statistics of a total-energy series "step pe ke" (eV, whole system) from an NVE run:
least-squares drift, RMS about the fit, slopes of consecutive windows, and the mean-squared change of
E per atom vs lag (linear in the lag for a random walk, quadratic for a systematic drift).
Usage: scripts/nve-energy-stats.py ATOMS DT_PS FILE [FILE...]"""
import sys
import numpy as np

atoms, dt = int(sys.argv[1]), float(sys.argv[2])
for path in sys.argv[3:]:
    a = np.loadtxt(path)
    t = a[:, 0] * dt  # ps
    e = (a[:, 1] + a[:, 2]) / atoms
    s, c = np.polyfit(t, e, 1)
    rms = np.sqrt(np.mean((e - (s * t + c)) ** 2))
    print(f"{path}: {len(e)} samples over {t[-1]:.1f} ps")
    print(f"  drift {s * 1e3:+.2e} eV/atom/ns, RMS about fit {rms:.2e} eV/atom, E(end)-E(0) {e[-1] - e[0]:+.2e}")
    for win in (10.0, 25.0):
        n = int(round(win / (t[1] - t[0])))
        sl = [np.polyfit(t[k:k + n], e[k:k + n], 1)[0] * 1e3 for k in range(0, len(e) - n + 1, n)]
        print(f"  {win:.0f}-ps window slopes (eV/atom/ns): mean {np.mean(sl):+.1e}, sd {np.std(sl, ddof=1):.1e}, n {len(sl)}")
    step = t[1] - t[0]
    out = []
    for lag in (0.1, 1, 5, 10, 20, 40):
        k = int(round(lag / step))
        if k < len(e) // 2:
            d = e[k:] - e[:-k]
            out.append(f"{lag:g}ps {np.sqrt(np.mean(d * d)):.1e}")
    print("  RMS change of E/atom vs lag:", ", ".join(out))
