import Foundation
import Testing
@testable import Study
#if canImport(Glibc)
import Glibc
#endif

/// The self-contained `pipeline` of `scripts/build-static.sh` (SEEM_STATIC_PIPELINE; scripts/test.sh
/// builds it) on a node without the Swift toolchain: it loads nothing of the toolchain, and with the
/// toolchain's library directory hidden (an empty tmpfs over it, in a private mount namespace) it
/// runs the tiny study to the bytes of the ordinary build's run.
extension StudyRunTests {
    static let staticPipeline = ProcessInfo.processInfo.environment["SEEM_STATIC_PIPELINE"]

    /// Libraries the static build must not load.
    static let toolchainLibraries = ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime",
                                     "libopenblas", "libgfortran", "libquadmath"]

    @Test(.enabled(if: staticPipeline != nil, "set SEEM_STATIC_PIPELINE to the binary of scripts/build-static.sh"))
    func staticBinaryRunsWithoutTheToolchainToTheSameBytes() throws {
        let binary = try #require(Self.staticPipeline)
        let loads = try run(["ldd", binary])
        #expect(loads.status == 0, "\(loads.err)")
        let toolchain = loads.out.split(separator: "\n").filter { line in Self.toolchainLibraries.contains { line.contains($0) } }
        #expect(toolchain.isEmpty, "the static build loads \(toolchain)")

        // The directory the ordinary build loads the Swift runtime from.
        let dynamic = try run(["ldd", Self.pipeline])
        let core = dynamic.out.split(separator: "\n").first { $0.contains("libswiftCore.so =>") }
        guard let path = core?.split(separator: " ").first(where: { $0.hasPrefix("/") }) else {
            Issue.record("\(Self.pipeline) loads no libswiftCore.so: \(dynamic.out)")
            return
        }
        let runtimeDirectory = URL(fileURLWithPath: String(path)).deletingLastPathComponent().path
        guard getuid() == 0 else {
            print("staticBinaryRunsWithoutTheToolchainToTheSameBytes: skipped hiding \(runtimeDirectory): needs root for unshare --mount")
            return
        }
        /// `argv` run with an empty tmpfs mounted over the runtime directory, seen by it alone.
        func hidingTheToolchain(_ argv: [String], timeout: Double) throws -> (status: Int32, out: String, err: String) {
            try run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                     #"mount -t tmpfs -o size=1m,mode=0755 seem-hidden "$1" && shift && exec "$@""#,
                     "sh", runtimeDirectory] + argv, timeout: timeout)
        }
        // Hidden indeed: the ordinary build cannot start.
        let broken = try hidingTheToolchain([Self.pipeline, "--help"], timeout: 60)
        #expect(broken.status != 0 && broken.err.contains("libswiftCore.so"), "\(broken)")

        let reference = try Self.reference.get()
        let study = try Self.temporaryDirectory("tiny-static") + "/study"
        let r = try hidingTheToolchain([binary, "run", Self.tiny, "--workdir", study], timeout: 900)
        #expect(r.status == 0, "\(r.err)")
        Self.expectOnlyResults(study)
        try Self.expectSameResults(reference, study)
    }
}
