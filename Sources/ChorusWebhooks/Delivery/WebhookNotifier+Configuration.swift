import Foundation

extension WebhookNotifier {
    /// How a ``WebhookNotifier`` delivers: where, signed with what, how persistently and how patiently.
    public struct Configuration: Sendable {
        /// The URLs to post to, each with its own queue and filter.
        public var endpoints: [WebhookEndpoint]
        /// The API key and secret that sign requests (unless an endpoint has its own).
        public var signer: WebhookSigner
        /// The durable outbox's directory (one subdirectory per endpoint), or nil to keep events in memory
        /// only (they are then lost if the process stops before they are delivered).
        ///
        /// Queues have no depth limit (LiveKit drops beyond 200): what bounds them is ``maximumAge``.
        public var queueDirectory: URL?
        /// When to retry.
        public var retry: WebhookRetryPolicy
        /// How long an event may wait for delivery before it is dead-lettered (default 24 h; LiveKit: 30 s).
        public var maximumAge: TimeInterval
        /// How long one attempt may take before it is abandoned and retried (default 10 s; LiveKit: none).
        public var attemptTimeout: TimeInterval
        /// Called (on a delivery thread) for each event given up, besides the dead-letter file and counter.
        public var onDeadLetter: (@Sendable (WebhookDeadLetter) -> Void)?
        /// Journal size (bytes written since the last compaction) past which the outbox is compacted.
        var compactionThreshold = 1 << 20

        /// Creates a configuration.
        public init(
            endpoints: [WebhookEndpoint], signer: WebhookSigner, queueDirectory: URL? = nil,
            retry: WebhookRetryPolicy = WebhookRetryPolicy(), maximumAge: TimeInterval = 24 * 3600,
            attemptTimeout: TimeInterval = 10, onDeadLetter: (@Sendable (WebhookDeadLetter) -> Void)? = nil
        ) {
            self.endpoints = endpoints
            self.signer = signer
            self.queueDirectory = queueDirectory
            self.retry = retry
            self.maximumAge = maximumAge
            self.attemptTimeout = attemptTimeout
            self.onDeadLetter = onDeadLetter
        }
    }
}
