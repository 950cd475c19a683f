/// What happened in one SEEM run.
public struct SEEMRunCounters: Sendable, Equatable {
    /// Strain steps taken.
    public var steps: Int = 0
    /// Plastic events applied (Poisson mode may apply several per step).
    public var events: Int = 0
    /// Steps with at least one event.
    public var eventSteps: Int = 0
    /// Steps that started in a never-visited bin: under `SEEMFallback.nearestVisited` they took the rate
    /// of the nearest visited bin, under `.none` they were elastic.
    public var rateFallbackSteps: Int = 0
    /// Steps that started outside the harvested grid (clamped into an edge bin).
    public var outOfGridSteps: Int = 0
    /// Events drawn from another bin's events (the current bin had none to sample).
    public var eventFallbackDraws: Int = 0
    /// Largest shear stress τ of the run (start included), GPa.
    public var peakStress: Double = -.infinity

    public init() {}

    /// Any fallback at all.
    public var usedFallback: Bool { rateFallbackSteps > 0 || eventFallbackDraws > 0 }
}
