import ChorusWebhooks
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A sender process killed with SIGKILL mid-delivery: a notifier opened afterwards on the same outbox
/// delivers everything the dead one had not, in order.
///
/// The sender is this test binary run again with only ``crashChildSendsAndWaits()`` enabled.
@Suite struct WebhookOutboxCrashTests {
    static let childVariable = "CHORUS_WEBHOOK_CRASH_CHILD"

    @Test func aNotifierKilledWithSIGKILLLosesNothing() throws {
        let work = TestEnvironment.temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(at: work) }
        let queue = work.appendingPathComponent("outbox")
        let eventsFile = work.appendingPathComponent("events.jsonl")
        let first = try PythonReceiver(["--hang-after", "5", "--hang-seconds", "60"])

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "crashChildSendsAndWaits"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childVariable] = "1"
        environment["CHORUS_WEBHOOK_CRASH_URL"] = first.url.absoluteString
        environment["CHORUS_WEBHOOK_CRASH_QUEUE"] = queue.path
        environment["CHORUS_WEBHOOK_CRASH_EVENTS"] = eventsFile.path
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let started = first.waitFor(timeout: 30) { entries in
            entries.filter { $0["kind"] as? String == "accepted" }.count == 5
                && entries.filter { $0["kind"] as? String == "hung" }.count >= 2
        }
        Thread.sleep(forTimeInterval: 0.3)  // let the child read the answers already sent
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        try #require(started, "the child sender did not deliver its first events")
        first.stop()

        let events = try String(contentsOf: eventsFile, encoding: .utf8).split(separator: "\n").map {
            try WebhookEvent(jsonData: Data($0.utf8))
        }
        try #require(events.count == 26)
        let second = try PythonReceiver(port: first.port)
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: second.url)], queue: queue)
        // Five were delivered before the kill; those whose answer the child had not journalled yet come again.
        #expect((events.count - 5)...events.count ~= notifier.counters.recovered)
        let report = notifier.drain(timeout: 30)
        #expect(report.isComplete)
        #expect(report.counters.sent == notifier.counters.recovered)
        DeliveryExpectations.expectDelivered(events, accepted: first.accepted() + second.accepted(), allowDuplicates: true)
    }

    /// The child's part: enqueue two rooms' lifecycles into a durable notifier, record them, and wait to be
    /// killed. Enabled only in the child process.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil))
    func crashChildSendsAndWaits() throws {
        let environment = ProcessInfo.processInfo.environment
        let url = try #require(environment["CHORUS_WEBHOOK_CRASH_URL"].flatMap(URL.init(string:)))
        let queue = URL(fileURLWithPath: try #require(environment["CHORUS_WEBHOOK_CRASH_QUEUE"]))
        let eventsFile = URL(fileURLWithPath: try #require(environment["CHORUS_WEBHOOK_CRASH_EVENTS"]))
        let events = DeliveryExpectations.interleave([
            RoomScript.lifecycle(room: "killed a"), RoomScript.lifecycle(room: "killed b"),
        ])
        try events.map { $0.jsonString() + "\n" }.joined().write(to: eventsFile, atomically: true, encoding: .utf8)
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: url)], queue: queue, attemptTimeout: 120)
        for event in events { notifier.enqueue(event) }
        Thread.sleep(forTimeInterval: 60)
    }
}
