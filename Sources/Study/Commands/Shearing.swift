import AQS
import EAM
import Foundation
import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline shear`: runs (or resumes) `run` with a progress line on a terminal, at most 20 minimizer
/// warnings on standard error, and SIGINT/SIGTERM/SIGUSR1 stopping it at a checkpoint. Returns the
/// summary line to print (nil when the run was already complete); a signal ends it with `ProcessExit`,
/// a non-finite state with the run's `Failure`. SEEM_AQS_TRACE=1 prints every minimization.
package func shearStructure(_ run: ShearRun<EAMForceField>, output: String) throws -> String? {
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
    } catch {
        progress.clear()
        throw error
    }
    progress.finish()
    switch outcome {
    case .completed(let summary):
        return "\(summary)"
    case .alreadyComplete:
        printError("\(output): already complete (same settings and inputs); nothing to do")
        return nil
    case .interrupted(let step):
        printError("\(output): interrupted after step \(step); checkpoint written; run the same command again to resume")
        throw ProcessExit(code: 128 + SignalFlag.received)
    }
}

/// A command's exit status decided in the library (e.g. 128 + signal after an interruption).
package struct ProcessExit: Error {
    package var code: Int32
    package init(code: Int32) { self.code = code }
}
