import Foundation
import ChorusTestSupport
import Testing

/// `chorus detect` as users run it: the built binary on generated Ogg Opus files.
@Suite("DetectCommand")
struct DetectCommandTests {
    static let binary = Fixtures.chorusBinary

    static func detect(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing; run `swift build` first (make test does)")
        }
        return try Repository.run(binary, ["detect"] + arguments)
    }

    static func sources(_ room: GeneratedRoom) -> [String] {
        GeneratedRoom.identities.map { "\($0)=\(room.opusPath($0))" }
    }

    @Test("JSON lines follow the contract, in media-time order, and list the scheduled speakers")
    func jsonLines() throws {
        let room = try GeneratedRoom.small(seed: 6)
        let result = try Self.detect(["--format", "jsonl"] + Self.sources(room))
        #expect(result.status == 0, "\(result.stderr)")
        var lastTime = 0.0
        var counts: [String: Int] = [:]
        var lists: [(time: Double, identities: [String])] = []
        for line in result.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            let event = try #require(object["event"] as? String)
            let time = try #require(object["time"] as? Double, "\(line)")
            #expect(time >= lastTime, "\(line)")
            lastTime = time
            counts[event, default: 0] += 1
            switch event {
            case "active_speakers_changed":
                let speakers = try #require(object["speakers"] as? [[String: Any]])
                for speaker in speakers {
                    let level = try #require(speaker["level"] as? Double)
                    #expect(speaker["identity"] is String && level > 0 && level <= 1, "\(line)")
                }
                lists.append((time, speakers.map { $0["identity"] as! String }))
            case "is_speaking_changed":
                #expect(object["identity"] is String && object["speaking"] is Bool, "\(line)")
            case "participant_connected", "participant_active", "participant_disconnected":
                #expect(object["identity"] is String, "\(line)")
            case "track_published", "track_unpublished":
                let track = try #require(object["track"] as? [String: Any])
                #expect((track["sid"] as? String)?.hasPrefix("TR_") == true, "\(line)")
                #expect(track["type"] as? String == "audio" && track["source"] as? String == "microphone", "\(line)")
            case "dominant_speaker_changed":
                #expect(object["identity"] is String || object["identity"] is NSNull, "\(line)")
            default:
                Issue.record("unexpected event \(line)")
            }
        }
        for event in ["participant_connected", "track_published", "participant_active", "track_unpublished", "participant_disconnected"] {
            #expect(counts[event] == GeneratedRoom.identities.count, "\(event)")
        }
        // Printed only on a change: no two consecutive lists are the same.
        #expect(zip(lists, lists.dropFirst()).allSatisfy { $0.0.identities != $0.1.identities })
        for turn in room.turns {
            let first = lists.first { $0.time >= turn.start - 0.3 && $0.identities.contains(turn.identity) }
            let onset = try #require(first, "\(turn) never listed").time
            #expect(onset - turn.start <= 0.2, "\(turn) listed at \(onset)")
        }
        #expect(!lists.contains { $0.identities.contains("fan") || $0.identities.contains("keys") })
    }

    @Test("two runs print byte-identical output")
    func deterministic() throws {
        let room = try GeneratedRoom.small(seed: 6)
        let first = try Self.detect(["--format", "jsonl"] + Self.sources(room))
        let second = try Self.detect(["--format", "jsonl"] + Self.sources(room))
        #expect(first.status == 0 && !first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
    }

    @Test("text format shows who speaks with level bars")
    func text() throws {
        let room = try GeneratedRoom.small(seed: 6)
        let result = try Self.detect(["--format", "text"] + Self.sources(room))
        #expect(result.status == 0)
        let speaking = result.stdout.split(separator: "\n").filter { $0.contains("speaking: ") && !$0.contains("nobody") }
        #expect(!speaking.isEmpty)
        #expect(speaking.allSatisfy { $0.contains("█") || $0.contains("░") })
    }

    @Test("bad usage exits 2 with the reason; a missing file exits 1")
    func errors() throws {
        let room = try GeneratedRoom.small(seed: 6)
        let badFrame = try Self.detect(["--frame", "15", room.opusPath("alice")])
        #expect(badFrame.status == 2 && badFrame.stderr.contains("--frame"))
        let none = try Self.detect([])
        #expect(none.status == 2 && none.stderr.contains("no SOURCE"))
        let missing = try Self.detect([room.directory + "/nobody.opus"])
        #expect(missing.status == 1 && missing.stderr.contains("no such file"))
    }
}
