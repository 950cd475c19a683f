import Harvest
import MDCore
import Report
import SEEM

extension StudyRunner {
    /// Harvest: fits, X1, events and the state-space database from every sample's AQS history.
    func harvest(into dir: String) throws {
        throw InputError(path: dir, reason: "the harvest stage is not available yet")
    }

    /// SEEM: ensembles from every sample's initial state, compared with AQS.
    func seem(into dir: String) throws {
        throw InputError(path: dir, reason: "the SEEM stage is not available yet")
    }

    /// The report: index.html with the paper's figures, Table I, metrics and provenance.
    func report(into dir: String) throws {
        throw InputError(path: dir, reason: "the report stage is not available yet")
    }
}
