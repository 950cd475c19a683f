#!/usr/bin/env bash
# Harvest throughput: synthesizes ~1e6 recorded states of AQS-like histories (SAMPLES × (STEPS+1) states,
# 3 cooling rates, elastic loading with G(X1), random stress drops that release energy) and times
# `pipeline harvest` on them with /usr/bin/time. Prints ms per million states.
#   PIPELINE=path/to/pipeline SAMPLES=100 STEPS=9999 scripts/bench-harvest.sh
set -euo pipefail
PIPELINE=${PIPELINE:-.build-harvest/release/pipeline}
SAMPLES=${SAMPLES:-100}
STEPS=${STEPS:-9999}
WORK=${WORK:-$(mktemp -d /tmp/bench-harvest.XXXXXX)}
[ -x "$PIPELINE" ] || { echo "build first: swift build -c release --scratch-path .build-harvest" >&2; exit 2; }
python3 - "$WORK" "$SAMPLES" "$STEPS" <<'PY'
import sys, os, json, numpy as np
work, n, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
N, omega, G0, uA, u0, dg = 256, 15.86, 30.0, 0.1, -4.42, 1e-4
C = 160.21765
rng = np.random.default_rng(1)
for i in range(n):
    rate = [1e13, 4e13, 1.6e14][i % 3]
    d = f"{work}/rate-{rate:g}/sample-{i:04d}"; os.makedirs(d, exist_ok=True)
    x1 = 0.01 * (i % 3) + 0.002 * rng.standard_normal(); tau = 0.3 * rng.standard_normal()
    g = np.arange(steps + 1) * dg
    T = np.empty(steps + 1); U = np.empty(steps + 1)
    for k in range(steps + 1):
        T[k] = tau; U[k] = u0 + x1 + omega * tau**2 / (2 * G0 * C) / (1 - x1 / uA)
        tau += G0 * (1 - x1 / uA) * dg
        if rng.random() < 0.01 * max(tau, 0):          # a drop that releases energy
            dt = -rng.exponential(0.1); tau += dt
            x1 += rng.uniform(-0.5, 0.5) * omega * abs(dt) * abs(tau) / (G0 * C)
    T += 3e-6 * rng.standard_normal(steps + 1)
    with open(d + "/history.csv", "w") as f:
        f.write("step,strain,pe_eV,stress_xy_GPa\n")
        f.write("".join(f"{k},{float(g[k])!r},{float(U[k]*N)!r},{float(T[k])!r}\n" for k in range(steps + 1)))
    json.dump({"atoms": N, "volume_A3": omega * N, "settings": {"ftol": 1e-4, "norm": "2norm", "dmax": 0.1},
               "inputs": {"cooling_rate_K_per_s": rate}}, open(d + "/summary.json", "w"))
PY
STATES=$((SAMPLES * (STEPS + 1)))
/usr/bin/time -f "%e s wall, %M KB max RSS" -o "$WORK/time.txt" \
  "$PIPELINE" harvest --histories "$WORK" --output "$WORK/out" --tau-a 8.4 --tau-b 2.9 > "$WORK/log.txt"
WALL=$(cut -d' ' -f1 "$WORK/time.txt")
echo "states: $STATES; $(cat "$WORK/time.txt")"
python3 -c "print(f'harvest: {1000*$WALL/($STATES/1e6):.0f} ms per million states')"
