import COpenBLAS
import MDCore

/// A linear least-squares fit min ‖A·x − b‖₂ solved by LAPACK (`dgelsy`: complete orthogonal
/// factorization with column pivoting, so a rank-deficient design is detected rather than solved
/// silently), with the classical error analysis: residual variance σ² = RSS/(m − n) and parameter
/// covariance σ²·(AᵀA)⁻¹ (`dpotrf`/`dpotri`).
///
/// Columns are scaled to unit 2-norm before the factorization, so the rank test (reciprocal condition
/// `rcond`, default 1e-8) does not depend on the units of the parameters. Cost O(m·n²).
public struct LeastSquares: Sendable, Equatable {
    /// Fitted parameters, in column order.
    public var solution: [Double]
    /// Parameter names, in column order (used in messages and diagnostics).
    public var names: [String]
    /// Residuals b − A·x, one per observation.
    public var residuals: [Double]
    /// σ² = RSS/(m − n).
    public var residualVariance: Double
    /// Covariance σ²·(AᵀA)⁻¹, n×n, row-major.
    public var covariance: [Double]
    /// Observations m.
    public var observations: Int

    /// Degrees of freedom m − n.
    public var degreesOfFreedom: Int { observations - solution.count }

    /// Standard error of parameter `k`.
    public func standardError(_ k: Int) -> Double { covariance[k * solution.count + k].squareRoot() }

    /// Parameter `k` with its standard error.
    public func estimate(_ k: Int) -> Estimate { Estimate(solution[k], standardError: standardError(k)) }

    /// Covariance of parameters `i` and `j`.
    public func covariance(_ i: Int, _ j: Int) -> Double { covariance[i * solution.count + j] }

    /// Why a fit was refused: which parameter(s) the data cannot determine, and why.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// Names of the undetermined parameters.
        public var parameters: [String]
        public var reason: String
        public var description: String { "cannot determine \(parameters.joined(separator: ", ")): \(reason)" }
    }

    /// Fits `observations` ≈ Σ_j columns[j]·x_j. `columns[j]` holds column j of the design (one value
    /// per observation); `names[j]` names parameter j. Refuses (no solution returned) when the design has
    /// no more observations than parameters, contains non-finite values, or is rank deficient (naming the
    /// parameters that are not determined: those LAPACK's column pivoting leaves beyond the rank).
    public static func fit(columns: [[Double]], observations b: [Double], names: [String],
                           rcond: Double = 1e-8) throws(Refusal) -> LeastSquares {
        let n = columns.count, m = b.count
        precondition(names.count == n, "one name per column")
        guard n > 0 else { throw Refusal(parameters: [], reason: "no parameters to fit") }
        for c in columns { precondition(c.count == m, "every column needs one value per observation") }
        guard m > n else {
            throw Refusal(parameters: names, reason: "\(m) observation\(m == 1 ? "" : "s") for \(n) parameter\(n == 1 ? "" : "s") (need more observations than parameters to estimate errors)")
        }
        guard b.allSatisfy({ $0.isFinite }), columns.allSatisfy({ $0.allSatisfy { $0.isFinite } }) else {
            throw Refusal(parameters: names, reason: "the data contain non-finite values")
        }
        // Column scaling: A = Â·D with unit-norm columns of Â.
        var scale = [Double](repeating: 1, count: n)
        var a = [Double](repeating: 0, count: m * n)   // column-major
        for j in 0..<n {
            var s = 0.0
            for v in columns[j] { s += v * v }
            s = s.squareRoot()
            guard s > 0 else {
                throw Refusal(parameters: [names[j]], reason: "its design column is identically zero (zero-variance data)")
            }
            scale[j] = s
            for i in 0..<m { a[j * m + i] = columns[j][i] / s }
        }
        let aScaled = a
        var rhs = b
        var jpvt = [Int32](repeating: 0, count: n)
        var mm = Int32(m), nn = Int32(n), nrhs: Int32 = 1, lda = Int32(m), ldb = Int32(m)
        var rc = rcond, rank: Int32 = 0, info: Int32 = 0
        // Workspace query, then the solve.
        var lwork: Int32 = -1
        var query = [Double](repeating: 0, count: 1)
        _ = LeastSquares.singleThreaded
        dgelsy_(&mm, &nn, &nrhs, &a, &lda, &rhs, &ldb, &jpvt, &rc, &rank, &query, &lwork, &info)
        lwork = Int32(max(query[0], Double(max(1, 3 * n + 64 * max(m, n)))))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgelsy_(&mm, &nn, &nrhs, &a, &lda, &rhs, &ldb, &jpvt, &rc, &rank, &work, &lwork, &info)
        precondition(info == 0, "dgelsy failed (info \(info))")
        if Int(rank) < n {
            let missing = jpvt[Int(rank)...].map { names[Int($0) - 1] }.sorted()
            throw Refusal(parameters: missing,
                          reason: "the design is rank deficient (rank \(rank) of \(n)): the data do not vary enough to separate \(missing.count == 1 ? "it" : "them") from the other parameters")
        }
        let solution = (0..<n).map { rhs[$0] / scale[$0] }
        // Residuals in the original units.
        var residuals = b
        var rss = 0.0
        for i in 0..<m {
            var fit = 0.0
            for j in 0..<n { fit += columns[j][i] * solution[j] }
            residuals[i] = b[i] - fit
            rss += residuals[i] * residuals[i]
        }
        let sigma2 = rss / Double(m - n)
        // (ÂᵀÂ)⁻¹ by Cholesky, then unscale: Cov(x) = σ² D⁻¹ (ÂᵀÂ)⁻¹ D⁻¹.
        var ata = [Double](repeating: 0, count: n * n)
        for p in 0..<n {
            for q in 0...p {
                var s = 0.0
                for i in 0..<m { s += aScaled[p * m + i] * aScaled[q * m + i] }
                ata[p * n + q] = s; ata[q * n + p] = s
            }
        }
        var ldn = Int32(n)
        dpotrf_("L", &nn, &ata, &ldn, &info)
        guard info == 0 else {
            throw Refusal(parameters: names, reason: "the normal matrix is not positive definite (the design is numerically singular)")
        }
        dpotri_("L", &nn, &ata, &ldn, &info)
        precondition(info == 0, "dpotri failed (info \(info))")
        var covariance = [Double](repeating: 0, count: n * n)
        for p in 0..<n {
            for q in 0..<n {
                let v = p >= q ? ata[q * n + p] : ata[p * n + q]   // lower triangle (column-major) holds the inverse
                covariance[p * n + q] = sigma2 * v / (scale[p] * scale[q])
            }
        }
        return LeastSquares(solution: solution, names: names, residuals: residuals, residualVariance: sigma2,
                            covariance: covariance, observations: m)
    }

    /// OpenBLAS may split a large BLAS call over threads, and a different split changes the rounding;
    /// Harvest promises bit-identical output, so its LAPACK calls run on one thread (they are tiny).
    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()
}
