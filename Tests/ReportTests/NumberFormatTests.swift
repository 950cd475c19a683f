import Testing
@testable import Report

@Suite struct NumberFormatTests {
    @Test func fixedRoundsOnceAndNeverPrintsMinusZero() {
        #expect(NumberFormat.fixed(0.1 + 0.2, decimals: 2) == "0.30")
        #expect(NumberFormat.fixed(2.5, decimals: 0) == "3")
        #expect(NumberFormat.fixed(-1.25, decimals: 1) == "\u{2212}1.3")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(0.05, decimals: 3) == "0.050")
        #expect(NumberFormat.fixed(.nan, decimals: 2) == "NaN")
    }

    @Test(arguments: [
        (0.1 + 0.2, "0.3"), (1.0 / 3.0, "0.3333"), (123.456, "123.5"), (-2.0, "\u{2212}2"), (0, "0"),
        (1.5e-7, "1.5×10⁻⁷"), (123_456_789, "1.235×10⁸"), (99_999_999, "1×10⁸"), (100_000, "100000"),
        (0.00012, "0.00012"),
    ])
    func significantIsCompact(value: Double, expected: String) {
        #expect(NumberFormat.significant(value) == expected)
    }

    @Test func measurementRoundsValueToTheError() {
        #expect(NumberFormat.measurement(0.10134, error: 0.00213) == "0.101 ± 0.002")
        #expect(NumberFormat.measurement(12.345, error: 0.15) == "12.35 ± 0.15")   // leading 1: two digits
        #expect(NumberFormat.measurement(-3.14159, error: 0.02) == "\u{2212}3.14 ± 0.02")
        #expect(NumberFormat.measurement(5, error: .nan) == "5")
        #expect(NumberFormat.measurement(1234.5, error: 25) == "1230 ± 30")
        #expect(NumberFormat.measurement(1234.5, error: 14) == "1235 ± 14")
    }

    @Test func coordinatesUseAsciiMinusAndTwoDecimals() {
        #expect(NumberFormat.coordinate(-3.14159) == "-3.14")
        #expect(NumberFormat.coordinate(12.5) == "12.5")
        #expect(NumberFormat.coordinate(7) == "7")
        #expect(NumberFormat.coordinate(-0.001) == "0")
    }
}
