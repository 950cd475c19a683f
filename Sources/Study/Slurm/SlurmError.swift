/// A Slurm submission setting or `sbatch` answer that cannot be used. `field` names the setting
/// (`timeLimit`, `arraySize`, `workdir`, …, or `sbatch` for its output); `reason` says what is wrong.
package struct SlurmError: Error, CustomStringConvertible, Sendable, Equatable {
    package var field: String
    package var reason: String

    package var description: String { "\(field): error: \(reason)" }
}
