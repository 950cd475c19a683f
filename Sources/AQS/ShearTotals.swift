import MDCore
import Minimization

/// Running totals of a shear run (all steps so far, the starting minimization included).
public struct ShearTotals: Sendable, Equatable {
    /// CG iterations of every minimization, discarded predictor attempts included.
    public var iterations = 0
    /// Force evaluations of every minimization, discarded predictor attempts included.
    public var forceEvaluations = 0
    /// Force evaluations of the starting structure's minimization (step 0).
    public var startEvaluations = 0
    /// Force evaluations spent on predicted steps that were then recomputed from the affine start.
    public var discardedEvaluations = 0
    /// Steps that started from the predictor and were kept.
    public var predictedSteps = 0
    /// Steps whose predicted result was rejected and recomputed from the affine start.
    public var predictorFallbacks = 0
    /// Steps whose σ_xy fell below the previous step's.
    public var stressDrops = 0
    /// Minimizations of recorded rows by stop reason, in `StopReason.all` order.
    public var stopReasons = [Int](repeating: 0, count: StopReason.all.count)

    public init() {}

    /// Mean force evaluations per strain step (step 0 excluded), discarded attempts included.
    public func evaluationsPerStep(steps: Int) -> Double {
        steps > 0 ? Double(forceEvaluations - startEvaluations) / Double(steps) : 0
    }

    /// Count of recorded rows that stopped for `reason`.
    public func count(_ reason: StopReason) -> Int { stopReasons[StopReason.all.firstIndex(of: reason)!] }

    mutating func record(_ reason: StopReason) { stopReasons[StopReason.all.firstIndex(of: reason)!] += 1 }

    func encode(into w: inout BinaryWriter) {
        for v in [iterations, forceEvaluations, startEvaluations, discardedEvaluations, predictedSteps, predictorFallbacks, stressDrops] {
            w.write(v)
        }
        w.write(stopReasons.map(Double.init))
    }

    init(decoding r: inout BinaryReader) throws(BinaryReader.Truncated) {
        iterations = try r.readInt(); forceEvaluations = try r.readInt(); startEvaluations = try r.readInt(); discardedEvaluations = try r.readInt()
        predictedSteps = try r.readInt(); predictorFallbacks = try r.readInt(); stressDrops = try r.readInt()
        let counts = try r.readDoubles()
        guard counts.count == StopReason.all.count else { throw BinaryReader.Truncated() }
        stopReasons = counts.map { Int($0) }
    }
}
