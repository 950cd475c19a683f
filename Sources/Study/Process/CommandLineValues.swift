import MDCore
import Minimization

/// Minimizer settings from command-line values; errors name the flag.
package func minimizerSettings(ftol: Double, etol: Double, norm: String, maxIterations: Int, maxEvaluations: Int,
                       dmax: Double, lineSearch: String) throws(InputError) -> MinimizerSettings {
    guard let n = ForceNorm(rawValue: norm) else {
        throw InputError(path: "--norm", reason: "unknown norm '\(norm)' (use 2norm, max or inf)")
    }
    guard let ls = LineSearchStyle(rawValue: lineSearch) else {
        throw InputError(path: "--line-search", reason: "unknown line search '\(lineSearch)' (use quadratic or backtrack)")
    }
    let settings = MinimizerSettings(energyTolerance: etol, forceTolerance: ftol, norm: n, maxIterations: maxIterations,
                                     maxEvaluations: maxEvaluations, maxDisplacement: dmax, lineSearch: ls)
    try settings.validate()
    return settings
}

/// Checks --threads and --skin.
package func checkThreadsAndSkin(threads: Int?, skin: Double) throws(InputError) {
    if let threads, threads < 1 { throw InputError(path: "--threads", reason: "must be at least 1 (got \(threads))") }
    guard skin.isFinite, skin >= 0 else { throw InputError(path: "--skin", reason: "must be a finite number ≥ 0 (got \(skin))") }
}
