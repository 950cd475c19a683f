import EAM
import MDCore
import Neighbors

/// The one place where a potential — its file, the element of each atom type and its `pair_style` —
/// becomes a force field: every stage and command (quench, inherent structure, shear, evaluate,
/// minimize) gets its `EAMForceField` here, so a choice made in the config (`potential.pair_style`) or
/// on the command line (`--pair-style`) reaches all of them. Another potential type is added here.
package struct ForceFieldFactory: Sendable {
    /// The parsed potential.
    package let potential: EAMPotential
    /// Element index in `potential` of atom type t at `[t − 1]`.
    package let typeToElement: [Int]
    /// Verlet skin, Å (results do not depend on it).
    package var skin = NeighborList.defaultSkin
    /// Worker threads of each evaluation (results do not depend on them).
    package var threads = 1

    /// Reads `file` as `pairStyle` (nil: the format the file's layout shows) and maps `elements` (atom
    /// type 1 first) onto it. Errors name the file and line, or `elementsOrigin` (a flag or config key).
    package init(file: String, elements: [String], pairStyle: EAMPotential.Format?, elementsOrigin: String = "--elements") throws(InputError) {
        let potential = try EAMPotential.read(path: file, format: pairStyle)
        guard !elements.isEmpty, !elements.contains(where: \.isEmpty) else {
            throw InputError(path: elementsOrigin, reason: "give one element name per atom type, comma separated (e.g. Cu,Zr)")
        }
        var map: [Int] = []
        for name in elements {
            guard let e = potential.elementIndex(name) else {
                throw InputError(path: elementsOrigin, reason: "element '\(name)' is not in \(file) (it has \(potential.elements.joined(separator: ", ")))")
            }
            map.append(e)
        }
        self.init(potential: potential, typeToElement: map)
    }

    package init(potential: EAMPotential, typeToElement: [Int]) {
        self.potential = potential
        self.typeToElement = typeToElement
    }

    /// A `pair_style` name (`eam/fs`, `eam/alloy`) as a format; nil stays nil (inferred from the file).
    package static func format(_ pairStyle: String?, origin: String = "--pair-style") throws(InputError) -> EAMPotential.Format? {
        guard let pairStyle else { return nil }
        guard let f = EAMPotential.Format(rawValue: pairStyle) else {
            throw InputError(path: origin, reason: "unknown pair style '\(pairStyle)' (use eam/fs or eam/alloy)")
        }
        return f
    }

    /// Per-type masses from the potential file (what LAMMPS's `pair_coeff` sets), type 1 first.
    package var massByType: [Double] { typeToElement.map { potential.masses[$0] } }

    /// The force field for atoms of the given 1-based `types`.
    package func field(types: [Int32]) -> EAMForceField {
        EAMForceField(potential: potential, types: types, typeToElement: typeToElement, skin: skin, threads: threads)
    }
}
