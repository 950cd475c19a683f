import AQS
import Minimization
import MDCore

/// A study: everything `pipeline run config.json` needs, read from one JSON file and checked before
/// any work starts. Every section is a value type; defaults are the paper's protocol (see
/// configs/README.md for every key, its unit, default and what it invalidates).
///
/// `load(path:)` reports the first problem as `config.json:LINE: key a.b[2]: error: reason`: the
/// JSON must parse (no duplicate keys), every section and key must be known (a misspelt key gets a
/// "did you mean"), types and ranges are checked section by section in file-independent order
/// (study, potential, system, quench, inherent_structure, aqs, large_system, harvest, seem, execution), then
/// the potential file is read and the workdir checked. Nothing is created or written.
package struct StudyConfig: Sendable, Equatable {
    /// Label of the study (report titles).
    package var name: String
    /// Absolute run directory (a relative `workdir` resolves against the config's directory).
    package var workdir: String
    /// Master seed of every random stream (lattice, species, velocities; SEEM unless `seem.seed`).
    var seed: UInt64
    var potential: PotentialConfig
    var system: SystemConfig
    var quench: QuenchConfig
    /// Minimizer of every quenched glass to its inherent structure.
    var inherentStructure: MinimizerSettings
    var aqs: AQSConfig
    /// The optional large glass whose loading curve can give τ_A, τ_B (nil: the section is absent).
    package var largeSystem: LargeSystemConfig?
    var harvest: HarvestConfig
    var seem: SEEMConfig
    package var execution: ExecutionConfig
    /// Where the config came from (file and line of each key), for errors found later. Not part
    /// of equality: a normalized copy loads to an equal config.
    var source = ConfigSource()

    /// Top-level sections in canonical order.
    package enum Section: String, CaseIterable, Sendable {
        case study, potential, system, quench
        case inherentStructure = "inherent_structure"
        case aqs
        case largeSystem = "large_system"
        case harvest, seem, execution

        /// Keys allowed in the section.
        var keys: [String] {
            switch self {
            case .study: return ["name", "workdir", "seed"]
            case .potential: return PotentialConfig.keys
            case .system: return SystemConfig.keys
            case .quench: return QuenchConfig.keys
            case .inherentStructure: return MinimizerSettings.configKeys
            case .aqs: return AQSConfig.keys
            case .largeSystem: return LargeSystemConfig.keys
            case .harvest: return HarvestConfig.keys
            case .seem: return SEEMConfig.keys
            case .execution: return ExecutionConfig.keys
            }
        }

        /// Sections that must be present (the others may be left out: all defaults).
        var isRequired: Bool { [.study, .potential, .system, .quench].contains(self) }
    }

    // MARK: Loading

    /// Reads, parses and checks the config at `path`; relative paths inside resolve against the
    /// config's directory. Errors name `path` as given.
    /// `workdir` (from the command line, relative to the current directory) replaces `study.workdir`
    /// everywhere, its checks included.
    package static func load(path: String, workdir: String? = nil) throws(InputError) -> StudyConfig {
        let text = try readWholeFile(path)
        let directory = ConfigPaths.parent(ConfigPaths.absolute(path, relativeTo: ConfigPaths.currentDirectory))
        return try parse(text, path: path, directory: directory,
                         workdir: workdir.map { ConfigPaths.absolute($0, relativeTo: ConfigPaths.currentDirectory) })
    }

    /// Parses and checks config text; `directory` (absolute) is where relative paths resolve;
    /// `workdir` (absolute), when given, replaces `study.workdir`.
    static func parse(_ text: String, path: String, directory: String, workdir override: String? = nil) throws(InputError) -> StudyConfig {
        let document = try JSONValue.parse(text, path: path)
        let root = ConfigNode(value: document, keyPath: "", file: path)
        guard root.value.members != nil else { throw root.typeError("an object of sections (study, potential, …)") }
        var owners: [String: [String]] = [:]  // key → the sections that have it, for a key put in the wrong place
        for s in Section.allCases { for k in s.keys { owners[k, default: []].append(s.rawValue) } }
        try root.checkObject(allowed: Section.allCases.map(\.rawValue), elsewhere: owners, what: "section")
        var sections: [Section: ConfigNode] = [:]
        for s in Section.allCases {
            if s.isRequired, root.member(s.rawValue) == nil {
                throw InputError(path: path, line: root.value.line, keyPath: s.rawValue, reason: "required section is missing")
            }
            let node = try root.section(s.rawValue, allowed: s.keys, elsewhere: owners)
            sections[s] = node
        }

        let study = sections[.study]!
        let name = try study.required("name").name()
        let workdirNode = try study.required("workdir")
        let configured = ConfigPaths.absolute(try workdirNode.name(), relativeTo: directory)
        let workdir = override ?? configured
        let seed = try study.required("seed").uint64()

        var (potential, pairStyle) = try PotentialConfig.read(sections[.potential]!, directory: directory)
        let system = try SystemConfig.read(sections[.system]!, elements: potential.elements)
        let quench = try QuenchConfig.read(sections[.quench]!)
        let inherent = try MinimizerSettings.read(sections[.inherentStructure]!, defaults: .inherentStructureDefaults)
        let aqs = try AQSConfig.read(sections[.aqs]!)
        let large = root.member(Section.largeSystem.rawValue) == nil ? nil
            : try LargeSystemConfig.read(sections[.largeSystem]!, system: system, quench: quench, aqs: aqs)
        let harvest = try HarvestConfig.read(sections[.harvest]!, aqs: aqs.shear, largeSystem: large)
        let seem = try SEEMConfig.read(sections[.seem]!, aqs: aqs, studySeed: seed,
                                       samples: quench.ratesKPerS.count * quench.samplesPerRate)
        let execution = try ExecutionConfig.read(sections[.execution]!)

        // The file system, last: the potential must be readable and hold the elements; the workdir
        // must exist as a directory or be creatable (whether a run can write to an existing one is the
        // run's question: a finished study on a read-only file system can still be inspected).
        try potential.resolve(sections[.potential]!, choice: pairStyle)
        try ConfigPaths.checkWorkdir(workdir, at: workdirNode)

        return StudyConfig(name: name, workdir: workdir, seed: seed, potential: potential, system: system,
                           quench: quench, inherentStructure: inherent, aqs: aqs, largeSystem: large, harvest: harvest, seem: seem,
                           execution: execution, source: ConfigSource(file: path, document: document))
    }

    /// An error about `keyPath` found after loading (e.g. a box too small for the potential),
    /// located at the key's line when the config has it.
    func error(_ keyPath: String, _ reason: String) -> InputError {
        InputError(path: source.file, line: source.lines[keyPath], keyPath: keyPath, reason: reason)
    }
}

/// The file a config was read from and the line of every key path in it. Always equal to any
/// other source, so that it never makes two configs differ.
package struct ConfigSource: Sendable, Equatable {
    /// The config file as named when loaded ("" when built in code).
    var file = ""
    /// Line of each key path (`quench.rates_K_per_s[2]`).
    var lines: [String: Int] = [:]

    init() {}

    init(file: String, document: JSONValue) {
        self.file = file
        func walk(_ v: JSONValue, _ path: String) {
            if !path.isEmpty { lines[path] = v.line }
            if let m = v.members { for (k, x) in m { walk(x, path.isEmpty ? k : path + "." + k) } }
            if let a = v.elements { for (i, x) in a.enumerated() { walk(x, path + "[\(i)]") } }
        }
        walk(document, "")
    }

    package static func == (a: ConfigSource, b: ConfigSource) -> Bool { true }
}
