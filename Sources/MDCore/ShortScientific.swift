#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `x` in the shortest scientific notation that reads back to the same Double: 2e10, 1.6e11, 1.024e13
/// (cooling rates in directory names, labels and messages). Non-finite or zero values: `roundTrip`.
public func shortScientific(_ x: Double) -> String {
    guard x.isFinite, x != 0 else { return roundTrip(x) }
    var exponent = 0
    var m = abs(x)
    while m >= 10 { m /= 10; exponent += 1 }
    while m < 1 { m *= 10; exponent -= 1 }
    for digits in 0...17 {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([m]) { vsnprintf(&buf, 64, "%.\(digits)f", $0) }
        var s = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        let text = (x < 0 ? "-" : "") + s + "e\(exponent)"
        if Double(text) == x { return text }
    }
    return roundTrip(x)
}
