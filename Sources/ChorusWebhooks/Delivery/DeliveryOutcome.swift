import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What one attempt's result means for the event (retryablehttp's `DefaultRetryPolicy`, as LiveKit uses it).
enum DeliveryOutcome: Equatable {
    /// A 2xx status: delivered.
    case delivered
    /// A network error, a timeout, 429, or 5xx other than 501: try again, after `retryAfter` if the
    /// receiver said so.
    case retry(retryAfter: TimeInterval?)
    /// Any other status (including 501, 3xx and 4xx other than 429): final.
    case rejected(status: Int)

    /// Classifies an attempt's response or error.
    init(response: HTTPURLResponse?, error: (any Error)?, now: Date = Date()) {
        guard let response, error == nil else {
            self = .retry(retryAfter: nil)
            return
        }
        let status = response.statusCode
        switch status {
        case 200..<300:
            self = .delivered
        case 429:
            self = .retry(retryAfter: Self.retryAfter(response, now: now))
        case 500..<600 where status != 501:
            self = .retry(retryAfter: Self.retryAfter(response, now: now))
        default:
            self = .rejected(status: status)
        }
    }

    /// The `Retry-After` header as seconds from `now`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
    static func retryAfter(_ response: HTTPURLResponse, now: Date) -> TimeInterval? {
        let header = response.allHeaderFields.first { ($0.key as? String)?.lowercased() == "retry-after" }
        guard let value = (header?.value as? String)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        if let seconds = Int(value) { return TimeInterval(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
