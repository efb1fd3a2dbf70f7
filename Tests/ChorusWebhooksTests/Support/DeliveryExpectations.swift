import ChorusWebhooks
import Foundation
import Testing

/// Checks shared by the delivery tests.
enum DeliveryExpectations {
    /// A retry policy fast enough for tests.
    static let fastRetry = WebhookRetryPolicy(initialBackoff: 0.05, maximumBackoff: 0.2, jitter: 0.2)

    /// A notifier posting to `urls` (or `endpoints`) with the tests' key and a fast retry policy.
    static func notifier(
        _ endpoints: [WebhookEndpoint], queue: URL? = nil, retry: WebhookRetryPolicy = fastRetry,
        maximumAge: TimeInterval = 3600, attemptTimeout: TimeInterval = 5,
        onDeadLetter: (@Sendable (WebhookDeadLetter) -> Void)? = nil
    ) throws -> WebhookNotifier {
        try WebhookNotifier(
            configuration: .init(
                endpoints: endpoints,
                signer: WebhookSigner(apiKey: TestEnvironment.apiKey, apiSecret: TestEnvironment.apiSecret),
                queueDirectory: queue, retry: retry, maximumAge: maximumAge, attemptTimeout: attemptTimeout,
                onDeadLetter: onDeadLetter))
    }

    /// Interleaves several event lists (as rooms running at the same time would emit them).
    static func interleave(_ lists: [[WebhookEvent]]) -> [WebhookEvent] {
        var out: [WebhookEvent] = []
        for index in 0..<(lists.map(\.count).max() ?? 0) {
            for list in lists where index < list.count { out.append(list[index]) }
        }
        return out
    }

    /// Every event of `sent` was accepted by the SDK, once after de-duplication by id (exactly once when
    /// `allowDuplicates` is false), in enqueue order within each ordering key, with the same content as the
    /// body sent (the SDK's parse of it equals ours), and its `Webhook-Id` and `Webhook-Sequence` headers.
    static func expectDelivered(
        _ sent: [WebhookEvent], accepted: [[String: Any]], allowDuplicates: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var firsts: [[String: Any]] = []
        var seen = Set<String>()
        for entry in accepted {
            let id = entry["id"] as? String ?? ""
            if seen.insert(id).inserted { firsts.append(entry) }
        }
        if !allowDuplicates {
            #expect(accepted.count == firsts.count, "duplicates were delivered", sourceLocation: sourceLocation)
        }
        #expect(Set(firsts.map { $0["id"] as? String ?? "" }) == Set(sent.map(\.id)),
                "delivered ids differ from sent ids", sourceLocation: sourceLocation)
        let byID = Dictionary(uniqueKeysWithValues: sent.map { ($0.id, $0) })
        var orderPerKey: [String: [String]] = [:]
        for entry in firsts {
            guard let id = entry["id"] as? String, let event = byID[id] else { continue }
            orderPerKey[event.orderingKey, default: []].append(id)
            #expect(entry["webhook_id"] as? String == id, sourceLocation: sourceLocation)
            #expect(entry["content_type"] as? String == "application/webhook+json", sourceLocation: sourceLocation)
            let ours = try? JSONSerialization.jsonObject(with: event.jsonData()) as? NSDictionary
            let theirs = entry["event_json"] as? NSDictionary
            #expect(ours != nil && ours == theirs, "SDK parse differs for \(event.event)", sourceLocation: sourceLocation)
        }
        for (key, ids) in orderPerKey {
            let expected = sent.filter { $0.orderingKey == key }.map(\.id)
            #expect(ids == expected, "order differs for key \(key)", sourceLocation: sourceLocation)
        }
    }

    /// The `Webhook-Sequence` headers of the first delivery of each event, per ordering key.
    static func sequences(_ sent: [WebhookEvent], accepted: [[String: Any]]) -> [String: [Int]] {
        let byID = Dictionary(uniqueKeysWithValues: sent.map { ($0.id, $0) })
        var seen = Set<String>()
        var out: [String: [Int]] = [:]
        for entry in accepted {
            guard let id = entry["id"] as? String, seen.insert(id).inserted, let event = byID[id] else { continue }
            out[event.orderingKey, default: []].append(Int(entry["sequence"] as? String ?? "") ?? -1)
        }
        return out
    }

    /// Polls `condition` until it holds or `timeout` passes.
    @discardableResult
    static func wait(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }
}
