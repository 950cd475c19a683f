import MDCore
@testable import Harvest

/// Synthetic AQS histories that obey Eqs. 5–7 exactly: along an elastic branch dτ/dγ =
/// G0/(g + 2τ²/τA² + 3τ⁴/τB⁴) with g = 1/(1 − X1/uA) (so that du = Ω·τ·dγ, integrated by RK4), and
/// u = u0 + X1 + u_el(τ, X1) at every state; planted events change (τ, X1) at the end of a step.
struct Synthetic {
    var parameters: ModelParameters
    var atoms = 256
    var strainStep = 1e-4
    var ftol = 1e-4
    var dmax = 0.1

    static let truth = ModelParameters(u0: Estimate(-4.42), omega: Estimate(15.86), G0: Estimate(30),
                                       uA: Estimate(0.1), tauA: Estimate(8.4), tauB: Estimate(2.9))

    func slope(_ tau: Double, x1: Double) -> Double {
        let p = parameters
        let a = tau / p.tauA.value, b = tau / p.tauB.value
        return p.G0.value / (1 / (1 - x1 / p.uA.value) + 2 * a * a + 3 * b * b * b * b)
    }

    /// One history of `steps` steps from (tau0, x10); `events[k] = (dtau, dx1)` applied at the end of step
    /// k → k+1; Gaussian noise of deviation `tauNoise` (GPa) and `energyNoise` (eV/atom) on every state.
    func history(sample: String, rate: Double?, steps: Int, tau0: Double, x10: Double,
                 events: [Int: (Double, Double)] = [:], tauNoise: Double = 0, energyNoise: Double = 0,
                 seed: UInt64 = 1) -> ShearHistory {
        var rng = SeededRandom(seed: seed)
        var tau = tau0, x1 = x10
        var strain: [Double] = [], u: [Double] = [], t: [Double] = []
        for k in 0...steps {
            strain.append(Double(k) * strainStep)
            t.append(tau + tauNoise * rng.gaussian())
            u.append(parameters.u0.value + x1 + parameters.elasticEnergy(tau: tau, x1: x1) + energyNoise * rng.gaussian())
            let h = strainStep / 4
            for _ in 0..<4 {
                let k1 = slope(tau, x1: x1), k2 = slope(tau + 0.5 * h * k1, x1: x1)
                let k3 = slope(tau + 0.5 * h * k2, x1: x1), k4 = slope(tau + h * k3, x1: x1)
                tau += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            }
            if let (dt, dx) = events[k] { tau += dt; x1 += dx }
        }
        return ShearHistory(sample: sample, directory: "/synthetic/" + sample, coolingRate: rate, atoms: atoms,
                            volume: parameters.omega.value * Double(atoms), strainStep: strainStep, strain: strain,
                            energyPerAtom: u, stress: t, forceTolerance: ftol, maxDisplacement: dmax)
    }

    /// Writes a history as an AQS output directory (history.csv + summary.json).
    static func write(_ h: ShearHistory, to dir: String) throws {
        _ = dir.withCString { mkdir($0, 0o755) }
        var csv = "step,strain,pe_eV,stress_xx_GPa,stress_xy_GPa,fnorm_eV_per_A\n"
        for k in 0..<h.count {
            csv += "\(k),\(roundTrip(h.strain[k])),\(roundTrip(h.energyPerAtom[k] * Double(h.atoms))),0.0,\(roundTrip(h.stress[k])),1e-5\n"
        }
        try AtomicFile.write(csv, to: dir + "/history.csv")
        let inputs = h.coolingRate.map { "{\"cooling_rate_K_per_s\": \(roundTrip($0))}" } ?? "{}"
        try AtomicFile.write("{\"atoms\": \(h.atoms), \"volume_A3\": \(roundTrip(h.volume)), \"settings\": {\"ftol\": \(roundTrip(h.forceTolerance ?? 1e-4)), \"norm\": \"2norm\", \"dmax\": \(roundTrip(h.maxDisplacement ?? 0.1))}, \"inputs\": \(inputs)}\n",
                             to: dir + "/summary.json")
    }

    static func temporaryDirectory(_ name: String) -> String {
        let path = "/tmp/seem-harvest-tests-\(getpid())-\(name)"
        _ = path.withCString { mkdir($0, 0o755) }
        return path
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
