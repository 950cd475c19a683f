import ArgumentParser
import AQS
import Minimization
import EAM
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

/// Runs `body` and turns what it throws into one line on standard error and the exit code of its
/// kind (README, "Exit codes"): 2 bad input, 1 a computation without a valid result, 3 the
/// environment. `log` (when given) receives the same line, for logs/run.log.
func reportingInputErrors(log: ((String) -> Void)? = nil, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as InputError {
        log?("\(error)")
        printError("\(error)")
        throw ExitCode(error.kind.exitCode)
    } catch let exit as ExitCode {
        throw exit
    } catch let error as ShearRunFailure {
        log?("\(error)")
        printError("\(error)")
        throw ExitCode(InputError.Kind.computation.exitCode)
    } catch {
        log?("error: \(error)")
        printError("error: \(error)")
        throw ExitCode(1)
    }
}

/// The shear stage's own failure type (non-finite energy or stress), a computation error.
typealias ShearRunFailure = ShearRun<EAMForceField>.Failure

/// Writes one line to standard error.
func printError(_ line: String) {
    let text = line + "\n"
    writeStandardError(text)
}
