import Foundation

/// What ``WebhookNotifier/drain(timeout:)`` could not deliver before its timeout.
public struct WebhookDrainReport: Sendable, Equatable {
    /// An event still pending when the notifier stopped.
    public struct Undelivered: Sendable, Equatable {
        /// The endpoint's URL.
        public var url: URL
        /// The event's id.
        public var id: String
        /// The event's name.
        public var event: String
        /// The event's ordering key.
        public var key: String
        /// Attempts made so far.
        public var attempts: Int
    }

    /// Events not delivered, in queue order per endpoint and key.
    public var undelivered: [Undelivered]
    /// True when they stay in the durable outbox and will be sent by the next notifier opened on the same
    /// queue directory; false when the notifier kept them in memory only and they are lost.
    public var persisted: Bool
    /// The counters when the notifier stopped.
    public var counters: WebhookDeliveryCounters

    /// True when everything was delivered or given up (see ``WebhookDeliveryCounters/deadLettered``).
    public var isComplete: Bool { self.undelivered.isEmpty }
}
