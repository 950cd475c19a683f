/// A job id as `sbatch --parsable` prints it: `12345`, or `12345;cluster` on a multi-cluster setup.
package struct SlurmJobID: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The numeric job id (for an array job: the array's job id, `%A`).
    package let id: UInt32
    /// The cluster name after `;`, if sbatch printed one.
    let cluster: String?

    package var description: String { String(id) }

    package init(id: UInt32, cluster: String? = nil) {
        self.id = id
        self.cluster = cluster
    }

    /// Parses sbatch's standard output. Surrounding blanks and the final newline are allowed;
    /// anything else (several lines, a message, a zero or out-of-range id, an empty cluster) is an
    /// error that quotes what sbatch printed.
    package init(parsableOutput output: String) throws(SlurmError) {
        func fail(_ why: String) -> SlurmError {
            var shown = String(output.prefix(200)).debugDescription
            if output.count > 200 { shown += "…" }
            return SlurmError(field: "sbatch", reason: "cannot read a job id from 'sbatch --parsable' output \(shown): \(why)")
        }
        let line = output.trimmingBlanks
        guard !line.isEmpty else { throw fail("it is empty") }
        guard !line.contains(where: \.isNewline) else { throw fail("expected one line") }
        let parts = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts[0]
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw fail("'\(digits)' is not a job number")
        }
        guard let id = UInt32(digits), id > 0 else { throw fail("job number \(digits) is out of range") }
        var cluster: String?
        if parts.count == 2 {
            let name = parts[1]
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == ";" }) else {
                throw fail("'\(name)' is not a cluster name")
            }
            cluster = String(name)
        }
        self.init(id: id, cluster: cluster)
    }
}

extension String {
    /// `self` without leading and trailing spaces, tabs, CR and LF.
    fileprivate var trimmingBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
