import Foundation

/// When to try a webhook again: exponential backoff with jitter, bounded by the notifier's maximum age.
///
/// After the n-th failed attempt the wait is `min(maximumBackoff, initialBackoff × multiplier^(n−1))`,
/// scaled by a random factor in `1 ± jitter`, unless the receiver sent `Retry-After` (capped at
/// ``maximumRetryAfter``). Network errors, timeouts, 429 and 5xx other than 501 are retried; any other
/// status is final.
public struct WebhookRetryPolicy: Sendable, Equatable {
    /// The wait after the first failed attempt (LiveKit: 1 s).
    public var initialBackoff: TimeInterval
    /// The longest wait between attempts (LiveKit: 30 s).
    public var maximumBackoff: TimeInterval
    /// The factor between successive waits.
    public var multiplier: Double
    /// The relative spread of the random jitter, 0 to 1.
    public var jitter: Double
    /// The most attempts per event, nil for no limit other than the maximum age. When reached, the event is
    /// dead-lettered.
    public var maximumAttempts: Int?
    /// The longest `Retry-After` honoured.
    public var maximumRetryAfter: TimeInterval

    /// Creates a policy. The defaults wait 1, 2, 4, 8, 16, 30, 30 … s (±20 %).
    public init(
        initialBackoff: TimeInterval = 1, maximumBackoff: TimeInterval = 30, multiplier: Double = 2,
        jitter: Double = 0.2, maximumAttempts: Int? = nil, maximumRetryAfter: TimeInterval = 300
    ) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.multiplier = multiplier
        self.jitter = jitter
        self.maximumAttempts = maximumAttempts
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// The wait before attempt `failedAttempts + 1`, given the receiver's `Retry-After` if any.
    public func delay(afterFailedAttempts failedAttempts: Int, retryAfter: TimeInterval?) -> TimeInterval {
        if let retryAfter { return min(max(0, retryAfter), self.maximumRetryAfter) }
        let exponent = Double(max(0, failedAttempts - 1))
        let base = min(self.maximumBackoff, self.initialBackoff * pow(self.multiplier, exponent))
        let spread = min(max(self.jitter, 0), 1)
        return max(0, base * (1 + Double.random(in: -spread...spread)))
    }
}
