import Foundation
import Testing
import ChorusTestSupport

/// Chorus as a dependency: a package outside this one depends on the `Chorus` library product by
/// path, as an agent would, builds with SwiftPM and runs.
@Suite("Chorus as a package dependency")
struct PackageConsumerTests {
    static let manifest = """
        // swift-tools-version:6.0
        import PackageDescription
        let package = Package(
            name: "Agent",
            dependencies: [.package(path: "ROOT")],
            targets: [.executableTarget(name: "Agent", dependencies: [.product(name: "Chorus", package: "PACKAGE")])]
        )
        """

    /// An agent's first program: who speaks when in the files it is given.
    static let program = """
        import Chorus
        import ChorusCore
        import ChorusMedia

        let room = Room(name: "agent")
        var speakers: [String] = []
        room.addObserver { event in
            if case .activeSpeakersChanged(let list, _) = event, let first = list.first { speakers.append(first.identity) }
        }
        let participants = try CommandLine.arguments.dropFirst().map { argument in
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            return ParticipantSource(identity: parts[0], source: try OggOpusFileSource(path: parts[1]))
        }
        FileRoomRunner(participants: participants, room: room).run()
        print("speakers: \\(speakers.joined(separator: " "))")
        """

    @Test("a package depending on Chorus by path builds with swift build and finds the speaker")
    func dependByPath() throws {
        let dir = try Fixtures.temporaryDirectory("agent")
        let sources = dir.appendingPathComponent("Sources/Agent")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        let root = Fixtures.packageRoot.standardizedFileURL.path
        let manifest = Self.manifest.replacingOccurrences(of: "ROOT", with: root)
            .replacingOccurrences(of: "PACKAGE", with: URL(fileURLWithPath: root).lastPathComponent)
        try manifest.write(to: dir.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try Self.program.write(to: sources.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)

        let wav = dir.appendingPathComponent("alice.wav")
        try Fixtures.speech("Hello, this is the agent's first test.", leadSeconds: 0.5, tailSeconds: 0.5, to: wav)
        let opus = dir.appendingPathComponent("alice.opus")
        try Fixtures.opus(from: wav, to: opus)

        let build = try ProcessRunner.run("swift", ["build", "--package-path", dir.path])
        #expect(build.status == 0, "swift build: \(build.stdout.suffix(2000))\(build.stderr.suffix(2000))")
        let run = try ProcessRunner.run(dir.appendingPathComponent(".build/debug/Agent").path, ["alice=\(opus.path)"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("speakers: alice"), "\(run.stdout)")
    }
}
