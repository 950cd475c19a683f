import MDCore
import Quench
#if canImport(Glibc)
import Glibc
#endif

extension QuenchJob {
    /// `pipeline quench`: the parent into OUT/parent, then its `samples` samples into OUT/sample-000, …, with a
    /// progress line on a terminal and SIGINT/SIGTERM stopping at a checkpoint (`ProcessExit`).
    package func runAll(output: String) throws {
        let plan = try makePlan()
        try checkOutputDirectory(output)
        SignalFlag.install()
        let progress = MDProgressLine(enabled: isatty(2) != 0)
        do {
            let branch = try runParent(plan, dir: output + "/parent", progress: progress)
            for k in 0..<samples {
                try runSample(k, plan: plan, branch: branch, dir: output + "/sample-" + StudyLayout.pad3(k), progress: progress)
            }
            progress.finish()
        } catch SegmentRunStop.interrupted {
            progress.finish()
            printError("\(output): interrupted; checkpoint written; run the same command again to resume")
            throw ProcessExit(code: 128 + SignalFlag.received)
        } catch SegmentRunStop.blowUp(let step, let reason) {
            progress.finish()
            throw InputError.computation(path: output, reason: "MD step \(step): the integration blew up (\(reason)); hint: use a smaller --timestep (the last good checkpoint is kept)")
        }
    }
}
