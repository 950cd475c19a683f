import MDCore

/// An embedded-atom potential as tabulated in a LAMMPS setfl file.
///
/// Energy of atom i (Daw–Baskes; Finnis–Sinclair when densities depend on both species):
///
///     E_i = F_α(ρ_i) + ½ Σ_j φ_αβ(r_ij),   ρ_i = Σ_j ρ_{β→α}(r_ij)
///
/// with α the element of i and β that of j. `eam/alloy` files give one density function per source
/// element; `eam/fs` files give one per (source, host) pair.
public struct EAMPotential: Sendable {
    /// File flavour.
    public enum Format: String, Sendable, CaseIterable {
        /// `pair_style eam/alloy`: ρ depends on the source element only.
        case alloy = "eam/alloy"
        /// `pair_style eam/fs`: ρ depends on source and host element.
        case fs = "eam/fs"
    }

    public var format: Format
    /// Path the potential was read from (for messages and provenance).
    public var path: String
    /// Element names in file order.
    public var elements: [String]
    /// Atomic numbers and masses (amu) per element.
    public var atomicNumbers: [Int]
    public var masses: [Double]
    /// Embedding-function grid: F tabulated at ρ_k = k·drho, k = 0…nrho−1.
    public var nrho: Int
    public var drho: Double
    /// Radial grid: r_k = k·dr, k = 0…nr−1.
    public var nr: Int
    public var dr: Double
    /// Interaction cutoff, Å (strict: pairs with r² < cutoff² interact).
    public var cutoff: Double
    /// F_α(ρ) tables, eV, indexed [element].
    public var embedding: [[Double]]
    /// ρ_{source→host}(r) tables indexed [source][host]; for `eam/alloy` all hosts share one table.
    public var density: [[[Double]]]
    /// r·φ_αβ(r) tables (eV·Å) indexed [α][β], symmetric.
    public var rphi: [[[Double]]]

    /// Index of element `name`, or nil.
    public func elementIndex(_ name: String) -> Int? { elements.firstIndex(of: name) }

    /// Reads a setfl file. With `format == nil` the flavour is inferred from the number of values
    /// in the file (an `eam/fs` file holds nel density tables per element, `eam/alloy` one).
    public static func read(path: String, format: Format? = nil) throws(InputError) -> EAMPotential {
        let file = try TextFile(path: path)
        if let format { return try parse(file, format: format) }
        do {
            return try parse(file, format: .fs)
        } catch let fsError {
            do { return try parse(file, format: .alloy) } catch let alloyError {
                // Report the error of the flavour the file most likely is: the one that got further.
                return try { () throws(InputError) -> EAMPotential in
                    throw (alloyError.line ?? 0) > (fsError.line ?? 0) ? alloyError : fsError
                }()
            }
        }
    }

    /// Parses a setfl file of the given flavour (rules of LAMMPS's reader: three comment lines,
    /// `#` comments and blank lines skipped afterwards, each table starts on a fresh line).
    public static func parse(_ file: TextFile, format: Format) throws(InputError) -> EAMPotential {
        guard file.lineCount > 5 else {
            throw InputError(path: file.path, reason: "not a setfl potential file: needs 3 comment lines, an element line and a grid line")
        }
        let first = file.line(0)
        if let r = first.firstRange(of: "UNITS:") {
            let unit = first[r.upperBound...].split(separator: " ").first.map(String.init) ?? ""
            if unit != "metal" { throw file.error(0, "potential is in '\(unit)' units; only metal units are supported") }
        }
        var cursor = TableCursor(file: file, line: 3)

        let elementLine = try cursor.nextLineTokens(what: "element line")
        let nel = try file.int(elementLine.tokens[0], line: elementLine.line, what: "element count")
        guard nel >= 1 else { throw file.error(elementLine.line, "element count must be positive (got \(nel))") }
        guard elementLine.tokens.count == nel + 1 else {
            throw file.error(elementLine.line, "expected \(nel) element names after the count, got \(elementLine.tokens.count - 1)")
        }
        let elements = elementLine.tokens.dropFirst().map(String.init)
        if Set(elements).count != elements.count { throw file.error(elementLine.line, "element names repeat") }

        let grid = try cursor.nextLineTokens(what: "grid line 'Nrho drho Nr dr cutoff'")
        guard grid.tokens.count >= 5 else { throw file.error(grid.line, "grid line needs 'Nrho drho Nr dr cutoff'") }
        let nrho = try file.int(grid.tokens[0], line: grid.line, what: "Nrho")
        let drho = try file.double(grid.tokens[1], line: grid.line, what: "drho")
        let nr = try file.int(grid.tokens[2], line: grid.line, what: "Nr")
        let dr = try file.double(grid.tokens[3], line: grid.line, what: "dr")
        let cutoff = try file.double(grid.tokens[4], line: grid.line, what: "cutoff")
        guard nrho >= 5, nr >= 5 else { throw file.error(grid.line, "Nrho and Nr must be at least 5 (got \(nrho), \(nr))") }
        guard drho > 0, dr > 0, cutoff > 0 else { throw file.error(grid.line, "drho, dr and cutoff must be positive") }
        // Every value takes at least two bytes (digit and separator): larger tables cannot be in the file.
        guard nrho <= file.byteCount / 2, nr <= file.byteCount / 2 else {
            throw file.error(grid.line, "Nrho = \(nrho) and Nr = \(nr) cannot fit in a \(file.byteCount)-byte file (truncated file or wrong grid line?)")
        }

        var numbers: [Int] = [], masses: [Double] = []
        var embedding: [[Double]] = [], density: [[[Double]]] = []
        for e in 0..<nel {
            let head = try cursor.nextLineTokens(what: "header line of element \(elements[e])")
            guard head.tokens.count >= 2 else { throw file.error(head.line, "element line needs 'Z mass [a0 lattice]'") }
            let z = try file.double(head.tokens[0], line: head.line, what: "atomic number")
            guard z >= 0, z == z.rounded() else { throw file.error(head.line, "atomic number must be a non-negative integer") }
            let mass = try file.double(head.tokens[1], line: head.line, what: "mass")
            guard mass > 0 else { throw file.error(head.line, "mass of \(elements[e]) must be positive (got \(mass))") }
            numbers.append(Int(z)); masses.append(mass)
            embedding.append(try cursor.table(nrho, what: "F(ρ) of \(elements[e])"))
            switch format {
            case .alloy:
                let t = try cursor.table(nr, what: "ρ(r) of \(elements[e])")
                density.append(Array(repeating: t, count: nel))
            case .fs:
                var row: [[Double]] = []
                for h in 0..<nel { row.append(try cursor.table(nr, what: "ρ(r) of \(elements[e]) at \(elements[h]) hosts")) }
                density.append(row)
            }
        }
        var rphi = [[[Double]]](repeating: [[Double]](repeating: [], count: nel), count: nel)
        for i in 0..<nel {
            for j in 0...i {
                let t = try cursor.table(nr, what: "r·φ(r) of \(elements[i])–\(elements[j])")
                rphi[i][j] = t; rphi[j][i] = t
            }
        }
        if let extra = cursor.nextNonEmptyLine() {
            throw file.error(extra, "unexpected data after the last table (is this an \(format == .fs ? "eam/alloy" : "eam/fs") file?)")
        }
        return EAMPotential(format: format, path: file.path, elements: elements, atomicNumbers: numbers, masses: masses,
                            nrho: nrho, drho: drho, nr: nr, dr: dr, cutoff: cutoff,
                            embedding: embedding, density: density, rphi: rphi)
    }
}

/// Walks a setfl file line by line: tables start on fresh lines, `#` comments and blank lines are
/// skipped, and a table that ends part-way through a line discards the rest of that line.
struct TableCursor {
    let file: TextFile
    var line: Int

    init(file: TextFile, line: Int) { self.file = file; self.line = line }

    mutating func nextNonEmptyLine() -> Int? {
        while line < file.lineCount {
            if !file.isBlank(line) { return line }
            line += 1
        }
        return nil
    }

    mutating func nextLineTokens(what: String) throws(InputError) -> (line: Int, tokens: [Substring]) {
        guard let l = nextNonEmptyLine() else {
            throw InputError(path: file.path, line: file.lineCount, reason: "file ends before the \(what)")
        }
        line += 1
        return (l, file.tokens(l))
    }

    mutating func table(_ count: Int, what: String) throws(InputError) -> [Double] {
        var values: [Double] = []
        values.reserveCapacity(count)
        while values.count < count {
            guard let l = nextNonEmptyLine() else {
                throw InputError(path: file.path, line: file.lineCount,
                                 reason: "file ends inside the \(what) table (\(values.count) of \(count) values)")
            }
            try file.appendNumbers(l, to: &values, limit: count, what: "\(what) table")
            line += 1
        }
        return values
    }
}
