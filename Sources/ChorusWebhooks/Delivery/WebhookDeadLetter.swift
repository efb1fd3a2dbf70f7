import Foundation

/// An event a notifier gave up on, as written to the endpoint's `dead-letter.jsonl`.
public struct WebhookDeadLetter: Sendable, Equatable {
    /// Why it was given up.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// The receiver answered with a status that is not retried (e.g. 400, 401, 404, 501, a redirect).
        case rejected(status: Int)
        /// It was older than the notifier's maximum age before it could be delivered.
        case expired
        /// The retry policy's maximum number of attempts was reached.
        case attemptsExhausted

        /// A short text for logs and the dead-letter file.
        public var description: String {
            switch self {
            case .rejected(let status): "rejected with HTTP \(status)"
            case .expired: "older than the maximum age"
            case .attemptsExhausted: "out of attempts"
            }
        }
    }

    /// The endpoint's URL.
    public var url: URL
    /// The event's id.
    public var id: String
    /// The event's name.
    public var event: String
    /// The event's ordering key.
    public var key: String
    /// Why it was given up.
    public var reason: Reason
    /// How many attempts were made.
    public var attempts: Int
    /// The body that was (or would have been) sent.
    public var body: Data

    /// The line written to `dead-letter.jsonl` (the body embedded as JSON).
    var jsonLine: String {
        var line = "{\"id\":"
        ProtoJSONWriter.appendQuoted(self.id, to: &line)
        line += ",\"event\":"
        ProtoJSONWriter.appendQuoted(self.event, to: &line)
        line += ",\"key\":"
        ProtoJSONWriter.appendQuoted(self.key, to: &line)
        line += ",\"url\":"
        ProtoJSONWriter.appendQuoted(self.url.absoluteString, to: &line)
        line += ",\"reason\":"
        ProtoJSONWriter.appendQuoted(self.reason.description, to: &line)
        line += ",\"attempts\":\(self.attempts),\"deadLetteredAt\":\(Int64(Date().timeIntervalSince1970)),\"body\":"
        line += String(decoding: self.body, as: UTF8.self)
        line += "}\n"
        return line
    }
}
