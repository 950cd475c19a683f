import MDCore

/// Starting configurations for a melt: atoms on an fcc lattice that fills a cubic cell, species
/// assigned by a seeded shuffle with exact counts (the paper's 39.88 Å cube is 10 fcc cells of
/// 3.988 Å holding 4000 sites).
public enum SampleBuilder {
    /// Exact atom counts for `fractions` (summing to 1) of `atoms`, by largest remainder.
    public static func counts(atoms: Int, fractions: [Double]) -> [Int] {
        let raw = fractions.map { $0 * Double(atoms) }
        var n = raw.map { Int($0.rounded(.down)) }
        let order = raw.indices.sorted { (raw[$0] - Double(n[$0]), -$0) > (raw[$1] - Double(n[$1]), -$1) }
        var k = 0
        while n.reduce(0, +) < atoms { n[order[k % order.count]] += 1; k += 1 }
        return n
    }

    /// `atoms` atoms in a cube of edge `edge` Å: the smallest fcc lattice with at least `atoms` sites,
    /// sites chosen and species (1-based types, `fractions[t−1]`) assigned by seeded shuffles.
    public static func fccCube(atoms: Int, edge: Double, fractions: [Double], masses: [Double]?,
                               random: inout SeededRandom) -> Structure {
        precondition(atoms > 0 && edge > 0 && !fractions.isEmpty)
        var cells = 1
        while 4 * cells * cells * cells < atoms { cells += 1 }
        let a = edge / Double(cells)
        let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)]
        var sites: [SIMD3<Double>] = []
        sites.reserveCapacity(4 * cells * cells * cells)
        for k in 0..<cells { for j in 0..<cells { for i in 0..<cells { for b in basis {
            sites.append((SIMD3(Double(i), Double(j), Double(k)) + b) * a)
        } } } }
        if sites.count > atoms {
            shuffle(&sites, &random)
            sites.removeLast(sites.count - atoms)
        }
        var types: [Int32] = []
        for (t, n) in counts(atoms: atoms, fractions: fractions).enumerated() {
            types += [Int32](repeating: Int32(t + 1), count: n)
        }
        shuffle(&types, &random)
        return Structure(box: .cube(edge), typeCount: fractions.count, masses: masses,
                         ids: Array(1...atoms), types: types, positions: sites)
    }

    /// Fisher–Yates with the project generator (platform-stable, unlike `shuffle(using:)`).
    static func shuffle<T>(_ a: inout [T], _ random: inout SeededRandom) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(random.next() % UInt64(i + 1))
            a.swapAt(i, j)
        }
    }
}
