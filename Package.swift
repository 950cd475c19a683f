// swift-tools-version:6.1
import PackageDescription

/// seem: stochastic evolution elasto-plastic modelling of a Cu–Zr metallic glass,
/// on a built-in EAM engine. Dependencies point down only: MDCore ← EAM ← (Quench, AQS) ← Pipeline.
let package = Package(
    name: "seem",
    products: [
        .executable(name: "pipeline", targets: ["Pipeline"]),
        .library(name: "EAM", targets: ["EAM"]),
        .library(name: "MDCore", targets: ["MDCore"]),
        .library(name: "AQS", targets: ["AQS"]),
        .library(name: "Quench", targets: ["Quench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "MDCore",
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(name: "CKernels"),
        .target(
            name: "EAM",
            dependencies: ["MDCore", "CKernels"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "AQS",
            dependencies: ["MDCore"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "Quench",
            dependencies: ["MDCore"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "Pipeline",
            dependencies: [
                "MDCore", "EAM", "AQS", "Quench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MDCoreTests", dependencies: ["MDCore"]),
        .testTarget(name: "EAMTests", dependencies: ["EAM", "MDCore"]),
        .testTarget(name: "AQSTests", dependencies: ["AQS", "EAM", "MDCore"]),
        .testTarget(name: "QuenchTests", dependencies: ["Quench", "EAM", "MDCore"]),
    ]
)
