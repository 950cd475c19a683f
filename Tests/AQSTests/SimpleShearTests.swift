import AQS
import Minimization
import EAM
import MDCore
import Testing

/// Simple shear: exact tilts, the affine remap, the history format, state and checkpoint
/// encodings, and bit-identical resumption in process.
@Suite("SimpleShear")
struct SimpleShearTests {
    @Test func tiltIsComputedFromTheStepNumber() {
        let box = Box(lo: SIMD3(1, -2, 0.5), lx: 20, ly: 19.94, lz: 21)
        let settings = ShearSettings(strainStep: 1e-5, maxStrain: 0.5)
        #expect(settings.stepCount == 50_000)
        #expect(ShearSettings(strainStep: 1e-3, maxStrain: 0.04).stepCount == 40)
        #expect(ShearSettings(strainStep: 3e-4, maxStrain: 1e-3).stepCount == 3)
        let shear = SimpleShear(field: HarmonicWells(centers: [.zero], stiffness: [SIMD3(1, 1, 1)]),
                                box: box, positions: [.zero], settings: settings)
        for n in [0, 1, 7, 12_345, 50_000] {
            #expect(shear.box(at: n).xy == Double(n) * 1e-5 * 19.94)
            #expect(shear.box(at: n).ly == box.ly && shear.box(at: n).lx == box.lx && shear.box(at: n).lo == box.lo)
        }
    }

    /// x += Δxy·(y − ylo)/ly (yz = 0); with yz ≠ 0 the remap is LAMMPS's h'·h⁻¹ map.
    @Test func affineRemapMatchesTheLAMMPSMap() {
        var rng = SplitMix64(state: 11)
        for yz in [0.0, 1.3] {
            let old = Box(lo: SIMD3(-1, 2, 3), lx: 10, ly: 12, lz: 9, xy: 0.7, xz: -0.4, yz: yz)
            var new = old
            new.xy = 1.9
            let x = (0..<50).map { _ in SIMD3(rng.uniform(-5, 15), rng.uniform(-5, 15), rng.uniform(-5, 15)) }
            var mapped = x
            SimpleShear<HarmonicWells>.affineRemap(&mapped, from: old, to: new)
            for i in x.indices {
                if yz == 0 { #expect(mapped[i].x == x[i].x + 1.2 * ((x[i].y - 2) / 12)) }
                #expect(maxAbs(mapped[i] - old.remap(x[i], to: new)) < 1e-12)
                #expect(mapped[i].y == x[i].y && mapped[i].z == x[i].z)
            }
        }
    }

    @Test func historyRowsRoundTrip() {
        #expect(ShearRecord.csvHeader == "step,strain,pe_eV,stress_xx_GPa,stress_yy_GPa,stress_zz_GPa,stress_xy_GPa,stress_xz_GPa,stress_yz_GPa,iterations,force_evaluations,fnorm_eV_per_A,stop_reason")
        let r = ShearRecord(step: 3, strain: 3 * 1e-5, energy: -1234.567890123, stress: Stress(xx: -3.1, yy: 0.1 + 0.2, zz: 1e-300, xy: 0.5, xz: -0.0, yz: 7),
                            iterations: 12, forceEvaluations: 25, fnorm: 9.9e-9, stopReason: .lineSearchFailed(.alphaZero))
        #expect(r.csvLine == "3,3.0000000000000004e-05,-1234.567890123,-3.1,0.30000000000000004,1e-300,0.5,-0.0,7.0,12,25,9.9e-09,linesearch_alpha_zero")
        #expect(ShearRecord(csvLine: Substring(r.csvLine)) == r)
        for reason in StopReason.all { #expect(StopReason(token: reason.token) == reason) }
    }

    @Test func stateAndCheckpointRoundTripAndDetectDamage() throws {
        var rng = SplitMix64(state: 5)
        let v = { (n: Int) in (0..<n).map { _ in SIMD3(rng.uniform(-1, 1), rng.uniform(-1, 1), .pi * rng.unit()) } }
        var totals = ShearTotals()
        totals.iterations = 7; totals.forceEvaluations = 99; totals.stressDrops = 2
        let record = ShearRecord(step: 4, strain: 4e-3, energy: -10, stress: Stress(xx: 1, yy: 2, zz: 3, xy: 4, xz: 5, yz: 6),
                                 iterations: 1, forceEvaluations: 2, fnorm: 3, stopReason: .forceTolerance)
        let state = ShearState(step: 4, positions: v(9), increments: [v(9), v(9)], minimizerMemory: [v(9), v(9)],
                               recentRecords: [record, record], totals: totals)
        #expect(try ShearState(decoding: state.encoded()) == state)

        let file = CheckpointFile(kind: "aqs.shear", key: 0xdead_beef, settings: "a=1\nb=2", payload: state.encoded())
        let bytes = file.encoded()
        #expect(try CheckpointFile.decode(bytes) == file)
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        #expect(throws: CheckpointFile.Damage.checksumMismatch) { try CheckpointFile.decode(flipped) }
        #expect(throws: CheckpointFile.Damage.self) { try CheckpointFile.decode(Array(bytes.prefix(bytes.count - 3))) }
        var badMagic = bytes
        badMagic[0] = 0x41
        #expect(throws: CheckpointFile.Damage.notACheckpoint) { try CheckpointFile.decode(badMagic) }
        #expect(CheckpointFile.settingsDifferences(checkpoint: "a=1\nb=2", now: "a=1\nb=3\nc=4")
                == ["b: 2 in the checkpoint, 3 now", "c: (absent) in the checkpoint, 4 now"])
    }

    @Test func rejectsBadSettings() {
        for bad in [ShearSettings(strainStep: 0), ShearSettings(strainStep: -1e-5), ShearSettings(strainStep: .nan),
                    ShearSettings(strainStep: .infinity), ShearSettings(strainStep: 1e-3, maxStrain: 1e-4),
                    ShearSettings(maxStrain: .nan), ShearSettings(minimizer: MinimizerSettings(forceTolerance: .nan))] {
            #expect(throws: InputError.self) { try bad.validate() }
        }
    }

    /// Run 6 steps at once, or 3 steps, export the state, encode, decode and resume for 3 more
    /// (with the predictor and its L-BFGS memory): identical rows and positions, bit for bit;
    /// and the same at 1 and 2 threads.
    @Test func resumedRunIsBitIdentical() throws {
        let s = jitteredAlloy(cells: 3)
        var fast = MinimizerSettings(forceTolerance: 1e-8)
        fast.algorithm = .lbfgs
        let settings = ShearSettings(strainStep: 1e-4, maxStrain: 6e-4, minimizer: MinimizerSettings(forceTolerance: 1e-8),
                                     predictor: PredictorSettings(enabled: true, minimizer: fast))
        func straight(threads: Int) -> ([String], [SIMD3<Double>]) {
            let shear = SimpleShear(field: cuZrField(s, threads: threads), box: s.box, positions: s.positions, settings: settings)
            var rows = [shear.start().csvLine]
            while !shear.isFinished { rows.append(shear.advance().csvLine) }
            return (rows, shear.state!.positions)
        }
        let (rows, positions) = straight(threads: 1)
        #expect(rows.count == 7)

        let first = SimpleShear(field: cuZrField(s), box: s.box, positions: s.positions, settings: settings)
        var resumedRows = [first.start().csvLine]
        for _ in 0..<3 { resumedRows.append(first.advance().csvLine) }
        let saved = try ShearState(decoding: first.exportState()!.encoded())
        #expect(!saved.minimizerMemory.isEmpty)
        let second = SimpleShear(field: cuZrField(s, threads: 2), box: s.box, settings: settings, resuming: saved)
        while !second.isFinished { resumedRows.append(second.advance().csvLine) }
        #expect(resumedRows == rows)
        #expect(second.state!.positions == positions)
        let (rows2, positions2) = straight(threads: 2)
        #expect(rows2 == rows)
        #expect(positions2 == positions)
    }
}
