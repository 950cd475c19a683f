// swift-tools-version:6.1
import PackageDescription

/// SEEM benchmarks (kept out of the main package and out of CI): `swift package benchmark` here,
/// or scripts/bench-seem.sh from the repository root.
let package = Package(
    name: "seem-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "seem", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SEEMSteps",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SEEM", package: "seem"),
                .product(name: "Harvest", package: "seem"),
                .product(name: "MDCore", package: "seem"),
            ],
            path: "SEEMSteps",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
