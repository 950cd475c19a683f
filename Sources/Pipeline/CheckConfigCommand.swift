import ArgumentParser
import MDCore
import Study

/// `pipeline check-config CONFIG`: checks a study config as `pipeline run` would before starting,
/// and prints the normalized config (every key with its effective value) on standard output.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a study config and print it normalized (defaults filled in, paths absolute, rates in K/s).",
        discussion: """
        Reads CONFIG as `pipeline run` does, reading the potential file and checking that the workdir \
        exists or can be created, but creates and writes nothing (it works on a read-only study). On success prints the normalized config (what \
        the pipeline writes as WORKDIR/config.json) and exits 0; on the first problem prints one line \
        `CONFIG:LINE: key a.b: error: …` on standard error and exits 2. See configs/README.md.
        """
    )

    @Argument(help: "Study config (JSON).")
    var config: String
    @Option(help: "Work directory: replaces study.workdir of the config, in the checks and the printed config.")
    var workdir: String?

    func run() throws {
        try reportingInputErrors {
            let study = try StudyConfig.load(path: config, workdir: workdir)
            print(study.normalized().formatted())
        }
    }
}
