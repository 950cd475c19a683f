// swift-tools-version:6.2
import PackageDescription

/// seem: stochastic evolution elasto-plastic modelling of a Cu–Zr metallic glass, on a built-in EAM
/// engine. Dependencies point down the layers only (docs/ARCHITECTURE.md; Tests/ArchitectureTests checks it):
///   kernel   CKernels, COpenBLAS
///   core     MDCore
///   engine   Neighbors ← EAM, Minimization, StructureAnalysis
///   stages   Quench, AQS, Harvest ← SEEM, Report
///   study    (the study library: config, units, runner, Slurm, report glue)
///   program  Pipeline (the `pipeline` executable)
let package = Package(
    name: "seem",
    products: [
        .executable(name: "pipeline", targets: ["Pipeline"]),
        .library(name: "Study", targets: ["Study"]),
        .library(name: "Neighbors", targets: ["Neighbors"]),
        .library(name: "EAM", targets: ["EAM"]),
        .library(name: "MDCore", targets: ["MDCore"]),
        .library(name: "Minimization", targets: ["Minimization"]),
        .library(name: "AQS", targets: ["AQS"]),
        .library(name: "Quench", targets: ["Quench"]),
        .library(name: "Harvest", targets: ["Harvest"]),
        .library(name: "SEEM", targets: ["SEEM"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "StructureAnalysis", targets: ["StructureAnalysis"]),
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
            name: "Neighbors",
            dependencies: ["MDCore"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "EAM",
            dependencies: ["MDCore", "Neighbors", "CKernels"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "Minimization",
            dependencies: ["MDCore"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "AQS",
            dependencies: ["MDCore", "Minimization"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "Quench",
            dependencies: ["MDCore"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "Harvest",
            dependencies: ["MDCore", "COpenBLAS"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "SEEM",
            dependencies: ["MDCore", "Harvest"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(name: "Report", dependencies: ["MDCore"]),
        .target(
            name: "StructureAnalysis",
            dependencies: ["MDCore", "Neighbors"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(
            name: "Study",
            dependencies: ["MDCore", "Neighbors", "EAM", "Minimization", "AQS", "Quench", "Harvest", "SEEM", "Report", "StructureAnalysis"]
        ),
        .executableTarget(
            name: "Pipeline",
            dependencies: [
                "Study", "MDCore", "Neighbors", "EAM", "Minimization", "AQS", "Quench", "Harvest", "SEEM", "Report", "StructureAnalysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "MDCoreTests", dependencies: ["MDCore"]),
        .testTarget(name: "EAMTests", dependencies: ["EAM", "Neighbors", "MDCore"]),
        .testTarget(name: "AQSTests", dependencies: ["AQS", "Minimization", "EAM", "MDCore"]),
        .testTarget(name: "QuenchTests", dependencies: ["Quench", "EAM", "MDCore"]),
        .testTarget(name: "HarvestTests", dependencies: ["Harvest", "MDCore"], exclude: ["Fixtures"]),
        .testTarget(name: "SEEMTests", dependencies: ["SEEM", "Harvest", "MDCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "MDCore"]),
        .testTarget(name: "StructureAnalysisTests", dependencies: ["StructureAnalysis", "MDCore"]),
        .testTarget(name: "PipelineTests", dependencies: ["Study", "Pipeline", "MDCore", "Minimization"], exclude: ["Fixtures"]),
    ]
)
