/// Spline tables of an `EAMPotential` laid out for the pair loop of one structure's atom types.
///
/// The radial functions keep, per knot, LAMMPS's value f_m and slope s_m (per index unit); a pair
/// in segment m reads knots m and m + 1 and forms LAMMPS's coefficients c4 = 3(f_{m+1} − f_m) − 2s_m −
/// s_{m+1} and c3 = s_m + s_{m+1} − 2(f_{m+1} − f_m) on the fly, in LAMMPS's order of operations, so
/// they are the same doubles LAMMPS tabulates while the table is half the size of a coefficient table
/// (what a pair loop misses in cache is these rows). The slope is ((3c3·t + 2c4)·t + c5)/Δ, equal to
/// LAMMPS's (c0·t + c1)·t + c2 up to one rounding. Each unordered pair of types {a, b} has one table
/// whose knots hold the three functions a pair needs as the lanes of two 4-wide vectors, so a pair
/// reads 128 contiguous bytes (two cache lines) and evaluates all three functions in one vector chain:
///
///     knot m:  [f: ρ_{b→a} ρ_{a→b} r·φ_ab 0 | s: ρ_{b→a} ρ_{a→b} r·φ_ab 0]    (a ≤ b; ρ_{a→a} twice if a = b)
///
/// The embedding functions keep LAMMPS's four value coefficients (c3, c4, c5, c6) per knot.
///
/// `Lookup` tells, for an ordered pair (tᵢ, tⱼ), where the table starts and which lanes hold the
/// density that j deposits at i (`inLane`) and the density i deposits at j (`outLane`); r·φ is lane 2.
public struct EAMTables: Sendable {
    /// Where an ordered type pair finds its functions.
    public struct Lookup: Sendable {
        /// Offset (in doubles) of the pair's table in `pair`.
        public var base: Int
        public var inLane: Int, outLane: Int
        /// Squared distance from which the pair contributes exactly nothing: the cutoff², or less
        /// where every coefficient of all three functions is zero further out (Cu–Cu in Mendelev's
        /// Cu–Zr ends at 6 Å of 7.6). Skipping such pairs changes no result.
        public var cutoffSquared: Double
        /// That distance, Å.
        public var cutoff: Double
    }

    /// Doubles per knot of a pair table.
    public static let rowStride = 8

    public let typeCount: Int
    public let nr: Int, nrho: Int
    /// 1/dr and 1/drho (multiplied, as LAMMPS does).
    public let rdr: Double, rdrho: Double
    /// (nrho − 1)·drho: above it F is extended linearly (energy only).
    public let rhoMax: Double
    /// cutoff².
    public let cutoffSquared: Double
    /// All radial tables, each starting on a 64-byte boundary (rows are 128 bytes).
    public let pair: [Double]
    /// `lookup[tᵢ·typeCount + tⱼ]` for 0-based types.
    public let lookup: [Lookup]
    /// Embedding tables, 4 value coefficients per knot: `[tᵢ·nrho + (m−1)]·4`.
    public let embedding: [Double]

    /// LAMMPS's knot slopes s_m (per index unit) of `values`.
    static func slopes(_ values: [Double], delta: Double) -> [Double] {
        let c = HermiteSpline.coefficients(values, delta: delta)
        return (0..<values.count).map { c[7 * $0 + 5] }
    }

    /// (c3, c4, c5, c6) per knot of LAMMPS's interpolant of `values`.
    static func valueCoefficients(_ values: [Double], delta: Double) -> [Double] {
        let c = HermiteSpline.coefficients(values, delta: delta)
        var out = [Double](repeating: 0, count: 4 * values.count)
        for m in 0..<values.count { for k in 0..<4 { out[4 * m + k] = c[7 * m + 3 + k] } }
        return out
    }

    /// The cutoff, or a distance beyond which the table's rows are all zero, if smaller.
    ///
    /// A pair at distance r reads knots m − 1 and m (0-based) with m = ⌊r/Δr + 1⌋ (capped at nr − 1).
    /// If knots after `last` are zero, every r ≥ (last + 3)·Δr reads zero knots whatever the rounding
    /// of r/Δr + 1 (one knot of margin), so its density, energy and force are exactly zero.
    static func supportCutoff(table: [Double], rows: Int, stride: Int, dr: Double, cutoff: Double) -> Double {
        var last = rows - 1
        while last >= 0 && table[(last * stride)..<((last + 1) * stride)].allSatisfy({ $0 == 0 }) { last -= 1 }
        let support = Double(last + 3) * dr
        return min(support, cutoff)
    }

    /// Tables for atom types 1…n mapped to elements `typeToElement[t−1]` of `potential`.
    public init(potential p: EAMPotential, typeToElement: [Int]) {
        let nt = typeToElement.count
        typeCount = nt
        nr = p.nr; nrho = p.nrho
        rdr = 1.0 / p.dr; rdrho = 1.0 / p.drho
        rhoMax = Double(p.nrho - 1) * p.drho
        cutoffSquared = p.cutoff * p.cutoff
        let stride = Self.rowStride
        var pair: [Double] = []
        var lookup = [Lookup](repeating: Lookup(base: 0, inLane: 0, outLane: 0, cutoffSquared: 0, cutoff: 0), count: nt * nt)
        for a in 0..<nt {
            for b in a..<nt {
                let ea = typeToElement[a], eb = typeToElement[b]
                let base = pair.count
                let lanes = [p.density[eb][ea], p.density[ea][eb], p.rphi[ea][eb]]  // b→a, a→b, r·φ
                let laneSlopes = lanes.map { Self.slopes($0, delta: p.dr) }
                var table = [Double](repeating: 0, count: p.nr * stride)
                for m in 0..<p.nr {
                    for l in 0..<3 {
                        table[m * stride + l] = lanes[l][m]
                        table[m * stride + 4 + l] = laneSlopes[l][m]
                    }
                }
                pair += table
                while pair.count % 8 != 0 { pair.append(0) }  // next table on a cache-line boundary
                let cut = Self.supportCutoff(table: table, rows: p.nr, stride: stride, dr: p.dr, cutoff: p.cutoff)
                lookup[a * nt + b] = Lookup(base: base, inLane: 0, outLane: 1, cutoffSquared: cut * cut, cutoff: cut)
                lookup[b * nt + a] = Lookup(base: base, inLane: 1, outLane: 0, cutoffSquared: cut * cut, cutoff: cut)
            }
        }
        self.pair = pair
        self.lookup = lookup
        var embedding: [Double] = []
        embedding.reserveCapacity(nt * p.nrho * 4)
        for t in 0..<nt {
            embedding += Self.valueCoefficients(p.embedding[typeToElement[t]], delta: p.drho)
        }
        self.embedding = embedding
    }
}
