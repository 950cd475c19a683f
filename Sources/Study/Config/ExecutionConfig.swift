import MDCore

/// Section `execution`: how much runs at once. Never changes a result.
package struct ExecutionConfig: Sendable, Equatable {
    /// Samples run concurrently; nil (`"auto"`): max(1, cores / threadsPerJob) on the machine that runs.
    var jobs: Int?
    /// Threads of each job's force evaluations.
    package var threadsPerJob: Int

    static let keys = ["jobs", "threads_per_job"]
    static let maxJobs = 4096

    /// Jobs to run on a machine with `cores` cores.
    func effectiveJobs(cores: Int) -> Int { jobs ?? max(1, cores / threadsPerJob) }

    static func read(_ node: ConfigNode) throws(InputError) -> ExecutionConfig {
        var jobs: Int?
        if let j = node.member("jobs") {
            if let s = j.value.string {
                guard s == "auto" else { throw j.error("use \"auto\" or a number of jobs ≥ 1 (got \(JSONText.string(s)))") }
            } else {
                guard j.value.double != nil else { throw j.typeError("\"auto\" or an integer ≥ 1") }
                jobs = try j.int(in: 1...maxJobs)
            }
        }
        let threads = try node.member("threads_per_job")?.int(in: 1...maxJobs) ?? 1
        return ExecutionConfig(jobs: jobs, threadsPerJob: threads)
    }

    var json: JSONValue {
        .object([("jobs", jobs.map { .number($0) } ?? .string("auto")), ("threads_per_job", .number(threadsPerJob))])
    }
}
