/// How many atoms of a structure have each `LocalStructure`, and the crystalline fraction
/// (fcc + hcp + bcc) / N: the measure of crystallinity the harvest's quality gate reads.
public struct StructureCensus: Sendable, Equatable {
    /// Atoms per class, indexed by `LocalStructure.rawValue`.
    public var counts: [Int]

    /// Counts the classes of `structures`. O(N).
    public init(_ structures: [LocalStructure]) {
        var c = [Int](repeating: 0, count: LocalStructure.allCases.count)
        for s in structures { c[s.rawValue] += 1 }
        counts = c
    }

    /// Number of atoms of class `s`.
    public subscript(_ s: LocalStructure) -> Int { counts[s.rawValue] }

    /// Number of atoms.
    public var total: Int { counts.reduce(0, +) }

    /// Atoms in a crystalline environment (fcc, hcp or bcc).
    public var crystalline: Int { self[.fcc] + self[.hcp] + self[.bcc] }

    /// (fcc + hcp + bcc) / N; 0 for an empty structure.
    public var crystallineFraction: Double { total == 0 ? 0 : Double(crystalline) / Double(total) }
}
