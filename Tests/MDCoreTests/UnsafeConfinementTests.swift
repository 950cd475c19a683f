import Foundation
import Testing

/// Raw pointers live in the kernel layer only (docs/ARCHITECTURE.md, "Unsafe code"): the C kernels
/// and a short list of Swift kernel files, each of which states at its top why it is unsafe and what
/// it relies on. A new file that needs a pointer either joins a kernel file or is added here, with
/// the list kept to at most 10 Swift files.
@Suite("Unsafe code confined to the kernel files")
struct UnsafeConfinementTests {
    static let kernelFiles: Set<String> = [
        "MDCore/Kernels/Buffer.swift",
        "MDCore/Kernels/SystemKernels.swift",
        "EAM/Kernels/EAMKernels.swift",
        "Minimization/VectorKernels.swift",
        "SEEM/Kernels/SEEMKernels.swift",
    ]

    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
    }

    /// Swift files under Sources/ (relative paths) whose text matches a raw-pointer pattern.
    static func filesUsingPointers() throws -> [String] {
        let pattern = try NSRegularExpression(pattern: "Unsafe(Mutable)?(Raw)?(Buffer)?Pointer|baseAddress")
        let root = sources.standardizedFileURL.path
        var found: [String] = []
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            if pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { found.append(relative) }
        }
        return found.sorted()
    }

    @Test("raw pointers appear only in the listed kernel files (at most 10)")
    func pointersOnlyInKernels() throws {
        let found = try Self.filesUsingPointers()
        #expect(!found.isEmpty, "no Swift sources found under \(Self.sources.path)")
        let outside = found.filter { !Self.kernelFiles.contains($0) }
        #expect(outside.isEmpty, "raw pointers outside the kernel files: \(outside)")
        #expect(Self.kernelFiles.count <= 10)
    }

    @Test("every kernel file says why it is unsafe")
    func kernelFilesHaveTheirHeader() throws {
        for file in Self.kernelFiles {
            let text = try String(contentsOfFile: Self.sources.path + "/" + file, encoding: .utf8)
            #expect(text.hasPrefix("// KERNEL FILE (unsafe by design)"), "\(file) lacks its header")
            #expect(text.contains("Invariants:"), "\(file) does not state its invariants")
        }
    }

    @Test("no public declaration takes or returns a raw pointer")
    func noPointersInPublicSignatures() throws {
        let pattern = try NSRegularExpression(pattern: "^\\s*(@\\w+\\s+)*public\\b[^{=]*Unsafe\\w*Pointer", options: .anchorsMatchLines)
        let root = Self.sources.standardizedFileURL.path
        let walker = FileManager.default.enumerator(atPath: root)
        var offenders: [String] = []
        while let relative = walker?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            if pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { offenders.append(relative) }
        }
        #expect(offenders.isEmpty, "public pointer signatures in \(offenders)")
    }
}
