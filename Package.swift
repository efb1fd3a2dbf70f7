// swift-tools-version:6.0
//
// Chorus: realtime audio levels, active-speaker detection and room events over Opus track streams.
//
// C libraries come from Debian packages through `.systemLibrary` targets (see `make deps`);
// no outside Swift package is used, so the package builds offline with the toolchain alone.

import PackageDescription
import Foundation

/// Settings shared by every Swift target: Swift 6 language mode is the package default.
let strict: [SwiftSetting] = []

/// The level kernels are written for baseline x86-64 (SSE2) so that the package builds and runs
/// anywhere and can be used as a dependency (no unsafe flags by default). A deployment that knows
/// its CPUs can opt in to wider vectors: `CHORUS_TARGET_CPU=haswell swift build -c release`
/// (AVX2: about 1.4x faster kernels, see BENCHMARKS.md). A binary built that way needs that CPU.
let kernelSettings: [SwiftSetting] = {
    guard let cpu = ProcessInfo.processInfo.environment["CHORUS_TARGET_CPU"], !cpu.isEmpty else { return strict }
    return strict + [.unsafeFlags(["-target-cpu", cpu])]
}()

let package = Package(
    name: "Chorus",
    products: [
        .library(name: "Chorus", targets: ["Chorus"]),
        .library(name: "ChorusCore", targets: ["ChorusCore"]),
        .library(name: "ChorusMedia", targets: ["ChorusMedia"]),
        .library(name: "ChorusALSA", targets: ["ChorusALSA"]),
        .library(name: "ChorusWebhooks", targets: ["ChorusWebhooks"]),
        .executable(name: "chorus", targets: ["ChorusCLI"]),
        .executable(name: "chorus-bench", targets: ["ChorusBench"]),
        .executable(name: "chorus-speaker-eval", targets: ["SpeakerEval"]),
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
        // recvmmsg/mmsghdr from <sys/socket.h> with _GNU_SOURCE (libc only, nothing to install)
        .systemLibrary(name: "CNetShim"),

        .systemLibrary(
            name: "CALSA",
            pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]
        ),

        // SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto (apt: libssl-dev)
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // MARK: Library modules
        .target(name: "ChorusCore", swiftSettings: kernelSettings),
        .target(name: "ChorusMedia", dependencies: ["ChorusCore", "COpus", "COpusFile", "CNetShim"], swiftSettings: strict),
        .target(name: "ChorusALSA", dependencies: ["ChorusMedia", "CALSA"], swiftSettings: strict),
        .target(name: "Chorus", dependencies: ["ChorusCore", "ChorusMedia", "ChorusALSA", "ChorusWebhooks"], swiftSettings: strict),
        .target(name: "ChorusWebhooks", dependencies: ["CCrypto"], swiftSettings: strict),

        // MARK: Executables
        .executableTarget(name: "ChorusCLI", dependencies: ["Chorus"], swiftSettings: strict),
        .target(name: "BenchSupport", path: "Benchmarks/BenchSupport"),
        .executableTarget(
            name: "ChorusBench",
            dependencies: ["Chorus", "ChorusWebhooks", "BenchSupport", "COpus", "CNetShim"],
            path: "Benchmarks/ChorusBench",
            swiftSettings: strict
        ),

        .executableTarget(
            name: "SpeakerEval",
            dependencies: ["Chorus"],
            path: "Benchmarks/SpeakerEval",
            swiftSettings: strict
        ),

        // MARK: Samples (make samples)
        .executableTarget(name: "SpeakerTimeline", dependencies: ["Chorus"], path: "Samples/SpeakerTimeline"),
        .executableTarget(name: "AgentBargeIn", dependencies: ["Chorus"], path: "Samples/AgentBargeIn"),
        .executableTarget(name: "LevelMeter", dependencies: ["Chorus"], path: "Samples/LevelMeter"),

        // MARK: Tests (Swift Testing)
        .target(name: "ChorusTestSupport", dependencies: ["COpusFile"], path: "Tests/ChorusTestSupport"),
        .target(name: "CMallocCounter", path: "Tests/CMallocCounter"),
        // The fuzz harnesses: run by libFuzzer in `make fuzz`, replayed on kept inputs by the tests.
        .target(
            name: "FuzzHarness",
            dependencies: ["Chorus", "ChorusCore", "ChorusMedia", "ChorusWebhooks"],
            path: "Tests/Fuzz/Harness"
        ),
        .testTarget(name: "ChorusCoreTests", dependencies: ["ChorusCore", "ChorusTestSupport"]),
        .testTarget(name: "ChorusMediaTests", dependencies: ["ChorusMedia", "Chorus", "ChorusTestSupport", "COpusFile", "FuzzHarness"]),
        .testTarget(name: "ChorusCLITests", dependencies: ["Chorus", "ChorusTestSupport"]),
        .testTarget(name: "ChorusPipelineTests", dependencies: ["Chorus", "ChorusMedia", "ChorusTestSupport", "CMallocCounter", "COpusFile"]),
        .testTarget(name: "ChorusALSATests", dependencies: ["ChorusALSA", "ChorusMedia", "Chorus", "ChorusTestSupport"]),
        .testTarget(
            name: "ChorusWebhooksTests",
            dependencies: ["ChorusWebhooks", "ChorusTestSupport", "Chorus", "ChorusCore"],
            exclude: ["Resources"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
