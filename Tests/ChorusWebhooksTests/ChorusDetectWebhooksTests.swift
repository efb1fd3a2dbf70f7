import Testing
import Foundation
import ChorusTestSupport

/// `chorus detect --webhook` end to end: the real binary, real Opus files, and LiveKit's own Python
/// SDK verifying every request on 127.0.0.1.
@Suite("chorus detect --webhook", .serialized)
struct ChorusDetectWebhooksTests {
    static func room() throws -> (alice: URL, bob: URL) {
        let dir = try Fixtures.temporaryDirectory("webhook-room")
        let alice = dir.appendingPathComponent("alice.wav"), bob = dir.appendingPathComponent("bob.wav")
        try Fixtures.speech("Alice starts the call.", voice: "en-us", leadSeconds: 0.3, tailSeconds: 1.0, to: alice)
        try Fixtures.speech("Bob answers.", voice: "flite:slt", leadSeconds: 1.5, tailSeconds: 0.5, to: bob)
        let a = dir.appendingPathComponent("alice.opus"), b = dir.appendingPathComponent("bob.opus")
        try Fixtures.opus(from: alice, to: a)
        try Fixtures.opus(from: bob, to: b)
        return (a, b)
    }

    static func detect(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(Fixtures.chorusBinary,
            ["detect", "--format", "jsonl", "--api-key", TestEnvironment.apiKey, "--api-secret", TestEnvironment.apiSecret]
                + arguments)
    }

    @Test("a room from two files produces exactly LiveKit's lifecycle webhooks, each accepted by the SDK, in order")
    func lifecycle() throws {
        let (alice, bob) = try Self.room()
        let receiver = try PythonReceiver()
        let result = try Self.detect(["--webhook", receiver.url.absoluteString, "--room", "standup",
                                      "alice=\(alice.path)", "bob=\(bob.path)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("0 undelivered"))
        let accepted = receiver.accepted()
        #expect(receiver.entries().allSatisfy { $0["kind"] as? String == "accepted" }, "the SDK rejected a request: \(receiver.entries())")
        let names = accepted.map { "\($0["event"] as? String ?? "?")" }
        #expect(names == [
            "room_started", "track_published", "track_published", "participant_joined", "participant_joined",
            "track_unpublished", "participant_left", "track_unpublished", "participant_left", "room_finished",
        ] || names == [
            "room_started", "track_published", "track_published", "participant_joined", "participant_joined",
            "track_unpublished", "track_unpublished", "participant_left", "participant_left", "room_finished",
        ], "\(names)")
        #expect(accepted.allSatisfy { $0["room"] as? String == "standup" })
        #expect(Set(accepted.compactMap { $0["id"] as? String }).count == accepted.count, "ids are unique")
        // The track sids in the webhooks are the ones in the JSON-lines output.
        let lines = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let sids = Set(lines.compactMap { ($0["track"] as? [String: Any])?["sid"] as? String })
        let hookSids = Set(accepted.compactMap { (($0["event_json"] as? [String: Any])?["track"] as? [String: Any])?["sid"] as? String })
        #expect(sids.count == 2 && sids == hookSids)
    }

    @Test("the receiver answers 503 at first: every event still arrives once, in order, and the retries are counted")
    func retriesThrough503() throws {
        let (alice, bob) = try Self.room()
        let receiver = try PythonReceiver(["--fail-first", "3", "--retry-after", "0"])
        let result = try Self.detect(["--webhook", receiver.url.absoluteString, "alice=\(alice.path)", "bob=\(bob.path)"])
        #expect(result.status == 0, "\(result.stderr)")
        let accepted = receiver.accepted()
        #expect(accepted.count == 10)
        #expect(accepted.first?["event"] as? String == "room_started")
        #expect(accepted.last?["event"] as? String == "room_finished")
        #expect(result.stderr.contains("3 retried"), "\(result.stderr)")
    }

    @Test("a dead endpoint with an outbox: the run reports what it kept, and the next run delivers it")
    func outboxAcrossRuns() throws {
        let (alice, bob) = try Self.room()
        let queue = try Fixtures.temporaryDirectory("webhook-outbox")
        let port = try PythonReceiver.closedPort()
        let url = "http://127.0.0.1:\(port)/webhook"
        let first = try Self.detect(["--webhook", url, "--webhook-queue", queue.path, "--webhook-drain-timeout", "1",
                                     "alice=\(alice.path)", "bob=\(bob.path)"])
        #expect(first.status == 0, "kept in the outbox is not a failure: \(first.stderr)")
        #expect(first.stderr.contains("kept in the --webhook-queue outbox"), "\(first.stderr)")
        // Now the receiver is up on that port: a second (empty-room) run sends the backlog first.
        let receiver = try PythonReceiver(port: port)
        let second = try Self.detect(["--webhook", url, "--webhook-queue", queue.path, "--room", "second",
                                      "alice=\(alice.path)"])
        #expect(second.status == 0, "\(second.stderr)")
        let accepted = receiver.accepted()
        let firstRoom = accepted.filter { $0["room"] as? String == "chorus" }.map { $0["event"] as? String ?? "" }
        #expect(firstRoom.count == 10 && firstRoom.first == "room_started" && firstRoom.last == "room_finished", "\(firstRoom)")
        #expect(accepted.filter { $0["room"] as? String == "second" }.count == 6)
        #expect(Set(accepted.compactMap { $0["id"] as? String }).count == accepted.count, "each event once")
    }

    @Test("--webhook without a key, or with a bad URL, is a usage error")
    func usage() throws {
        let noKey = try ProcessRunner.run(Fixtures.chorusBinary, ["detect", "--webhook", "http://127.0.0.1:9/x", "a.opus"],
                                          environment: ["LIVEKIT_API_KEY": "", "LIVEKIT_API_SECRET": ""])
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("--api-key"))
        let badURL = try Self.detect(["--webhook", "ftp://x", "a.opus"])
        #expect(badURL.status == 2)
        #expect(badURL.stderr.contains("http://"))
    }
}

import Chorus
import ChorusCore
import ChorusWebhooks

/// The bridge's departure timer: room_finished once the room has been empty for the timeout, and a
/// new room (new sid) when someone comes back.
@Suite("RoomWebhookBridge")
struct RoomWebhookBridgeTests {
    @Test("room_finished after the departure timeout, before the run ends; a later join starts a new room")
    func departureTimeout() throws {
        let receiver = try PythonReceiver()
        let notifier = try WebhookNotifier(configuration: .init(
            endpoints: [WebhookEndpoint(url: receiver.url)],
            signer: WebhookSigner(apiKey: TestEnvironment.apiKey, apiSecret: TestEnvironment.apiSecret)))
        let room = Room(name: "timer")
        let bridge = RoomWebhookBridge(notifier: notifier, roomName: "timer", departureTimeout: .seconds(20))
        room.addObserver { bridge.handle($0) }
        room.publishTrack(identity: "alice", at: .zero)
        room.observe(identity: "alice", measure: BlockMeasure(sumOfSquares: 1, peak: 0.1, count: 480), duration: .milliseconds(10), at: .zero)
        room.advance(to: .milliseconds(10))
        room.endTrack(identity: "alice", at: .seconds(1))       // alice leaves: the room is empty
        bridge.advance(to: .seconds(20.9))                       // not yet
        bridge.advance(to: .seconds(21.0))                       // 20 s empty: room_finished
        room.publishTrack(identity: "bob", at: .seconds(30))     // a new room
        bridge.finish()
        _ = notifier.drain(timeout: 10)
        let accepted = receiver.accepted()
        let names = accepted.map { $0["event"] as? String ?? "?" }
        #expect(names == ["room_started", "track_published", "participant_joined", "track_unpublished", "participant_left",
                          "room_finished", "room_started", "track_published", "participant_connection_aborted", "room_finished"], "\(names)")
        let sids = accepted.filter { $0["event"] as? String == "room_started" }
            .compactMap { (($0["event_json"] as? [String: Any])?["room"] as? [String: Any])?["sid"] as? String }
        #expect(sids.count == 2 && sids[0] != sids[1])
    }
}

/// `--record DIR`: egress of each participant's decoded audio, with LiveKit's egress webhooks.
@Suite("chorus detect --record", .serialized)
struct ChorusDetectRecordTests {
    @Test("each participant is recorded to DIR/IDENTITY.wav, sample-exact, with egress_started/updated/ended accepted by the SDK")
    func recordWithEgressWebhooks() throws {
        let (alice, bob) = try ChorusDetectWebhooksTests.room()
        let dir = try Fixtures.temporaryDirectory("record")
        let receiver = try PythonReceiver()
        let result = try ChorusDetectWebhooksTests.detect(["--webhook", receiver.url.absoluteString, "--record", dir.path,
                                                           "alice=\(alice.path)", "bob=\(bob.path)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("recorded"))
        for (name, opus) in [("alice", alice), ("bob", bob)] {
            let wav = dir.appendingPathComponent("\(name).wav")
            // The recording is the decoded audio: the same samples opusdec produces, to int16 precision.
            let raw = dir.appendingPathComponent("\(name).f32")
            try ProcessRunner.require("sox", ["-V1", wav.path, "-t", "raw", "-e", "floating-point", "-b", "32", raw.path])
            let recordedSamples = try Data(contentsOf: raw).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            let reference = try Fixtures.opusdecFloat(opus)
            #expect(recordedSamples.count == reference.count, "\(name): \(recordedSamples.count) vs \(reference.count) samples")
            let worst = zip(recordedSamples, reference).map { abs($0 - max(-1, min(1, $1))) }.max() ?? 1
            #expect(worst < 1.0 / 16000, "\(name): largest difference \(worst)")
        }
        let egress = receiver.accepted().filter { ($0["event"] as? String ?? "").hasPrefix("egress_") }
        for name in ["alice", "bob"] {
            let mine = egress.filter { (($0["event_json"] as? [String: Any])?["egressInfo"] as? [String: Any])?["details"].map { "\($0)".contains("file=\(name).wav") } ?? false }
            let events = mine.map { $0["event"] as? String ?? "" }
            #expect(events.first == "egress_started" && events.last == "egress_ended", "\(name): \(events)")
            #expect(events.contains("egress_updated"), "a 3 s file is updated at least once a second: \(events)")
            let size = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("\(name).wav").path)[.size] as? Int
            let details = ((mine.last?["event_json"] as? [String: Any])?["egressInfo"] as? [String: Any])?["details"] as? String ?? ""
            #expect(details.contains("bytes=\(size ?? -1)"), "\(details)")
        }
        #expect(receiver.entries().allSatisfy { $0["kind"] as? String == "accepted" })
    }
}
