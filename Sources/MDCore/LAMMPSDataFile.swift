/// LAMMPS data files with `atom_style atomic`: read what `write_data` and hand-written files contain
/// (orthogonal or triclinic header, `Masses`, `Atoms` with or without image flags, optional
/// `Velocities`, comments), and write files that `read_data` loads unchanged.
public enum LAMMPSDataFile {
    /// Reads the structure in `path`.
    public static func read(path: String) throws(InputError) -> Structure {
        try parse(TextFile(path: path))
    }

    /// Sections that may appear in an `atomic` data file and that we skip (force-field coefficients).
    static let skippedSections: Set<String> = ["Pair Coeffs", "PairIJ Coeffs"]
    /// Sections that only exist for molecular atom styles.
    static let molecularSections: Set<String> = [
        "Bonds", "Angles", "Dihedrals", "Impropers", "Bond Coeffs", "Angle Coeffs",
        "Dihedral Coeffs", "Improper Coeffs", "Ellipsoids", "Lines", "Triangles", "Bodies",
    ]

    /// Parses an already loaded file.
    public static func parse(_ file: TextFile) throws(InputError) -> Structure {
        var atomCount: Int?
        var typeCount: Int?
        var xlo: (Double, Double)?, ylo: (Double, Double)?, zlo: (Double, Double)?
        var tilt = (0.0, 0.0, 0.0)
        var i = 1  // line 1 is the title
        let n = file.lineCount

        // Header: keyword lines until the first section name.
        header: while i < n {
            let t = file.tokens(i)
            if t.isEmpty { i += 1; continue }
            let joined = t.joined(separator: " ")
            switch true {
            case t.count == 2 && t[1] == "atoms":
                atomCount = try file.int(t[0], line: i, what: "atom count")
            case t.count == 3 && t[1] == "atom" && t[2] == "types":
                typeCount = try file.int(t[0], line: i, what: "atom type count")
            case t.count == 4 && t[2] == "xlo" && t[3] == "xhi":
                xlo = (try file.double(t[0], line: i, what: "xlo"), try file.double(t[1], line: i, what: "xhi"))
            case t.count == 4 && t[2] == "ylo" && t[3] == "yhi":
                ylo = (try file.double(t[0], line: i, what: "ylo"), try file.double(t[1], line: i, what: "yhi"))
            case t.count == 4 && t[2] == "zlo" && t[3] == "zhi":
                zlo = (try file.double(t[0], line: i, what: "zlo"), try file.double(t[1], line: i, what: "zhi"))
            case t.count == 6 && t[3] == "xy" && t[4] == "xz" && t[5] == "yz":
                tilt = (try file.double(t[0], line: i, what: "xy"), try file.double(t[1], line: i, what: "xz"),
                        try file.double(t[2], line: i, what: "yz"))
            case t.count >= 2 && ["bonds", "angles", "dihedrals", "impropers", "ellipsoids", "lines",
                                  "triangles", "bodies"].contains(String(t[t.count - 1])):
                let k = try file.int(t[0], line: i, what: String(t[t.count - 1]))
                if k != 0 { throw file.error(i, "'\(joined)': only atom_style atomic is supported") }
            case t.count >= 3 && t.last == "types" || t.count >= 4 && t.last == "hi":
                // "N bond types", "N extra bond per atom", … are harmless in an atomic file when zero.
                break
            default:
                break header
            }
            i += 1
        }

        guard let nAtoms = atomCount else { throw InputError(path: file.path, reason: "header has no 'N atoms' line") }
        guard nAtoms >= 1 else { throw InputError(path: file.path, reason: "atom count must be positive (got \(nAtoms))") }
        guard nAtoms <= file.lineCount else {
            throw InputError(path: file.path, reason: "header says \(nAtoms) atoms but the file has only \(file.lineCount) lines")
        }
        guard let nTypes = typeCount else { throw InputError(path: file.path, reason: "header has no 'N atom types' line") }
        guard nTypes >= 1 else { throw InputError(path: file.path, reason: "atom type count must be positive (got \(nTypes))") }
        guard nTypes <= 1_000_000 else { throw InputError(path: file.path, reason: "atom type count \(nTypes) is unreasonably large") }
        guard let x = xlo, let y = ylo, let z = zlo else {
            throw InputError(path: file.path, reason: "header needs 'xlo xhi', 'ylo yhi' and 'zlo zhi' lines")
        }
        let box = Box(lo: SIMD3(x.0, y.0, z.0), lx: x.1 - x.0, ly: y.1 - y.0, lz: z.1 - z.0,
                      xy: tilt.0, xz: tilt.1, yz: tilt.2)
        guard box.lx > 0, box.ly > 0, box.lz > 0 else {
            throw InputError(path: file.path, reason: "box bounds must satisfy lo < hi")
        }

        var masses: [Double]?
        var ids = [Int](repeating: 0, count: nAtoms)
        var types = [Int32](repeating: 0, count: nAtoms)
        var positions = [SIMD3<Double>](repeating: .zero, count: nAtoms)
        var images: [SIMD3<Int32>]?
        var velocities: [SIMD3<Double>]?
        var atomsLine: Int?

        // Sections: a keyword line, then the section's lines (blank lines skipped).
        while i < n {
            let t = file.tokens(i, stripComments: false)
            if t.isEmpty || t[0].hasPrefix("#") { i += 1; continue }
            let commentFree = file.tokens(i)
            let name = commentFree.joined(separator: " ")
            let keywordLine = i
            i += 1
            func sectionLines(_ count: Int) throws(InputError) -> [Int] {
                var out: [Int] = []
                out.reserveCapacity(count)
                while out.count < count {
                    guard i < n else {
                        throw file.error(keywordLine, "section '\(name)' ends after \(out.count) of \(count) lines")
                    }
                    if !file.isBlank(i) { out.append(i) }
                    i += 1
                }
                return out
            }
            switch name {
            case "Masses":
                var m = [Double](repeating: .nan, count: nTypes)
                for l in try sectionLines(nTypes) {
                    let f = file.tokens(l)
                    guard f.count == 2 else { throw file.error(l, "Masses line needs 'type mass'") }
                    let type = try file.int(f[0], line: l, what: "atom type")
                    guard (1...nTypes).contains(type) else { throw file.error(l, "atom type \(type) is outside 1…\(nTypes)") }
                    let mass = try file.double(f[1], line: l, what: "mass")
                    guard mass > 0 else { throw file.error(l, "mass must be positive (got \(mass))") }
                    guard m[type - 1].isNaN else { throw file.error(l, "mass of type \(type) given twice") }
                    m[type - 1] = mass
                }
                masses = m
            case "Atoms":
                let keywordText = file.line(keywordLine)
                if let hash = keywordText.firstIndex(of: "#") {
                    let style = keywordText[keywordText.index(after: hash)...]
                        .split(separator: " ").first.map(String.init) ?? ""
                    if !style.isEmpty && style != "atomic" {
                        throw file.error(keywordLine, "Atoms section is atom_style '\(style)'; only 'atomic' is supported")
                    }
                }
                atomsLine = keywordLine
                var seen = [Int: Int]()
                seen.reserveCapacity(nAtoms)
                var k = 0
                for l in try sectionLines(nAtoms) {
                    let f = file.tokens(l)
                    guard f.count == 5 || f.count == 8 else {
                        throw file.error(l, "Atoms line needs 'id type x y z [ix iy iz]' (5 or 8 fields, got \(f.count))")
                    }
                    let id = try file.int(f[0], line: l, what: "atom id")
                    guard id > 0 else { throw file.error(l, "atom id must be positive (got \(id))") }
                    if let first = seen[id] { throw file.error(l, "atom id \(id) already used on line \(first)") }
                    seen[id] = l + 1
                    let type = try file.int(f[1], line: l, what: "atom type")
                    guard (1...nTypes).contains(type) else { throw file.error(l, "atom type \(type) is outside 1…\(nTypes)") }
                    let p = SIMD3(try file.double(f[2], line: l, what: "x"), try file.double(f[3], line: l, what: "y"),
                                  try file.double(f[4], line: l, what: "z"))
                    ids[k] = id
                    types[k] = Int32(type)
                    positions[k] = p
                    if f.count == 8 {
                        if images == nil { images = [SIMD3<Int32>](repeating: .zero, count: nAtoms) }
                        let ix = try file.int(f[5], line: l, what: "image flag")
                        let iy = try file.int(f[6], line: l, what: "image flag")
                        let iz = try file.int(f[7], line: l, what: "image flag")
                        guard let jx = Int32(exactly: ix), let jy = Int32(exactly: iy), let jz = Int32(exactly: iz) else {
                            throw file.error(l, "image flag out of range")
                        }
                        images![k] = SIMD3(jx, jy, jz)
                    } else if images != nil {
                        throw file.error(l, "image flags given for some atoms but not this one")
                    }
                    k += 1
                }
            case "Velocities":
                guard atomsLine != nil else { throw file.error(keywordLine, "Velocities section before Atoms") }
                var index = [Int: Int]()
                for (k, id) in ids.enumerated() { index[id] = k }
                var v = [SIMD3<Double>](repeating: .zero, count: nAtoms)
                var given = [Bool](repeating: false, count: nAtoms)
                for l in try sectionLines(nAtoms) {
                    let f = file.tokens(l)
                    guard f.count == 4 else { throw file.error(l, "Velocities line needs 'id vx vy vz'") }
                    let id = try file.int(f[0], line: l, what: "atom id")
                    guard let k = index[id] else { throw file.error(l, "velocity for unknown atom id \(id)") }
                    guard !given[k] else { throw file.error(l, "velocity of atom \(id) given twice") }
                    given[k] = true
                    v[k] = SIMD3(try file.double(f[1], line: l, what: "vx"), try file.double(f[2], line: l, what: "vy"),
                                 try file.double(f[3], line: l, what: "vz"))
                }
                velocities = v
            case _ where skippedSections.contains(name):
                // Coefficients for pair styles: one line per type (Pair) or per type pair (PairIJ).
                let count = name == "Pair Coeffs" ? nTypes : nTypes * (nTypes + 1) / 2
                _ = try sectionLines(count)
            case _ where molecularSections.contains(name):
                throw file.error(keywordLine, "section '\(name)': only atom_style atomic is supported")
            default:
                if commentFree.allSatisfy({ Double($0) != nil }) {
                    throw file.error(keywordLine, "numbers where a section name was expected: does the preceding section hold more lines than the header's counts (\(nAtoms) atoms, \(nTypes) atom types)?")
                }
                throw file.error(keywordLine, "unknown section or header line '\(name)'")
            }
        }
        guard atomsLine != nil else { throw InputError(path: file.path, reason: "no Atoms section") }
        if let m = masses, let missing = m.firstIndex(where: { $0.isNaN }) {
            throw InputError(path: file.path, reason: "Masses section lacks type \(missing + 1)")
        }
        return Structure(box: box, typeCount: nTypes, masses: masses, ids: ids, types: types,
                         positions: positions, images: images, velocities: velocities)
    }

    /// The text of a data file for `structure`; atoms are written in the structure's order.
    /// Numbers use the shortest representation that reads back to the same bits.
    public static func format(_ s: Structure, title: String = "LAMMPS data file (atom_style atomic) written by seem") -> String {
        var out = title.split(separator: "\n").joined(separator: " ") + "\n\n"
        out += "\(s.count) atoms\n\(s.typeCount) atom types\n\n"
        let b = s.box
        out += "\(roundTrip(b.lo.x)) \(roundTrip(b.lo.x + b.lx)) xlo xhi\n"
        out += "\(roundTrip(b.lo.y)) \(roundTrip(b.lo.y + b.ly)) ylo yhi\n"
        out += "\(roundTrip(b.lo.z)) \(roundTrip(b.lo.z + b.lz)) zlo zhi\n"
        if b.isTriclinic { out += "\(roundTrip(b.xy)) \(roundTrip(b.xz)) \(roundTrip(b.yz)) xy xz yz\n" }
        if let m = s.masses {
            out += "\nMasses\n\n"
            for (k, mass) in m.enumerated() { out += "\(k + 1) \(roundTrip(mass))\n" }
        }
        out += "\nAtoms # atomic\n\n"
        out.reserveCapacity(out.utf8.count + s.count * 80)
        for k in 0..<s.count {
            let p = s.positions[k]
            out += "\(s.ids[k]) \(s.types[k]) \(roundTrip(p.x)) \(roundTrip(p.y)) \(roundTrip(p.z))"
            if let im = s.images?[k] { out += " \(im.x) \(im.y) \(im.z)" }
            out += "\n"
        }
        if let v = s.velocities {
            out += "\nVelocities\n\n"
            for k in 0..<s.count {
                out += "\(s.ids[k]) \(roundTrip(v[k].x)) \(roundTrip(v[k].y)) \(roundTrip(v[k].z))\n"
            }
        }
        return out
    }

    /// Writes `structure` to `path` atomically.
    public static func write(_ structure: Structure, to path: String, title: String? = nil) throws(InputError) {
        try AtomicFile.write(format(structure, title: title ?? "LAMMPS data file (atom_style atomic) written by seem"), to: path)
    }
}
