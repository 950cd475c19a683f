import EAM
import MDCore

/// LAMMPS's C¹ Hermite interpolant of a table, written directly from the rules in
/// /work/shared/reference/lammps-notes.md §(b): seven coefficients per knot, 5-point slopes,
/// derivative from its own coefficients. Independent of the library's `HermiteSpline`/`EAMTables`.
struct ReferenceSpline {
    /// c[m][0...6] for 1-based knot m (index 0 unused).
    var c: [[Double]]
    var n: Int

    init(_ f0: [Double], delta: Double) {
        n = f0.count
        let f = [0.0] + f0  // 1-based
        var s = [Double](repeating: 0, count: n + 1)
        s[1] = f[2] - f[1]
        s[2] = 0.5 * (f[3] - f[1])
        s[n - 1] = 0.5 * (f[n] - f[n - 2])
        s[n] = f[n] - f[n - 1]
        if n >= 5 {
            for m in 3...(n - 2) { s[m] = ((f[m - 2] - f[m + 2]) + 8.0 * (f[m + 1] - f[m - 1])) / 12.0 }
        }
        c = [[Double]](repeating: [Double](repeating: 0, count: 7), count: n + 1)
        for m in 1...n {
            c[m][6] = f[m]
            c[m][5] = s[m]
            if m < n {
                c[m][4] = 3.0 * (f[m + 1] - f[m]) - 2.0 * s[m] - s[m + 1]
                c[m][3] = s[m] + s[m + 1] - 2.0 * (f[m + 1] - f[m])
            }
            c[m][2] = c[m][5] / delta
            c[m][1] = 2.0 * c[m][4] / delta
            c[m][0] = 3.0 * c[m][3] / delta
        }
    }

    func value(_ m: Int, _ t: Double) -> Double {
        let k = c[m]
        return ((k[3] * t + k[4]) * t + k[5]) * t + k[6]
    }

    func derivative(_ m: Int, _ t: Double) -> Double {
        let k = c[m]
        return (k[0] * t + k[1]) * t + k[2]
    }
}

/// A brute-force EAM evaluation over all lattice images, O(N²·images), following LAMMPS's formulas.
/// Slow; for structures of up to a few hundred atoms.
struct ReferenceEAM {
    let potential: EAMPotential
    let typeToElement: [Int]
    let embedding: [ReferenceSpline]
    let density: [[ReferenceSpline]]  // [source][host]
    let rphi: [[ReferenceSpline]]

    init(potential p: EAMPotential, typeToElement: [Int]) {
        potential = p
        self.typeToElement = typeToElement
        embedding = p.embedding.map { ReferenceSpline($0, delta: p.drho) }
        density = p.density.map { $0.map { ReferenceSpline($0, delta: p.dr) } }
        rphi = p.rphi.map { $0.map { ReferenceSpline($0, delta: p.dr) } }
    }

    /// Segment and fraction for a distance r (no lower clamp; t clamped to 1 past the last knot).
    func radialIndex(_ r: Double) -> (Int, Double) {
        let p = r * (1.0 / potential.dr) + 1.0
        var m = Int(p)
        m = min(m, potential.nr - 1)
        return (m, min(p - Double(m), 1.0))
    }

    /// Segment and fraction for a density ρ (m clamped to [1, Nrho−1]).
    func densityIndex(_ rho: Double) -> (Int, Double) {
        let p = rho * (1.0 / potential.drho) + 1.0
        var m = Int(p)
        m = max(1, min(m, potential.nrho - 1))
        return (m, min(p - Double(m), 1.0))
    }

    struct Result {
        var energy: Double
        var forces: [SIMD3<Double>]
        var virial: Virial
        var densities: [Double]
    }

    /// Every ordered pair image (i, j, n) with (j, n) ≠ (i, 0) and |x_i − x_j − h·n| < cutoff.
    static func orderedPairImages(positions x: [SIMD3<Double>], box: Box, cutoff: Double)
        -> [(i: Int, j: Int, n: SIMD3<Double>, d: SIMD3<Double>)] {
        var out: [(Int, Int, SIMD3<Double>, SIMD3<Double>)] = []
        let cutSq = cutoff * cutoff
        for i in x.indices {
            for j in x.indices {
                for n in candidateImages(x[i] - x[j], box: box, reach: cutoff) {
                    if i == j && n == .zero { continue }
                    let d = x[i] - x[j] - box.translation(n)
                    if d.x * d.x + d.y * d.y + d.z * d.z < cutSq { out.append((i, j, n, d)) }
                }
            }
        }
        return out
    }

    /// All integer images n that could put |dx − h·n| below `reach` (a superset).
    static func candidateImages(_ dx: SIMD3<Double>, box: Box, reach: Double) -> [SIMD3<Double>] {
        let s = box.fractional(box.lo + dx)
        let a = box.a, b = box.b, c = box.c
        func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        }
        func norm(_ u: SIMD3<Double>) -> Double { (u * u).sum().squareRoot() }
        let v = box.volume
        // Perpendicular widths of the cell: |Δs_a| ≤ |d| / width_a.
        let w = SIMD3(v / norm(cross(b, c)), v / norm(cross(c, a)), v / norm(cross(a, b)))
        let span = SIMD3(reach / w.x, reach / w.y, reach / w.z) * (1 + 1e-9) + 1e-9
        let lower = (s - span).rounded(.up), upper = (s + span).rounded(.down)
        var out: [SIMD3<Double>] = []
        if lower.x > upper.x || lower.y > upper.y || lower.z > upper.z { return out }
        var nz = lower.z
        while nz <= upper.z {
            var ny = lower.y
            while ny <= upper.y {
                var nx = lower.x
                while nx <= upper.x { out.append(SIMD3(nx, ny, nz)); nx += 1 }
                ny += 1
            }
            nz += 1
        }
        return out
    }

    func evaluate(positions x: [SIMD3<Double>], types: [Int32], box: Box) -> Result {
        let element = types.map { typeToElement[Int($0) - 1] }
        let pairs = Self.orderedPairImages(positions: x, box: box, cutoff: potential.cutoff)
        let n = x.count
        // Pass 1: host densities (full ordered sum: j deposits at i).
        var rho = [Double](repeating: 0, count: n)
        for p in pairs {
            let r = (p.d.x * p.d.x + p.d.y * p.d.y + p.d.z * p.d.z).squareRoot()
            let (m, t) = radialIndex(r)
            rho[p.i] += density[element[p.j]][element[p.i]].value(m, t)
        }
        // Pass 2: embedding.
        let rhoMax = Double(potential.nrho - 1) * potential.drho
        var energy = 0.0
        var fp = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let (m, t) = densityIndex(rho[i])
            let spline = embedding[element[i]]
            var f = spline.value(m, t)
            fp[i] = spline.derivative(m, t)
            if rho[i] > rhoMax { f += fp[i] * (rho[i] - rhoMax) }
            energy += f
        }
        // Pass 3: pair energy (½ per ordered pair image), forces and virial.
        var forces = [SIMD3<Double>](repeating: .zero, count: n)
        var w = Virial.zero
        for p in pairs {
            let r = (p.d.x * p.d.x + p.d.y * p.d.y + p.d.z * p.d.z).squareRoot()
            let (m, t) = radialIndex(r)
            let ei = element[p.i], ej = element[p.j]
            let z = rphi[ei][ej].value(m, t), zp = rphi[ei][ej].derivative(m, t)
            let phi = z / r
            let phip = zp / r - phi / r
            energy += 0.5 * phi
            let psip = fp[p.i] * density[ej][ei].derivative(m, t) + fp[p.j] * density[ei][ej].derivative(m, t) + phip
            let fpair = -psip / r
            forces[p.i] += p.d * fpair
            // Each unordered pair image appears twice (as (i,j,n) and (j,i,−n)): half the virial each.
            w.xx += 0.5 * p.d.x * p.d.x * fpair; w.yy += 0.5 * p.d.y * p.d.y * fpair
            w.zz += 0.5 * p.d.z * p.d.z * fpair; w.xy += 0.5 * p.d.x * p.d.y * fpair
            w.xz += 0.5 * p.d.x * p.d.z * fpair; w.yz += 0.5 * p.d.y * p.d.z * fpair
        }
        return Result(energy: energy, forces: forces, virial: w, densities: rho)
    }
}
