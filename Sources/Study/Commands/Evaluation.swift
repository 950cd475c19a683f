import EAM
import Foundation
import MDCore

/// `pipeline evaluate`: energy, stress (kinetic term included when the structure has velocities) and
/// optionally forces of one structure, timed over `repeats` evaluations after a warm-up; returns the
/// JSON line the command prints. With `profile`, the mean time of each evaluation pass and of a
/// neighbor-list build go to standard error.
package func evaluateStructure(_ setup: SystemSetup, skin: Double, threads: Int, repeat repeats: Int, profile: Bool,
                               forcesPath: String?) throws(InputError) -> String {
    let s = setup.structure
    let field = setup.forceField(skin: skin, threads: threads)
    var f = [SIMD3<Double>](repeating: .zero, count: s.count)
    let tBuild = MonotonicClock.seconds()
    var result = field.evaluate(s.positions, box: s.box, forces: &f)  // warm-up, builds the list
    let firstEvaluation = MonotonicClock.seconds() - tBuild
    try field.checkNoOverlap(setup)
    var times: [Double] = []
    var passes = [Double](repeating: 0, count: 4)
    for _ in 0..<repeats {
        let t0 = MonotonicClock.seconds()
        result = field.evaluate(s.positions, box: s.box, forces: &f)
        times.append(MonotonicClock.seconds() - t0)
        for k in 0..<4 { passes[k] += field.passSeconds[k] / Double(repeats) }
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
        throw InputError.computation(path: setup.structurePath, reason: "energy or stress is not finite")
    }
    if let path = forcesPath {
        let order = (0..<s.count).sorted { s.ids[$0] < s.ids[$1] }
        var csv = "id,fx,fy,fz\n"
        for i in order {
            csv += "\(s.ids[i]),\(String(format: "%.17g", f[i].x)),\(String(format: "%.17g", f[i].y)),\(String(format: "%.17g", f[i].z))\n"
        }
        try AtomicFile.write(csv, to: path)
    }
    let st = "{\"xx\": \(roundTrip(stress.xx)), \"yy\": \(roundTrip(stress.yy)), \"zz\": \(roundTrip(stress.zz)), \"xy\": \(roundTrip(stress.xy)), \"xz\": \(roundTrip(stress.xz)), \"yz\": \(roundTrip(stress.yz))}"
    return "{\"atoms\": \(s.count), \"energy_eV\": \(roundTrip(result.energy)), \"volume_A3\": \(roundTrip(s.box.volume)), \"stress_GPa\": \(st), \"seconds_per_evaluation\": \(roundTrip(median))}"
}
