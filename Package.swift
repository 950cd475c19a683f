// swift-tools-version:6.1
import PackageDescription

/// seem: stochastic evolution elasto-plastic modelling of a Cu–Zr metallic glass,
/// on a built-in EAM engine. Dependencies point down only: MDCore ← EAM ← (Quench, AQS) ← Pipeline;
/// MDCore ← Harvest ← SEEM ← Pipeline; MDCore ← Report ← Pipeline; EAM ← StructureAnalysis ← Pipeline.
let package = Package(
    name: "seem",
    products: [
        .executable(name: "pipeline", targets: ["Pipeline"]),
        .library(name: "EAM", targets: ["EAM"]),
        .library(name: "MDCore", targets: ["MDCore"]),
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
            dependencies: ["MDCore", "EAM"],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "Pipeline",
            dependencies: [
                "MDCore", "EAM", "AQS", "Quench", "Harvest", "SEEM", "Report", "StructureAnalysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MDCoreTests", dependencies: ["MDCore"]),
        .testTarget(name: "EAMTests", dependencies: ["EAM", "MDCore"]),
        .testTarget(name: "AQSTests", dependencies: ["AQS", "EAM", "MDCore"]),
        .testTarget(name: "QuenchTests", dependencies: ["Quench", "EAM", "MDCore"]),
        .testTarget(name: "HarvestTests", dependencies: ["Harvest", "MDCore"], exclude: ["Fixtures"]),
        .testTarget(name: "SEEMTests", dependencies: ["SEEM", "Harvest", "MDCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "MDCore"]),
        .testTarget(name: "StructureAnalysisTests", dependencies: ["StructureAnalysis", "MDCore"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "MDCore"], exclude: ["Fixtures"]),
    ]
)
