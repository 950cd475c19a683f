#!/usr/bin/env python3
"""Prints the validation study's side-by-side table (Markdown) from a finished study directory:
Table I next to the paper's, inherent-structure energy, peak and flow stress per cooling rate, the fixed
point of the mean flow, SEEM against AQS on held-out samples, the event-threshold check, the goals of the
validation (met or not, with the numbers) and the run's wall time. Reads only the study's own outputs:
config.json, harvest/parameters.json, seem/metrics.json, logs/run.log, logs/timings/*.json.

usage: scripts/validation-table.py WORKDIR
"""
import json, math, os, re, sys
from datetime import datetime

# The paper's Table I (Xu et al. 2024) and the slope dG/dX1 = -G0/uA it implies.
PAPER = {"uA": (0.101, 0.002), "G0": (25.90, 0.06), "tauA": (8.4, 0.5), "tauB": (2.90, 0.03)}
PAPER_SLOPE = -PAPER["G0"][0] / PAPER["uA"][0]
PAPER_SLOWEST_RATE = 2e10  # K/s, x = 1 of the paper's 2^x·1e10


def est(e):
    return (e["value"], e.get("standard_error", 0.0)) if isinstance(e, dict) else (e, 0.0)


def pm(v, se, digits=3):
    if se is None or not math.isfinite(se) or se == 0:
        return f"{v:.{digits}g}"
    d = max(0, 1 - int(math.floor(math.log10(abs(se))))) if se > 0 else digits
    return f"{v:.{d}f} ± {se:.{d}f}"


def rate_label(r):
    return "—" if r is None else f"{r:.3g}"


def main(workdir):
    P = json.load(open(os.path.join(workdir, "harvest", "parameters.json")))
    M = json.load(open(os.path.join(workdir, "seem", "metrics.json")))
    C = json.load(open(os.path.join(workdir, "config.json")))
    # Parameters given rather than fitted, as the harvest recorded them.
    given = (P.get("settings") or {}).get("fixed") or {}
    fixed = {k: v for k, v in given.items() if v is not None} if given else C.get("harvest", {}).get("fixed_parameters", {})
    par = P["parameters"]
    out = []
    goals = []

    # Table I.
    names = [("uA", "uA_eV_per_atom", "eV/atom"), ("G0", "G0_GPa", "GPa"), ("tauA", "tauA_GPa", "GPa"), ("tauB", "tauB_GPa", "GPa")]
    fixed_key = {"uA": "uA_eV_per_atom", "G0": "G0_GPa", "tauA": "tauA_GPa", "tauB": "tauB_GPa"}
    out.append("| Table I | this study | paper | how |")
    out.append("|---|---|---|---|")
    ef = P["fits"]["elastic_energy"]
    for short, key, unit in names:
        v, se = est(par[key])
        source = C.get("harvest", {}).get("fixed_from")
        how = (f"fixed: from {source}" if source else "fixed (given in the config)") if fixed_key[short] in fixed else (
            "Fig. S1 law over the samples' moduli at τ = 0" if short in ("uA", "G0") else
            f"Eq. 7, {ef['data']}" + (f" ({ef['samples']})" if ef.get("samples") else "") + f", γ ≤ {ef['max_strain']:.3g}")
        out.append(f"| {short} ({unit}) | {pm(v, se)} | {PAPER[short][0]} ± {PAPER[short][1]} | {how} |")
    g0, sg0 = est(par["G0_GPa"]); ua, sua = est(par["uA_eV_per_atom"])
    cov = P["fits"]["softening"].get("covariance_G0_uA", 0.0)
    slope = -g0 / ua
    # Var(G0/uA) by the delta method.
    var = (sg0 / ua) ** 2 + (g0 * sua / ua ** 2) ** 2 - 2 * g0 * cov / ua ** 3
    sslope = math.sqrt(max(var, 0))
    out.append(f"| dG/dX1 = −G0/uA (GPa per eV/atom) | {pm(slope, sslope)} | {PAPER_SLOPE:.0f} | u0-independent |")
    u0, su0 = est(par["u0_eV_per_atom"])
    out.append(f"| u0 (eV/atom) | {pm(u0, su0, 5)} | — | {P['u0_rule']} |")
    R = P["rates"]
    xt = R.get("X1_0_trend_eV_per_atom")
    g_paper_rate = None
    if xt:
        a, sa = est(xt["intercept"]); b, sb = est(xt["per_decade"]); c = xt["covariance"]
        x = math.log10(PAPER_SLOWEST_RATE)
        x1p = a + b * x
        sx1p = math.sqrt(max(sa ** 2 + x * x * sb ** 2 + 2 * x * c, 0))
        gp = g0 * (1 - x1p / ua)
        g_paper_rate = gp
        out.append(f"| G at {PAPER_SLOWEST_RATE:.0e} K/s (X1⁰ trend extrapolated, X1 = {pm(x1p, sx1p, 4)} eV/atom) | {gp:.2f} | 25.90 (G0 at the paper's u0) | G0·(1 − X1/uA) |")
    out.append("")

    # Routes to tauA, tauB.
    out.append("| route to τA, τB | γ range | 1/τA² (GPa⁻²) | 1/τB⁴ (GPa⁻⁴) | τA (GPa) | τB (GPa) |")
    out.append("|---|---|---|---|---|---|")
    for r in P["fits"]["elastic_energy_routes"]:
        if "refused" in r and "inverse_tauA2_per_GPa2" not in r:
            m = re.search(r"give (1/tau[AB][²⁴]) \(GPa⁻[²⁴]\) = ([-0-9.e]+) ± ([0-9.e]+)", r["refused"])
            detail = f"refused: {m.group(1)} = {m.group(2)} ± {m.group(3)}" if m else "refused"
            out.append(f"| {r['what']} | | {detail} | | | |")
            continue
        p = est(r["inverse_tauA2_per_GPa2"]); q = est(r["inverse_tauB4_per_GPa4"])
        out.append(f"| {r['what']} | ≤ {r['max_strain']:.3g} | {pm(*p)} | {pm(*q)} | {pm(*est(r['tauA_GPa']))} | {pm(*est(r['tauB_GPa']))} |")
    out.append("")

    # Per rate.
    out.append("| cooling rate (K/s) | samples | IS energy (eV/atom) | X1⁰ (eV/atom) | G (GPa) | peak τ (GPa) | peak γ | flow τ (GPa) |")
    out.append("|---|---|---|---|---|---|---|---|")
    for r in R["per_rate"]:
        out.append(f"| {rate_label(r['cooling_rate_K_per_s'])} | {r['samples']} | {pm(*est(r['stress_free_is_energy_eV_per_atom']), 5)} | "
                   f"{pm(*est(r['X1_0_eV_per_atom']), 4)} | {pm(*est(r['G_GPa']))} | {pm(*est(r['peak_stress_GPa']))} | "
                   f"{pm(*est(r['peak_strain']))} | {pm(*est(r['flow_stress_GPa']))} |")
    et = R.get("stress_free_is_energy_trend_eV_per_atom")
    if et:
        out.append(f"\nStress-free IS energy per decade of cooling rate: {pm(*est(et['per_decade']), 5)} eV/atom "
                   f"(flow stresses averaged over γ ≥ {R['steady_state_from_strain']:.3g}).")
    fp = P.get("fixed_point")
    if fp:
        out.append(f"Fixed point of the mean flow (Fig. 2d): X1* = {pm(*est(fp['X1_eV_per_atom']), 4)} eV/atom, "
                   f"τ* = {pm(*est(fp['tau_GPa']))} GPa ({fp['samples']} training samples, bootstrap over samples).")
    out.append("")

    # SEEM vs AQS, held out.
    folds = (M.get("cross_validation") or {}).get("folds")
    out.append(f"SEEM against AQS, held-out samples ({f'{folds}-fold cross-validation over samples' if folds else 'held-out split'}; "
               f"elasticity {M['settings'].get('elasticity', '?')}, {M['settings'].get('runs_per_sample', '?')} runs per sample):\n")
    out.append("| cooling rate (K/s) | RMS τ / flow | RMS X1 / X1 range | peak τ AQS | peak τ SEEM | KS D drops [95 %] | KS D peaks [95 %] | coverage 5–95 % | out of grid |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    test = [g for g in M["groups"] if g.get("split") == "test" and g.get("cooling_rate_K_per_s") is not None]
    worst = 0.0
    for g in test:
        m, v = g["metrics"], g.get("validation", {})
        worst = max(worst, m["rms_tau_over_flow_stress"])
        def ks(x):
            k = (x or {}).get("ks") or {}
            return f"{k['D']:.2f} [{k['D_95_low']:.2f}, {k['D_95_high']:.2f}]" if k.get("D") is not None else "—"
        out.append(f"| {rate_label(g['cooling_rate_K_per_s'])} | {m['rms_tau_over_flow_stress']:.3f} | {m['rms_X1_over_X1_range']:.3f} | "
                   f"{v.get('peak_stress', {}).get('aqs_mean_GPa', float('nan')):.2f} | {v.get('peak_stress', {}).get('seem_mean_GPa', float('nan')):.2f} | "
                   f"{ks(v.get('stress_drops'))} | {ks(v.get('peak_stress'))} | {v.get('coverage_5_95', float('nan')):.2f} | "
                   f"{v.get('out_of_grid_step_fraction', float('nan')):.3f} |")
    out.append("")

    # Event thresholds.
    t = P["event_threshold"]
    out.append(f"Events: {t['events']} ({t['stress_and_energy_drops']} of {t['energy_drops']} energy drops are events, "
               f"{100 * t['fraction_of_energy_drops_that_are_events']:.1f} %); energy drops at ½× / 1× / 2× the threshold: "
               f"{t['energy_drops_at_half_threshold']} / {t['energy_drops']} / {t['energy_drops_at_double_threshold']}; "
               f"largest positive dissipation {t['largest_positive_dissipation_eV_per_atom']:.2e} eV/atom "
               f"(threshold {t['energy_threshold_eV_per_atom']:.2e}).")
    q = P.get("quality")
    if q:
        out.append(f"Quality gate: {len(q.get('excluded', []))} of {len(q.get('samples', []))} samples excluded as crystalline.")
    out.append("")

    # Goals.
    def goal(name, ok, numbers):
        goals.append(f"| {name} | {'met' if ok else 'NOT met'} | {numbers} |")
    free = [k for k in fixed_key if fixed_key[k] not in fixed]
    goal("all four Table I parameters fitted", len(free) == 4, "fitted: " + ", ".join(free) + ("; fixed: " + ", ".join(k for k in fixed_key if k not in free) if len(free) < 4 else ""))
    goal("G0 and uA positive, relative SE ≤ 50 %", g0 > 0 and ua > 0 and sg0 <= 0.5 * g0 and sua <= 0.5 * ua,
         f"G0 {pm(g0, sg0)} GPa, uA {pm(ua, sua)} eV/atom")
    goal("G0 within 5 % of 25.90 GPa", abs(g0 - 25.90) <= 0.05 * 25.90, f"{100 * (g0 / 25.90 - 1):+.1f} %")
    goal("uA or dG/dX1 within 30 %", abs(ua - 0.101) <= 0.3 * 0.101 or abs(slope - PAPER_SLOPE) <= 0.3 * abs(PAPER_SLOPE),
         f"uA {100 * (ua / 0.101 - 1):+.0f} %, dG/dX1 {100 * (slope / PAPER_SLOPE - 1):+.0f} %")
    rows = [r for r in R["per_rate"] if r["cooling_rate_K_per_s"] is not None]
    if len(rows) >= 2:
        s, f = rows[0], rows[-1]
        ps, sps = est(s["peak_stress_GPa"]); pf, spf = est(f["peak_stress_GPa"])
        comb = math.hypot(sps, spf)
        goal("peak stress: slowest rate above fastest by > 2 combined SE", ps - pf > 2 * comb,
             f"{ps:.2f} − {pf:.2f} = {ps - pf:.2f} GPa = {(ps - pf) / comb:.1f} SE")
        flows = [est(r["flow_stress_GPa"])[0] for r in rows]
        mean = sum(flows) / len(flows)
        dev = max(abs(x - mean) / mean for x in flows)
        goal("flow stresses of all rates within 10 % of their mean", dev <= 0.10, f"largest deviation {100 * dev:.1f} % of {mean:.2f} GPa")
    goal("SEEM held-out RMS of mean τ(γ) ≤ 0.15 of the flow stress", worst <= 0.15, f"worst rate {worst:.3f}")
    out.append("| goal | | numbers |")
    out.append("|---|---|---|")
    out.extend(goals)
    out.append("")

    # Wall time.
    stamps = []
    for line in open(os.path.join(workdir, "logs", "run.log"), errors="replace"):
        m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)", line)
        if m:
            stamps.append(datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%SZ"))
    unit_seconds = 0.0
    tdir = os.path.join(workdir, "logs", "timings")
    for name in os.listdir(tdir) if os.path.isdir(tdir) else []:
        if name.endswith(".json"):
            try:
                w = json.load(open(os.path.join(tdir, name))).get("wall_seconds", 0.0)
                unit_seconds += sum(w.values()) if isinstance(w, dict) else w
            except (ValueError, OSError):
                pass
    if stamps:
        span = (max(stamps) - min(stamps)).total_seconds()
        out.append(f"Wall time: {span / 60:.0f} min from the first to the last log line of logs/run.log "
                   f"(all invocations); units' own wall times sum to {unit_seconds / 3600:.2f} h.")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
