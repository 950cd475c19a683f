import EAM
import Foundation
import MDCore
import Testing

/// Two- and three-atom cases with a potential whose tables are linear, so LAMMPS's Hermite interpolant
/// reproduces them exactly and energies, densities, forces and the virial have closed forms.
///
///     F_e(ρ) = −(e+1)·ρ/2          ρ_{s→h}(r) = (1 + s + 2h)·(10 − r)/10          r·φ_ij(r) = (i+j+1)·(2 − r/10)
///
/// (element indices e, s, h, i, j are 0 for Cu and 1 for Zr; ρ grid 0…19, r grid 0…9.5 Å, cutoff 9 Å).
@Suite("Analytic few-atom cases")
struct AnalyticTests {
    static func F(_ e: Int, _ rho: Double) -> Double { -Double(e + 1) * rho / 2 }
    static func dF(_ e: Int) -> Double { -Double(e + 1) / 2 }
    static func rho(_ s: Int, _ h: Int, _ r: Double) -> Double { Double(1 + s + 2 * h) * (10 - r) / 10 }
    static func drho(_ s: Int, _ h: Int) -> Double { -Double(1 + s + 2 * h) / 10 }
    static func phi(_ i: Int, _ j: Int, _ r: Double) -> Double { Double(i + j + 1) * (2 / r - 0.1) }
    static func dphi(_ i: Int, _ j: Int, _ r: Double) -> Double { -Double(i + j + 1) * 2 / (r * r) }

    static func potentialText(_ format: EAMPotential.Format) -> String {
        let nrho = 20, drho = 1.0, nr = 20, dr = 0.5, cutoff = 9.0
        var l = ["linear test potential", "", "", "2 Cu Zr", "\(nrho) \(drho) \(nr) \(dr) \(cutoff)"]
        func table(_ v: [Double]) { l.append(v.map { "\($0)" }.joined(separator: " ")) }
        let rs = (0..<nr).map { Double($0) * dr }
        for e in 0..<2 {
            l.append(e == 0 ? "29 63.546 3.6 fcc" : "40 91.224 3.2 hcp")
            table((0..<nrho).map { F(e, Double($0) * drho) })
            switch format {
            case .fs: for h in 0..<2 { table(rs.map { rho(e, h, $0) }) }
            case .alloy: table(rs.map { rho(e, 0, $0) })
            }
        }
        for i in 0..<2 { for j in 0...i { table(rs.map { Double(i + j + 1) * (2 - $0 / 10) }) } }
        return l.joined(separator: "\n") + "\n"
    }

    static let fs = try! EAMPotential.parse(TextFile(path: "linear.eam.fs", text: potentialText(.fs)), format: .fs)

    @Test("Cu–Zr dimer: energy, densities, forces and virial in closed form",
          arguments: [0.7, 2.5, 3.3, 5.0, 7.77, 8.999])
    func dimer(_ r: Double) {
        let u = SIMD3(2.0, -1.0, 2.0) / 3  // unit vector
        let box = Box(lo: SIMD3(-30, -30, -30), lx: 60, ly: 60, lz: 60)
        let x = [SIMD3<Double>(0.1, 0.2, 0.3), SIMD3(0.1, 0.2, 0.3) + r * u]
        let field = EAMForceField(potential: Self.fs, types: [1, 2], typeToElement: [0, 1], threads: 1)
        var f: [SIMD3<Double>] = []
        let result = field.evaluate(x, box: box, forces: &f)
        let d = x[0] - x[1]
        let rr = (d * d).sum().squareRoot()
        // Cu (element 0) hosts Zr's density, Zr (element 1) hosts Cu's.
        let rhoCu = Self.rho(1, 0, rr), rhoZr = Self.rho(0, 1, rr)
        let energy = Self.F(0, rhoCu) + Self.F(1, rhoZr) + Self.phi(0, 1, rr)
        let dEdr = Self.dF(0) * Self.drho(1, 0) + Self.dF(1) * Self.drho(0, 1) + Self.dphi(0, 1, rr)
        #expect(abs(result.energy - energy) < 1e-13 * max(1, abs(energy)), "E = \(result.energy), expected \(energy)")
        #expect(abs(field.density[0] - rhoCu) < 1e-13 && abs(field.density[1] - rhoZr) < 1e-13)
        // F_1 = −∂E/∂x_1 = +dE/dr·(x_2 − x_1)/r; Newton's third law.
        let f0 = dEdr * (x[1] - x[0]) / rr
        #expect(maxAbs(f[0] - f0) < 1e-12 * max(1, maxAbs(f0)), "F_1 = \(f[0]), expected \(f0)")
        #expect(maxAbs(f[0] + f[1]) < 1e-14 * max(1, maxAbs(f0)))
        // W_ab = d_a d_b f_pair with f_pair = −(dE/dr)/r.
        let fpair = -dEdr / rr
        let expected = [d.x * d.x, d.y * d.y, d.z * d.z, d.x * d.y, d.x * d.z, d.y * d.z].map { $0 * fpair }
        for (a, b) in zip(result.virial.components, expected) {
            #expect(abs(a - b) < 1e-12 * max(1, abs(b)), "virial \(a) vs \(b)")
        }
    }

    @Test("pairs at or beyond the cutoff do not interact; an isolated atom has ρ = 0 and E = F(0)")
    func cutoff() {
        let box = Box(lx: 40, ly: 40, lz: 40)
        // Exactly 9 Å apart: r² = 81 is not < cutoff² = 81.
        let x: [SIMD3<Double>] = [[1, 1, 1], [10, 1, 1], [1, 20, 20]]
        let field = EAMForceField(potential: Self.fs, types: [1, 2, 2], typeToElement: [0, 1], threads: 1)
        var f: [SIMD3<Double>] = []
        let result = field.evaluate(x, box: box, forces: &f)
        #expect(result.energy == 0)
        #expect(field.density == [0, 0, 0])
        #expect(f.allSatisfy { $0 == .zero })
    }

    @Test("Cu–Cu–Zr triangle through a periodic boundary, eam/fs and eam/alloy")
    func triangle() throws {
        let alloy = try EAMPotential.parse(TextFile(path: "linear.eam.alloy", text: Self.potentialText(.alloy)), format: .alloy)
        let box = Box(lo: .zero, lx: 20, ly: 21, lz: 22, xy: 3, xz: -2, yz: 1)
        // Atom 0 near the lower x face, atom 1 across the boundary (image shift −a), atom 2 inside.
        let x: [SIMD3<Double>] = [[0.5, 5, 5], [18.9, 5.5, 4.8], [2.0, 7.5, 6.1]]
        let shifted = [x[0], x[1] - box.a, x[2]]  // the same geometry without periodicity
        for (potential, isFs) in [(Self.fs, true), (alloy, false)] {
            let field = EAMForceField(potential: potential, types: [1, 1, 2], typeToElement: [0, 1], threads: 1)
            var f: [SIMD3<Double>] = []
            let result = field.evaluate(x, box: box, forces: &f)
            let el = [0, 0, 1]
            func r(_ i: Int, _ j: Int) -> Double { let d = shifted[i] - shifted[j]; return (d * d).sum().squareRoot() }
            // eam/alloy: ρ_s(r) is the host-0 table of the fs definition (1 + s)(10 − r)/10.
            func density(_ s: Int, _ h: Int, _ r: Double) -> Double { Self.rho(s, isFs ? h : 0, r) }
            var energy = 0.0
            for i in 0..<3 {
                var rhoI = 0.0
                for j in 0..<3 where j != i { rhoI += density(el[j], el[i], r(i, j)) }
                #expect(abs(field.density[i] - rhoI) < 1e-13)
                energy += Self.F(el[i], rhoI)
                for j in (i + 1)..<3 { energy += Self.phi(el[i], el[j], r(i, j)) }
            }
            #expect(abs(result.energy - energy) < 1e-13 * abs(energy), "\(isFs ? "fs" : "alloy"): \(result.energy) vs \(energy)")
            #expect(maxAbs(f[0] + f[1] + f[2]) < 1e-13)
        }
    }

    @Test("a type pair whose tables end early gets a shorter cutoff that changes no result")
    func supportCutoff() throws {
        // CuZr_mm: every Cu–Cu function is zero beyond 6 Å, the Cu–Zr and Zr–Zr pair terms reach 7.6 Å.
        let t = EAMTables(potential: cuZr, typeToElement: [0, 1])
        let cuCu = t.lookup[0].cutoff, zrZr = t.lookup[3].cutoff
        #expect(cuCu > 6.0 && cuCu < 6.01, "Cu–Cu support \(cuCu)")
        #expect(t.lookup[1].cutoffSquared == t.lookup[2].cutoffSquared)
        #expect(zrZr == cuZr.cutoff && t.lookup[1].cutoffSquared == cuZr.cutoff * cuZr.cutoff)
        // Cu–Cu dimers straddling the support: closer than it they interact, beyond it they are two
        // isolated atoms, exactly (E = 2F(0), zero force), as LAMMPS computes with the full cutoff.
        func dimer(_ r: Double) -> (EnergyAndVirial, [SIMD3<Double>]) {
            let box = Box(lo: .zero, lx: 30, ly: 30, lz: 30)
            let s = Structure(box: box, typeCount: 2, ids: [1, 2], types: [1, 1], positions: [[5, 5, 5], [5 + r, 5, 5]])
            let e = evaluate(s, potential: cuZr, typeToElement: [0, 1])
            return (e.result, e.forces)
        }
        let isolated = 2 * cuZr.embedding[0][0]  // F(0) is the first tabulated value
        for r in [cuCu + 1e-9, 6.5, 7.59] {
            let (e, f) = dimer(r)
            #expect(e.energy == isolated && f.allSatisfy { $0 == .zero }, "r = \(r): E = \(e.energy)")
        }
        let (near, fNear) = dimer(5.9)
        #expect(near.energy != isolated && fNear[0].x != 0)
    }
}
