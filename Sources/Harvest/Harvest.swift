import COpenBLAS

/// The Harvest module (see docs/ARCHITECTURE.md).
public enum HarvestModule {
    public static let name = "Harvest"
    /// Solves the 1×1 least-squares problem 2·x = 4 through LAPACK: proves OpenBLAS links.
    public static func lapackLinks() -> Bool {
        var a: [Double] = [2], b: [Double] = [4], work = [Double](repeating: 0, count: 64)
        var m: Int32 = 1, n: Int32 = 1, nrhs: Int32 = 1, lwork: Int32 = 64, info: Int32 = 0
        dgels_("N", &m, &n, &nrhs, &a, &m, &b, &m, &work, &lwork, &info)
        return info == 0 && b[0] == 2
    }
}
