import AQS
import Minimization
import ArgumentParser
import EAM
import MDCore
import Quench
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline quench`: Cu–Zr glasses by the paper's protocol, one shared melt and any number of samples
/// branched from it, each minimized to its inherent structure. Re-running the same command resumes.
struct QuenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quench",
        abstract: "Make glass samples: melt, cool, branch, quench (Nosé–Hoover NVT) and minimize to inherent structures.",
        discussion: """
        Writes OUT/parent/ (the shared melt and its branch point: branch.data, thermo.csv, summary.json) and
        OUT/sample-000/, … (glass.data at the end of the quench, inherent.data after minimization,
        thermo.csv, summary.json). Flags default to the paper's protocol. Checkpoints are written every
        --checkpoint-every steps and on SIGINT/SIGTERM; running the same command again resumes, finished
        parts are skipped, and results are bit-identical to an uninterrupted run at any thread count.
        """
    )

    @Option(help: "Atoms per sample.") var atoms = 4000
    @Option(help: "Edge of the cubic cell, Å.") var box = 39.88
    @Option(help: "Composition as element:fraction pairs, e.g. Cu:0.64,Zr:0.36.") var composition = "Cu:0.64,Zr:0.36"
    @Option(help: "EAM setfl potential file.") var potential = "potentials/CuZr_mm.eam.fs"
    @Option(help: "Element of each atom type, type 1 first.") var elements = "Cu,Zr"
    @Option(help: "Start from this LAMMPS data file instead of an fcc lattice (its box and types are used).")
    var structure: String?
    @Option(name: .customLong("melt-temperature"), help: "K.") var meltTemperature = QuenchProtocol.paper.meltTemperature
    @Option(name: .customLong("melt-ps"), help: "Hold at the melt temperature, ps.") var meltPs = QuenchProtocol.paper.meltPs
    @Option(name: .customLong("branch-temperature"), help: "K.") var branchTemperature = QuenchProtocol.paper.branchTemperature
    @Option(name: .customLong("branch-rate"), help: "Cooling rate to the branch temperature, K/s.") var branchRate = QuenchProtocol.paper.branchRate
    @Option(name: .customLong("relax-ps"), help: "Relaxation after resampling velocities, ps.") var relaxPs = QuenchProtocol.paper.relaxPs
    @Option(name: .customLong("final-temperature"), help: "K.") var finalTemperature = QuenchProtocol.paper.finalTemperature
    @Option(help: "Quench rate to the final temperature, K/s.") var rate = 2e10
    @Option(help: "MD timestep, ps (the default, 1 fs, is chosen by NVE energy drift; see README).") var timestep = QuenchProtocol.paper.timestep
    @Option(help: "Thermostat damping time, ps.") var tdamp = QuenchProtocol.paper.damping
    @Option(help: "Nosé–Hoover chain length.") var chain = QuenchProtocol.paper.chainLength
    @Option(help: "Inherent-structure force tolerance, eV/Å.") var ftol = 2e-4
    @Option(help: "Norm of the force tolerance: 2norm (LAMMPS default), max or inf.") var norm = "2norm"
    @Option(help: "Samples to branch from the parent (0: the parent only).") var samples = 1
    @Option(help: "Master seed (lattice, species, velocities).") var seed: UInt64 = 1
    @Option(name: .customLong("thermo-every"), help: "Thermo rows every M steps.") var thermoEvery = 500
    @Option(name: .customLong("checkpoint-every"), help: "Checkpoint every K steps.") var checkpointEvery = 20_000
    @Option(help: "Worker threads (default: all cores); results do not depend on it.") var threads: Int?
    @Option(help: "Verlet skin, Å.") var skin = 1.0
    @Option(help: "Output directory.") var output: String

    func run() throws {
        try reportingInputErrors {
            let job = QuenchJob(atoms: atoms, box: box, composition: composition, potential: potential, elements: elements,
                                structure: structure, meltTemperature: meltTemperature, meltPs: meltPs,
                                branchTemperature: branchTemperature, branchRate: branchRate, relaxPs: relaxPs,
                                finalTemperature: finalTemperature, rate: rate, timestep: timestep, tdamp: tdamp,
                                chain: chain, ftol: ftol, norm: norm, samples: samples, seed: seed,
                                thermoEvery: thermoEvery, checkpointEvery: checkpointEvery, threads: threads,
                                skin: skin, output: output)
            let plan = try job.makePlan()
            try checkOutputDirectory(output)
            SignalFlag.install()
            let progress = MDProgressLine(enabled: isatty(2) != 0)
            do {
                let branch = try job.runParent(plan, dir: output + "/parent", progress: progress)
                for k in 0..<samples {
                    try job.runSample(k, plan: plan, branch: branch, dir: output + "/sample-" + StudyLayout.pad3(k), progress: progress)
                }
                progress.finish()
            } catch SegmentRunStop.interrupted {
                progress.finish()
                printError("\(output): interrupted; checkpoint written; run the same command again to resume")
                throw ExitCode(128 + SignalFlag.received)
            } catch SegmentRunStop.blowUp(let step, let reason) {
                progress.finish()
                throw InputError.computation(path: output, reason: "MD step \(step): the integration blew up (\(reason)); hint: use a smaller --timestep (the last good checkpoint is kept)")
            }
        }
    }
}

/// File bytes, or none when unreadable (only for hashing inputs already read successfully).
func readWholeFileBytesOrEmpty(_ path: String) -> [UInt8] { (try? readWholeFileBytes(path)) ?? [] }

/// One self-overwriting progress line for MD on a terminal: part, segment, T, ps done, ns/day, ETA.
final class MDProgressLine: SegmentProgressSink {
    let enabled: Bool
    private var lastPrint = 0.0
    private var shown = false
    init(enabled: Bool) { self.enabled = enabled }

    func update(label: String, _ p: SegmentProgress, stepsThisSession: Int, seconds: Double, timestep: Double) {
        guard enabled else { return }
        let now = MonotonicClock.seconds()
        guard now - lastPrint >= 0.5 else { return }
        lastPrint = now
        let nsPerDay = seconds > 0 ? Double(stepsThisSession) * timestep * 1e-3 / seconds * 86400 : 0
        let left = Double(p.totalStepsPlanned - p.totalSteps) * timestep * 1e-3 / max(nsPerDay, 1e-12) * 86400
        let line = "\(label): segment \(p.segment + 1)/\(p.segmentCount) (\(p.description))  T \(Int(p.temperatureK.rounded())) K → \(Int(p.targetK.rounded())) K  \(format(Double(p.totalSteps) * timestep)) ps  \(format(nsPerDay)) ns/day  ETA \(Int(left / 60)) min"
        emit("\r\u{1B}[K" + line)
        shown = true
    }
    func clear() { if enabled && shown { emit("\r\u{1B}[K"); shown = false } }
    func finish() { if enabled && shown { emit("\n"); shown = false } }
    private func emit(_ s: String) { writeStandardError(s) }
    private func format(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return "\(r)"
    }
}
