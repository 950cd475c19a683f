import AQS
import Minimization
import ArgumentParser
import EAM
import MDCore
import Neighbors
import Study
import Quench
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline quench`: Cu–Zr glasses by the paper's protocol, one shared melt and any number of samples
/// branched from it, each minimized to its inherent structure. Re-running the same command resumes.
struct QuenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quench",
        abstract: "Make glass samples: melt, cool, branch, quench (Nosé–Hoover NVT) and minimize to inherent structures.",
        discussion: """
        Writes OUT/parent/ (the shared melt and its branch point: branch.data, thermo.csv, summary.json) and
        OUT/sample-000/, … (glass.data at the end of the quench, inherent.data after minimization,
        thermo.csv, summary.json). Flags default to the paper's protocol. Checkpoints are written every
        --checkpoint-every steps and on SIGINT/SIGTERM; running the same command again resumes, finished
        parts are skipped, and results are bit-identical to an uninterrupted run at any thread count.
        """
    )

    @Option(help: "Atoms per sample.") var atoms = 4000
    @Option(help: "Edge of the cubic cell, Å.") var box = 39.88
    @Option(help: "Composition as element:fraction pairs, e.g. Cu:0.64,Zr:0.36.") var composition = "Cu:0.64,Zr:0.36"
    @Option(help: "EAM setfl potential file.") var potential = "potentials/CuZr_mm.eam.fs"
    @Option(help: "Element of each atom type, type 1 first.") var elements = "Cu,Zr"
    @Option(name: .customLong("pair-style"), help: "eam/fs or eam/alloy (default: inferred from the file).") var pairStyle: String?
    @Option(help: "Start from this LAMMPS data file instead of an fcc lattice (its box and types are used).")
    var structure: String?
    @Option(name: .customLong("melt-temperature"), help: "K.") var meltTemperature = QuenchProtocol.paper.meltTemperature
    @Option(name: .customLong("melt-ps"), help: "Hold at the melt temperature, ps.") var meltPs = QuenchProtocol.paper.meltPs
    @Option(name: .customLong("branch-temperature"), help: "K.") var branchTemperature = QuenchProtocol.paper.branchTemperature
    @Option(name: .customLong("branch-rate"), help: "Cooling rate to the branch temperature, K/s.") var branchRate = QuenchProtocol.paper.branchRate
    @Option(name: .customLong("relax-ps"), help: "Relaxation after resampling velocities, ps.") var relaxPs = QuenchProtocol.paper.relaxPs
    @Option(name: .customLong("final-temperature"), help: "K.") var finalTemperature = QuenchProtocol.paper.finalTemperature
    @Option(help: "Quench rate to the final temperature, K/s.") var rate = 2e10
    @Option(help: "MD timestep, ps (the default, 1 fs, is chosen by NVE energy drift; see README).") var timestep = QuenchProtocol.paper.timestep
    @Option(help: "Thermostat damping time, ps.") var tdamp = QuenchProtocol.paper.damping
    @Option(help: "Nosé–Hoover chain length.") var chain = QuenchProtocol.paper.chainLength
    @Option(help: "Inherent-structure force tolerance, eV/Å.") var ftol = 2e-4
    @Option(help: "Norm of the force tolerance: 2norm (LAMMPS default), max or inf.") var norm = "2norm"
    @Option(help: "Samples to branch from the parent (0: the parent only).") var samples = 1
    @Option(help: "Master seed (lattice, species, velocities).") var seed: UInt64 = 1
    @Option(name: .customLong("thermo-every"), help: "Thermo rows every M steps.") var thermoEvery = 500
    @Option(name: .customLong("checkpoint-every"), help: "Checkpoint every K steps.") var checkpointEvery = 20_000
    @Option(help: "Worker threads (default: all cores); results do not depend on it.") var threads: Int?
    @Option(help: "Verlet skin, Å.") var skin = NeighborList.defaultSkin
    @Option(help: "Output directory.") var output: String

    func run() throws {
        try reportingInputErrors {
            var job = QuenchJob(output: output)
            job.atoms = atoms; job.box = box; job.composition = composition; job.potential = potential
            job.elements = elements; job.pairStyle = pairStyle; job.structure = structure
            job.meltTemperature = meltTemperature; job.meltPs = meltPs; job.branchTemperature = branchTemperature
            job.branchRate = branchRate; job.relaxPs = relaxPs; job.finalTemperature = finalTemperature; job.rate = rate
            job.timestep = timestep; job.tdamp = tdamp; job.chain = chain; job.ftol = ftol; job.norm = norm
            job.samples = samples; job.seed = seed; job.thermoEvery = thermoEvery; job.checkpointEvery = checkpointEvery
            job.threads = threads; job.skin = skin
            try job.runAll(output: output)
        }
    }
}
