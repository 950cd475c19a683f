import EAM
import MDCore
import Testing

/// Box `h' = F·h` for F = I + ε·e_a·e_bᵀ (a ≤ b), positions remapped affinely (x' = lo + F·(x − lo)).
/// For a = b this stretches edge a (lx, xy, xz for x; ly, yz for y; lz for z); for (x, y) it is the
/// simple shear xy += ε·ly (and xz += ε·yz), x += ε·(y − ylo).
func strained(_ s: Structure, _ a: Int, _ b: Int, by eps: Double) -> (box: Box, positions: [SIMD3<Double>]) {
    // h as rows.
    var h = [[s.box.lx, s.box.xy, s.box.xz], [0, s.box.ly, s.box.yz], [0, 0, s.box.lz]]
    let rowB = h[b]
    for k in 0..<3 { h[a][k] += eps * rowB[k] }
    let box = Box(lo: s.box.lo, lx: h[0][0], ly: h[1][1], lz: h[2][2], xy: h[0][1], xz: h[0][2], yz: h[1][2])
    return (box, s.positions.map { s.box.remap($0, to: box) })
}

@Suite("Finite differences (independent of LAMMPS)")
struct FiniteDifferenceTests {
    struct FDCase: Sendable, CustomTestStringConvertible {
        var cells: SIMD3<Int>, a: Double, tilt: Tilt, seed: UInt64, elements: [Int]
        var testDescription: String { "\(cells.x * cells.y * cells.z * 4) atoms \(tilt) types→\(elements)" }
        func structure() -> Structure {
            fccStructure(cells: cells, a: a, tilt: tilt, lo: SIMD3(0.7, -2, 1), jitter: 0.25, seed: seed)
        }
    }

    static let cases: [FDCase] = [
        FDCase(cells: [2, 2, 2], a: 4.0, tilt: .none, seed: 201, elements: [0, 1]),
        FDCase(cells: [2, 2, 2], a: 4.0, tilt: Tilt(xy: 0.3, xz: -0.2, yz: 0.15), seed: 202, elements: [1, 0]),
        FDCase(cells: [3, 2, 2], a: 4.0, tilt: largeSkew, seed: 203, elements: [0, 1]),
    ]

    /// ρ_{Cu→Zr} ≠ ρ_{Zr→Cu}, so a force that used the wrong cross density would not be −dE/dx.
    static let potential = scalingDensity(cuZr, source: "Cu", host: "Zr", by: 0.8)

    @Test("forces are −dE/dx (central differences)", arguments: cases)
    func forces(_ c: FDCase) {
        let s = c.structure()
        let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: c.elements, threads: 1)
        var f: [SIMD3<Double>] = []
        _ = field.evaluate(s.positions, box: s.box, forces: &f)
        let scale = f.map(maxAbs).max()!
        #expect(scale > 0.1, "the jittered cell should carry sizeable forces")
        let h = 1e-5
        var scratch: [SIMD3<Double>] = []
        var worst = 0.0, worstAt = (0, 0)
        var x = s.positions
        for i in x.indices {
            for k in 0..<3 {
                let x0 = x[i][k]
                x[i][k] = x0 + h
                let ep = field.evaluate(x, box: s.box, forces: &scratch).energy
                x[i][k] = x0 - h
                let em = field.evaluate(x, box: s.box, forces: &scratch).energy
                x[i][k] = x0
                let fd = -(ep - em) / (2 * h)
                let err = abs(fd - f[i][k])
                if err > worst { worst = err; worstAt = (i, k) }
            }
        }
        #expect(worst <= 1e-6 * scale,
                "max |F + dE/dx| = \(worst) eV/Å at atom \(worstAt.0) component \(worstAt.1) (force scale \(scale))")
    }

    @Test("stress is (1/V)·dU/dε for all six strains (affine remap)", arguments: cases)
    func stress(_ c: FDCase) {
        let s = c.structure()
        let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: c.elements, threads: 1)
        var f: [SIMD3<Double>] = []
        let w = field.evaluate(s.positions, box: s.box, forces: &f).virial
        let stress = Stress(virial: w, volume: s.box.volume)
        let scale = stress.components.map(abs).max()!
        // (a, b) for xx, yy, zz, xy, xz, yz.
        let strains = [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)]
        let names = ["xx", "yy", "zz", "xy", "xz", "yz"]
        let eps = 1e-6
        for (k, (a, b)) in strains.enumerated() {
            let plus = strained(s, a, b, by: eps), minus = strained(s, a, b, by: -eps)
            let ep = field.evaluate(plus.positions, box: plus.box, forces: &f).energy
            let em = field.evaluate(minus.positions, box: minus.box, forces: &f).energy
            let dUdEps = (ep - em) / (2 * eps)
            let fd = dUdEps / s.box.volume * Units.evPerA3ToGPa
            let err = abs(fd - stress.components[k])
            #expect(err <= 1e-6 * max(scale, 1),
                    "σ_\(names[k]) = \(stress.components[k]) GPa but (1/V)dU/dε = \(fd) GPa (error \(err))")
        }
    }

    @Test("sign convention: a perfect Cu crystal under positive shear has σ_xy > 0; stretched, σ_xx > 0")
    func signConvention() {
        // Pure Cu at the potential's lattice constant (3.639 Å): nearly stress free, σ_xy = 0 by symmetry.
        let s0 = fccStructure(cells: [3, 3, 3], a: 3.639087, jitter: 0, fractions: [1.0, 0.0], seed: 1)
        func stress(_ box: Box, _ x: [SIMD3<Double>]) -> Stress {
            let field = EAMForceField(potential: cuZr, types: s0.types, typeToElement: [0, 1], threads: 1)
            var f: [SIMD3<Double>] = []
            return Stress(virial: field.evaluate(x, box: box, forces: &f).virial, volume: box.volume)
        }
        let unstrained = stress(s0.box, s0.positions)
        #expect(abs(unstrained.xy) < 1e-9 && abs(unstrained.xz) < 1e-9 && abs(unstrained.yz) < 1e-9)
        #expect(abs(unstrained.xx) < 0.5, "Cu at its lattice constant should be nearly stress free (σ_xx = \(unstrained.xx) GPa)")
        let shear = strained(s0, 0, 1, by: 0.01)
        let tau = stress(shear.box, shear.positions).xy
        // C44 of Cu is about 75 GPa: τ ≈ 0.75 GPa at γ = 0.01.
        #expect(tau > 0.3 && tau < 1.5, "σ_xy = \(tau) GPa at γ = +0.01")
        let stretch = strained(s0, 0, 0, by: 0.01)
        let sxx = stress(stretch.box, stretch.positions).xx - unstrained.xx
        #expect(sxx > 0.5, "σ_xx rises by \(sxx) GPa under 1% tension")
    }
}
