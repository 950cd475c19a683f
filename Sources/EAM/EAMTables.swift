/// Spline tables of an `EAMPotential` laid out for the pair loop of one structure's atom types.
///
/// Each table function keeps the four value coefficients (c3, c4, c5, c6) of LAMMPS's Hermite
/// interpolant per knot; the slope is ((3c3·t + 2c4)·t + c5)/Δ, equal to LAMMPS's (c0·t + c1)·t + c2
/// up to one rounding. Each unordered pair of types {a, b} has one table whose knot rows hold every
/// function a pair needs side by side, so a pair reads one row:
///
///     a == b:  [ρ_{a→a} | r·φ_aa]                       8 doubles (one 64-byte cache line)
///     a <  b:  [ρ_{b→a} | ρ_{a→b} | r·φ_ab]            12 doubles
///
/// `Lookup` tells, for an ordered pair (tᵢ, tⱼ), where the row of knot m starts and at which offsets
/// the density that j deposits at i (`inOffset`), the density i deposits at j (`outOffset`) and
/// r·φ (`phiOffset`) sit.
public struct EAMTables: Sendable {
    /// Where an ordered type pair finds its functions.
    public struct Lookup: Sendable {
        /// Offset (in doubles) of the pair's table in `pair`.
        public var base: Int
        /// Doubles per knot row.
        public var stride: Int
        public var inOffset: Int, outOffset: Int, phiOffset: Int
    }

    public let typeCount: Int
    public let nr: Int, nrho: Int
    /// 1/dr and 1/drho (multiplied, as LAMMPS does).
    public let rdr: Double, rdrho: Double
    /// (nrho − 1)·drho: above it F is extended linearly (energy only).
    public let rhoMax: Double
    /// cutoff².
    public let cutoffSquared: Double
    /// All radial tables, each starting on a 64-byte boundary (offsets are multiples of 8 doubles).
    public let pair: [Double]
    /// `lookup[tᵢ·typeCount + tⱼ]` for 0-based types.
    public let lookup: [Lookup]
    /// Embedding tables, 4 value coefficients per knot: `[tᵢ·nrho + (m−1)]·4`.
    public let embedding: [Double]

    /// (c3, c4, c5, c6) per knot of LAMMPS's interpolant of `values`.
    static func valueCoefficients(_ values: [Double], delta: Double) -> [Double] {
        let c = HermiteSpline.coefficients(values, delta: delta)
        var out = [Double](repeating: 0, count: 4 * values.count)
        for m in 0..<values.count { for k in 0..<4 { out[4 * m + k] = c[7 * m + 3 + k] } }
        return out
    }

    /// Tables for atom types 1…n mapped to elements `typeToElement[t−1]` of `potential`.
    public init(potential p: EAMPotential, typeToElement: [Int]) {
        let nt = typeToElement.count
        typeCount = nt
        nr = p.nr; nrho = p.nrho
        rdr = 1.0 / p.dr; rdrho = 1.0 / p.drho
        rhoMax = Double(p.nrho - 1) * p.drho
        cutoffSquared = p.cutoff * p.cutoff
        var pair: [Double] = []
        var lookup = [Lookup](repeating: Lookup(base: 0, stride: 0, inOffset: 0, outOffset: 0, phiOffset: 0),
                              count: nt * nt)
        for a in 0..<nt {
            for b in a..<nt {
                let ea = typeToElement[a], eb = typeToElement[b]
                let same = a == b
                let stride = same ? 8 : 12
                let base = pair.count
                let rhoBA = Self.valueCoefficients(p.density[eb][ea], delta: p.dr)  // b deposits at a
                let rhoAB = Self.valueCoefficients(p.density[ea][eb], delta: p.dr)  // a deposits at b
                let z = Self.valueCoefficients(p.rphi[ea][eb], delta: p.dr)
                var table = [Double](repeating: 0, count: p.nr * stride)
                for m in 0..<p.nr {
                    for k in 0..<4 {
                        table[m * stride + k] = rhoBA[4 * m + k]
                        if same {
                            table[m * stride + 4 + k] = z[4 * m + k]
                        } else {
                            table[m * stride + 4 + k] = rhoAB[4 * m + k]
                            table[m * stride + 8 + k] = z[4 * m + k]
                        }
                    }
                }
                pair += table
                while pair.count % 8 != 0 { pair.append(0) }  // next table on a cache-line boundary
                let phi = same ? 4 : 8
                lookup[a * nt + b] = Lookup(base: base, stride: stride, inOffset: 0, outOffset: same ? 0 : 4, phiOffset: phi)
                lookup[b * nt + a] = Lookup(base: base, stride: stride, inOffset: same ? 0 : 4, outOffset: 0, phiOffset: phi)
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
