import AQS
import EAM

/// The shear stage's own failure type (non-finite energy or stress), a computation error.
package typealias ShearRunFailure = ShearRun<EAMForceField>.Failure
