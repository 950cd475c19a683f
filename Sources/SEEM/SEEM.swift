/// The SEEM module (see docs/ARCHITECTURE.md): the stochastic evolution elasto-plastic model of the
/// paper (Eqs. 3–4) integrated from a Harvest `StateSpaceDatabase`, ensembles of runs per initial
/// state, and their comparison with the AQS histories (Figs. 4–5).
///
/// Layers: `SEEMSettings` → `SEEMModel` (the database flattened for the inner loop) →
/// `SEEMModel.run` (one trajectory) → `SEEMEnsembleRunner` (K runs per sample, parallel,
/// bit-identical for any thread count) → `SEEMComparison` (AQS curves, metrics per cooling rate and
/// split) → `SEEMOutputFiles` (CSV/JSON text). Library code never prints.
public enum SEEMModule { public static let name = "SEEM" }
