import Foundation

/// One event in an endpoint's outbox: the body to send and what orders and identifies it.
struct OutboxRecord: Sendable {
    /// Position in the endpoint's outbox, increasing; acknowledgements name it.
    var number: UInt64
    /// Unix time it was enqueued, in milliseconds; the maximum age counts from here.
    var enqueuedAtMillis: Int64
    /// Its number among the events of its ordering key sent to this endpoint (`Webhook-Sequence`), from 1.
    var sequence: UInt64
    /// The ordering key (room name, egress id or ingress id).
    var key: String
    /// The event's id (`EV_…`).
    var id: String
    /// The event's name.
    var event: String
    /// The protobuf JSON body, sent byte for byte.
    var body: Data

    /// The journal line: `E`, then the fields separated by tabs; key and body base64-encoded.
    var journalLine: String {
        "E\t\(self.number)\t\(self.enqueuedAtMillis)\t\(self.sequence)\t\(Data(self.key.utf8).base64EncodedString())"
            + "\t\(self.id)\t\(self.event)\t\(self.body.base64EncodedString())\n"
    }

    /// Parses the fields of an `E` line (without the `E`); nil if any is malformed.
    init?(journalFields fields: [Substring]) {
        guard fields.count == 7, let number = UInt64(fields[0]), let millis = Int64(fields[1]),
            let sequence = UInt64(fields[2]), let keyData = Data(base64Encoded: String(fields[3])),
            let key = String(data: keyData, encoding: .utf8), let body = Data(base64Encoded: String(fields[6]))
        else { return nil }
        self.init(
            number: number, enqueuedAtMillis: millis, sequence: sequence, key: key, id: String(fields[4]),
            event: String(fields[5]), body: body)
    }

    /// Creates a record.
    init(
        number: UInt64, enqueuedAtMillis: Int64, sequence: UInt64, key: String, id: String, event: String, body: Data
    ) {
        self.number = number
        self.enqueuedAtMillis = enqueuedAtMillis
        self.sequence = sequence
        self.key = key
        self.id = id
        self.event = event
        self.body = body
    }
}
