import AQS
import Minimization
import ArgumentParser
import EAM
import Foundation
import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline shear`: athermal quasistatic simple shear to γ_max, resumable.
struct ShearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shear",
        abstract: "Athermal quasistatic simple shear (xy) of a LAMMPS data file: affine step + CG minimization.",
        discussion: """
        Step n sets the tilt xy = xy0 + n·Δγ·ly, remaps atoms affinely (LAMMPS change_box … remap) and \
        minimizes (LAMMPS min_style cg). With --predictor on (the default) an elastic step starts from the \
        affine map plus the extrapolated non-affine displacement and is minimized with L-BFGS; a step that \
        looks plastic is recomputed from the affine start with the LAMMPS CG, so events follow the plain path. \
        Writes OUT/history.csv (row 0 = minimized start), OUT/summary.json, \
        OUT/checkpoint.bin while running (every --checkpoint-every steps and on SIGINT/SIGTERM) and, with \
        --snapshot-every K, OUT/snapshots/step-N.data. Running the same command again resumes from the \
        checkpoint; the finished history.csv is byte-identical to an uninterrupted run at any thread count. \
        Stress columns are −(LAMMPS pressure) in GPa (σ_xy > 0 under positive shear); fnorm is the 2-norm.
        """
    )

    @Argument(help: "LAMMPS data file (atom_style atomic).")
    var structure: String

    @Option(help: "EAM setfl potential file (eam/fs or eam/alloy).")
    var potential: String

    @Option(help: "Element of each atom type, comma separated (type 1 first), e.g. Cu,Zr.")
    var elements: String

    @Option(name: .customLong("pair-style"), help: "eam/fs or eam/alloy (default: inferred from the file).")
    var pairStyle: String?

    @Option(name: .customLong("strain-step"), help: "Shear strain increment Δγ per step.")
    var strainStep: Double = 1e-5

    @Option(name: .customLong("max-strain"), help: "Final shear strain.")
    var maxStrain: Double = 0.5

    @Option(help: "Force tolerance, eV/Å, on the norm given by --norm (0 = off).")
    var ftol: Double = 1e-8

    @Option(help: "Relative energy tolerance (0 = off).")
    var etol: Double = 0

    @Option(help: "Norm of the force tolerance: 2norm, max or inf.")
    var norm: String = "2norm"

    @Option(name: .customLong("max-iterations"), help: "Maximum CG iterations per step.")
    var maxIterations: Int = 10_000

    @Option(name: .customLong("max-evaluations"), help: "Maximum force evaluations per step.")
    var maxEvaluations: Int = 100_000

    @Option(help: "Largest coordinate change of a line search's first trial, Å (LAMMPS dmax).")
    var dmax: Double = 0.1

    @Option(name: .customLong("line-search"), help: "quadratic (LAMMPS default) or backtrack.")
    var lineSearch: String = "quadratic"

    @Option(help: "Non-affine predictor with L-BFGS on elastic steps: on, or off for the plain LAMMPS loop (change_box remap + minimize, step for step).")
    var predictor: String = "on"

    @Option(name: .customLong("predictor-order"), help: "Predictor extrapolation order, 1 or 2.")
    var predictorOrder: Int = 1

    @Option(name: .customLong("predictor-minimizer"), help: "Minimizer of predicted steps: cg (LAMMPS CG) or lbfgs.")
    var predictorMinimizer: String = "lbfgs"

    @Option(name: .customLong("lbfgs-memory"), help: "Pairs kept by the predictor's L-BFGS.")
    var lbfgsMemory: Int = PredictorSettings.defaultMemory

    @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint every K steps.")
    var checkpointEvery: Int = 100

    @Option(name: .customLong("snapshot-every"), help: "Write the inherent structure every K steps (0 = never).")
    var snapshotEvery: Int = 0

    @Option(help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int?

    @Option(help: "Verlet skin, Å (results do not depend on it).")
    var skin: Double = 0.5

    @Option(name: .customLong("cooling-rate"), help: "Cooling rate of the glass, K/s (recorded in summary.json).")
    var coolingRate: Double?

    @Option(name: .customLong("is-energy"), help: "Inherent-structure energy of the glass from its quench, eV/atom (recorded in summary.json).")
    var isEnergy: Double?

    @Option(help: "Output directory.")
    var output: String

    func run() throws {
        try reportingInputErrors {
            let minimizer = try minimizerSettings(ftol: ftol, etol: etol, norm: norm, maxIterations: maxIterations,
                                                  maxEvaluations: maxEvaluations, dmax: dmax, lineSearch: lineSearch)
            try checkThreadsAndSkin(threads: threads, skin: skin)
            guard predictor == "on" || predictor == "off" else {
                throw InputError(path: "--predictor", reason: "use on or off (got '\(predictor)')")
            }
            guard let algorithm = MinimizerAlgorithm(rawValue: predictorMinimizer) else {
                throw InputError(path: "--predictor-minimizer", reason: "use cg or lbfgs (got '\(predictorMinimizer)')")
            }
            var fast = minimizer
            fast.algorithm = algorithm
            fast.memory = lbfgsMemory
            let settings = ShearSettings(
                strainStep: strainStep, maxStrain: maxStrain, minimizer: minimizer,
                predictor: PredictorSettings(enabled: predictor == "on", order: predictorOrder,
                                             minimizer: algorithm == .cg ? nil : fast))
            try settings.validate()
            guard checkpointEvery >= 1 else {
                throw InputError(path: "--checkpoint-every", reason: "must be at least 1 (got \(checkpointEvery))")
            }
            guard snapshotEvery >= 0 else {
                throw InputError(path: "--snapshot-every", reason: "must be ≥ 0 (got \(snapshotEvery))")
            }
            if let coolingRate, !(coolingRate.isFinite && coolingRate > 0) {
                throw InputError(path: "--cooling-rate", reason: "must be a finite number > 0 (got \(coolingRate))")
            }
            if let isEnergy, !isEnergy.isFinite {
                throw InputError(path: "--is-energy", reason: "must be a finite number (got \(isEnergy))")
            }
            try checkOutputDirectory(output)

            let run = try SystemSetup.shearRun(
                structure: structure, potential: potential, elements: elements, pairStyle: pairStyle,
                settings: settings, coolingRate: coolingRate, isEnergy: isEnergy, skin: skin, threads: threads ?? defaultThreadCount(),
                directory: output, options: .init(checkpointEvery: checkpointEvery, snapshotEvery: snapshotEvery))

            SignalFlag.install()
            let progress = ProgressLine(enabled: isatty(2) == 1)
            let trace = ProcessInfo.processInfo.environment["SEEM_AQS_TRACE"] == "1"
            var warnings = 0
            let outcome: ShearRun<EAMForceField>.Outcome
            do {
                outcome = try run.run(observer: { p in
                    progress.update(p)
                    if trace {
                        for r in p.reports {
                            printError("trace step \(p.record.step) \(p.kind) sxy \(p.record.stress.xy) iter \(r.iterations) eval \(r.forceEvaluations) f0 \(r.initialFnorm) f \(r.fnorm) \(r.stopReason.token)")
                        }
                    }
                    return SignalFlag.received == 0
                }, warning: { message in
                    warnings += 1
                    if warnings <= 20 {
                        progress.clear()
                        printError(message)
                    } else if warnings == 21 {
                        progress.clear()
                        printError("\(output): further minimization warnings are counted in summary.json only")
                    }
                })
            } catch let failure as ShearRun<EAMForceField>.Failure {
                progress.clear()
                printError("\(failure)")
                throw ExitCode(1)
            }
            progress.finish()
            switch outcome {
            case .completed(let summary):
                print(summary)
            case .alreadyComplete:
                printError("\(output): already complete (same settings and inputs); nothing to do")
            case .interrupted(let step):
                printError("\(output): interrupted after step \(step); checkpoint written; run the same command again to resume")
                throw ExitCode(128 + SignalFlag.received)
            }
        }
    }
}

/// Fails with an `InputError` when `path` exists but is not a writable directory, or cannot be created.
func checkOutputDirectory(_ path: String) throws(InputError) {
    var st = stat()
    if stat(path, &st) == 0 {
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw InputError(path: path, reason: "output path exists and is not a directory")
        }
        guard access(path, W_OK | X_OK) == 0 else { throw InputError(path: path, reason: "output directory is not writable") }
    } else {
        guard mkdir(path, 0o755) == 0 else {
            throw InputError(path: path, reason: "cannot create output directory (\(String(cString: strerror(errno))))")
        }
    }
}

/// SIGINT/SIGTERM → a flag the run polls after each step (a second signal exits at once).
enum SignalFlag {
    nonisolated(unsafe) static var received: Int32 = 0

    static func install() {
        let handler: @convention(c) (Int32) -> Void = { sig in
            if SignalFlag.received != 0 { _exit(128 + sig) }
            SignalFlag.received = sig
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        // A parent may have started us with these signals blocked (the mask is inherited): unblock.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}

/// One self-overwriting progress line on a terminal's standard error: step, strain, σ_xy, stress
/// drops so far, steps/s and ETA. Disabled (prints nothing) when standard error is not a terminal.
final class ProgressLine {
    let enabled: Bool
    private var lastPrint = 0.0
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update<F>(_ p: ShearRun<F>.Progress) {
        guard enabled else { return }
        let now = MonotonicClock.seconds()
        guard now - lastPrint >= 0.25 || p.record.step == p.stepCount else { return }
        lastPrint = now
        let rate = p.secondsThisSession > 0 ? Double(p.stepsThisSession) / p.secondsThisSession : 0
        let eta = rate > 0 ? Double(p.stepCount - p.record.step) / rate : .nan
        let line = "step \(p.record.step)/\(p.stepCount)  γ \(fmt(p.record.strain, 5))  σxy \(fmt(p.record.stress.xy, 4)) GPa  events \(p.totals.stressDrops)  \(fmt(rate, 2)) steps/s  ETA \(duration(eta))"
        emit("\r\u{1B}[K" + line)
        shown = true
    }

    func clear() { if enabled && shown { emit("\r\u{1B}[K"); shown = false } }
    func finish() { if enabled && shown { emit("\n"); shown = false } }

    private func emit(_ s: String) {
        writeStandardError(s)
    }

    private func fmt(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "–" }
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { vsnprintf(&buf, 64, "%.\(digits)f", $0) }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func duration(_ s: Double) -> String {
        guard s.isFinite else { return "–" }
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format2: (t / 60) % 60))m" : "\(t / 60)m\(String(format2: t % 60))s"
    }
}

private extension String {
    init(format2 v: Int) { self = v < 10 ? "0\(v)" : "\(v)" }
}
