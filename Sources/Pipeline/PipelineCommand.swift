import ArgumentParser
import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline`: the seem command-line tool.
@main
struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Stochastic evolution elasto-plastic modelling of a Cu–Zr metallic glass on a built-in EAM engine.",
        subcommands: [
            RunCommand.self, StatusCommand.self, SubmitCommand.self, CheckConfigCommand.self,
            QuenchCommand.self, ShearCommand.self, HarvestCommand.self, SEEMCommand.self,
            EvaluateCommand.self, MinimizeCommand.self, StructureCommand.self,
        ]
    )
}

/// Runs `body`; an `InputError` is printed as `FILE:LINE: error: …` and exits with status 2.
func reportingInputErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as InputError {
        printError("\(error)")
        throw ExitCode(2)
    }
}


/// Writes one line to standard error.
func printError(_ line: String) {
    let text = line + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
