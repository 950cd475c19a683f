/// An opaque sRGB colour, 8 bits per channel.
public struct Color: Hashable, Sendable {
    /// Red channel, 0–255.
    public var red: UInt8
    /// Green channel, 0–255.
    public var green: UInt8
    /// Blue channel, 0–255.
    public var blue: UInt8

    /// A colour from 8-bit channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From 0xRRGGBB.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xff), green: UInt8((hex >> 8) & 0xff), blue: UInt8(hex & 0xff))
    }

    /// "#rrggbb" (lower case), as written into SVG and CSS.
    public var hexString: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for c in [red, green, blue] {
            s.append(digits[Int(c >> 4)])
            s.append(digits[Int(c & 0x0f)])
        }
        return s
    }

    /// Linear interpolation in sRGB: `fraction` 0 gives `self`, 1 gives `other` (clamped).
    public func mixed(with other: Color, fraction: Double) -> Color {
        let t = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded(.toNearestOrAwayFromZero))
        }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }

    /// Black, for frames, text and trajectories.
    public static let black = Color(hex: 0x000000)
    /// White, the page background.
    public static let white = Color(hex: 0xffffff)
    /// Mid grey for reference lines and secondary marks.
    public static let gray = Color(hex: 0x7f7f7f)
    /// Light grey (#e0e0e0) for missing heatmap cells (unvisited states).
    public static let lightGray = Color(hex: 0xe0e0e0)

    // The matplotlib "tab10" cycle: distinguishable, and blue/orange are the paper's
    // model/simulation pair (Figs. 4, 5).
    /// tab10 blue (#1f77b4): the model (SEEM) in the paper.
    public static let blue = Color(hex: 0x1f77b4)
    /// tab10 orange (#ff7f0e): the atomistic simulation in the paper.
    public static let orange = Color(hex: 0xff7f0e)
    /// tab10 green.
    public static let green = Color(hex: 0x2ca02c)
    /// tab10 red.
    public static let red = Color(hex: 0xd62728)
    /// tab10 purple.
    public static let purple = Color(hex: 0x9467bd)
    /// tab10 brown.
    public static let brown = Color(hex: 0x8c564b)
    /// tab10 pink.
    public static let pink = Color(hex: 0xe377c2)
    /// tab10 olive.
    public static let olive = Color(hex: 0xbcbd22)
    /// tab10 cyan.
    public static let cyan = Color(hex: 0x17becf)

    /// The default colour cycle for series without an explicit colour.
    public static let cycle: [Color] = [.blue, .orange, .green, .red, .purple, .brown, .pink, .gray, .olive, .cyan]
}
