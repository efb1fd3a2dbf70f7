/// Why ``WebhookReceiver`` refused a request: one case per check, in the order the checks run.
public enum WebhookReceiverError: Error, Equatable, Sendable {
    /// There was no `Authorization` header (or it was empty).
    case missingAuthorization
    /// The header is not a compact JWT (three base64url segments with JSON header and claims). A
    /// "Bearer " prefix lands here too: LiveKit sends the bare token and its SDKs refuse the prefix.
    case malformedToken(String)
    /// The token has no `iss` claim.
    case missingIssuer
    /// No secret is known for the token's issuer (a wrong or unknown API key).
    case unknownIssuer(String)
    /// The token's `alg` is not HS256.
    case unsupportedAlgorithm(String)
    /// The HMAC does not match: the token was signed with another secret, or altered.
    case invalidSignature
    /// The token has no `exp` claim (required since livekit/protocol#1706).
    case missingExpiration
    /// `exp` is more than the leeway in the past.
    case expired
    /// `nbf` or `iat` is more than the leeway in the future.
    case notYetValid
    /// The token has no `sha256` claim.
    case missingBodyHash
    /// The body's SHA-256 differs from the token's `sha256` claim: the body was altered (or re-serialised).
    case bodyHashMismatch
    /// The body is not a webhook event (not a JSON object).
    case malformedEvent(String)
}
