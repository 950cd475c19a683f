import Testing
@testable import Harvest

@Suite struct LeastSquaresTests {
    /// y = a + b·x through (0, 1), (1, 2), (2, 4): by hand a = 5/6, b = 3/2, RSS = 1/6, σ² = 1/6,
    /// (AᵀA)⁻¹ = [[5, −3], [−3, 3]]/6.
    @Test func handSolvedLine() throws {
        let fit = try LeastSquares.fit(columns: [[1, 1, 1], [0, 1, 2]], observations: [1, 2, 4], names: ["a", "b"])
        #expect(abs(fit.solution[0] - 5.0 / 6) < 1e-13)
        #expect(abs(fit.solution[1] - 1.5) < 1e-13)
        #expect(abs(fit.residualVariance - 1.0 / 6) < 1e-13)
        #expect(abs(fit.covariance(0, 0) - 5.0 / 36) < 1e-13)
        #expect(abs(fit.covariance(0, 1) + 3.0 / 36) < 1e-13)
        #expect(abs(fit.covariance(1, 0) + 3.0 / 36) < 1e-13)
        #expect(abs(fit.standardError(1) - (1.0 / 12).squareRoot()) < 1e-13)
        #expect(zip(fit.residuals, [1.0 / 6, -1.0 / 3, 1.0 / 6]).allSatisfy { abs($0 - $1) < 1e-13 })
    }

    @Test func scaleInvariantRankTest() throws {
        // Columns of very different magnitude are still of full rank.
        let fit = try LeastSquares.fit(columns: [[1e-9, 2e-9, 3e-9, 4e-9], [1e6, 1e6, 1e6, 1e6]],
                                       observations: [1, 2, 3, 4.5], names: ["small", "big"])
        #expect(fit.solution.allSatisfy { $0.isFinite })
    }

    @Test func refusesRankDeficientDesign() {
        #expect(throws: LeastSquares.Refusal.self) {
            try LeastSquares.fit(columns: [[1, 1, 1, 1], [2, 2, 2, 2]], observations: [1, 2, 3, 4], names: ["a", "b"])
        }
        do {
            _ = try LeastSquares.fit(columns: [[1, 1, 1, 1], [2, 2, 2, 2]], observations: [1, 2, 3, 4], names: ["a", "b"])
        } catch {
            #expect(error.parameters.count == 1)
            #expect(error.description.contains("rank deficient"))
        }
    }

    @Test func refusesZeroColumnNamingIt() {
        do {
            _ = try LeastSquares.fit(columns: [[1, 1, 1], [0, 0, 0]], observations: [1, 2, 3], names: ["G0", "uA"])
            Issue.record("expected a refusal")
        } catch {
            #expect(error.parameters == ["uA"])
        }
    }

    @Test func refusesTooFewObservations() {
        do {
            _ = try LeastSquares.fit(columns: [[1, 1], [0, 1]], observations: [1, 2], names: ["a", "b"])
            Issue.record("expected a refusal")
        } catch {
            #expect(error.parameters == ["a", "b"])
            #expect(error.description.contains("2 observations for 2 parameters"))
        }
    }
}
