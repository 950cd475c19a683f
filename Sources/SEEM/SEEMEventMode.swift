/// How many plastic events a SEEM strain step may hold (paper Eqs. 3–4).
public enum SEEMEventMode: String, Sendable, CaseIterable {
    /// At most one event per step, with probability p = min(1, λΔγ) (Eq. 4, the paper's choice):
    /// exact for Δγ equal to the database's strain step, where p is the harvested events/visits.
    case bernoulli
    /// n ~ Poisson(λΔγ) events per step (Eq. 3), applied in sequence, each drawn from the bin of the
    /// state reached so far in the step: for strain steps larger than the database's.
    case poisson
}
