import Foundation

/// Verifies and decodes webhook requests as LiveKit's server SDKs do.
///
/// Checks, in order (Go `webhook.ReceiveWebhookEvent`, Python `WebhookReceiver.receive`): an
/// `Authorization` header is present; it is a JWT whose issuer has a known secret; the algorithm is HS256 and
/// the HMAC over the secret's UTF-8 bytes matches; `exp` is present and not more than ``leeway`` in the past;
/// `nbf` and `iat`, when present, are not more than ``leeway`` in the future; a `sha256` claim is present and
/// equals the SHA-256 of the raw body (compared in constant time); the body is a webhook event. Each failure
/// has its own ``WebhookReceiverError``.
///
/// Hash the body exactly as received: re-serialising it changes its bytes.
public struct WebhookReceiver: Sendable {
    /// API secrets by API key (the token's `iss`).
    public var secrets: [String: String]
    /// Clock skew allowed on `exp`, `nbf` and `iat` (default 60 s, as the Go and Python SDKs).
    public var leeway: TimeInterval

    /// A receiver for one API key and secret.
    public init(apiKey: String, apiSecret: String, leeway: TimeInterval = 60) {
        self.init(secrets: [apiKey: apiSecret], leeway: leeway)
    }

    /// A receiver for several API keys, each with its secret.
    public init(secrets: [String: String], leeway: TimeInterval = 60) {
        self.secrets = secrets
        self.leeway = leeway
    }

    /// Verifies a request and decodes its event.
    ///
    /// - Parameters:
    ///   - body: The raw request body, byte for byte.
    ///   - authorization: The `Authorization` header's value.
    ///   - now: The time to check the token against.
    /// - Returns: The event.
    /// - Throws: A ``WebhookReceiverError`` naming the first check that failed.
    public func receive(body: Data, authorization: String?, now: Date = Date()) throws(WebhookReceiverError)
        -> WebhookEvent
    {
        try self.verify(body: body, authorization: authorization, now: now)
        return try WebhookEvent(jsonData: body)
    }

    /// Runs every check of ``receive(body:authorization:now:)`` except decoding the event.
    public func verify(body: Data, authorization: String?, now: Date = Date()) throws(WebhookReceiverError) {
        guard let token = authorization, !token.isEmpty else { throw .missingAuthorization }
        if token.hasPrefix("Bearer ") { throw .malformedToken("a \"Bearer \" prefix (LiveKit sends the bare token)") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedToken("expected three dot-separated segments") }
        guard let headerData = Base64URL.decode(parts[0]),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any]
        else { throw .malformedToken("header is not base64url JSON") }
        guard let claimsData = Base64URL.decode(parts[1]),
            let claims = try? JSONSerialization.jsonObject(with: claimsData) as? [String: Any]
        else { throw .malformedToken("claims are not base64url JSON") }
        guard let signature = Base64URL.decode(parts[2]) else { throw .malformedToken("signature is not base64url") }

        guard let issuer = claims["iss"] as? String, !issuer.isEmpty else { throw .missingIssuer }
        guard let secret = self.secrets[issuer] else { throw .unknownIssuer(issuer) }
        let algorithm = header["alg"] as? String ?? ""
        guard algorithm == "HS256" else { throw .unsupportedAlgorithm(algorithm) }
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        let expected = Crypto.hmacSHA256(key: Array(secret.utf8), message: signingInput)
        guard Crypto.constantTimeEqual(expected, signature) else { throw .invalidSignature }

        let current = now.timeIntervalSince1970
        guard let expires = claims["exp"] else { throw .missingExpiration }
        guard let exp = Self.seconds(expires) else { throw .malformedToken("exp is not a number") }
        guard exp > current - self.leeway else { throw .expired }
        for name in ["nbf", "iat"] {
            guard let value = claims[name] else { continue }
            guard let time = Self.seconds(value) else { throw .malformedToken("\(name) is not a number") }
            guard time <= current + self.leeway else { throw .notYetValid }
        }

        guard let claimedHash = claims["sha256"] as? String, !claimedHash.isEmpty else { throw .missingBodyHash }
        guard let claimedDigest = Data(base64Encoded: claimedHash),
            Crypto.constantTimeEqual(claimedDigest, Crypto.sha256(body))
        else { throw .bodyHashMismatch }
    }

    /// A NumericDate claim (JSON number) in seconds.
    private static func seconds(_ value: Any) -> Double? {
        guard let number = value as? NSNumber else { return nil }
        return number.doubleValue
    }
}
