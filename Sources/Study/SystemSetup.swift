import AQS
import Minimization
import EAM
import MDCore

/// A structure with its potential and element mapping, checked for consistency: the common start of
/// `evaluate`, `minimize`, `shear` and the pipeline's stages.
package struct SystemSetup {
    package var structure: Structure
    package var potential: EAMPotential
    /// Element index in `potential` for atom type t at `[t − 1]`.
    package var typeToElement: [Int]
    var structurePath: String

    /// The force field of this structure with `skin` and `threads` (`ForceFieldFactory`).
    package func forceField(skin: Double, threads: Int) -> EAMForceField {
        var factory = ForceFieldFactory(potential: potential, typeToElement: typeToElement)
        factory.skin = skin
        factory.threads = threads
        return factory.field(types: structure.types)
    }

    /// Per-atom masses (amu) from the potential file, as LAMMPS's `pair_coeff` sets them.
    package var atomMasses: [Double] {
        structure.types.map { potential.masses[typeToElement[Int($0) - 1]] }
    }

    /// Loads and checks everything; errors name the file, line or flag.
    package static func load(structure structurePath: String, potential potentialPath: String,
                     elements: String, pairStyle: String?) throws(InputError) -> SystemSetup {
        let names = elements.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        let factory = try ForceFieldFactory(file: potentialPath, elements: names, pairStyle: try ForceFieldFactory.format(pairStyle))
        let potential = factory.potential, typeToElement = factory.typeToElement
        let structure = try LAMMPSDataFile.read(path: structurePath)
        guard typeToElement.count == structure.typeCount else {
            throw InputError(path: "--elements", reason: "\(structurePath) has \(structure.typeCount) atom types but \(names.count) element names were given")
        }
        try checkGeometry(structure, path: structurePath)
        let setup = SystemSetup(structure: structure, potential: potential, typeToElement: typeToElement,
                                structurePath: structurePath)
        return setup
    }
}

extension SystemSetup {
    /// A ready-to-run AQS simple shear of the structure at `structure` (minimized first by the run),
    /// checked for overlapping atoms; `coolingRate` and `isEnergy` (the glass's inherent-structure energy
    /// per atom from its quench) label the result (summary.json) and its key.
    package static func shearRun(structure: String, potential: String, elements: String, pairStyle: String?,
                         settings: ShearSettings, coolingRate: Double?, isEnergy: Double? = nil, skin: Double, threads: Int,
                         directory: String, options: ShearRun<EAMForceField>.Options) throws(InputError) -> ShearRun<EAMForceField> {
        let setup = try SystemSetup.load(structure: structure, potential: potential, elements: elements,
                                         pairStyle: pairStyle)
        var s = setup.structure
        s.masses = setup.potentialMassesByType
        let field = setup.forceField(skin: skin, threads: threads)
        var f = [SIMD3<Double>](repeating: .zero, count: s.count)
        _ = field.evaluate(s.positions, box: s.box, forces: &f)
        try field.checkNoOverlap(setup)

        var labels: [(String, String)] = [
            ("elements", setup.typeToElement.map { setup.potential.elements[$0] }.joined(separator: ",")),
            ("pair_style", setup.potential.format.rawValue),
        ]
        if let coolingRate { labels.append(("cooling_rate_K_per_s", roundTrip(coolingRate))) }
        if let isEnergy { labels.append(("is_energy_per_atom_eV", roundTrip(isEnergy))) }
        let inputs = ShearRun<EAMForceField>.Inputs(
            structure: s, structureHash: FNV1a64.hash(try readBinaryFile(structure)),
            potentialHash: FNV1a64.hash(try readBinaryFile(potential)), labels: labels)
        return ShearRun(directory: directory, field: field, settings: settings, inputs: inputs, options: options)
    }
}

/// Rejects boxes thinner than 0.5 Å across any pair of faces and atoms more than 10⁶ box lengths
/// away, which no simulation can mean and which would stall or overflow the neighbor search.
func checkGeometry(_ s: Structure, path: String) throws(InputError) {
    let b = s.box
    let bxc = SIMD3(b.ly * b.lz, -b.xy * b.lz, b.xy * b.yz - b.ly * b.xz)
    let widths = [b.volume / (bxc * bxc).sum().squareRoot(),
                  b.ly * b.lz / (b.lz * b.lz + b.yz * b.yz).squareRoot(), b.lz]
    if let w = widths.min(), w < 0.5 {
        throw InputError(path: path, reason: "the box is only \(w) Å thick across one pair of faces (at least 0.5 Å needed)")
    }
    for i in 0..<s.count {
        let f = b.fractional(s.positions[i])
        if !(abs(f.x) < 1e6 && abs(f.y) < 1e6 && abs(f.z) < 1e6) {
            throw InputError(path: path, reason: "atom \(s.ids[i]) lies more than 10⁶ box lengths outside the box")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension EAMForceField {
    /// Fails with an `InputError` naming two atom ids when they sit closer than `minimum` Å (after the
    /// first evaluation built the list).
    package func checkNoOverlap(_ setup: SystemSetup, minimum: Double = 0.5) throws(InputError) {
        let c = neighbors.closestPair
        if c.distance < minimum {
            let ids = setup.structure.ids
            throw InputError(path: setup.structurePath,
                             reason: "atoms \(ids[c.i]) and \(ids[c.j]) overlap (\(c.distance) Å apart; minimum \(minimum) Å)")
        }
    }
}

extension SystemSetup {
    /// Per-type masses from the potential file (what LAMMPS's pair_coeff sets).
    package var potentialMassesByType: [Double] { typeToElement.map { potential.masses[$0] } }
}
