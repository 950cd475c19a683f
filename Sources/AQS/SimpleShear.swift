import MDCore
import Minimization

/// Athermal quasistatic simple shear in the xy plane: step n sets the tilt to
/// xy_n = xy₀ + (n·Δγ)·ly, computed from n (no accumulated round-off), maps every atom affinely,
/// x += (xy_n − xy_{n−1})·λ_y with λ_y = (h⁻¹(x − lo))_y (LAMMPS `change_box all xy final … remap`),
/// and relaxes the positions at that fixed box with `ConjugateGradient` to the next inherent
/// structure. Any strain and any box: tilts beyond ly/2 are fine for the force field.
///
/// With the predictor on (`PredictorSettings`), an elastic step starts from the affine map plus
/// the extrapolated non-affine increment; steps that look plastic are recomputed from the affine
/// start, so events follow the plain method's path.
///
/// `state` holds everything the next step depends on, so a run rebuilt with
/// `init(field:box:settings:resuming:)` continues bit for bit.
public final class SimpleShear<F: ForceField> {
    public let settings: ShearSettings
    /// Box of the starting structure (step 0).
    public let referenceBox: Box
    /// The minimizer (owns the force field and scratch vectors).
    public let minimizer: ConjugateGradient<F>
    /// The predictor's L-BFGS minimizer, when the predictor uses L-BFGS (its pairs carry over
    /// from one elastic step to the next).
    public let fastMinimizer: LBFGS<F>?
    /// State after the last completed step; nil before `start()`.
    public private(set) var state: ShearState?
    /// How the last step was computed.
    public private(set) var lastStepKind: StepKind = .plain

    /// How a step's inherent structure was found.
    public enum StepKind: Sendable, Equatable {
        /// From the affine start (predictor off or not yet usable).
        case plain
        /// From the predicted start, kept.
        case predicted
        /// Predicted, rejected, recomputed from the affine start.
        case fallback
    }

    /// Reports of the minimizations of the last step (a rejected prediction first), for diagnostics.
    public private(set) var lastReports: [MinimizationReport] = []

    private var startPositions: [SIMD3<Double>]

    /// A run from `positions` (Å) in `box`, not yet started.
    public init(field: F, box: Box, positions: [SIMD3<Double>], settings: ShearSettings) {
        precondition(positions.count == field.atomCount)
        self.settings = settings
        referenceBox = box
        minimizer = ConjugateGradient(field: field)
        fastMinimizer = Self.makeFastMinimizer(field, settings)
        startPositions = positions
    }

    /// A run continuing from `state` (from a checkpoint of a run with the same settings and input).
    public init(field: F, box: Box, settings: ShearSettings, resuming state: ShearState) {
        precondition(state.positions.count == field.atomCount)
        self.settings = settings
        referenceBox = box
        minimizer = ConjugateGradient(field: field)
        fastMinimizer = Self.makeFastMinimizer(field, settings)
        startPositions = []
        var s = state
        if let fast = fastMinimizer {
            let m = s.minimizerMemory
            precondition(m.count % 2 == 0 && m.count / 2 <= fast.memory)
            fast.memoryState = stride(from: 0, to: m.count, by: 2).map { (m[$0], m[$0 + 1]) }
        }
        s.minimizerMemory = []
        self.state = s
    }

    private static func makeFastMinimizer(_ field: F, _ settings: ShearSettings) -> LBFGS<F>? {
        guard settings.predictor.enabled, let m = settings.predictor.minimizer, m.algorithm == .lbfgs else { return nil }
        return LBFGS(field: field, memory: m.memory, keepsMemory: true)
    }

    /// The state with the predictor minimizer's memory: everything a resumed run needs.
    public func exportState() -> ShearState? {
        guard var s = state else { return nil }
        if let fast = fastMinimizer { s.minimizerMemory = fast.memoryState.flatMap { [$0.s, $0.y] } }
        return s
    }

    /// True once the last step (`settings.stepCount`) is done.
    public var isFinished: Bool { (state?.step ?? -1) >= settings.stepCount }

    /// Tilt xy of step `step`: xy₀ + (step·Δγ)·ly, Å.
    public static func tilt(step: Int, strainStep: Double, reference box: Box) -> Double {
        box.xy + Double(step) * strainStep * box.ly
    }

    /// The box of step `step`.
    public func box(at step: Int) -> Box {
        var b = referenceBox
        b.xy = Self.tilt(step: step, strainStep: settings.strainStep, reference: referenceBox)
        return b
    }

    /// Maps positions affinely from box `old` to box `new`, which differ only in xy:
    /// x += (xy_new − xy_old)·λ_y.
    public static func affineRemap(_ x: inout [SIMD3<Double>], from old: Box, to new: Box) {
        let dxy = new.xy - old.xy
        let lo = old.lo, ly = old.ly, lz = old.lz, yz = old.yz
        var p = x.mutableSpan
        for i in p.indices {
            let sz = (p[i].z - lo.z) / lz
            let sy = (p[i].y - lo.y - yz * sz) / ly
            p[i].x += dxy * sy
        }
    }

    /// Minimizes the starting structure: the row of step 0.
    @discardableResult
    public func start() -> ShearRecord {
        precondition(state == nil, "start() called twice")
        var x = startPositions
        startPositions = []
        let report = minimizer.minimize(&x, box: referenceBox, settings: settings.minimizer)
        lastReports = [report]
        var totals = ShearTotals()
        totals.iterations += report.iterations
        totals.forceEvaluations += report.forceEvaluations
        totals.startEvaluations = report.forceEvaluations
        totals.record(report.stopReason)
        let record = makeRecord(step: 0, report, box: referenceBox)
        state = ShearState(step: 0, positions: x, increments: [], recentRecords: [record], totals: totals)
        lastStepKind = .plain
        return record
    }

    /// Performs the next strain step and returns its row.
    @discardableResult
    public func advance() -> ShearRecord {
        guard var s = state else { preconditionFailure("advance() before start()") }
        precondition(!isFinished, "advance() after the last step")
        let n = s.step + 1
        lastReports = []
        let oldBox = box(at: n - 1), newBox = box(at: n)
        var start = s.positions
        Self.affineRemap(&start, from: oldBox, to: newBox)
        let previous = s.recentRecords[0]
        let p = settings.predictor

        // With no increment to extrapolate (the first step, or after a stress drop) an L-BFGS
        // predictor still starts from the affine map, checked like any prediction but for the tests
        // that compare with the last increment.
        let d0 = s.increments.first
        if p.enabled, d0 != nil || fastMinimizer != nil {
            // Predicted start: affine map + extrapolated non-affine increment.
            var trial = start
            if let d0 {
                let d1 = p.order == 2 && s.increments.count > 1 ? s.increments[1] : nil
                var t = trial.mutableSpan
                for i in t.indices { t[i] += d1.map { 2 * d0[i] - $0[i] } ?? d0[i] }
            }
            var x = trial
            let predictedSettings = p.minimizer ?? settings.minimizer
            let report = fastMinimizer.map { $0.minimize(&x, box: newBox, settings: predictedSettings) }
                ?? minimizer.minimize(&x, box: newBox, settings: predictedSettings)
            lastReports.append(report)
            s.totals.iterations += report.iterations
            s.totals.forceEvaluations += report.forceEvaluations
            let record = makeRecord(step: n, report, box: newBox)
            let dNorm = d0.map(norm)
            let increment = difference(x, start)
            if acceptsPrediction(record, report: report, previous: previous, box: newBox,
                                 correction: norm(difference(x, trial)), increment: norm(increment), last: dNorm) {
                s.totals.predictedSteps += 1
                commit(&s, record: record, positions: x, increment: increment, previous: previous)
                lastStepKind = .predicted
                return record
            }
            s.totals.discardedEvaluations += report.forceEvaluations
            s.totals.predictorFallbacks += 1
            fastMinimizer?.resetMemory()
            lastStepKind = .fallback
        } else {
            lastStepKind = .plain
        }

        var x = start
        let report = minimizer.minimize(&x, box: newBox, settings: settings.minimizer)
        lastReports.append(report)
        s.totals.iterations += report.iterations
        s.totals.forceEvaluations += report.forceEvaluations
        let record = makeRecord(step: n, report, box: newBox)
        commit(&s, record: record, positions: x, increment: p.enabled ? difference(x, start) : nil, previous: previous)
        return record
    }

    /// Decides whether a predicted step is kept (see `PredictorSettings`).
    /// `last` is nil for a step started from the plain affine map (no increment to compare with).
    private func acceptsPrediction(_ record: ShearRecord, report: MinimizationReport, previous: ShearRecord,
                                   box: Box, correction: Double, increment: Double, last: Double?) -> Bool {
        let p = settings.predictor
        guard report.stopReason.isConverged else { return false }
        guard record.stress.xy >= previous.stress.xy else { return false }
        let dissipation = EnergyBalance.dissipation(
            energyChange: record.energy - previous.energy, stressBefore: previous.stress.xy,
            stressAfter: record.stress.xy, strainStep: settings.strainStep, volume: box.volume)
        let bound = EnergyBalance.noiseBound(forceTolerance: settings.minimizer.forceTolerance,
                                             maxDisplacement: settings.minimizer.maxDisplacement)
        guard Swift.abs(dissipation) <= p.energyBoundFraction * bound + 1e-12 * Swift.abs(record.energy) else {
            return false
        }
        guard let last else { return true }
        let floor = 1e-9
        guard correction <= p.correctionLimit * last + floor else { return false }
        if last > floor, increment > floor {
            let growth = increment / last
            guard growth <= p.growthLimit, growth >= 1 / p.growthLimit else { return false }
        }
        return true
    }

    private func commit(_ s: inout ShearState, record: ShearRecord, positions: [SIMD3<Double>],
                        increment: [SIMD3<Double>]?, previous: ShearRecord) {
        s.step = record.step
        s.positions = positions
        s.totals.record(record.stopReason)
        let drop = record.stress.xy < previous.stress.xy
        if drop { s.totals.stressDrops += 1 }
        if let increment, !drop {
            s.increments.insert(increment, at: 0)
            if s.increments.count > settings.predictor.order { s.increments.removeLast() }
        } else {
            s.increments = []
        }
        if drop { fastMinimizer?.resetMemory() }
        s.recentRecords = [record, previous]
        state = s
    }

    private func makeRecord(step: Int, _ r: MinimizationReport, box: Box) -> ShearRecord {
        ShearRecord(step: step, strain: Double(step) * settings.strainStep, energy: r.energy,
                    stress: Stress(virial: r.virial, volume: box.volume), iterations: r.iterations,
                    forceEvaluations: r.forceEvaluations, fnorm: r.fnorm, stopReason: r.stopReason)
    }

    private func difference(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> [SIMD3<Double>] {
        var d = a
        for i in d.indices { d[i] -= b[i] }
        return d
    }

    private func norm(_ a: [SIMD3<Double>]) -> Double {
        var s = 0.0
        for v in a { s += (v * v).sum() }
        return s.squareRoot()
    }
}
