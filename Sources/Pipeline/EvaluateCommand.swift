import ArgumentParser
import EAM
import Foundation
import MDCore

/// `pipeline evaluate`: energy, stress and forces of one structure, as a JSON line.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate energy, stress (and forces) of a LAMMPS data file with an EAM potential.",
        discussion: """
        Prints {"atoms", "energy_eV", "volume_A3", "stress_GPa": {xx,yy,zz,xy,xz,yz}, "seconds_per_evaluation"}.
        Stress is minus LAMMPS's pressure tensor in GPa (tension positive); the kinetic term is included
        when the file has velocities. Masses come from the potential file, as with LAMMPS pair_coeff.
        """
    )

    @Argument(help: "LAMMPS data file (atom_style atomic).")
    var structure: String

    @Option(help: "EAM setfl potential file (eam/fs or eam/alloy).")
    var potential: String

    @Option(help: "Element of each atom type, comma separated (type 1 first), e.g. Cu,Zr.")
    var elements: String

    @Option(name: .customLong("pair-style"), help: "eam/fs or eam/alloy (default: inferred from the file).")
    var pairStyle: String?

    @Option(help: "Write forces as CSV id,fx,fy,fz (eV/Å, sorted by id).")
    var forces: String?

    @Option(help: "Evaluations to time after one warm-up (median reported).")
    var `repeat`: Int = 1

    @Option(help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int?

    @Flag(help: "Print the mean time of each evaluation pass to standard error.")
    var profile = false

    @Option(help: "Verlet skin, Å.")
    var skin: Double = 1.0

    func run() throws {
        try reportingInputErrors {
            guard `repeat` >= 1 else { throw InputError(path: "--repeat", reason: "must be at least 1 (got \(`repeat`))") }
            if let threads, threads < 1 { throw InputError(path: "--threads", reason: "must be at least 1 (got \(threads))") }
            guard skin.isFinite, skin >= 0 else { throw InputError(path: "--skin", reason: "must be a finite number ≥ 0 (got \(skin))") }
            let setup = try SystemSetup.load(structure: structure, potential: potential, elements: elements,
                                             pairStyle: pairStyle)
            let s = setup.structure
            let field = EAMForceField(potential: setup.potential, types: s.types,
                                      typeToElement: setup.typeToElement, skin: skin,
                                      threads: threads ?? defaultThreadCount())
            var f = [SIMD3<Double>](repeating: .zero, count: s.count)
            let tBuild = MonotonicClock.seconds()
            var result = field.evaluate(s.positions, box: s.box, forces: &f)  // warm-up, builds the list
            let firstEvaluation = MonotonicClock.seconds() - tBuild
            try field.checkNoOverlap(setup)
            var times: [Double] = []
            var passes = [Double](repeating: 0, count: 4)
            for _ in 0..<`repeat` {
                let t0 = MonotonicClock.seconds()
                result = field.evaluate(s.positions, box: s.box, forces: &f)
                times.append(MonotonicClock.seconds() - t0)
                for k in 0..<4 { passes[k] += field.passSeconds[k] / Double(`repeat`) }
            }
            if profile {
                // Neighbor-list builds alone (what a rebuild costs inside MD), median of 5.
                var builds: [Double] = []
                for _ in 0..<5 {
                    let t0 = MonotonicClock.seconds()
                    field.neighbors.build(positions: s.positions, box: s.box)
                    builds.append(MonotonicClock.seconds() - t0)
                }
                builds.sort()
                printError("passes (ms): " + passes.map { String(format: "%.3f", 1e3 * $0) }.joined(separator: " ")
                           + "; entries \(field.neighbors.entryCount); list build " + String(format: "%.3f", 1e3 * builds[2])
                           + " ms; first evaluation incl. list build "
                           + String(format: "%.3f", 1e3 * firstEvaluation) + " ms")
            }
            times.sort()
            let median = times.count % 2 == 1 ? times[times.count / 2]
                : 0.5 * (times[times.count / 2 - 1] + times[times.count / 2])

            var kinetic = Virial.zero
            if let v = s.velocities {
                let m = setup.atomMasses
                for i in 0..<s.count {
                    let mv = m[i] * Units.mvv2e
                    kinetic.xx += mv * v[i].x * v[i].x; kinetic.yy += mv * v[i].y * v[i].y
                    kinetic.zz += mv * v[i].z * v[i].z; kinetic.xy += mv * v[i].x * v[i].y
                    kinetic.xz += mv * v[i].x * v[i].z; kinetic.yz += mv * v[i].y * v[i].z
                }
            }
            let stress = Stress(virial: result.virial, kinetic: kinetic, volume: s.box.volume)
            guard result.energy.isFinite, stress.components.allSatisfy(\.isFinite) else {
                throw InputError(path: structure, reason: "energy or stress is not finite")
            }
            if let path = forces {
                let order = (0..<s.count).sorted { s.ids[$0] < s.ids[$1] }
                var csv = "id,fx,fy,fz\n"
                for i in order {
                    csv += "\(s.ids[i]),\(String(format: "%.17g", f[i].x)),\(String(format: "%.17g", f[i].y)),\(String(format: "%.17g", f[i].z))\n"
                }
                try AtomicFile.write(csv, to: path)
            }
            let st = "{\"xx\": \(roundTrip(stress.xx)), \"yy\": \(roundTrip(stress.yy)), \"zz\": \(roundTrip(stress.zz)), \"xy\": \(roundTrip(stress.xy)), \"xz\": \(roundTrip(stress.xz)), \"yz\": \(roundTrip(stress.yz))}"
            print("{\"atoms\": \(s.count), \"energy_eV\": \(roundTrip(result.energy)), \"volume_A3\": \(roundTrip(s.box.volume)), \"stress_GPa\": \(st), \"seconds_per_evaluation\": \(roundTrip(median))}")
        }
    }
}
