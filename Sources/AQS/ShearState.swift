import MDCore
import Minimization

/// Everything the next strain step depends on: with it, a resumed run repeats the uninterrupted
/// run bit for bit (the force field's results depend only on positions and box).
public struct ShearState: Sendable, Equatable {
    /// Last completed step (0 = starting structure minimized).
    public var step: Int
    /// Inherent structure of `step`, Å (exact bits).
    public var positions: [SIMD3<Double>]
    /// Non-affine increments of the latest elastic steps, newest first (at most two; empty after a
    /// stress drop or when the predictor is off).
    public var increments: [[SIMD3<Double>]]
    /// L-BFGS pairs of the predictor's minimizer, oldest first, as s₁, y₁, s₂, y₂, … (only in
    /// `SimpleShear.exportState()`; empty otherwise).
    public var minimizerMemory: [[SIMD3<Double>]]
    /// Rows of the last two steps, newest first.
    public var recentRecords: [ShearRecord]
    /// Totals so far.
    public var totals: ShearTotals

    public init(step: Int, positions: [SIMD3<Double>], increments: [[SIMD3<Double>]] = [],
                minimizerMemory: [[SIMD3<Double>]] = [],
                recentRecords: [ShearRecord] = [], totals: ShearTotals = ShearTotals()) {
        self.step = step; self.positions = positions; self.increments = increments
        self.minimizerMemory = minimizerMemory
        self.recentRecords = recentRecords; self.totals = totals
    }

    /// Binary form (for checkpoints).
    public func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 24 * positions.count * (1 + increments.count + minimizerMemory.count) + 512)
        w.write(step)
        w.write(positions)
        w.write(increments.count)
        for d in increments { w.write(d) }
        w.write(minimizerMemory.count)
        for d in minimizerMemory { w.write(d) }
        w.write(recentRecords.count)
        for r in recentRecords { r.encode(into: &w) }
        totals.encode(into: &w)
        return w.bytes
    }

    /// Decodes `encoded()`; throws when the bytes are malformed.
    public init(decoding bytes: [UInt8]) throws(BinaryReader.Truncated) {
        var r = BinaryReader(bytes)
        step = try r.readInt()
        positions = try r.readVectors()
        let ni = try r.readInt()
        guard (0...2).contains(ni) else { throw BinaryReader.Truncated() }
        increments = []
        for _ in 0..<ni {
            let d = try r.readVectors()
            guard d.count == positions.count else { throw BinaryReader.Truncated() }
            increments.append(d)
        }
        let nm = try r.readInt()
        guard nm >= 0, nm % 2 == 0, nm <= 2 * 1000 else { throw BinaryReader.Truncated() }
        minimizerMemory = []
        for _ in 0..<nm {
            let d = try r.readVectors()
            guard d.count == positions.count else { throw BinaryReader.Truncated() }
            minimizerMemory.append(d)
        }
        let nr = try r.readInt()
        guard (0...2).contains(nr) else { throw BinaryReader.Truncated() }
        recentRecords = []
        for _ in 0..<nr { recentRecords.append(try ShearRecord(decoding: &r)) }
        totals = try ShearTotals(decoding: &r)
        guard r.isAtEnd, step >= 0 else { throw BinaryReader.Truncated() }
    }
}
