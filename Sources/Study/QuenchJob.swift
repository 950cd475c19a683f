import AQS
import Minimization
import EAM
import MDCore
import Neighbors
import Quench
#if canImport(Glibc)
import Glibc
#endif

/// One quench study's parameters and the two kinds of work it does: the parent (melt, cool to the
/// branch temperature; once) and a sample (resample velocities, relax, quench at `rate`, minimize to
/// the inherent structure). Used by `pipeline quench` and by the `run` stages. Every part resumes
/// from its checkpoint and is bit-identical to an uninterrupted run at any thread count.
package struct QuenchJob {
    package var atoms = 4000
    package var box = 39.88
    package var composition = "Cu:0.64,Zr:0.36"
    package var potential = "potentials/CuZr_mm.eam.fs"
    package var elements = "Cu,Zr"
    /// `eam/fs` or `eam/alloy`; nil: the format the file's layout shows (`ForceFieldFactory`).
    package var pairStyle: String?
    package var structure: String?
    package var meltTemperature = QuenchProtocol.paper.meltTemperature
    package var meltPs = QuenchProtocol.paper.meltPs
    package var branchTemperature = QuenchProtocol.paper.branchTemperature
    package var branchRate = QuenchProtocol.paper.branchRate
    package var relaxPs = QuenchProtocol.paper.relaxPs
    package var finalTemperature = QuenchProtocol.paper.finalTemperature
    package var rate = 2e10
    package var timestep = QuenchProtocol.paper.timestep
    package var tdamp = QuenchProtocol.paper.damping
    package var chain = QuenchProtocol.paper.chainLength
    package var ftol = 2e-4
    package var norm = "2norm"
    package var samples = 1
    package var seed: UInt64 = 1
    package var thermoEvery = 500
    package var checkpointEvery = 20_000
    package var threads: Int?
    package var skin = NeighborList.defaultSkin
    package var output: String
    /// Minimizer of the inherent structure (default: `ftol`/`norm` with generous limits).
    package var minimizer: MinimizerSettings? = nil
    /// Where warnings go (standard error by default; a study run sends them to its log as well).
    package var warn: @Sendable (String) -> Void = { printError($0) }

    /// Everything a run needs, checked.
    package struct Plan {
        /// Makes the force field of every part (MD and the inherent-structure minimization).
        var forceFields: ForceFieldFactory
        var start: Structure
        var masses: [Double]
        var proto: QuenchProtocol
        var minimizer: MinimizerSettings
        var parentSettings: [String]
    }

    package func makePlan() throws(InputError) -> Plan {
        var proto = QuenchProtocol()
        proto.meltTemperature = meltTemperature; proto.meltPs = meltPs
        proto.branchTemperature = branchTemperature; proto.branchRate = branchRate
        proto.relaxPs = relaxPs; proto.finalTemperature = finalTemperature
        proto.timestep = timestep; proto.damping = tdamp; proto.chainLength = chain
        if let (flag, reason) = proto.problems().first { throw InputError(path: "--" + flag, reason: reason) }
        guard rate.isFinite, rate > 0 else { throw InputError(path: "--rate", reason: "must be a positive finite number (got \(rate))") }
        guard samples >= 0 else { throw InputError(path: "--samples", reason: "must be at least 0 (got \(samples)); 0 runs the parent only") }
        guard thermoEvery >= 1 else { throw InputError(path: "--thermo-every", reason: "must be at least 1") }
        guard checkpointEvery >= 1 else { throw InputError(path: "--checkpoint-every", reason: "must be at least 1") }
        if let threads, threads < 1 { throw InputError(path: "--threads", reason: "must be at least 1 (got \(threads))") }
        guard skin.isFinite, skin >= 0 else { throw InputError(path: "--skin", reason: "must be a finite number ≥ 0") }
        guard let forceNorm = ForceNorm(rawValue: norm) else {
            throw InputError(path: "--norm", reason: "unknown norm '\(norm)' (use 2norm, max or inf)")
        }
        let minimizer = self.minimizer ?? MinimizerSettings(forceTolerance: ftol, norm: forceNorm, maxIterations: 200_000, maxEvaluations: 2_000_000)
        try minimizer.validate()

        let names = elements.split(separator: ",").map { String($0).trimmingSpaces }
        guard !names.isEmpty else { throw InputError(path: "--elements", reason: "give at least one element") }
        var forceFields = try ForceFieldFactory(file: self.potential, elements: names, pairStyle: try ForceFieldFactory.format(pairStyle))
        forceFields.skin = skin
        forceFields.threads = threads ?? defaultThreadCount()
        let massByType = forceFields.massByType

        var start: Structure
        var random = SeededRandom(seed: seed, stream: [0x7061_7265_6e74])  // "parent"
        if let path = structure {
            start = try LAMMPSDataFile.read(path: path)
            guard start.typeCount == names.count else {
                throw InputError(path: "--elements", reason: "\(path) has \(start.typeCount) atom types but \(names.count) element names were given")
            }
            try checkGeometry(start, path: path)
        } else {
            guard atoms >= 2 else { throw InputError(path: "--atoms", reason: "must be at least 2 (got \(atoms))") }
            guard box.isFinite, box > 0 else { throw InputError(path: "--box", reason: "must be a positive finite number (got \(box))") }
            var fractions = [Double](repeating: 0, count: names.count)
            for pair in composition.split(separator: ",") {
                let parts = pair.split(separator: ":")
                guard parts.count == 2, let f = Double(parts[1]), f.isFinite, f >= 0 else {
                    throw InputError(path: "--composition", reason: "'\(pair)' is not element:fraction")
                }
                guard let t = names.firstIndex(of: String(parts[0]).trimmingSpaces) else {
                    throw InputError(path: "--composition", reason: "element '\(parts[0])' is not among --elements \(elements)")
                }
                fractions[t] = f
            }
            let total = fractions.reduce(0, +)
            guard abs(total - 1) < 1e-9 else {
                throw InputError(path: "--composition", reason: "fractions must add up to 1 (they add up to \(total))")
            }
            start = SampleBuilder.fccCube(atoms: atoms, edge: box, fractions: fractions, masses: massByType, random: &random)
        }
        start.masses = massByType
        let masses = start.types.map { massByType[Int($0) - 1] }
        let potentialHash = FNV1a64.hex(FNV1a64.hash(readWholeFileBytesOrEmpty(self.potential)))
        var settings = [
            "potential_fnv1a64=\(potentialHash)", "elements=\(names.joined(separator: ","))",
            "seed=\(seed)", "melt_temperature_K=\(meltTemperature)", "melt_ps=\(meltPs)",
            "branch_temperature_K=\(branchTemperature)", "branch_rate_K_per_s=\(branchRate)",
            "timestep_ps=\(timestep)", "tdamp_ps=\(tdamp)", "chain=\(chain)",
        ]
        if let structure {
            settings.append("structure_fnv1a64=\(FNV1a64.hex(FNV1a64.hash(readWholeFileBytesOrEmpty(structure))))")
        } else {
            settings += ["atoms=\(atoms)", "box_A=\(box)", "composition=\(composition)"]
        }
        return Plan(forceFields: forceFields, start: start, masses: masses, proto: proto,
                    minimizer: minimizer, parentSettings: settings)
    }

    func makeIntegrator(_ plan: Plan, positions: [SIMD3<Double>], velocities: [SIMD3<Double>]) -> NVTIntegrator<EAMForceField> {
        let field = plan.forceFields.field(types: plan.start.types)
        return NVTIntegrator(forceField: field, masses: plan.masses, box: plan.start.box, timestep: timestep,
                             positions: positions, velocities: velocities,
                             thermostat: NoseHooverChain(length: chain, damping: tdamp))
    }

    /// Runs `segments` from `initial` (or from the checkpoint in `dir`), returning the final state.
    func runSegments(_ plan: Plan, segments: [QuenchProtocol.Segment], initial: () -> SegmentRunState,
                     dir: String, kind: String, key: UInt64, settings: String, label: String,
                     progress: any SegmentProgressSink) throws -> (SegmentRunState, Double) {
        let checkpointPath = dir + "/checkpoint.bin"
        var state: SegmentRunState
        switch try CheckpointFile.read(path: checkpointPath) {
        case .missing:
            state = initial()
        case .damaged(let damage):
            warn("\(checkpointPath): warning: \(damage); starting this part again")
            state = initial()
        case .valid(let file):
            guard file.kind == kind, file.key == key else {
                let why = CheckpointFile.settingsDifferences(checkpoint: file.settings, now: settings)
                throw InputError(path: checkpointPath, reason: "checkpoint is from different settings (\(why.joined(separator: "; "))); remove it or use another --output")
            }
            guard let s = SegmentRunState.decode(file.payload), s.positions.count == plan.start.count else {
                warn("\(checkpointPath): warning: unreadable state; starting this part again")
                state = initial()
                break
            }
            state = s
        }
        let md = makeIntegrator(plan, positions: state.positions, velocities: state.velocities)
        let runner = SegmentRunner<EAMForceField>(segments: segments, timestep: timestep, damping: tdamp, chainLength: chain,
                                                  thermoEvery: thermoEvery, checkpointEvery: checkpointEvery)
        let t0 = MonotonicClock.seconds()
        let startSteps = state.totalSteps
        let final = try runner.run(md, state: &state, observe: { p in
            progress.update(label: label, p, stepsThisSession: p.totalSteps - startSteps,
                            seconds: MonotonicClock.seconds() - t0, timestep: timestep)
            return SignalFlag.received == 0
        }, checkpoint: { s throws(InputError) in
            try CheckpointFile(kind: kind, key: key, settings: settings, payload: s.encoded()).write(to: checkpointPath)
        })
        return (final, MonotonicClock.seconds() - t0)
    }

    /// The parent: melt and cool to the branch temperature (once); returns the branch positions.
    package func runParent(_ plan: Plan, dir: String, timingsPath: String? = nil, progress: any SegmentProgressSink) throws -> [SIMD3<Double>] {
        try checkOutputDirectory(dir)
        let settings = plan.parentSettings.joined(separator: "\n")
        let key = FNV1a64.hash(Array(settings.utf8))
        let branchPath = dir + "/branch.data"
        if isFinished(dir, key: key) {
            let s = try LAMMPSDataFile.read(path: branchPath)
            guard s.count == plan.start.count else { throw InputError(path: branchPath, reason: "atom count differs from the plan") }
            return unwrapped(s)
        }
        let (final, seconds) = try runSegments(plan, segments: plan.proto.parentSegments, initial: {
            var random = SeededRandom(seed: seed, stream: [0x7665_6c6f_6369_7479])  // "velocity"
            let v = Velocities.maxwellBoltzmann(masses: plan.masses, temperature: meltTemperature, random: &random)
            return SegmentRunState(positions: plan.start.positions, velocities: v,
                                   thermostat: NoseHooverChain(length: chain, damping: tdamp),
                                   currentTemperature: meltTemperature, random: random)
        }, dir: dir, kind: "quench.parent", key: key, settings: settings, label: "parent", progress: progress)
        var branch = plan.start
        branch.positions = final.positions
        branch.velocities = final.velocities
        try LAMMPSDataFile.write(branch.foldedIntoBox(), to: branchPath,
                                 title: "Branch point of the parent melt at \(branchTemperature) K (seem quench)")
        try writeThermo(final.thermo, to: dir + "/thermo.csv")
        try AtomicFile.write(JSONText.object([
            ("key", JSONText.string(FNV1a64.hex(key))), ("atoms", "\(plan.start.count)"),
            ("steps", "\(final.totalSteps)"), ("settings", settingsJSON(plan.parentSettings)),
        ] + (timingsPath == nil ? [("wall_seconds", JSONText.number(seconds))] : [])) + "\n", to: dir + "/summary.json")
        if let timingsPath {
            try AtomicFile.write(JSONText.object([("wall_seconds", JSONText.number(seconds))]) + "\n", to: timingsPath)
        }
        unlink(dir + "/checkpoint.bin")
        // Samples start from the file's positions, exactly as a resumed run reads them.
        return unwrapped(try LAMMPSDataFile.read(path: branchPath))
    }

    /// Sample k: resample at the branch temperature, relax, quench, minimize.
    package func runSample(_ k: Int, plan: Plan, branch: [SIMD3<Double>], dir: String, timingsPath: String? = nil,
                   progress: any SegmentProgressSink) throws {
        try checkOutputDirectory(dir)
        let lines = plan.parentSettings + [
            "sample=\(k)", "relax_ps=\(relaxPs)", "final_temperature_K=\(finalTemperature)", "rate_K_per_s=\(rate)",
            "ftol=\(ftol)", "norm=\(norm)",
        ]
        let settings = lines.joined(separator: "\n")
        let key = FNV1a64.hash(Array(settings.utf8))
        if isFinished(dir, key: key) { return }
        let (final, seconds) = try runSegments(plan, segments: plan.proto.sampleSegments(rate: rate), initial: {
            SegmentRunState(positions: branch, velocities: [SIMD3<Double>](repeating: .zero, count: branch.count),
                            thermostat: NoseHooverChain(length: chain, damping: tdamp), currentTemperature: 0,
                            random: SeededRandom(seed: seed, stream: [rate.bitPattern, UInt64(k)]))
        }, dir: dir, kind: "quench.sample", key: key, settings: settings, label: "sample \(k)", progress: progress)
        progress.clear()
        var glass = plan.start
        glass.positions = final.positions
        glass.velocities = final.velocities
        try LAMMPSDataFile.write(glass.foldedIntoBox(), to: dir + "/glass.data",
                                 title: "Glass at \(finalTemperature) K, quench rate \(rate) K/s, sample \(k) (seem quench)")
        // Inherent structure.
        var x = final.positions
        let field = plan.forceFields.field(types: plan.start.types)
        let cg = ConjugateGradient(field: field)
        let t0 = MonotonicClock.seconds()
        let report = cg.minimize(&x, box: plan.start.box, settings: plan.minimizer)
        let minimizeSeconds = MonotonicClock.seconds() - t0
        guard report.stopReason.isConverged else {
            throw InputError.computation(path: dir, reason: "minimization to the inherent structure stopped with '\(report.stopReason.token)' after \(report.iterations) iterations (fnorm \(report.fnorm) eV/Å); the glass is in glass.data; hint: raise inherent_structure.max_iterations / max_evaluations or loosen its ftol")
        }
        let wall = JSONText.object([("md", JSONText.number(seconds)), ("minimization", JSONText.number(minimizeSeconds))])
        var inherent = plan.start
        inherent.positions = x
        try LAMMPSDataFile.write(inherent.foldedIntoBox(), to: dir + "/inherent.data",
                                 title: "Inherent structure (ftol \(ftol) eV/Å \(norm)), quench rate \(rate) K/s, sample \(k) (seem quench)")
        try writeThermo(final.thermo, to: dir + "/thermo.csv")
        let stress = Stress(virial: report.virial, volume: plan.start.box.volume)
        try AtomicFile.write(JSONText.object([
            ("key", JSONText.string(FNV1a64.hex(key))), ("sample", "\(k)"), ("atoms", "\(x.count)"),
            ("volume_A3", JSONText.number(plan.start.box.volume)),
            ("cooling_rate_K_per_s", JSONText.number(rate)),
            ("is_energy_per_atom_eV", JSONText.number(report.energy / Double(x.count))),
            ("is_energy_eV", JSONText.number(report.energy)),
            ("is_stress_GPa", JSONText.object(zip(["xx", "yy", "zz", "xy", "xz", "yz"], stress.components.map(JSONText.number)).map { ($0, $1) })),
            ("glass_temperature_K", JSONText.number(Velocities.temperature(final.velocities, masses: plan.masses))),
            ("minimization", JSONText.object([
                ("iterations", "\(report.iterations)"), ("force_evaluations", "\(report.forceEvaluations)"),
                ("fnorm_eV_per_A", JSONText.number(report.fnorm)), ("stop_reason", JSONText.string(report.stopReason.token)),
            ])),
            ("steps", "\(final.totalSteps)"), ("settings", settingsJSON(lines)),
        ] + (timingsPath == nil ? [("wall_seconds", wall)] : [])) + "\n", to: dir + "/summary.json")
        if let timingsPath { try AtomicFile.write(JSONText.object([("wall_seconds", wall)]) + "\n", to: timingsPath) }
        unlink(dir + "/checkpoint.bin")
    }

    /// A finished part has a summary naming the same key.
    func isFinished(_ dir: String, key: UInt64) -> Bool {
        guard let text = try? readWholeFile(dir + "/summary.json") else { return false }
        return text.contains("\"key\": \"\(FNV1a64.hex(key))\"")
    }

    func settingsJSON(_ lines: [String]) -> String {
        JSONText.object(lines.map { line in
            let eq = line.firstIndex(of: "=")!
            return (String(line[..<eq]), JSONText.scalar(String(line[line.index(after: eq)...])))
        })
    }

    func writeThermo(_ rows: [ThermoRow], to path: String) throws(InputError) {
        var text = ThermoRow.csvHeader + "\n"
        for r in rows { text += r.csvLine + "\n" }
        try AtomicFile.write(text, to: path)
    }

    /// Positions of a data file with image flags undone (x + h·image).
    func unwrapped(_ s: Structure) -> [SIMD3<Double>] {
        guard let images = s.images else { return s.positions }
        return zip(s.positions, images).map { x, n in x + s.box.translation(SIMD3(Double(n.x), Double(n.y), Double(n.z))) }
    }
}

/// Where MD progress goes (a terminal line, a log, or nowhere).
package protocol SegmentProgressSink: AnyObject {
    func update(label: String, _ p: SegmentProgress, stepsThisSession: Int, seconds: Double, timestep: Double)
    func clear()
}

/// File bytes, or none when unreadable (only for hashing inputs already read successfully).
func readWholeFileBytesOrEmpty(_ path: String) -> [UInt8] { (try? readWholeFileBytes(path)) ?? [] }

extension QuenchJob {
    /// A job writing to `output` with the paper's protocol; set the rest field by field.
    package init(output: String) { self.init(atoms: 4000, output: output) }
}
