/// One cell of a report table.
public enum TableCell: Sendable, Equatable {
    /// Text as given.
    case text(String)
    /// A number with at most `digits` significant digits ("0.3", "1.5×10⁻⁷").
    case number(Double, digits: Int = 4)
    /// A value with its standard error, rounded together: "0.101 ± 0.002".
    case measurement(Double, error: Double)

    /// The text shown in the cell.
    public var text: String {
        switch self {
        case let .text(s): return s
        case let .number(x, digits): return NumberFormat.significant(x, digits: digits)
        case let .measurement(x, error): return NumberFormat.measurement(x, error: error)
        }
    }

    /// Numbers are right-aligned.
    var isNumeric: Bool {
        if case .text = self { return false }
        return true
    }
}

extension TableCell: ExpressibleByStringLiteral {
    /// A text cell from a string literal.
    public init(stringLiteral value: String) { self = .text(value) }
}
