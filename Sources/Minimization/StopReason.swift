/// Why a line search gave up (LAMMPS's line-search return codes).
public enum LineSearchFailure: String, Sendable, Equatable, CaseIterable, Codable {
    /// f·h ≤ 0 at the start of the line search.
    case notDownhill = "not_downhill"
    /// The search direction is zero.
    case zeroForces = "zero_forces"
    /// |f·h| or its change along the line fell below 1e-28 (quadratic line search).
    case quadraticFactorsZero = "quadratic_factors_zero"
    /// Backtracked until the expected energy decrease fell below 1e-8 eV.
    case alphaZero = "alpha_zero"

    /// LAMMPS's wording.
    public var lammpsText: String {
        switch self {
        case .notDownhill: return "search direction is not downhill"
        case .zeroForces: return "forces are zero"
        case .quadraticFactorsZero: return "quadratic factors are zero"
        case .alphaZero: return "linesearch alpha is zero"
        }
    }
}

/// Why a minimization stopped. `forceTolerance` and `energyTolerance` mean converged; the others
/// are reported to the user (a run must never hide them).
public enum StopReason: Sendable, Equatable, Hashable, Codable {
    case forceTolerance
    case energyTolerance
    case maxIterations
    case maxEvaluations
    case lineSearchFailed(LineSearchFailure)

    /// Every reason, in a fixed order (for tallies).
    public static let all: [StopReason] = [.forceTolerance, .energyTolerance, .maxIterations, .maxEvaluations]
        + LineSearchFailure.allCases.map { .lineSearchFailed($0) }

    /// True for the two tolerance criteria.
    public var isConverged: Bool { self == .forceTolerance || self == .energyTolerance }

    /// One token without spaces, for CSV and JSON: `ftol`, `etol`, `max_iterations`,
    /// `max_evaluations`, `linesearch_<failure>`.
    public var token: String {
        switch self {
        case .forceTolerance: return "ftol"
        case .energyTolerance: return "etol"
        case .maxIterations: return "max_iterations"
        case .maxEvaluations: return "max_evaluations"
        case .lineSearchFailed(let f): return "linesearch_" + f.rawValue
        }
    }

    /// Parses `token`.
    public init?(token: String) {
        guard let r = StopReason.all.first(where: { $0.token == token }) else { return nil }
        self = r
    }

    /// LAMMPS's "Stopping criterion" wording.
    public var lammpsText: String {
        switch self {
        case .forceTolerance: return "force tolerance"
        case .energyTolerance: return "energy tolerance"
        case .maxIterations: return "max iterations"
        case .maxEvaluations: return "max force evaluations"
        case .lineSearchFailed(let f): return f.lammpsText
        }
    }
}
