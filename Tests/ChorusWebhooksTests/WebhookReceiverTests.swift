import Foundation
import Testing

@testable import ChorusWebhooks

/// The Swift receiver against LiveKit's Python SDK: both accept the same requests and refuse the same
/// tampered ones, and the Swift receiver names each failure.
@Suite struct WebhookReceiverTests {
    /// One request and the Swift receiver's expected verdict (nil: accepted).
    struct Case {
        var name: String
        var body: Data
        var authorization: String?
        var expected: WebhookReceiverError?
    }

    let key = TestEnvironment.apiKey
    let secret = TestEnvironment.apiSecret

    /// Signs arbitrary header and claims JSON with HMAC-SHA256 under `secret`.
    func token(header: String = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims: [String: Any], secret: String? = nil)
        throws -> String
    {
        let claimsData = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(claimsData)
        let tag = Crypto.hmacSHA256(key: Array((secret ?? self.secret).utf8), message: Array(input.utf8))
        return input + "." + Base64URL.encode(tag)
    }

    func cases() throws -> [Case] {
        let event = RoomScript.lifecycle(room: "tamper room")[1]
        let body = event.jsonData()
        let signer = WebhookSigner(apiKey: self.key, apiSecret: self.secret)
        let good = signer.authorization(for: body)
        let now = Int(Date().timeIntervalSince1970)
        let hash = WebhookSigner.bodyHash(body)
        var tampered = body
        tampered[tampered.count / 2] ^= 0x01
        let reserialised = Data(String(decoding: body, as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        let unpaddedHash = hash.replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        func claims(_ changes: [String: Any?]) -> [String: Any] {
            var claims: [String: Any] = ["iss": self.key, "nbf": now, "iat": now, "exp": now + 300, "sha256": hash]
            for (name, value) in changes { claims[name] = value }
            return claims
        }
        return [
            Case(name: "valid", body: body, authorization: good, expected: nil),
            Case(name: "nbf and iat 55 s ahead (within leeway)", body: body,
                 authorization: try self.token(claims: claims(["nbf": now + 55, "iat": now + 55])), expected: nil),
            Case(name: "exp 55 s ago (within leeway)", body: body,
                 authorization: try self.token(claims: claims(["exp": now - 55])), expected: nil),
            Case(name: "no Authorization", body: body, authorization: nil, expected: .missingAuthorization),
            Case(name: "Bearer prefix", body: body, authorization: "Bearer " + good,
                 expected: .malformedToken("a \"Bearer \" prefix (LiveKit sends the bare token)")),
            Case(name: "not a JWT", body: body, authorization: "abc.def",
                 expected: .malformedToken("expected three dot-separated segments")),
            Case(name: "tampered body", body: tampered, authorization: good, expected: .bodyHashMismatch),
            Case(name: "re-serialised body", body: reserialised, authorization: good, expected: .bodyHashMismatch),
            Case(name: "wrong secret", body: body,
                 authorization: WebhookSigner(apiKey: self.key, apiSecret: self.secret + "x").authorization(for: body),
                 expected: .invalidSignature),
            Case(name: "wrong issuer", body: body,
                 authorization: WebhookSigner(apiKey: "APIother", apiSecret: self.secret).authorization(for: body),
                 expected: .unknownIssuer("APIother")),
            Case(name: "expired", body: body,
                 authorization: signer.authorization(for: body, now: Date().addingTimeInterval(-400)),
                 expected: .expired),
            Case(name: "not yet valid", body: body,
                 authorization: signer.authorization(for: body, now: Date().addingTimeInterval(120)),
                 expected: .notYetValid),
            Case(name: "iat in the future", body: body,
                 authorization: try self.token(claims: claims(["iat": now + 120])), expected: .notYetValid),
            Case(name: "no exp", body: body, authorization: try self.token(claims: claims(["exp": nil])),
                 expected: .missingExpiration),
            Case(name: "no sha256", body: body, authorization: try self.token(claims: claims(["sha256": nil])),
                 expected: .missingBodyHash),
            Case(name: "sha256 as unpadded base64url", body: body,
                 authorization: try self.token(claims: claims(["sha256": unpaddedHash])), expected: .bodyHashMismatch),
            Case(name: "HS512 header", body: body,
                 authorization: try self.token(header: "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", claims: claims([:])),
                 expected: .unsupportedAlgorithm("HS512")),
            Case(name: "no iss", body: body, authorization: try self.token(claims: claims(["iss": nil])),
                 expected: .missingIssuer),
        ]
    }

    @Test func swiftReceiverAndLiveKitSDKAgreeOnEveryCase() throws {
        let cases = try self.cases()
        let receiver = WebhookReceiver(apiKey: self.key, apiSecret: self.secret)
        var input = Data()
        for item in cases {
            let line: [String: Any] = [
                "body": String(decoding: item.body, as: UTF8.self), "authorization": item.authorization ?? "",
            ]
            input += try JSONSerialization.data(withJSONObject: line) + Data("\n".utf8)
        }
        let verdicts = try PythonReceiver.run("verify", input: input).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        try #require(verdicts.count == cases.count)
        for (item, verdict) in zip(cases, verdicts) {
            var swiftError: WebhookReceiverError?
            var decoded: WebhookEvent?
            do {
                decoded = try receiver.receive(body: item.body, authorization: item.authorization)
            } catch {
                swiftError = error
            }
            #expect(swiftError == item.expected, "\(item.name): Swift said \(String(describing: swiftError))")
            let sdkAccepted = verdict["ok"] as? Bool == true
            #expect(sdkAccepted == (item.expected == nil), "\(item.name): the SDK said \(verdict)")
            if let decoded {
                #expect(verdict["id"] as? String == decoded.id)
                #expect(verdict["event"] as? String == decoded.event.rawValue)
            }
        }
        // Every refusal has its own error.
        let errors = cases.compactMap(\.expected).map { "\($0)".prefix(while: { $0 != "(" }) }
        #expect(Set(errors).count >= 11)
    }

    @Test func acceptsATokenMadeByTheSDKsOwnSigner() throws {
        let event = RoomScript.lifecycle(room: "sdk-signed")[3]
        let body = event.jsonData()
        let token = try PythonReceiver.run("sign", input: body).trimmingCharacters(in: .whitespacesAndNewlines)
        let receiver = WebhookReceiver(apiKey: self.key, apiSecret: self.secret)
        #expect(try receiver.receive(body: body, authorization: token) == event)
        var altered = body
        altered.append(contentsOf: Array(" ".utf8))
        #expect(throws: WebhookReceiverError.bodyHashMismatch) {
            try receiver.receive(body: altered, authorization: token)
        }
    }

    @Test func decodesSnakeCaseNumbersAndEnumNumbersAsTheSDKsDo() throws {
        let body = Data(
            """
            {"event":"participant_left","room":{"name":"r","creation_time":1692627281,"empty_timeout":"300"},\
            "participant":{"sid":"PA_1","identity":"a","state":3,"disconnect_reason":"CLIENT_INITIATED"},\
            "id":"EV_x","created_at":"5","unknown_field":{"x":1}}
            """.utf8)
        let event = try WebhookEvent(jsonData: body)
        #expect(event.event == .participantLeft)
        #expect(event.room == WebhookEvent.Room(name: "r", emptyTimeout: 300, creationTime: 1692627281))
        #expect(event.participant?.state == .disconnected)
        #expect(event.participant?.disconnectReason == .clientInitiated)
        #expect(event.createdAt == 5 && event.id == "EV_x")
        #expect(throws: WebhookReceiverError.malformedEvent("body is not a JSON object")) {
            try WebhookEvent(jsonData: Data("[1]".utf8))
        }
    }
}
