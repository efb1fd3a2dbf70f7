import BenchSupport
import ChorusWebhooks
import Foundation

/// `webhooks.*`: events serialised, signed and delivered over loopback HTTP to a local receiver.
///
/// `webhooks.events_per_s` enqueues a burst of room events spread over 8 rooms into a notifier with a
/// durable outbox (journal on disk) and times until the last is acknowledged; the baseline is the same burst
/// through a notifier that keeps its queue in memory only (LiveKit's model). Extra figures: the caller's cost
/// of one `enqueue` (median and p99, microseconds), which is all the event path ever waits for.
enum WebhooksBenchmark {
    static func run(quick: Bool) -> [BenchmarkResult] {
        let server = LoopbackHTTPServer()
        let url = URL(string: "http://127.0.0.1:\(server.port)/webhook")!
        let count = quick ? 400 : 4000
        let runs = quick ? 2 : 3
        let template = WebhookEvent.participantJoined(
            room: .init(sid: LiveKitID.make(prefix: "RM_"), name: "bench", emptyTimeout: 300, creationTime: 1_700_000_000),
            participant: .init(sid: LiveKitID.make(prefix: "PA_"), identity: "alice", state: .active, joinedAt: 1_700_000_000))

        func burst(durable: Bool) -> (eventsPerSecond: Double, enqueueMicros: [Double]) {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-bench-webhooks-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            guard let notifier = try? WebhookNotifier(configuration: .init(
                endpoints: [WebhookEndpoint(url: url)],
                signer: WebhookSigner(apiKey: "APIbench", apiSecret: "bench-secret-0123456789abcdefghijklmnop"),
                queueDirectory: durable ? directory : nil,
                retry: WebhookRetryPolicy(initialBackoff: 0.01, maximumBackoff: 0.1)))
            else { return (0, []) }
            var enqueueMicros: [Double] = []
            enqueueMicros.reserveCapacity(count)
            let start = monotonicNanoseconds()
            for index in 0..<count {
                var event = template
                event.id = LiveKitID.make(prefix: "EV_")
                event.room?.name = "bench room \(index % 8)"
                let before = monotonicNanoseconds()
                notifier.enqueue(event)
                enqueueMicros.append(Double(monotonicNanoseconds() - before) / 1000)
            }
            let report = notifier.drain(timeout: 120)
            let seconds = Double(monotonicNanoseconds() - start) / 1e9
            guard report.isComplete, report.counters.sent == count else { return (0, enqueueMicros) }
            return (Double(count) / seconds, enqueueMicros)
        }

        var durable: [Double] = []
        var memory: [Double] = []
        var enqueue: [Double] = []
        _ = burst(durable: true)  // warm-up: connections, page cache
        for _ in 0..<runs {
            let result = burst(durable: true)
            durable.append(result.eventsPerSecond)
            enqueue += result.enqueueMicros
            memory.append(burst(durable: false).eventsPerSecond)
        }
        let sortedEnqueue = enqueue.sorted()
        let p99 = sortedEnqueue.isEmpty ? 0 : sortedEnqueue[min(sortedEnqueue.count - 1, sortedEnqueue.count * 99 / 100)]
        let value = median(durable)
        let baseline = median(memory)
        return [
            BenchmarkResult(
                name: "webhooks.events_per_s", value: value, unit: "events/s", baseline: baseline,
                ratio: baseline > 0 ? value / baseline : nil, goal: "value >= 1000, ratio >= 0.5",
                extra: [("enqueue_median_us", sortedEnqueue.isEmpty ? 0 : median(sortedEnqueue)), ("enqueue_p99_us", p99)]),
        ]
    }
}
