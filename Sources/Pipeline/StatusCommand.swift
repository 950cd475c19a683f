import ArgumentParser
import MDCore

/// `pipeline status config.json`: what is done, running, partial, pending or invalidated.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the state of every unit of a study: done, running, partial (resumable), pending or invalidated."
    )

    @Argument(help: "Study config (JSON).") var config: String
    @Option(help: "Work directory (default: study.workdir of the config).") var workdir: String?
    @Flag(help: "List every unit, not just a summary per stage.") var verbose = false

    func run() throws {
        try reportingInputErrors {
            let study = try StudyConfig.load(path: config)
            let root = absolutePath(workdir ?? study.workdir)
            let runner = try StudyRunner(config: study, configPath: config, workdir: root, jobs: 1, board: nil)
            var counts: [String: [String: Int]] = [:]
            var order: [String] = []
            for u in runner.units {
                var state = runner.store.state(u.unit, key: u.key).rawValue
                if state != "done" && runner.store.isLocked(u.unit) { state = "running" }
                if counts[u.stage] == nil { counts[u.stage] = [:]; order.append(u.stage) }
                counts[u.stage]![state, default: 0] += 1
                if verbose { print("\(state.padding(toLength: 12, withPad: " ", startingAt: 0)) \(u.unit)") }
            }
            print("study \(study.name) in \(root)")
            for stage in order {
                let c = counts[stage]!
                let total = c.values.reduce(0, +)
                let parts = ["done", "running", "partial", "pending", "invalidated"].compactMap { s in c[s].map { "\($0) \(s)" } }
                print("  \(stage.padding(toLength: 8, withPad: " ", startingAt: 0)) \(total) units: \(parts.joined(separator: ", "))")
            }
        }
    }
}
