#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One axis tick: its position in data units and its label.
public struct Tick: Equatable, Sendable {
    /// Position, data units.
    public var value: Double
    /// Text printed beside the tick.
    public var label: String

    /// A tick at `value` labelled `label`.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// "Nice" tick positions and labels (steps of 1, 2, 2.5 or 5 × 10ⁿ; Heckbert, Graphics Gems 1990).
///
/// Tick values are built from integers (value = n × 10ᵉ, divided by an exact power of ten when
/// e < 0), so they are the Doubles nearest the decimal numbers they label, and labels are printed
/// from the same integers: every label of one axis has the same number of decimals.
public enum Ticks {
    /// Ticks inside [lo, hi] (order of the bounds does not matter), aiming at about `count`
    /// intervals (≥ 1). A zero-width range gives one tick; a non-finite bound gives none.
    /// Labels switch to "1.5×10⁻⁵" form when the largest |value| is below 10⁻⁴ or reaches 10⁶.
    public static func linear(from lo: Double, to hi: Double, count: Int = 5) -> [Tick] {
        guard lo.isFinite, hi.isFinite else { return [] }
        let (a, b) = lo <= hi ? (lo, hi) : (hi, lo)
        let span = b - a
        if span <= 0 || span < 1e-12 * max(abs(a), abs(b)) {
            return [Tick(value: a, label: NumberFormat.significant(a, digits: 6))]
        }
        let step = niceStep(span / Double(max(1, count)))
        let stepValue = value(step.mantissa, step.exponent)
        // Too many steps to count in Int64 (a tiny span far from zero): label the two ends.
        guard max(abs(a), abs(b)) / stepValue < 1e15 else {
            return [a, b].map { Tick(value: $0, label: NumberFormat.significant($0, digits: 15)) }
        }
        let kLo = Int64((a / stepValue - 1e-9).rounded(.up))
        let kHi = Int64((b / stepValue + 1e-9).rounded(.down))
        guard kLo <= kHi else { return [] }
        let ns = (kLo...kHi).map { $0 * Int64(step.mantissa) }
        let labels = labelsForIntegers(ns, exponent: step.exponent)
        return zip(ns, labels).map { Tick(value: value($0, step.exponent), label: $1) }
    }

    /// Ticks for a logarithmic axis over [lo, hi] (both > 0): the powers of ten inside, plus
    /// 2× and 5× when fewer than three decades are shown; linear ticks for less than a factor 3.
    public static func logarithmic(from lo: Double, to hi: Double) -> [Tick] {
        guard lo.isFinite, hi.isFinite, lo > 0, hi > 0 else { return [] }
        let (a, b) = lo <= hi ? (lo, hi) : (hi, lo)
        if b / a < 3 { return linear(from: a, to: b, count: 4) }
        let eLo = NumberFormat.decimalExponent(a), eHi = NumberFormat.decimalExponent(b)
        let multiples: [Int64] = eHi - eLo >= 3 ? [1] : [1, 2, 5]
        var ticks: [Tick] = []
        let plain = eLo >= -3 && eHi <= 3           // "0.01 … 1000"; beyond that "10ᵏ" throughout
        for e in eLo...eHi {
            for m in multiples {
                let v = value(m, e)
                guard v >= a * (1 - 1e-12), v <= b * (1 + 1e-12) else { continue }
                let label = plain
                    ? labelsForIntegers([m], exponent: e, allowScientific: false)[0]
                    : (m == 1 ? "10" : "\(m)×10") + NumberFormat.superscript(e)
                ticks.append(Tick(value: v, label: label))
            }
        }
        return ticks
    }

    /// The nice step nearest `raw` (on a log scale) as mantissa × 10^exponent, mantissa ∈
    /// {1, 2, 25 (×10⁻¹), 5}: the tick count comes out within about ×0.7–1.4 of the target.
    static func niceStep(_ raw: Double) -> (mantissa: Int64, exponent: Int) {
        let e = NumberFormat.decimalExponent(raw)
        let f = raw / NumberFormat.powerOfTen(e)                  // in [1, 10)
        if f < 1.414 { return (1, e) }                            // thresholds: geometric means
        if f < 2.236 { return (2, e) }
        if f < 3.536 { return (25, e - 1) }
        if f < 7.071 { return (5, e) }
        return (1, e + 1)
    }

    /// n × 10^e as the nearest Double.
    static func value(_ n: Int64, _ e: Int) -> Double {
        e >= 0 ? Double(n) * NumberFormat.powerOfTen(e) : Double(n) / NumberFormat.powerOfTen(-e)
    }

    /// Labels for the values nᵢ × 10^e, all with the same number of decimals (zero reads "0"):
    /// plain decimals when the largest |value| is in [10⁻⁴, 10⁶), else with the largest value's
    /// power of ten ("2.5×10⁻⁶").
    static func labelsForIntegers(_ ns: [Int64], exponent e: Int, allowScientific: Bool = true) -> [String] {
        let largest = ns.map { $0.magnitude }.max() ?? 0
        let digitsOfLargest = largest == 0 ? 1 : String(largest).count
        let topExponent = digitsOfLargest - 1 + e                  // exponent of the largest value
        let scientific = allowScientific && largest != 0 && (topExponent < -4 || topExponent >= 6)
        return ns.map { n in
            if n == 0 { return "0" }
            let sign = n < 0 ? NumberFormat.minus : ""
            if !scientific { return sign + decimalText(n.magnitude, shift: e) }
            return sign + decimalText(n.magnitude, shift: e - topExponent) + "×10" + NumberFormat.superscript(topExponent)
        }
    }

    /// The decimal text of m × 10^shift, printed exactly from the digits of m.
    static func decimalText(_ m: UInt64, shift: Int) -> String {
        var digits = String(m)
        if shift >= 0 { return digits + String(repeating: "0", count: shift) }
        let d = -shift
        if digits.count <= d { digits = String(repeating: "0", count: d + 1 - digits.count) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        return digits
    }
}
