import Foundation

/// One scheduled turn of a generated room: who speaks from `start` to `end` (seconds).
public struct ScheduledTurn: Sendable, Equatable {
    /// The speaker's identity.
    public var identity: String
    /// Start of audible speech, seconds from the room's start.
    public var start: Double
    /// End of audible speech, seconds from the room's start.
    public var end: Double
}

/// A small scripted room made by `scripts/make-corpus.sh SEED DIR --small --pcm` (real synthesized
/// speech, a fan, keyboard clicks, a quiet talker and two microphones that pick each other up),
/// generated once per seed and script version and cached in the temporary directory.
public struct GeneratedRoom: Sendable {
    /// Every participant, in file order.
    public static let identities = ["alice", "bob", "carol", "dave", "fan", "keys"]

    /// Where the room's files are.
    public let directory: String
    /// The ground truth, in time order.
    public let turns: [ScheduledTurn]

    /// The room for `seed`, generating it if needed (about 2 s).
    public static func small(seed: Int) throws -> GeneratedRoom {
        let script = Repository.root + "/scripts/make-corpus.sh"
        let text = try String(contentsOfFile: script, encoding: .utf8)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let base = NSTemporaryDirectory() + "chorus-test-rooms"
        let directory = base + "/" + String(hash, radix: 16) + "-seed\(seed)"
        let manager = FileManager.default
        if !manager.fileExists(atPath: directory + "/schedule.csv") {
            try manager.createDirectory(atPath: base, withIntermediateDirectories: true)
            let staging = directory + ".tmp\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let result = try Repository.run(script, [String(seed), staging, "--small", "--pcm"])
            guard result.status == 0 else {
                throw TestSupportError("make-corpus.sh failed (\(result.status)): \(result.stderr)")
            }
            if (try? manager.moveItem(atPath: staging, toPath: directory)) == nil {
                try? manager.removeItem(atPath: staging)  // another test made it first
            }
        }
        let schedule = try String(contentsOfFile: directory + "/schedule.csv", encoding: .utf8)
        let turns = schedule.split(separator: "\n").dropFirst().map { line -> ScheduledTurn in
            let fields = line.split(separator: ",", maxSplits: 3)
            return ScheduledTurn(identity: String(fields[0]), start: Double(fields[1])!, end: Double(fields[2])!)
        }
        return GeneratedRoom(directory: directory, turns: turns)
    }

    /// The participant's Ogg Opus file.
    public func opusPath(_ identity: String) -> String { self.directory + "/" + identity + ".opus" }

    /// The participant's microphone signal before encoding, 48 kHz mono, full scale 1.0.
    public func pcm(_ identity: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: self.directory + "/" + identity + ".s16"))
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / 2)).map { Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) / 32768 }
        }
    }
}

/// The repository checkout the tests run in, and a way to run its tools (kept for the suites that
/// use these names; ``Fixtures`` and ``ProcessRunner`` do the work).
public enum Repository {
    /// The repository root.
    public static let root: String = Fixtures.packageRoot.path

    /// Runs `executable` with `arguments`, returning its exit status, stdout and stderr.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try ProcessRunner.run(executable, arguments)
        return (result.status, result.stdout, result.stderr)
    }
}

/// A test fixture could not be made.
public typealias TestSupportError = FixtureError
