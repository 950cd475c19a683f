import ArgumentParser
import MDCore
import Study

/// `pipeline status config.json`: what is done, running, partial, pending or invalidated.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the state of every unit of a study: done, running, partial (resumable), pending or invalidated."
    )

    @Argument(help: "Study config (JSON).") var config: String
    @Option(help: "Work directory (default: study.workdir of the config).") var workdir: String?
    @Flag(help: "List every unit, not just a summary per stage.") var verbose = false
    @Flag(help: "Hash every output against the SHA-256 its unit.json records and name the corrupt ones (plain status compares sizes only).")
    var verify = false

    /// Reads only: works on a finished study on a read-only file system.
    func run() throws {
        try reportingInputErrors {
            let study = try StudyConfig.load(path: config, workdir: workdir)
            let root = study.workdir
            let runner = try StudyRunner(config: study, configPath: config, workdir: root, jobs: 1, board: nil)
            var counts: [String: [String: Int]] = [:]
            var order: [String] = []
            var damaged: [String] = []
            for u in runner.units {
                var state = runner.store.state(u.unit, key: u.key, verify: verify).rawValue
                if state == "corrupt" { damaged += runner.store.damagedOutputs(u.unit, verify: verify) }
                if state != "done" && state != "corrupt" && runner.store.isLocked(u.unit) { state = "running" }
                if counts[u.stage] == nil { counts[u.stage] = [:]; order.append(u.stage) }
                counts[u.stage]![state, default: 0] += 1
                if verbose { print("\(state.padding(toLength: 12, withPad: " ", startingAt: 0)) \(u.unit)") }
            }
            print("study \(study.name) in \(root)")
            for stage in order {
                let c = counts[stage]!
                let total = c.values.reduce(0, +)
                let parts = ["done", "running", "partial", "pending", "invalidated", "corrupt"].compactMap { s in c[s].map { "\($0) \(s)" } }
                print("  \(stage.padding(toLength: 8, withPad: " ", startingAt: 0)) \(total) units: \(parts.joined(separator: ", "))")
            }
            for d in damaged { print("corrupt: \(d)") }
            if verify { print(damaged.isEmpty ? "verified: every output of every finished unit matches its recorded SHA-256" : "verified: \(damaged.count) output\(damaged.count == 1 ? " differs" : "s differ") from the record; `pipeline run` recomputes their units and everything downstream") }
        }
    }
}
