@testable import ChorusWebhooks
import Foundation
import Testing

/// The notifier against LiveKit's Python SDK on loopback, with the receiver failing in each way it can.
@Suite(.serialized) struct WebhookDeliveryTests {
    @Test func everyEventOfARoomLifecycleIsAcceptedInOrder() throws {
        let receiver = try PythonReceiver()
        let events = DeliveryExpectations.interleave([
            RoomScript.lifecycle(room: "room one"), RoomScript.lifecycle(room: "room two"),
            RoomScript.ingress(room: "room one"),
        ])
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: receiver.url)])
        for event in events { #expect(notifier.enqueue(event)) }
        let report = notifier.drain(timeout: 30)
        #expect(report.isComplete)
        let entries = receiver.entries()
        #expect(entries.allSatisfy { $0["kind"] as? String == "accepted" }, "the SDK refused some: \(entries)")
        DeliveryExpectations.expectDelivered(events, accepted: receiver.accepted())
        // Webhook-Sequence counts 1, 2, 3 … per ordering key.
        for (key, sequence) in DeliveryExpectations.sequences(events, accepted: receiver.accepted()) {
            #expect(sequence == Array(1...sequence.count), "sequence for \(key)")
        }
        #expect(Set(receiver.accepted().compactMap { $0["event"] as? String }) == Set(WebhookEvent.Name.all.map(\.rawValue)))
        #expect(report.counters.sent == events.count)
        #expect(report.counters.enqueued == events.count)
        #expect(report.counters.retried == 0 && report.counters.deadLettered == 0 && report.counters.pending == 0)
    }

    @Test func retriesThrough503sThenDeliversInOrder() throws {
        let receiver = try PythonReceiver(["--fail-first", "4"])
        let events = RoomScript.lifecycle(room: "flaky")
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: receiver.url)])
        for event in events { notifier.enqueue(event) }
        let report = notifier.drain(timeout: 30)
        #expect(report.isComplete)
        #expect(receiver.entries().filter { $0["kind"] as? String == "failed" }.count == 4)
        DeliveryExpectations.expectDelivered(events, accepted: receiver.accepted())
        #expect(report.counters.retried == 4)
        #expect(report.counters.sent == events.count && report.counters.failed == 0)
    }

    @Test func honoursRetryAfterAndSignsEachAttemptAgain() throws {
        let receiver = try PythonReceiver(["--fail-first", "1", "--retry-after", "1"])
        let event = RoomScript.lifecycle(room: "retry after")[0]
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: receiver.url)])
        notifier.enqueue(event)
        #expect(notifier.drain(timeout: 10).isComplete)
        let entries = receiver.entries()
        let failed = try #require(entries.first { $0["kind"] as? String == "failed" })
        let accepted = try #require(receiver.accepted().first)
        #expect(failed["webhook_id"] as? String == event.id && accepted["id"] as? String == event.id)
        let waited = (accepted["time"] as? Double ?? 0) - (failed["time"] as? Double ?? 0)
        #expect(waited >= 0.95, "Retry-After: 1 not honoured (waited \(waited) s)")
        #expect((accepted["iat"] as? Int ?? 0) > (failed["iat"] as? Int ?? 0), "the retry reused the first token")
        #expect(accepted["attempt"] as? String == "2")
    }

    @Test func waitsOutRefusedConnections() throws {
        let port = try PythonReceiver.closedPort()
        let url = URL(string: "http://127.0.0.1:\(port)/webhook")!
        let events = RoomScript.lifecycle(room: "late receiver")
        let retry = WebhookRetryPolicy(initialBackoff: 0.1, maximumBackoff: 0.4, jitter: 0.2)
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: url)], retry: retry)
        for event in events { notifier.enqueue(event) }
        Thread.sleep(forTimeInterval: 2)
        let before = notifier.counters
        #expect(before.sent == 0 && before.retried >= 3 && before.pending == events.count)
        let receiver = try PythonReceiver(port: port)
        let report = notifier.drain(timeout: 20)
        #expect(report.isComplete)
        DeliveryExpectations.expectDelivered(events, accepted: receiver.accepted())
        #expect(report.counters.sent == events.count && report.counters.deadLettered == 0)
    }

    @Test func abandonsAHungAttemptAfterItsTimeout() throws {
        let receiver = try PythonReceiver(["--hang-first", "1", "--hang-seconds", "6"])
        let events = Array(RoomScript.lifecycle(room: "hang").prefix(4))
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: receiver.url)], attemptTimeout: 0.5)
        let start = Date()
        for event in events { notifier.enqueue(event) }
        let report = notifier.drain(timeout: 20)
        let elapsed = Date().timeIntervalSince(start)
        #expect(report.isComplete)
        #expect(elapsed < 4, "the hung attempt was not cut at its timeout (\(elapsed) s)")
        #expect(receiver.entries().filter { $0["kind"] as? String == "hung" }.count == 1)
        DeliveryExpectations.expectDelivered(events, accepted: receiver.accepted())
        #expect(report.counters.retried >= 1 && report.counters.sent == events.count)
    }

    @Test func aNewNotifierOnTheSameOutboxDeliversWhatADroppedOneLeft() throws {
        let queue = TestEnvironment.temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(at: queue) }
        let first = try PythonReceiver(["--hang-after", "5", "--hang-seconds", "30"])
        let events = DeliveryExpectations.interleave([
            RoomScript.lifecycle(room: "crash a"), RoomScript.lifecycle(room: "crash b"),
        ])
        var notifier: WebhookNotifier? = try DeliveryExpectations.notifier(
            [WebhookEndpoint(url: first.url)], queue: queue, attemptTimeout: 60)
        for event in events { notifier!.enqueue(event) }
        // Five are delivered; then every key's next request hangs in flight (none can complete: the attempt
        // timeout is 60 s), and the notifier is dropped.
        #expect(DeliveryExpectations.wait(timeout: 15) {
            notifier!.counters.sent == 5 && first.entries().filter { $0["kind"] as? String == "hung" }.count >= 2
        })
        let sentBefore = notifier!.counters.sent
        notifier = nil
        first.stop()

        let second = try PythonReceiver(port: first.port)
        let restarted = try DeliveryExpectations.notifier([WebhookEndpoint(url: second.url)], queue: queue)
        #expect(restarted.counters.recovered == events.count - sentBefore)
        let report = restarted.drain(timeout: 30)
        #expect(report.isComplete)
        #expect(report.counters.sent == events.count - sentBefore)
        DeliveryExpectations.expectDelivered(events, accepted: first.accepted() + second.accepted(), allowDuplicates: true)
        // Sequence numbers go on where the first notifier stopped.
        for (key, sequence) in DeliveryExpectations.sequences(events, accepted: first.accepted() + second.accepted()) {
            #expect(sequence == Array(1...sequence.count), "sequence for \(key)")
        }
    }

    @Test func outboxIsCompactedWhileEventsArePendingAndStillRecovers() throws {
        let queue = TestEnvironment.temporaryDirectory("compact")
        defer { try? FileManager.default.removeItem(at: queue) }
        let first = try PythonReceiver(["--hang-after", "12", "--hang-seconds", "30"])
        let events = DeliveryExpectations.interleave([
            RoomScript.lifecycle(room: "compact a"), RoomScript.lifecycle(room: "compact b"),
        ])
        var configuration = WebhookNotifier.Configuration(
            endpoints: [WebhookEndpoint(url: first.url)],
            signer: WebhookSigner(apiKey: TestEnvironment.apiKey, apiSecret: TestEnvironment.apiSecret),
            queueDirectory: queue, retry: DeliveryExpectations.fastRetry, attemptTimeout: 60)
        configuration.compactionThreshold = 4096
        var notifier: WebhookNotifier? = try WebhookNotifier(configuration: configuration)
        // Twelve delivered one by one (the journal is compacted every few KiB), then fourteen that hang.
        for (index, event) in events.enumerated() {
            notifier!.enqueue(event)
            if index < 12 { #expect(DeliveryExpectations.wait(timeout: 10) { notifier!.counters.sent == index + 1 }) }
        }
        #expect(DeliveryExpectations.wait(timeout: 15) {
            notifier!.counters.sent == 12 && first.entries().filter { $0["kind"] as? String == "hung" }.count >= 2
        })
        notifier = nil
        first.stop()
        let directory = try #require(
            try FileManager.default.contentsOfDirectory(at: queue, includingPropertiesForKeys: nil).first)
        let journal = try String(contentsOf: directory.appendingPathComponent("journal"), encoding: .utf8)
        let eventLines = journal.split(separator: "\n").filter { $0.hasPrefix("E\t") }.count
        // The 14 pending events are all there; most of the 12 delivered ones were compacted away.
        #expect(eventLines >= events.count - 12 && eventLines < events.count - 6, "\(eventLines) event lines")

        let second = try PythonReceiver(port: first.port)
        let restarted = try DeliveryExpectations.notifier([WebhookEndpoint(url: second.url)], queue: queue)
        #expect(restarted.counters.recovered == events.count - 12)
        #expect(restarted.drain(timeout: 20).isComplete)
        DeliveryExpectations.expectDelivered(events, accepted: first.accepted() + second.accepted())
        for (key, sequence) in DeliveryExpectations.sequences(events, accepted: first.accepted() + second.accepted()) {
            #expect(sequence == Array(1...sequence.count), "sequence for \(key)")
        }
    }

    @Test func outboxSurvivesATornLastLineAndHasOneOwner() throws {
        let queue = TestEnvironment.temporaryDirectory("torn")
        defer { try? FileManager.default.removeItem(at: queue) }
        let port = try PythonReceiver.closedPort()
        let url = URL(string: "http://127.0.0.1:\(port)/webhook")!
        let events = Array(RoomScript.lifecycle(room: "torn").prefix(3))
        var notifier: WebhookNotifier? = try DeliveryExpectations.notifier([WebhookEndpoint(url: url)], queue: queue)
        for event in events { notifier!.enqueue(event) }
        #expect(throws: WebhookOutboxError.self) {
            _ = try DeliveryExpectations.notifier([WebhookEndpoint(url: url)], queue: queue)
        }
        notifier = nil
        // A crash in the middle of writing the next event leaves a line without its end.
        let directory = try #require(
            try FileManager.default.contentsOfDirectory(at: queue, includingPropertiesForKeys: nil).first)
        let journal = try FileHandle(forWritingTo: directory.appendingPathComponent("journal"))
        try journal.seekToEnd()
        try journal.write(contentsOf: Data("E\t4\t1700000000000\t4\tdG9ybg==\tEV_torn\troom_fin".utf8))
        try journal.close()

        let receiver = try PythonReceiver(port: port)
        let restarted = try DeliveryExpectations.notifier([WebhookEndpoint(url: url)], queue: queue)
        #expect(restarted.counters.recovered == 3)
        #expect(restarted.drain(timeout: 20).isComplete)
        DeliveryExpectations.expectDelivered(events, accepted: receiver.accepted())
    }

    @Test func finalRefusalsAreDeadLetteredAndTheQueueMovesOn() throws {
        let queue = TestEnvironment.temporaryDirectory("dead")
        defer { try? FileManager.default.removeItem(at: queue) }
        let receiver = try PythonReceiver(["--reject-status-for", "participant_connection_aborted"])
        let events = RoomScript.lifecycle(room: "refusing")
        let letters = Locked<[WebhookDeadLetter]>([])
        let notifier = try DeliveryExpectations.notifier(
            [WebhookEndpoint(url: receiver.url)], queue: queue, onDeadLetter: { letter in
                letters.withLock { $0.append(letter) }
            })
        for event in events { notifier.enqueue(event) }
        let report = notifier.drain(timeout: 20)
        #expect(report.isComplete)
        let refused = try #require(events.first { $0.event == .participantConnectionAborted })
        #expect(report.counters.failed == 1 && report.counters.deadLettered == 1 && report.counters.retried == 0)
        #expect(letters.withLock { $0.map(\.id) } == [refused.id])
        #expect(letters.withLock { $0.first?.reason } == .rejected(status: 400))
        DeliveryExpectations.expectDelivered(events.filter { $0.id != refused.id }, accepted: receiver.accepted())
        let directory = try #require(
            try FileManager.default.contentsOfDirectory(at: queue, includingPropertiesForKeys: nil).first)
        let lines = try String(contentsOf: directory.appendingPathComponent("dead-letter.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 1)
        let letter = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(letter["id"] as? String == refused.id && letter["reason"] as? String == "rejected with HTTP 400")
        #expect((letter["body"] as? NSDictionary) == (try JSONSerialization.jsonObject(with: refused.jsonData()) as? NSDictionary))
    }

    @Test func deadLettersCanBeReplayedWithTheirIDsAndBodies() throws {
        let queue = TestEnvironment.temporaryDirectory("replay")
        defer { try? FileManager.default.removeItem(at: queue) }
        let refusing = try PythonReceiver(["--reject-status-for", "room_started"])
        let events = Array(RoomScript.lifecycle(room: "replayed").prefix(3))
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: refusing.url)], queue: queue)
        for event in events { notifier.enqueue(event) }
        #expect(DeliveryExpectations.wait(timeout: 10) { notifier.isIdle })
        #expect(notifier.counters.deadLettered == 1 && notifier.counters.sent == 2)
        refusing.stop()
        let fixed = try PythonReceiver(port: refusing.port)
        #expect(notifier.replayDeadLetters() == 1)
        #expect(notifier.replayDeadLetters() == 0)
        #expect(notifier.drain(timeout: 10).isComplete)
        DeliveryExpectations.expectDelivered([events[0]], accepted: fixed.accepted())
    }

    @Test func redirectsAreNotFollowed() throws {
        let port = try PythonReceiver.closedPort()
        let url = URL(string: "http://127.0.0.1:\(port)/webhook")!
        let receiver = try PythonReceiver(
            ["--fail-first", "1", "--fail-status", "307", "--location", url.absoluteString], port: port)
        let events = Array(RoomScript.lifecycle(room: "redirected").prefix(2))
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: url)])
        for event in events { notifier.enqueue(event) }
        let report = notifier.drain(timeout: 10)
        #expect(report.isComplete)
        // The 307 is final for the first event (not re-posted, not retried); the second is delivered.
        #expect(receiver.entries().filter { $0["kind"] as? String == "failed" }.count == 1)
        #expect(report.counters.failed == 1 && report.counters.deadLettered == 1 && report.counters.retried == 0)
        DeliveryExpectations.expectDelivered([events[1]], accepted: receiver.accepted())
    }

    @Test func eventsOlderThanTheMaximumAgeAreDeadLetteredNotDropped() throws {
        let port = try PythonReceiver.closedPort()
        let url = URL(string: "http://127.0.0.1:\(port)/webhook")!
        let events = Array(RoomScript.lifecycle(room: "too old").prefix(3))
        let letters = Locked<[WebhookDeadLetter]>([])
        let notifier = try DeliveryExpectations.notifier(
            [WebhookEndpoint(url: url)], maximumAge: 0.5, onDeadLetter: { letter in
                letters.withLock { $0.append(letter) }
            })
        for event in events { notifier.enqueue(event) }
        let report = notifier.drain(timeout: 5)
        #expect(report.isComplete)
        #expect(report.counters.deadLettered == 3 && report.counters.sent == 0 && report.counters.retried > 0)
        #expect(letters.withLock { $0.map(\.id) } == events.map(\.id))
        #expect(letters.withLock { $0.allSatisfy { $0.reason == .expired } })
    }

    @Test func drainReportsWhatItCouldNotDeliver() throws {
        let port = try PythonReceiver.closedPort()
        let url = URL(string: "http://127.0.0.1:\(port)/webhook")!
        let events = Array(RoomScript.lifecycle(room: "unreachable").prefix(4))
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: url)])
        for event in events { notifier.enqueue(event) }
        let report = notifier.drain(timeout: 0.3)
        #expect(!report.isComplete && !report.persisted)
        #expect(report.undelivered.map(\.id) == events.map(\.id))
        #expect(report.undelivered.first?.attempts ?? 0 >= 1)
        #expect(!notifier.enqueue(events[0]))
    }

    @Test func eachURLGetsItsFilteredEventsSignedWithItsKey() throws {
        let rooms = try PythonReceiver()
        let secondKey = "APIsecondKey"
        let secondSecret = "another-test-secret-abcdefghijklmnopqrstuvwxyz"
        let others = try PythonReceiver(key: secondKey, secret: secondSecret)
        let events = RoomScript.lifecycle(room: "filtered")
        let notifier = try DeliveryExpectations.notifier([
            WebhookEndpoint(url: rooms.url, includeEvents: [.roomStarted, .roomFinished]),
            WebhookEndpoint(
                url: others.url, excludeEvents: [.trackPublished, .trackUnpublished],
                signer: WebhookSigner(apiKey: secondKey, apiSecret: secondSecret)),
        ])
        for event in events { notifier.enqueue(event) }
        let report = notifier.drain(timeout: 20)
        #expect(report.isComplete)
        #expect(rooms.entries().allSatisfy { $0["kind"] as? String == "accepted" })
        #expect(others.entries().allSatisfy { $0["kind"] as? String == "accepted" })
        let roomEvents = events.filter { [.roomStarted, .roomFinished].contains($0.event) }
        let otherEvents = events.filter { ![.trackPublished, .trackUnpublished].contains($0.event) }
        DeliveryExpectations.expectDelivered(roomEvents, accepted: rooms.accepted())
        DeliveryExpectations.expectDelivered(otherEvents, accepted: others.accepted())
        #expect(notifier.counters(for: rooms.url)?.sent == roomEvents.count)
        #expect(notifier.counters(for: others.url)?.sent == otherEvents.count)
        #expect(report.counters.sent == roomEvents.count + otherEvents.count)
    }
}
