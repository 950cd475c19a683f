/// LAMMPS `metal` units (Å, eV, ps, amu, K, bar) with LAMMPS's own constants, so that numbers
/// computed here agree with LAMMPS to round-off (not CODATA: LAMMPS's nktv2p is 1.6021765e6).
public enum Units {
    /// Boltzmann constant, eV/K.
    public static let boltzmann: Double = 8.617343e-5
    /// amu·Å²/ps² → eV.
    public static let mvv2e: Double = 1.0364269e-4
    /// eV/(Å·amu) → Å/ps².
    public static let ftm2v: Double = 1.0 / 1.0364269e-4
    /// eV/Å³ → bar.
    public static let nktv2p: Double = 1.6021765e6
    /// bar → GPa.
    public static let barToGPa: Double = 1e-4
    /// eV/Å³ → GPa (160.21765).
    public static let evPerA3ToGPa: Double = 1.6021765e6 * 1e-4
}
