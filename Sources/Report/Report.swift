/// The Report module (see docs/ARCHITECTURE.md).
public enum ReportModule { public static let name = "Report" }
