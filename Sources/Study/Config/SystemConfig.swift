import MDCore
import Neighbors

/// Section `system`: size, cell and composition of every sample.
package struct SystemConfig: Sendable, Equatable {
    /// Atoms per sample (≥ 2).
    var atoms: Int
    /// Edge of the cubic cell, Å (from `box_A`, or from `density_atoms_per_A3` as ∛(atoms/density)).
    var boxA: Double
    /// Fraction of each atom type, aligned with `PotentialConfig.elements` (sums to 1 within 1e-9).
    var composition: [Double]
    /// Verlet skin, Å (results do not depend on it).
    var skinA: Double

    static let keys = ["atoms", "box_A", "density_atoms_per_A3", "composition", "skin_A"]
    static let defaultSkinA = NeighborList.defaultSkin
    static let maxAtoms = 100_000_000

    /// Number density, atoms/Å³.
    var densityAtomsPerA3: Double { Double(atoms) / (boxA * boxA * boxA) }

    static func read(_ node: ConfigNode, elements: [String]) throws(InputError) -> SystemConfig {
        let atoms = try node.required("atoms").int(in: 2...maxAtoms)
        let boxNode = node.member("box_A"), densityNode = node.member("density_atoms_per_A3")
        let box: Double
        switch (boxNode, densityNode) {
        case let (b?, nil):
            box = try b.positive()
        case let (nil, d?):
            let density = try d.positive()
            box = cubeRoot(Double(atoms) / density)
            guard box.isFinite, box > 0 else { throw d.error("gives a cell edge of \(box) Å") }
        case (_?, let d?):
            throw d.error("give either box_A or density_atoms_per_A3, not both")
        case (nil, nil):
            throw InputError(path: node.file, line: node.value.line, keyPath: node.path("box_A"),
                             reason: "required key is missing (give box_A, the cube edge in Å, or density_atoms_per_A3)")
        }
        // A condensed phase: anything far outside 0.001–1 atoms/Å³ is a typo (and a near-empty box
        // would make the neighbor search allocate a huge grid of cells).
        let density = Double(atoms) / (box * box * box)
        guard density >= 1e-3, density <= 1 else {
            throw (boxNode ?? densityNode ?? node).error(
                "gives \(ConfigNumber.text(density)) atoms/Å³ for \(atoms) atoms in a \(ConfigNumber.text(box)) Å cube (a metal has about 0.06; allowed 0.001 to 1)")
        }
        let compositionNode = try node.required("composition")
        guard let members = compositionNode.value.members else {
            throw compositionNode.typeError("an object of element fractions, e.g. {\"Cu\": 0.64, \"Zr\": 0.36}")
        }
        for (key, _) in members where !elements.contains(key) {
            throw compositionNode.member(key)!.error("element '\(key)' is not in potential.elements (\(elements.joined(separator: ", ")))")
        }
        var fractions = [Double](repeating: 0, count: elements.count)
        for (t, name) in elements.enumerated() {
            if let f = compositionNode.member(name) {
                let x = try f.nonNegative()
                guard x <= 1 else { throw f.error("must be a fraction between 0 and 1 (got \(f.text))") }
                fractions[t] = x
            }
        }
        let total = fractions.reduce(0, +)
        guard abs(total - 1) <= 1e-9 else {
            throw compositionNode.error("fractions must add up to 1 (they add up to \(ConfigNumber.text(total)))")
        }
        let skin = try node.member("skin_A")?.nonNegative() ?? defaultSkinA
        guard skin <= 10 else { throw node.member("skin_A")!.error("must be at most 10 Å (got \(ConfigNumber.text(skin)))") }
        return SystemConfig(atoms: atoms, boxA: box, composition: fractions, skinA: skin)
    }

    /// ∛x by Newton's method from the libm-free start x^(1/3) ≈ exp(log(x)/3) (pure IEEE arithmetic).
    static func cubeRoot(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return .nan }
        var y = Double(sign: .plus, exponent: x.exponent / 3, significand: 1)
        for _ in 0..<200 {
            let next = y - (y * y * y - x) / (3 * y * y)
            if next == y { break }
            y = next
        }
        // Newton may settle one ulp away: take the neighbor whose cube is closest.
        let candidates = [y.nextDown, y, y.nextUp]
        return candidates.min { abs($0 * $0 * $0 - x) < abs($1 * $1 * $1 - x) }!
    }

    func json(elements: [String]) -> JSONValue {
        .object([("atoms", .number(atoms)), ("box_A", .number(boxA)),
                 ("composition", .object(zip(elements, composition).map { ($0, ConfigNumber.json($1)) })),
                 ("skin_A", .number(skinA))])
    }
}
