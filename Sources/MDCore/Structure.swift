/// An atomic configuration as LAMMPS stores it with `atom_style atomic`.
///
/// Atom types are 1-based (LAMMPS); arrays are indexed by the atom's position in the file, and `ids`
/// holds each atom's LAMMPS id. Positions need not lie inside the box.
public struct Structure: Sendable, Equatable {
    /// Simulation cell.
    public var box: Box
    /// Number of atom types declared in the header (≥ every type used).
    public var typeCount: Int
    /// Per-type mass (amu) from the `Masses` section, indexed by type − 1; nil when absent.
    public var masses: [Double]?
    /// LAMMPS atom ids (positive, unique).
    public var ids: [Int]
    /// 1-based atom types.
    public var types: [Int32]
    /// Positions, Å.
    public var positions: [SIMD3<Double>]
    /// Image flags, when the file gave them.
    public var images: [SIMD3<Int32>]?
    /// Velocities, Å/ps, when the file has a `Velocities` section.
    public var velocities: [SIMD3<Double>]?

    public init(box: Box, typeCount: Int, masses: [Double]? = nil, ids: [Int], types: [Int32],
                positions: [SIMD3<Double>], images: [SIMD3<Int32>]? = nil,
                velocities: [SIMD3<Double>]? = nil) {
        self.box = box
        self.typeCount = typeCount
        self.masses = masses
        self.ids = ids
        self.types = types
        self.positions = positions
        self.images = images
        self.velocities = velocities
    }

    /// Number of atoms.
    public var count: Int { positions.count }

    /// Number of atoms of each type (index type − 1).
    public var typeCounts: [Int] {
        var n = [Int](repeating: 0, count: typeCount)
        for t in types { n[Int(t) - 1] += 1 }
        return n
    }

    /// The same structure with every position folded into the box and the folding recorded in the
    /// image flags (added to any the structure already had), as LAMMPS writes data files.
    public func foldedIntoBox() -> Structure {
        var s = self
        var flags = images ?? [SIMD3<Int32>](repeating: .zero, count: count)
        for i in 0..<count {
            let (x, image) = box.wrap(positions[i])
            s.positions[i] = x
            flags[i] = flags[i] &+ image
        }
        s.images = flags
        return s
    }
}
