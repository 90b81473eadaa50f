// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "continuity",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "continuity", targets: ["continuity"]),
        .library(name: "ContinuityKit", targets: ["ContinuityKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        .target(name: "CSystem"),
        .target(
            name: "ContinuityKit",
            dependencies: [
                "CCmark",
                "CSystem",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["DefaultTheme/README.md"],
            resources: [.embedInCode("DefaultTheme/files"), .embedInCode("Schema/Builtin")]
        ),
        .executableTarget(
            name: "continuity",
            dependencies: [
                "ContinuityKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // mimalloc replaces the C library's allocator in the command (docs/BENCHMARKS.md, step 9: most of a
            // build is many small allocations made from two threads, and glibc's malloc slows as the heap grows).
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "ContinuityKitTests",
            dependencies: [
                "ContinuityKit", "continuity",
                // The reference the template engine's output is compared with.
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
