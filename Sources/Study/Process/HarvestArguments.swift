import Foundation
import Harvest
import MDCore

/// Command-line values of `pipeline harvest`: numbers, ranges and history directories, with errors naming the flag.
package enum HarvestArguments {
    package static func number(_ text: String, _ option: String) throws(InputError) -> Double {
        guard let x = Double(text), x.isFinite || x == .infinity else { throw InputError(path: option, reason: "expected a number or 'auto', got '\(text)'") }
        return x
    }

    package static func range(_ text: String, _ option: String) throws(InputError) -> ClosedRange<Double> {
        let parts = text.split(separator: ",")
        guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]) else {
            throw InputError(path: option, reason: "expected MIN,MAX, got '\(text)'")
        }
        guard lo.isFinite, hi.isFinite, hi > lo else {
            throw InputError(path: option, reason: "empty bin range [\(text)]: needs MIN < MAX")
        }
        return lo...hi
    }

    /// A directory argument without its trailing slash.
    package static func trimmedDirectory(_ a: String) -> String { a.hasSuffix("/") && a.count > 1 ? String(a.dropLast()) : a }

    /// The AQS directories named by `arguments`: each one holding history.csv, or every directory below it
    /// that does, sorted.
    package static func historyDirectories(_ arguments: [String]) throws(InputError) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for a in arguments {
            let root = trimmedDirectory(a)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
                throw InputError(path: a, reason: "not a directory")
            }
            if fm.fileExists(atPath: root + "/history.csv") { out.append(root); continue }
            var found: [String] = []
            if let e = fm.enumerator(atPath: root) {
                while let rel = e.nextObject() as? String {
                    if rel.hasSuffix("history.csv") && (rel == "history.csv" || rel.hasSuffix("/history.csv")) {
                        found.append(root + "/" + String(rel.dropLast("/history.csv".count)))
                    }
                }
            }
            guard !found.isEmpty else { throw InputError(path: a, reason: "no history.csv in or below this directory") }
            out += found.sorted()
        }
        return out
    }
}

/// Console formatting of estimates.
package enum HarvestResultText {
    package static func entry(_ e: Estimate, _ unit: String) -> String {
        e.standardError > 0 ? "\(String(format: "%.4g", e.value)) ± \(String(format: "%.2g", e.standardError)) \(unit)" : "\(String(format: "%.4g", e.value)) \(unit) (fixed)"
    }
}
