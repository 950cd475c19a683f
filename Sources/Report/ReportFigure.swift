/// A figure on the report page: the figure, the file name stem for its SVG and CSV files, and
/// its caption.
public struct ReportFigure: Sendable {
    /// File name stem: "fig2" gives fig2.svg, fig2a.csv, …; also the HTML anchor and SVG id prefix.
    public var name: String
    /// The figure drawn.
    public var figure: Figure
    /// Caption text (plain text; escaped).
    public var caption: String
    /// Label before the caption, e.g. "Fig. 2."; nil numbers figures in page order ("Figure 1.").
    public var label: String?

    /// A page figure with files named after `name`.
    public init(name: String, figure: Figure, caption: String, label: String? = nil) {
        self.name = name
        self.figure = figure
        self.caption = caption
        self.label = label
    }
}
