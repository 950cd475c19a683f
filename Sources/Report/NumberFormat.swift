#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compact decimal text for what people read: tick labels, table cells, coordinates in SVG.
/// Data files use MDCore's `roundTrip` instead (shortest text that reads back to the same Double).
///
/// All formatting is integer based (the value is scaled and rounded once, then its digits are
/// printed), so a tick at 0.3 reads "0.3", never "0.30000000000000004", and output is the same
/// on every platform.
public enum NumberFormat {
    /// The minus sign used in labels (U+2212, as typeset); SVG coordinates use ASCII "-".
    public static let minus = "\u{2212}"

    /// 10^e as the nearest Double (exact for |e| ≤ 22), parsed so no rounding error accumulates.
    static func powerOfTen(_ e: Int) -> Double { Double("1e\(e)")! }

    /// floor(log10 |x|) for finite nonzero x, corrected for libm rounding at exact powers of ten.
    static func decimalExponent(_ x: Double) -> Int {
        let a = abs(x)
        var e = Int(log10(a).rounded(.down))
        if powerOfTen(e) > a { e -= 1 }
        if powerOfTen(e + 1) <= a { e += 1 }
        return e
    }

    /// `x` with exactly `decimals` digits after the point (0…15), rounded half away from zero.
    /// "−0" never appears. Non-finite values read "NaN", "∞", "−∞".
    public static func fixed(_ x: Double, decimals: Int, minus: String = NumberFormat.minus) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x < 0 ? minus + "∞" : "∞") }
        let d = max(0, min(decimals, 15))
        let scaled = (abs(x) * powerOfTen(d)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return significant(x, digits: 16, minus: minus) }
        let n = UInt64(scaled)
        var digits = String(n)
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        }
        return (x < 0 && n != 0 ? minus : "") + digits
    }

    /// `x` with at most `digits` significant digits and no trailing zeros: plain decimal for
    /// 1e-4 ≤ |x| < 1e6, otherwise "1.5×10⁻⁷". `significant(0.1 + 0.2, digits: 4)` is "0.3".
    public static func significant(_ x: Double, digits: Int = 4, minus: String = NumberFormat.minus) -> String {
        guard x.isFinite else { return fixed(x, decimals: 0, minus: minus) }
        if x == 0 { return "0" }
        let sig = max(1, min(digits, 15))
        var e = decimalExponent(x)
        if e >= -4 && e < 6 {
            return trimmingZeros(fixed(x, decimals: max(0, sig - 1 - e), minus: minus))
        }
        var mantissa = trimmingZeros(fixed(x / powerOfTen(e), decimals: sig - 1, minus: minus))
        if mantissa.hasSuffix("10") && !mantissa.contains(".") {   // 9.99…→10: carry into the exponent
            e += 1
            mantissa = trimmingZeros(fixed(x / powerOfTen(e), decimals: sig - 1, minus: minus))
        }
        return mantissa + "×10" + superscript(e)
    }

    /// `value ± error` with the error rounded to one significant digit (two when it starts with 1)
    /// and the value to the same decimal place: (0.10134, 0.00213) → "0.101 ± 0.002".
    /// A missing (NaN) or zero error gives just the value with 4 significant digits.
    public static func measurement(_ value: Double, error: Double, minus: String = NumberFormat.minus) -> String {
        guard value.isFinite, error.isFinite, error > 0 else { return significant(value, minus: minus) }
        let e = decimalExponent(error)
        let leading = Int((error / powerOfTen(e)).rounded(.down))
        let place = leading == 1 ? e - 1 : e          // decimal place of the last digit kept
        if place >= 0 {                                // round both to tens, hundreds, …
            guard abs(value) < 1e15 else { return significant(value, minus: minus) + " ± " + significant(error, digits: 2, minus: minus) }
            let unit = powerOfTen(place)
            func r(_ x: Double) -> String { fixed((x / unit).rounded(.toNearestOrAwayFromZero) * unit, decimals: 0, minus: minus) }
            return r(value) + " ± " + r(error)
        }
        if place < -15 { return significant(value, minus: minus) + " ± " + significant(error, digits: 2, minus: minus) }
        return fixed(value, decimals: -place, minus: minus) + " ± " + fixed(error, decimals: -place, minus: minus)
    }

    /// A pixel coordinate: at most 2 decimals, ASCII minus, no trailing zeros ("12.5", "-3", "0.25").
    static func coordinate(_ x: Double) -> String {
        trimmingZeros(fixed(x, decimals: 2, minus: "-"))
    }

    /// Superscript digits for an exponent: -5 → "⁻⁵".
    static func superscript(_ e: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let sign = e < 0 ? "⁻" : ""
        return sign + String(String(abs(e)).map { digits[Int(String($0))!] })
    }

    /// Drops trailing zeros after a decimal point, and the point itself when nothing follows.
    static func trimmingZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.last == "0" { t = t.dropLast() }
        if t.last == "." { t = t.dropLast() }
        return String(t)
    }
}
