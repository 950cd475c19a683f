/// The local crystal structure of one atom as adaptive common-neighbour analysis classifies it
/// (`AdaptiveCommonNeighborAnalysis`). Raw values are stable and used as array indices.
public enum LocalStructure: Int, Sendable, CaseIterable, Equatable {
    /// None of the signatures below: the usual environment in a glass or a liquid.
    case other = 0
    /// Face-centred cubic: 12 neighbours, each pair with signature (4,2,1).
    case fcc = 1
    /// Hexagonal close-packed: 12 neighbours, six (4,2,1) and six (4,2,2) pairs.
    case hcp = 2
    /// Body-centred cubic (and B2/CsCl, whose two species the analysis ignores): 14 neighbours,
    /// six (4,4,4) and eight (6,6,6) pairs.
    case bcc = 3
    /// Centre of an icosahedron: 12 neighbours, each pair with signature (5,5,5). Common in Cu–Zr
    /// glasses and not crystalline.
    case icosahedral = 4

    /// Short lower-case name (OVITO: FCC, HCP, BCC, ICO, Other).
    public var name: String {
        switch self {
        case .other: return "other"
        case .fcc: return "fcc"
        case .hcp: return "hcp"
        case .bcc: return "bcc"
        case .icosahedral: return "ico"
        }
    }

    /// True for the periodic crystals fcc, hcp and bcc.
    public var isCrystalline: Bool { self == .fcc || self == .hcp || self == .bcc }
}
