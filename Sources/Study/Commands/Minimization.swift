import EAM
import MDCore
import Minimization

/// `pipeline minimize`: minimizes the structure of `setup` at fixed box with `settings` (CG as LAMMPS
/// `min_style cg`, or L-BFGS), writes it to `output` (masses from the potential) and returns the JSON
/// report line the command prints.
package func minimizeStructure(_ setup: SystemSetup, settings: MinimizerSettings, skin: Double, threads: Int,
                               output: String) throws(InputError) -> String {
    var s = setup.structure
    let field = setup.forceField(skin: skin, threads: threads)
    var f = [SIMD3<Double>](repeating: .zero, count: s.count)
    _ = field.evaluate(s.positions, box: s.box, forces: &f)
    try field.checkNoOverlap(setup)
    let t0 = MonotonicClock.seconds()
    let report = settings.algorithm == .cg
        ? ConjugateGradient(field: field).minimize(&s.positions, box: s.box, settings: settings)
        : LBFGS(field: field, memory: settings.memory).minimize(&s.positions, box: s.box, settings: settings)
    let seconds = MonotonicClock.seconds() - t0
    let stress = Stress(virial: report.virial, volume: s.box.volume)
    guard report.energy.isFinite, stress.components.allSatisfy(\.isFinite) else {
        throw InputError.computation(path: setup.structurePath, reason: "energy or stress is not finite after minimization")
    }
    s.masses = setup.potentialMassesByType
    s.images = nil
    try LAMMPSDataFile.write(s, to: output, title: "minimized by seem (\(report.stopReason.lammpsText))")
    if !report.stopReason.isConverged {
        printError("\(setup.structurePath): warning: minimization stopped on '\(report.stopReason.lammpsText)' (fnorm \(roundTrip(report.fnorm)) eV/Å)")
    }
    return JSONText.object([
        ("atoms", "\(s.count)"),
        ("iterations", "\(report.iterations)"),
        ("force_evaluations", "\(report.forceEvaluations)"),
        ("stop_reason", JSONText.string(report.stopReason.token)),
        ("energy_initial_eV", JSONText.number(report.initialEnergy)),
        ("energy_eV", JSONText.number(report.energy)),
        ("fnorm_eV_per_A", JSONText.number(report.fnorm)),
        ("fmax_eV_per_A", JSONText.number(report.fmax)),
        ("stress_GPa", JSONText.object(zip(["xx", "yy", "zz", "xy", "xz", "yz"], stress.components)
            .map { ($0.0, JSONText.number($0.1)) })),
        ("seconds", JSONText.number(seconds)),
    ])
}
