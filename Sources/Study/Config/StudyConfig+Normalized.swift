import MDCore

extension StudyConfig {
    /// Every key with its effective value, sections and keys in canonical order: defaults filled in,
    /// paths absolute, rates in K/s, box as `box_A`, `pair_style` resolved, `seem.seed` explicit;
    /// `execution.jobs` stays `"auto"` when not given (it depends on the machine, never on results).
    /// The pipeline writes it as WORKDIR/config.json; it loads back to an equal `StudyConfig`.
    package func normalized() -> JSONValue {
        // `large_system` appears only when given: a study without it normalizes as before.
        ConfigNumber.tidy(.object([
            ("study", .object([("name", .string(name)), ("workdir", .string(workdir)), ("seed", Self.json(seed))])),
            ("potential", potential.json),
            ("system", system.json(elements: potential.elements)),
            ("quench", quench.json),
            ("inherent_structure", .object(inherentStructure.configMembers)),
            ("aqs", aqs.json),
        ] + (largeSystem.map { [("large_system", $0.json)] } ?? []) + [
            ("harvest", harvest.json),
            ("seem", seem.json),
            ("execution", execution.json),
        ]))
    }

    /// The normalized values at `paths` (a section, `quench`, or one key, `study.seed`), without the
    /// keys at `excluding`, as an object keyed by the paths in the order given: the part of the
    /// config that determines a unit of work, ready to hash (`formatted()` is deterministic).
    /// A path that names nothing maps to null.
    func sectionKey(_ paths: [String], excluding: [String] = []) -> JSONValue {
        let all = normalized()
        func value(at path: String) -> JSONValue? {
            var v: JSONValue? = all
            for part in path.split(separator: ".") { v = v?[String(part)] }
            return v
        }
        func removing(_ v: JSONValue, at path: String) -> JSONValue {
            guard let members = v.members else { return v }
            let prefix = path + "."
            return .object(members.compactMap { key, member in
                let full = path + "." + key
                if excluding.contains(full) { return nil }
                return (key, excluding.contains(where: { $0.hasPrefix(prefix + key + ".") }) ? removing(member, at: full) : member)
            })
        }
        return .object(paths.map { ($0, removing(value(at: $0) ?? .null, at: $0)) })
    }

    /// The units of work of a study and the config keys that determine each one's result (besides
    /// its upstream units' keys, the potential file's bytes and the code version, which the
    /// pipeline adds). Keys that never change a result are left out: paths (the potential's bytes
    /// are hashed instead), `system.skin_A`, checkpoint intervals and `execution`.
    package enum Unit: String, CaseIterable, Sendable {
        /// The shared melt, cooled to the branch temperature.
        case parent
        /// One quenched sample and its inherent structure (the caller adds its rate and index).
        case sample
        /// AQS of one sample.
        case shear
        /// Fits and the state-space database (built from the training samples, hence
        /// `seem.held_out_fraction`).
        case harvest
        /// The SEEM runs and their comparison with AQS.
        case seem
        /// The report.
        case report
        /// The large system's own melt, at its size (section `large_system`).
        case largeParent
        /// The large glass: its quench at its own rate and its inherent structure.
        case largeGlass
        /// AQS of the large glass (the loading part).
        case largeShear

        /// Paths given to `sectionKey`.
        var paths: [String] {
            let system = ["study.seed", "potential.elements", "potential.pair_style", "system.atoms", "system.box_A",
                          "system.composition"]
            let md = ["quench.melt_temperature_K", "quench.melt_ps", "quench.branch_temperature_K",
                      "quench.branch_rate_K_per_s", "quench.timestep_ps", "quench.damping_ps", "quench.chain_length",
                      "quench.thermo_every"]
            switch self {
            case .parent: return system + md
            case .sample: return system + md + ["quench.relax_ps", "quench.final_temperature_K", "inherent_structure"]
            case .shear: return ["aqs"]
            case .harvest: return ["harvest", "seem.held_out_fraction", "study.seed"]
            case .seem: return ["seem"]
            case .report: return ["study.name"]
            // The normal units never read `large_system`, so adding or removing it leaves their keys alone.
            case .largeParent: return system + md + ["large_system.atoms"]
            case .largeGlass: return Unit.largeParent.paths + ["quench.relax_ps", "quench.final_temperature_K",
                                                               "inherent_structure", "large_system.rate_K_per_s"]
            case .largeShear: return ["aqs", "large_system.max_strain", "large_system.ftol_eV_per_A"]
            }
        }

        /// Paths removed from inside `paths`.
        var excluded: [String] {
            switch self {
            case .shear: return ["aqs.checkpoint_every"]
            // The large run's own strain range and tolerance replace these.
            case .largeShear: return ["aqs.checkpoint_every", "aqs.max_strain", "aqs.ftol_eV_per_A"]
            default: return []
            }
        }
    }

    /// `sectionKey` for `unit`.
    func unitKey(_ unit: Unit) -> JSONValue { sectionKey(unit.paths, excluding: unit.excluded) }

    /// A UInt64 as a JSON integer literal (exact beyond 2^53).
    static func json(_ n: UInt64) -> JSONValue { JSONValue(.number(Double(n), String(n))) }
}
