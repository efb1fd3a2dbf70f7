/// What a notifier has done so far, for one endpoint or summed over all. Readable at any time.
public struct WebhookDeliveryCounters: Sendable, Equatable {
    /// Events accepted by ``WebhookNotifier/enqueue(_:)`` for delivery (after filtering).
    public var enqueued = 0
    /// Events found pending in the outbox at start-up, sent again.
    public var recovered = 0
    /// Events the receiver acknowledged with a 2xx status.
    public var sent = 0
    /// Attempts that failed in a way worth retrying (network error, timeout, 429, 5xx but 501) and were retried.
    public var retried = 0
    /// Events refused for good by the receiver (any other status, e.g. 401); they are dead-lettered too.
    public var failed = 0
    /// Events given up and written to the dead-letter file: refused, too old, or out of attempts.
    public var deadLettered = 0
    /// Events not yet delivered nor given up.
    public var pending = 0
    /// Outbox writes that failed (the event was still kept in memory and sent).
    public var outboxErrors = 0

    /// No events yet.
    public init() {}

    /// Adds another endpoint's counters to these.
    mutating func add(_ other: WebhookDeliveryCounters) {
        self.enqueued += other.enqueued
        self.recovered += other.recovered
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.deadLettered += other.deadLettered
        self.pending += other.pending
        self.outboxErrors += other.outboxErrors
    }
}
