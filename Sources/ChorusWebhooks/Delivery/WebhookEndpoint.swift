import Foundation

/// One URL webhooks are posted to, with its own queue, outbox and optional event filter.
///
/// The filter works as LiveKit's `filter_params`: when ``includeEvents`` is not empty only those events are
/// sent; otherwise every event but those in ``excludeEvents``.
public struct WebhookEndpoint: Sendable, Equatable {
    /// The URL to POST to.
    public var url: URL
    /// When not empty, the only events sent to this URL.
    public var includeEvents: Set<WebhookEvent.Name>
    /// Events not sent to this URL (used only when ``includeEvents`` is empty).
    public var excludeEvents: Set<WebhookEvent.Name>
    /// A signer for this URL only (another API key and secret); nil to use the notifier's.
    public var signer: WebhookSigner?

    /// Creates an endpoint.
    public init(
        url: URL, includeEvents: Set<WebhookEvent.Name> = [], excludeEvents: Set<WebhookEvent.Name> = [],
        signer: WebhookSigner? = nil
    ) {
        self.url = url
        self.includeEvents = includeEvents
        self.excludeEvents = excludeEvents
        self.signer = signer
    }

    /// True when events named `name` are sent to this endpoint.
    public func accepts(_ name: WebhookEvent.Name) -> Bool {
        self.includeEvents.isEmpty ? !self.excludeEvents.contains(name) : self.includeEvents.contains(name)
    }

    /// The name of this endpoint's outbox directory: a hash of the URL, so that each URL keeps its own
    /// outbox across restarts and reordered configurations.
    var outboxDirectoryName: String {
        Crypto.sha256(Array(self.url.absoluteString.utf8)).prefix(10).map {
            let hex = String($0, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
