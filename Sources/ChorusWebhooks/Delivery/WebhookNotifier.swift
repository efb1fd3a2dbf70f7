import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends LiveKit-compatible webhooks, in order, durably, and without blocking its caller.
///
/// Delivery matches LiveKit's (`protocol/webhook`): one queue per URL; within it one FIFO per ordering key
/// (egress id, else ingress id, else room name) with one request in flight per key; `POST` of the event's
/// protobuf JSON with `Content-Type: application/webhook+json` and `Authorization: <JWT>` (see
/// ``WebhookSigner``); retries on network errors, 429 and 5xx other than 501, honouring `Retry-After`; other
/// statuses are final. Beyond LiveKit:
/// - a durable outbox (``Configuration/queueDirectory``): every event is journalled before ``enqueue(_:)``
///   returns, and one left pending by a crash or restart is sent by the next notifier opened on the directory,
///   in order (at least once: de-duplicate by ``WebhookEvent/id``);
/// - the JWT is signed again on every attempt (same body, same id), so retries may go on past its 5 minutes;
/// - no silent drop: an event is retried until ``Configuration/maximumAge`` (default 24 h) and then written to
///   the dead-letter file, counted and reported to ``Configuration/onDeadLetter``;
/// - a per-attempt timeout (``Configuration/attemptTimeout``), no redirects followed;
/// - per-URL include/exclude filters and signers (``WebhookEndpoint``);
/// - extra headers, ignored by LiveKit's receivers: `Webhook-Id` (the event id), `Webhook-Sequence` (1, 2, 3 …
///   per ordering key and URL, restarting after `room_finished`, so a receiver can see a gap) and
///   `Webhook-Attempt`;
/// - ``counters`` readable at any time and ``drain(timeout:)`` for shutdown.
///
/// Thread-safe. Dropping the notifier without draining stops it at once and leaves what is pending in the
/// outbox, as a crash would.
public final class WebhookNotifier: Sendable {
    /// The configuration it was created with.
    public let configuration: Configuration
    private let deliveries: [EndpointDelivery]
    private let session: URLSession

    /// Opens the outbox of each endpoint (when ``Configuration/queueDirectory`` is set) and starts sending
    /// what it holds.
    ///
    /// - Throws: ``WebhookOutboxError`` if an outbox cannot be opened or another notifier holds it.
    public init(configuration: Configuration) throws(WebhookOutboxError) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = EndpointDelivery.coarseTimeout(configuration.attemptTimeout)
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.urlCache = nil
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.httpShouldSetCookies = false
        self.session = URLSession(configuration: sessionConfiguration, delegate: RedirectRefuser(), delegateQueue: nil)
        var deliveries: [EndpointDelivery] = []
        do {
            for endpoint in configuration.endpoints {
                deliveries.append(
                    try EndpointDelivery(endpoint: endpoint, configuration: configuration, session: self.session))
            }
        } catch {
            for delivery in deliveries { _ = delivery.stop() }
            self.session.invalidateAndCancel()
            throw error
        }
        self.deliveries = deliveries
        for delivery in deliveries { delivery.start() }
    }

    deinit {
        for delivery in self.deliveries { _ = delivery.stop() }
        self.session.invalidateAndCancel()
    }

    /// Queues `event` for every endpoint whose filter accepts it and returns at once.
    ///
    /// The event is serialised once; the same bytes go to every endpoint and every attempt. With an outbox, it
    /// is written to each endpoint's journal (a `write(2)`, flushed to disk later by the sender) before this
    /// returns. Never waits on the network.
    ///
    /// - Returns: false if the notifier was drained (stopped); the event is then not queued.
    /// - Complexity: O(size of the event) per accepting endpoint.
    @discardableResult
    public func enqueue(_ event: WebhookEvent) -> Bool {
        let body = event.jsonData()
        let bodyHash = WebhookSigner.bodyHash(body)
        let key = event.orderingKey
        let now = Date()
        var accepted = true
        for delivery in self.deliveries where delivery.endpoint.accepts(event.event) {
            accepted =
                delivery.enqueue(id: event.id, event: event.event, key: key, body: body, bodyHash: bodyHash, now: now)
                && accepted
        }
        return accepted
    }

    /// Queues again every event in the endpoints' dead-letter files (same id and body, so receivers can
    /// de-duplicate), e.g. after fixing what made a receiver refuse them. Each file is renamed to
    /// `dead-letter.replayed-<unix ms>.jsonl` first and kept. Needs ``Configuration/queueDirectory``.
    /// A replayed event gets a new `Webhook-Sequence` number (the gap at its first one stays visible).
    ///
    /// - Returns: How many events were queued again.
    @discardableResult
    public func replayDeadLetters() -> Int {
        let now = Date()
        return self.deliveries.reduce(0) { $0 + $1.replayDeadLetters(now: now) }
    }

    /// The counters summed over all endpoints.
    public var counters: WebhookDeliveryCounters {
        var total = WebhookDeliveryCounters()
        for delivery in self.deliveries { total.add(delivery.counters) }
        return total
    }

    /// The counters of the endpoint posting to `url`, or nil if there is none.
    public func counters(for url: URL) -> WebhookDeliveryCounters? {
        self.deliveries.first { $0.endpoint.url == url }?.counters
    }

    /// True when every event has been delivered or given up.
    public var isIdle: Bool { self.deliveries.allSatisfy(\.isIdle) }

    /// Waits up to `timeout` seconds for every queued event to be delivered or given up, then stops the
    /// notifier: requests still in flight are cancelled and no more are made; ``enqueue(_:)`` returns false.
    ///
    /// Call it on shutdown, after enqueueing the last events (e.g. `participant_left` and `room_finished`).
    /// Blocks the calling thread.
    ///
    /// - Returns: What was not delivered; with an outbox those events stay in it for the next notifier.
    public func drain(timeout: TimeInterval) -> WebhookDrainReport {
        let deadline = Date().addingTimeInterval(timeout)
        while !self.isIdle && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        let counters = self.counters
        var undelivered: [WebhookDrainReport.Undelivered] = []
        for delivery in self.deliveries { undelivered += delivery.stop() }
        return WebhookDrainReport(
            undelivered: undelivered, persisted: self.configuration.queueDirectory != nil, counters: counters)
    }
}
