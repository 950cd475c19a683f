import MDCore
import Quench

/// Section `quench`: the paper's cooling protocol, the cooling rates and how many samples each.
package struct QuenchConfig: Sendable, Equatable {
    /// Melt, branch, relaxation and quench parameters (defaults: the paper's).
    var schedule: QuenchProtocol
    /// Cooling rates of the final quench, K/s, in the order given (no duplicates).
    var ratesKPerS: [Double]
    /// Samples branched from the parent per rate.
    var samplesPerRate: Int
    /// Thermo rows every this many MD steps.
    var thermoEvery: Int
    /// Checkpoint every this many MD steps (results do not depend on it).
    var checkpointEvery: Int

    static let keys = ["melt_temperature_K", "melt_ps", "branch_temperature_K", "branch_rate_K_per_s", "relax_ps",
                       "final_temperature_K", "timestep_ps", "damping_ps", "chain_length", "rate_exponents",
                       "rates_K_per_s", "samples_per_rate", "thermo_every", "checkpoint_every"]
    static let defaultThermoEvery = 500
    static let defaultCheckpointEvery = 20_000
    /// Most MD steps one protocol segment may take (10¹⁰ steps is years of computing).
    static let maxSegmentSteps = 1e10

    /// The rate 2^x·10¹⁰ K/s of the paper's exponent x (exact for integer x).
    static func rate(exponent x: Double) -> Double {
        if x == x.rounded(.towardZero), abs(x) < 1000 { return Double(sign: .plus, exponent: Int(x), significand: 1) * 1e10 }
        return pow2(x) * 1e10
    }

    /// 2^x for non-integer x: 2^⌊x⌋ · exp(f·ln 2) by a Taylor series (plain IEEE arithmetic).
    static func pow2(_ x: Double) -> Double {
        let n = x.rounded(.down), f = (x - n) * 0.693_147_180_559_945_3
        var term = 1.0, sum = 1.0
        for k in 1...30 { term *= f / Double(k); sum += term }
        return Double(sign: .plus, exponent: Int(max(-1100, min(1100, n))), significand: 1) * sum
    }

    static func read(_ node: ConfigNode) throws(InputError) -> QuenchConfig {
        var p = QuenchProtocol()
        func read(_ key: String, _ value: inout Double, positive: Bool) throws(InputError) {
            if let m = node.member(key) { value = positive ? try m.positive() : try m.nonNegative() }
        }
        try read("melt_temperature_K", &p.meltTemperature, positive: true)
        try read("melt_ps", &p.meltPs, positive: false)
        try read("branch_temperature_K", &p.branchTemperature, positive: true)
        try read("branch_rate_K_per_s", &p.branchRate, positive: true)
        try read("relax_ps", &p.relaxPs, positive: false)
        try read("final_temperature_K", &p.finalTemperature, positive: true)
        try read("timestep_ps", &p.timestep, positive: true)
        try read("damping_ps", &p.damping, positive: true)
        if let m = node.member("chain_length") { p.chainLength = try m.int(in: 1...100) }

        // The protocol's own checks, located at the key they concern.
        let keyOfFlag = ["melt-temperature": "melt_temperature_K", "melt-ps": "melt_ps",
                         "branch-temperature": "branch_temperature_K", "branch-rate": "branch_rate_K_per_s",
                         "relax-ps": "relax_ps", "final-temperature": "final_temperature_K",
                         "timestep": "timestep_ps", "tdamp": "damping_ps", "chain": "chain_length"]
        if let (flag, reason) = p.problems().first {
            let key = keyOfFlag[flag] ?? flag
            throw node.error(key: key, reason)
        }
        if !(p.branchTemperature <= p.meltTemperature) {
            throw node.error(key: "branch_temperature_K",
                "the branch temperature (\(ConfigNumber.text(p.branchTemperature)) K) must not exceed the melt temperature (\(ConfigNumber.text(p.meltTemperature)) K)")
        }
        if !(p.finalTemperature < p.branchTemperature) {
            throw node.error(key: "final_temperature_K",
                "the final temperature (\(ConfigNumber.text(p.finalTemperature)) K) must be below the branch temperature (\(ConfigNumber.text(p.branchTemperature)) K)")
        }
        func checkSteps(_ ps: Double, key: String) throws(InputError) {
            let steps = ps / p.timestep
            if !(steps <= maxSegmentSteps) {
                throw node.error(key: key, "takes \(ConfigNumber.text(steps.rounded())) MD steps of \(ConfigNumber.text(p.timestep)) ps (at most 1e10)")
            }
        }
        try checkSteps(p.meltPs, key: "melt_ps")
        try checkSteps(p.relaxPs, key: "relax_ps")
        try checkSteps((p.meltTemperature - p.branchTemperature) / p.branchRate * 1e12, key: "branch_rate_K_per_s")

        // Rates: exactly one of the two forms.
        var rateNodes: [ConfigNode]
        var rates: [Double] = []
        switch (node.member("rate_exponents"), node.member("rates_K_per_s")) {
        case (_?, let r?):
            throw r.error("give either rate_exponents or rates_K_per_s, not both")
        case (let e?, nil):
            rateNodes = try e.nonEmptyArray()
            for x in rateNodes {
                let v = try x.double()
                guard abs(v) <= 200 else { throw x.error("exponent must be between -200 and 200 (got \(x.text))") }
                rates.append(rate(exponent: v))
            }
        case (nil, let r?):
            rateNodes = try r.nonEmptyArray()
            for x in rateNodes { rates.append(try x.positive()) }
        case (nil, nil):
            throw InputError(path: node.file, line: node.value.line, keyPath: node.path("rates_K_per_s"),
                             reason: "required key is missing (give the cooling rates as rates_K_per_s, or as rate_exponents x for 2^x·1e10 K/s)")
        }
        for (k, r) in rates.enumerated() {
            if let j = rates[..<k].firstIndex(of: r) {
                throw rateNodes[k].error("rate \(ConfigNumber.text(r)) K/s is listed twice (also at index \(j))")
            }
            let steps = (p.branchTemperature - p.finalTemperature) / r * 1e12 / p.timestep
            guard steps <= maxSegmentSteps else {
                throw rateNodes[k].error("rate \(ConfigNumber.text(r)) K/s takes \(ConfigNumber.text(steps.rounded())) MD steps to quench (at most 1e10)")
            }
            guard steps >= 1 else {
                throw rateNodes[k].error("rate \(ConfigNumber.text(r)) K/s quenches in less than one MD step of \(ConfigNumber.text(p.timestep)) ps")
            }
        }
        let samples = try node.required("samples_per_rate").int(in: 1...100_000)
        let thermo = try node.member("thermo_every")?.int(in: 1...Int.max) ?? defaultThermoEvery
        let checkpoint = try node.member("checkpoint_every")?.int(in: 1...Int.max) ?? defaultCheckpointEvery
        return QuenchConfig(schedule: p, ratesKPerS: rates, samplesPerRate: samples, thermoEvery: thermo,
                            checkpointEvery: checkpoint)
    }

    var json: JSONValue {
        let p = schedule
        return .object([
            ("melt_temperature_K", .number(p.meltTemperature)), ("melt_ps", .number(p.meltPs)),
            ("branch_temperature_K", .number(p.branchTemperature)), ("branch_rate_K_per_s", .number(p.branchRate)),
            ("relax_ps", .number(p.relaxPs)), ("final_temperature_K", .number(p.finalTemperature)),
            ("timestep_ps", .number(p.timestep)), ("damping_ps", .number(p.damping)),
            ("chain_length", .number(p.chainLength)), ("rates_K_per_s", .array((ratesKPerS).map(ConfigNumber.json))),
            ("samples_per_rate", .number(samplesPerRate)), ("thermo_every", .number(thermoEvery)),
            ("checkpoint_every", .number(checkpointEvery)),
        ])
    }
}
