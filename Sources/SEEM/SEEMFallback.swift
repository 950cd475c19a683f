/// What a SEEM step does in a bin the harvest never visited (no rate measured there).
public enum SEEMFallback: String, Sendable, CaseIterable {
    /// Borrow the rate and events of the nearest visited bin (scaled grid-index distance): the bins
    /// beyond the harvested data behave like their edge.
    case nearestVisited = "nearest_visited"
    /// An unvisited bin has no events: pure elastic loading there (and a visited bin without events
    /// lends none to a Poisson step's later events). Shows how much the results lean on the fallback.
    case none
}
