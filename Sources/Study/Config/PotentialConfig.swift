import EAM
import MDCore

/// Section `potential`: the EAM setfl file and the element of each atom type.
package struct PotentialConfig: Sendable, Equatable {
    /// Absolute path of the setfl file (a relative `file` resolves against the config's directory).
    var file: String
    /// Element of each atom type, type 1 first (LAMMPS `pair_coeff * * FILE Cu Zr`).
    var elements: [String]
    /// `eam/fs` or `eam/alloy`; `"auto"` in a config is resolved from the file when it is loaded.
    var pairStyle: EAMPotential.Format

    static let keys = ["file", "elements", "pair_style"]

    /// The pair style as written in a config, before the file is read.
    package enum PairStyleChoice: String, CaseIterable {
        case fs = "eam/fs"
        case alloy = "eam/alloy"
        case auto
    }

    /// Reads the section; `pairStyle` is provisional (eam/fs) when the config says auto: `resolve`
    /// reads the file and fixes it.
    static func read(_ node: ConfigNode, directory: String) throws(InputError) -> (PotentialConfig, PairStyleChoice) {
        let fileNode = try node.required("file")
        let file = ConfigPaths.absolute(try fileNode.name(), relativeTo: directory)
        var elements: [String] = []
        for e in try node.required("elements").nonEmptyArray() {
            let name = try e.name()
            guard !elements.contains(name) else { throw e.error("element '\(name)' is listed twice") }
            elements.append(name)
        }
        let choice = try node.member("pair_style")?.choice(PairStyleChoice.self, what: "pair style") ?? .auto
        let style: EAMPotential.Format = choice == .alloy ? .alloy : .fs
        return (PotentialConfig(file: file, elements: elements, pairStyle: style), choice)
    }

    /// Reads the potential file: it must exist, parse as `choice` (or as either format for auto) and
    /// hold every element. Fixes `pairStyle` to the file's format.
    mutating func resolve(_ node: ConfigNode, choice: PairStyleChoice) throws(InputError) {
        let fileNode = try node.required("file")
        try ConfigPaths.checkReadableFile(file, at: fileNode)
        let potential = try EAMPotential.read(path: file, format: choice == .auto ? nil : pairStyle)
        pairStyle = potential.format
        let elementNodes = try node.required("elements").array()
        for (k, name) in elements.enumerated() where potential.elementIndex(name) == nil {
            throw elementNodes[k].error("element '\(name)' is not in \(file) (it has \(potential.elements.joined(separator: ", ")))")
        }
    }

    /// Reads and parses the potential file (errors name the file and line).
    func read() throws(InputError) -> EAMPotential {
        try EAMPotential.read(path: file, format: pairStyle)
    }

    var json: JSONValue {
        .object([("file", .string(file)), ("elements", .array(elements.map(JSONValue.string))),
                 ("pair_style", .string(pairStyle.rawValue))])
    }
}
