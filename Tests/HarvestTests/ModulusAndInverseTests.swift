#if canImport(Glibc)
import Glibc
#endif
import MDCore
import Testing
@testable import Harvest

/// The per-sample modulus is the modulus at τ = 0 whatever residual stress a branch starts from, and the
/// exact inverse of Eq. 7 gives back the X1 a state was made with.
@Suite struct ModulusAndInverseTests {
    /// One noiseless elastic branch following Eq. 6 from τ0 = −1 GPa: the plain linear fit reads the softer
    /// tangent there (2.7 % low), the fit with Eq. 6's terms taken out gives G exactly.
    @Test func residualStressDoesNotBiasTheModulus() throws {
        let s = Synthetic(parameters: Synthetic.truth)
        let x10 = 0.0
        let h = s.history(sample: "a", rate: 1e13, steps: 200, tau0: -1.0, x10: x10)
        let detector = EventDetector(stressThreshold: 1, energyThreshold: 1)
        let G = Synthetic.truth.G0.value * (1 - x10 / Synthetic.truth.uA.value)
        let plain = try ModulusFit.sample(h, maxStrain: 0.02, detector: detector)
        let p = Synthetic.truth
        let nonlinear = ModulusFit.Nonlinearity(inverseTauA2: 1 / (p.tauA.value * p.tauA.value),
                                                inverseTauB4: 1 / pow(p.tauB.value, 4), relativeModulus: G / p.G0.value)
        let corrected = try ModulusFit.sample(h, maxStrain: 0.02, detector: detector, nonlinear: nonlinear)
        #expect(plain.G.value < 0.98 * G, "plain fit \(plain.G.value) vs \(G)")
        #expect(abs(corrected.G.value - G) < 1e-4 * G, "corrected fit \(corrected.G.value) vs \(G)")
    }

    /// Harvest of a synthetic ensemble with residual stresses up to ±1 GPa recovers G0 within 3 standard
    /// errors (and closer than 1 %) with τ_A, τ_B given.
    @Test func harvestedG0IsUnbiasedByResidualStress() throws {
        let s = Synthetic(parameters: Synthetic.truth)
        var hs: [ShearHistory] = []
        var rng = SeededRandom(seed: 7)
        for (r, rate) in [1e13, 4e13, 1.6e14].enumerated() {
            for i in 0..<4 {
                let x10 = 0.01 * Double(r) + 0.002 * rng.gaussian()
                hs.append(s.history(sample: "rate-\(r)/sample-\(i)", rate: rate, steps: 200, tau0: 2 * rng.uniform() - 1,
                                    x10: x10, tauNoise: 1e-5, energyNoise: 1e-9, seed: UInt64(10 * r + i + 1)))
            }
        }
        var settings = HarvestSettings()
        settings.heldOutFraction = 0
        settings.referenceEnergy = .given(Synthetic.truth.u0.value)
        settings.fixed.tauA = Synthetic.truth.tauA.value; settings.fixed.tauB = Synthetic.truth.tauB.value
        settings.x1Inverse = .exact
        let r = try Harvester.harvest(histories: hs, settings: settings)
        #expect(abs(r.parameters.G0.value - 30) < 0.01 * 30, "G0 = \(r.parameters.G0)")
        #expect(abs(r.parameters.uA.value - 0.1) < 0.05 * 0.1, "uA = \(r.parameters.uA)")
    }

    /// X1 of u = u0 + X1 + u_el(τ, X1) (Eq. 7) comes back to round-off with the exact inverse, and with the
    /// first-order Eq. 8 within its (X1/u_A)² error.
    @Test(arguments: [-0.02, 0.0, 0.01, 0.03, 0.06])
    func exactInverseRoundTrips(x1: Double) {
        var p = Synthetic.truth
        for tau in [-2.5, -1.0, 0.0, 0.7, 1.5, 3.0] {
            let u = p.u0.value + x1 + p.elasticEnergy(tau: tau, x1: x1)
            p.inverse = .exact
            #expect(abs(p.x1(u: u, tau: tau) - x1) < 1e-14, "exact at τ = \(tau)")
            p.inverse = .firstOrder
            let c = p.omega.value * tau * tau / (2 * p.G0.value * ModelParameters.gpaA3PerEV)
            let bound = c * pow(x1 / p.uA.value, 2) / (1 - x1 / p.uA.value) + 1e-14
            #expect(abs(p.x1(u: u, tau: tau) - x1) <= bound * 1.01, "Eq. 8 at τ = \(tau): error \(p.x1(u: u, tau: tau) - x1), bound \(bound)")
        }
    }

    /// The inverse is recorded with the parameters and read back.
    @Test func inverseRoundTripsThroughJSON() throws {
        var p = Synthetic.truth
        p.inverse = .exact
        let back = try ModelParameters(json: p.json, path: "test")
        #expect(back.inverse == .exact)
        #expect(try ModelParameters(json: Synthetic.truth.json, path: "test").inverse == .firstOrder)
    }
}
