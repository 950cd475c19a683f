/// The SEEM module (see docs/ARCHITECTURE.md).
public enum SEEMModule { public static let name = "SEEM" }
