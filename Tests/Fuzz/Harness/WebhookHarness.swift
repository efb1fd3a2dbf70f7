import ChorusWebhooks
import Foundation

/// Webhook requests as a backend receives them.
///
/// The first byte picks a mode. Mode 0: the rest is a request body; if it decodes as an event,
/// the event must re-encode to a body that decodes to the same event, and a body signed by
/// ``WebhookSigner`` must pass ``WebhookReceiver`` and give that event back. Mode 1: the rest is an
/// `Authorization` value and a body separated by a zero byte; the receiver must accept or refuse
/// it with an error, and anything it accepts must carry a body hash that matches.
enum WebhookHarness {
    static let signer = WebhookSigner(apiKey: "fuzz-key", apiSecret: "fuzz-secret-at-least-32-bytes-long!")
    static let receiver = WebhookReceiver(apiKey: "fuzz-key", apiSecret: "fuzz-secret-at-least-32-bytes-long!")
    /// A fixed clock, so a token kept in the corpus stays valid forever.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func run(_ bytes: UnsafeRawBufferPointer, _ findings: inout FuzzFindings) {
        var input = FuzzReader(bytes)
        guard let mode = input.byte() else { return }
        if mode & 1 == 0 {
            roundTrip(Data(input.rest()), &findings)
        } else {
            let rest = input.rest()
            let split = rest.firstIndex(of: 0) ?? rest.count
            let token = String(decoding: UnsafeRawBufferPointer(rebasing: rest[0..<split]), as: UTF8.self)
            let body = Data(UnsafeRawBufferPointer(rebasing: rest[min(split + 1, rest.count)...]))
            guard let event = try? receiver.receive(body: body, authorization: token, now: now) else { return }
            // Only a token signed with the secret passes (the corpus keeps one); its claims must
            // carry this body's hash, read here independently of the receiver.
            let claims = token.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? ""
            var base64 = claims.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            let claimsText = Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) } ?? ""
            findings.expect(claimsText.contains(WebhookSigner.bodyHash(body)), "accepted a token whose claims lack the body's hash")
            roundTrip(event.jsonData(), &findings)
        }
    }

    static func roundTrip(_ body: Data, _ findings: inout FuzzFindings) {
        guard let event = try? WebhookEvent(jsonData: body) else { return }
        let encoded = event.jsonData()
        guard let again = try? WebhookEvent(jsonData: encoded) else {
            findings.expect(false, "re-encoded event does not decode: \(String(decoding: encoded, as: UTF8.self))")
            return
        }
        findings.expect(again == event, "event changed in a round trip: \(String(decoding: encoded, as: UTF8.self))")
        let authorization = signer.authorization(for: encoded, now: now)
        do {
            let received = try receiver.receive(body: encoded, authorization: authorization, now: now)
            findings.expect(received == event, "signed event came back different")
        } catch {
            findings.expect(false, "a freshly signed body was refused: \(error)")
        }
    }
}
