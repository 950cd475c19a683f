import Foundation
import Testing

/// The package's modules in layers, lowest first; a module may use modules of its own layer or below,
/// never above (docs/ARCHITECTURE.md). A new module must be placed here.
let layers: [(name: String, modules: Set<String>)] = [
    ("kernel", ["CKernels", "COpenBLAS"]),
    ("core", ["MDCore"]),
    ("engine", ["Neighbors", "EAM", "Minimization", "StructureAnalysis"]),
    ("stages", ["Quench", "AQS", "Harvest", "SEEM", "Report"]),
    ("study", ["Study"]),
    ("program", ["Pipeline"]),
]

/// Reads the package description (`swift package dump-package`) and every source file's imports, and
/// fails on a dependency or an import that points up the layers or is not declared.
@Suite struct LayerOrderTests {
    static let repo: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func layer(of module: String) -> Int? { layers.firstIndex { $0.modules.contains(module) } }

    /// Target name → its dependencies on other targets of the package (products of other packages left out).
    static func targets() throws -> [(name: String, type: String, dependencies: [String])] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Its own scratch path: `swift test` holds the lock on .build.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("seem-dump-package").path
        p.arguments = ["swift", "package", "--package-path", repo.path, "--scratch-path", scratch, "dump-package"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(json["targets"] as? [[String: Any]])
        return list.map { t in
            let deps = (t["dependencies"] as? [[String: Any]] ?? []).compactMap { d -> String? in
                (d["byName"] as? [Any])?.first as? String ?? (d["target"] as? [Any])?.first as? String
            }
            return (t["name"] as? String ?? "", t["type"] as? String ?? "", deps)
        }
    }

    @Test func everyModuleHasALayerAndDependsOnlyDownward() throws {
        let all = try Self.targets()
        #expect(!all.isEmpty, "swift package dump-package gave no targets")
        for t in all where t.type != "test" {
            let own = try #require(Self.layer(of: t.name), "module \(t.name) has no layer: place it in Tests/ArchitectureTests/LayerOrderTests.swift and docs/ARCHITECTURE.md")
            for d in t.dependencies {
                guard let theirs = Self.layer(of: d) else { continue }  // another package's product
                #expect(theirs <= own, "\(t.name) (\(layers[own].name)) depends on \(d) (\(layers[theirs].name)), a higher layer")
            }
        }
    }

    @Test func sourceImportsAreDeclaredDependencies() throws {
        let all = try Self.targets()
        let modules = Set(all.map(\.name))
        for t in all where t.type == "regular" || t.type == "executable" {
            let dir = Self.repo.appendingPathComponent("Sources/" + t.name)
            guard let files = FileManager.default.enumerator(atPath: dir.path) else { continue }
            while let f = files.nextObject() as? String {
                guard f.hasSuffix(".swift") else { continue }
                let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                    let name = String(line.split(separator: " ").last!)
                    guard modules.contains(name), name != t.name else { continue }
                    #expect(t.dependencies.contains(name), "Sources/\(t.name)/\(f) imports \(name), which \(t.name) does not declare")
                    if let a = Self.layer(of: t.name), let b = Self.layer(of: name) {
                        #expect(b <= a, "Sources/\(t.name)/\(f) imports \(name) from a higher layer")
                    }
                }
            }
        }
    }
}
