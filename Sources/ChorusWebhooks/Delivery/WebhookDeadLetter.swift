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

        /// The reason whose ``description`` is `text`, as read back from the dead-letter file.
        init?(description text: String) {
            if text.hasPrefix("rejected with HTTP "), let status = Int(text.dropFirst("rejected with HTTP ".count)) {
                self = .rejected(status: status)
            } else if text == Reason.expired.description {
                self = .expired
            } else if text == Reason.attemptsExhausted.description {
                self = .attemptsExhausted
            } else {
                return nil
            }
        }

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

    /// Creates a dead letter.
    init(url: URL, id: String, event: String, key: String, reason: Reason, attempts: Int, body: Data) {
        self.url = url
        self.id = id
        self.event = event
        self.key = key
        self.reason = reason
        self.attempts = attempts
        self.body = body
    }

    /// Reads a line of `dead-letter.jsonl` back, with the body's exact bytes; nil if it is not one.
    init?(jsonLine line: Substring) {
        // The body is written last, verbatim: everything between the first `,"body":` (which cannot occur
        // inside the escaped strings before it) and the closing brace.
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let id = object["id"] as? String, let event = object["event"] as? String,
            let key = object["key"] as? String, let url = (object["url"] as? String).flatMap(URL.init(string:)),
            let reason = (object["reason"] as? String).flatMap(Reason.init(description:)),
            let marker = line.range(of: ",\"body\":"), line.hasSuffix("}")
        else { return nil }
        let body = Data(line[marker.upperBound..<line.index(before: line.endIndex)].utf8)
        self.init(
            url: url, id: id, event: event, key: key, reason: reason, attempts: object["attempts"] as? Int ?? 0,
            body: body)
    }

    /// The line written to `dead-letter.jsonl` (the body embedded as JSON).
    var jsonLine: String {
        var line = "{\"id\":"
        JSONStringLiteral.append(self.id, to: &line)
        line += ",\"event\":"
        JSONStringLiteral.append(self.event, to: &line)
        line += ",\"key\":"
        JSONStringLiteral.append(self.key, to: &line)
        line += ",\"url\":"
        JSONStringLiteral.append(self.url.absoluteString, to: &line)
        line += ",\"reason\":"
        JSONStringLiteral.append(self.reason.description, to: &line)
        line += ",\"attempts\":\(self.attempts),\"deadLetteredAt\":\(Int64(Date().timeIntervalSince1970)),\"body\":"
        line += String(decoding: self.body, as: UTF8.self)
        line += "}\n"
        return line
    }
}
