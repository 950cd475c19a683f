/// A Slurm submission setting or `sbatch` answer that cannot be used. `field` names the setting
/// (`timeLimit`, `arraySize`, `workdir`, …, or `sbatch` for its output); `reason` says what is wrong.
struct SlurmError: Error, CustomStringConvertible, Sendable, Equatable {
    var field: String
    var reason: String

    var description: String { "\(field): error: \(reason)" }
}
