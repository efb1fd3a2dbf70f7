// swift-tools-version:6.0
//
// Chorus: realtime audio levels, active-speaker detection and room events over Opus track streams.
//
// C libraries come from Debian packages through `.systemLibrary` targets (see `make deps`);
// no outside Swift package is used, so the package builds offline with the toolchain alone.

import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode is the package default.
let strict: [SwiftSetting] = []

let package = Package(
    name: "Chorus",
    products: [
        .library(name: "Chorus", targets: ["Chorus"]),
        .library(name: "ChorusCore", targets: ["ChorusCore"]),
        .library(name: "ChorusMedia", targets: ["ChorusMedia"]),
        .library(name: "ChorusWebhooks", targets: ["ChorusWebhooks"]),
        .executable(name: "chorus", targets: ["ChorusCLI"]),
        .executable(name: "chorus-bench", targets: ["ChorusBench"]),
    ],
    targets: [
        // MARK: C libraries (apt: libopus-dev, libopusfile-dev)
        .systemLibrary(
            name: "COpus",
            pkgConfig: "opus",
            providers: [.apt(["libopus-dev"])]
        ),
        .systemLibrary(
            name: "COpusFile",
            pkgConfig: "opusfile",
            providers: [.apt(["libopusfile-dev", "libogg-dev"])]
        ),
        // MARK: C library (apt: libssl-dev): SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // MARK: Library modules
        .target(name: "ChorusCore", swiftSettings: strict),
        .target(name: "ChorusMedia", dependencies: ["ChorusCore", "COpus", "COpusFile"], swiftSettings: strict),
        .target(name: "Chorus", dependencies: ["ChorusCore", "ChorusMedia"], swiftSettings: strict),
        .target(name: "ChorusWebhooks", dependencies: ["CCrypto"], swiftSettings: strict),

        // MARK: Executables
        .executableTarget(name: "ChorusCLI", dependencies: ["Chorus"], swiftSettings: strict),
        .target(name: "BenchSupport", path: "Benchmarks/BenchSupport"),
        .executableTarget(
            name: "ChorusBench",
            dependencies: ["Chorus", "ChorusWebhooks", "BenchSupport"],
            path: "Benchmarks/ChorusBench",
            swiftSettings: strict
        ),

        // MARK: Tests (Swift Testing)
        .testTarget(name: "ChorusCoreTests", dependencies: ["ChorusCore"]),
        .testTarget(name: "ChorusMediaTests", dependencies: ["ChorusMedia", "Chorus"]),
        .testTarget(name: "ChorusCLITests", dependencies: ["Chorus"]),
        .testTarget(
            name: "ChorusWebhooksTests",
            dependencies: ["ChorusWebhooks"],
            exclude: ["Resources"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
