import MDCore

/// The structural check of the samples before a harvest: each sample's crystalline fraction, measured
/// on its inherent structure (the study runner and `pipeline harvest` measure it by adaptive
/// common-neighbour analysis), and the largest fraction a glass may have.
///
/// The model describes a glass: a sample that crystallized during its quench yields by dislocations, or
/// not at all within the sheared strain, and its events (or their absence) say nothing about the glass.
/// Harvest never sees atoms: it takes the measured numbers, leaves out every sample above
/// `maxCrystallineFraction`, and writes the whole check to parameters.json (`quality`).
public struct QualityGate: Sendable {
    /// One checked sample.
    public struct Sample: Sendable, Equatable {
        /// Sample id as in `ShearHistory.sample` (e.g. `rate-1e13/sample-000`).
        public var id: String
        /// The structure analysed (path as the caller names it).
        public var structure: String
        /// Atoms per local-structure class, in the order of `QualityGate.classes`.
        public var counts: [Int]
        /// Fraction of atoms in a crystalline environment, 0…1.
        public var crystallineFraction: Double

        public init(id: String, structure: String, counts: [Int], crystallineFraction: Double) {
            self.id = id; self.structure = structure; self.counts = counts; self.crystallineFraction = crystallineFraction
        }
    }

    /// How the fraction was measured, in words (written to parameters.json).
    public var method: String
    /// Names of the classes `Sample.counts` counts.
    public var classes: [String]
    /// Samples above this crystalline fraction are left out of the harvest.
    public var maxCrystallineFraction: Double
    /// Why the threshold is where it is, in words.
    public var rule: String
    /// Every checked sample, in the caller's order.
    public var samples: [Sample]
    /// Ids of samples whose structure could not be found: not checked, and kept.
    public var unchecked: [String]

    public init(method: String, classes: [String], maxCrystallineFraction: Double, rule: String,
                samples: [Sample], unchecked: [String] = []) {
        self.method = method; self.classes = classes; self.maxCrystallineFraction = maxCrystallineFraction
        self.rule = rule; self.samples = samples; self.unchecked = unchecked
    }

    /// The samples the gate leaves out: crystalline fraction above the threshold.
    public var excluded: [Sample] { samples.filter { !($0.crystallineFraction <= maxCrystallineFraction) } }

    /// True when the sample with this id is left out.
    public func excludes(_ id: String) -> Bool { excluded.contains { $0.id == id } }

    /// What the gate found, one line each: every excluded sample, then a summary (for the caller's log).
    public var report: [String] {
        var lines: [String] = []
        for s in excluded {
            let counts = zip(classes, s.counts).map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            lines.append("quality gate: \(s.id) left out: \(Self.percent(s.crystallineFraction)) crystalline > \(Self.percent(maxCrystallineFraction)) (\(counts); \(s.structure))")
        }
        if !samples.isEmpty {
            let fractions = samples.map { $0.crystallineFraction }
            lines.append("quality gate: \(samples.count) samples checked, crystalline fraction \(Self.percent(fractions.min()!)) to \(Self.percent(fractions.max()!)) (limit \(Self.percent(maxCrystallineFraction))), \(excluded.isEmpty ? "none" : "\(excluded.count)") left out")
        }
        if !unchecked.isEmpty {
            lines.append("quality gate: \(unchecked.count) samples not checked (inherent structure not found): \(unchecked.prefix(6).joined(separator: ", "))\(unchecked.count > 6 ? " and \(unchecked.count - 6) more" : "")")
        }
        return lines
    }

    /// A fraction as a percentage with one decimal ("37.5 %").
    public static func percent(_ x: Double) -> String {
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10) %"
    }

    /// The `quality` section of parameters.json.
    public var json: JSONValue {
        .object([
            ("method", .string(method)),
            ("max_crystalline_fraction", .number(maxCrystallineFraction)),
            ("rule", .string(rule)),
            ("samples", .array(samples.map { s in
                .object([("id", .string(s.id)), ("structure", .string(s.structure))]
                        + zip(classes, s.counts).map { ($0.0, .number($0.1)) }
                        + [("crystalline_fraction", .number(s.crystallineFraction)),
                           ("excluded", .bool(!(s.crystallineFraction <= maxCrystallineFraction)))])
            })),
            ("excluded", .array(excluded.map { .string($0.id) })),
            ("unchecked", .array(unchecked.map { .string($0) })),
        ])
    }
}
