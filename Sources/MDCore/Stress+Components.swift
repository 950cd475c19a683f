extension Stress {
    /// A stress from its components, GPa.
    public init(xx: Double, yy: Double, zz: Double, xy: Double, xz: Double, yz: Double) {
        self.init(virial: .zero, volume: 1)
        self.xx = xx; self.yy = yy; self.zz = zz; self.xy = xy; self.xz = xz; self.yz = yz
    }
}
