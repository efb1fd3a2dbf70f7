import Foundation

/// Signs webhook bodies as LiveKit's server does: an HS256 JWT in the `Authorization` header.
///
/// The token is `{"alg":"HS256","typ":"JWT"}` with the claims `exp` (now + ``validFor``), `iat`, `iss`
/// (the API key), `nbf` (integers) and `sha256`, the standard padded base64 of the body's SHA-256. It has
/// no `aud` and no `sub`. The HMAC key is the secret's UTF-8 bytes. The header value is the bare token,
/// without "Bearer".
public struct WebhookSigner: Sendable, Equatable {
    /// The API key: the token's issuer (`iss`); receivers look the secret up by it.
    public var apiKey: String
    /// The API secret, shared with the receiver.
    public var apiSecret: String
    /// How long a token stays valid (LiveKit: 5 minutes).
    public var validFor: TimeInterval
    /// How far `nbf` and `iat` are set before now, to absorb receivers' clocks running behind (default 0,
    /// as LiveKit; Node receivers allow 10 s of skew, Go and Python 60 s).
    public var backdate: TimeInterval

    /// Creates a signer.
    public init(apiKey: String, apiSecret: String, validFor: TimeInterval = 300, backdate: TimeInterval = 0) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.validFor = validFor
        self.backdate = backdate
    }

    /// A signer from `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET` (the variables LiveKit's tools read, and the
    /// CLI's fallback for `--api-key` / `--api-secret`); nil unless both are set and not empty.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let key = environment["LIVEKIT_API_KEY"], !key.isEmpty, let secret = environment["LIVEKIT_API_SECRET"],
            !secret.isEmpty
        else { return nil }
        self.init(apiKey: key, apiSecret: secret)
    }

    /// The `Authorization` header value for `body`, valid from `now`.
    ///
    /// - Complexity: O(body size) for the body hash; use ``authorization(bodyHash:now:)`` to sign the same body
    ///   again without hashing it again.
    public func authorization(for body: Data, now: Date = Date()) -> String {
        self.authorization(bodyHash: Self.bodyHash(body), now: now)
    }

    /// The `Authorization` header value for a body whose ``bodyHash(_:)`` is `bodyHash`.
    public func authorization(bodyHash: String, now: Date = Date()) -> String {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let issued = seconds - Int64(self.backdate.rounded(.up))
        let expires = seconds + Int64(self.validFor.rounded(.down))
        var claims = "{\"exp\":\(expires),\"iat\":\(issued),\"iss\":"
        JSONStringLiteral.append(self.apiKey, to: &claims)
        claims += ",\"nbf\":\(issued),\"sha256\":"
        JSONStringLiteral.append(bodyHash, to: &claims)
        claims += "}"
        let signingInput = Self.encodedHeader + "." + Base64URL.encode(Array(claims.utf8))
        let tag = Crypto.hmacSHA256(key: Array(self.apiSecret.utf8), message: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(tag)
    }

    /// The `sha256` claim for `body`: the standard, padded base64 of its SHA-256 (44 characters).
    public static func bodyHash(_ body: Data) -> String {
        Data(Crypto.sha256(body)).base64EncodedString()
    }

    /// `{"alg":"HS256","typ":"JWT"}`, base64url-encoded.
    static let encodedHeader = Base64URL.encode(Array("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".utf8))
}
