/// A way media enters the room that Chorus itself runs: a local capture device or an RTP listener
/// (LiveKit's "ingress"). Its start and end are room events, and webhooks `ingress_started` /
/// `ingress_ended`.
public struct IngressInfo: Sendable, Hashable {
    /// What kind of input.
    public enum Kind: String, Sendable, Hashable {
        /// An ALSA capture device (a local microphone track).
        case microphone
        /// A UDP socket receiving RTP.
        case rtp
        /// Raw PCM from a pipe.
        case pipe
    }

    /// Why an ingress ended.
    public enum EndReason: String, Sendable, Hashable {
        /// Stopped on request (end of `--duration`, SIGINT, `stop()`).
        case stopped
        /// The stream ended by itself (a pipe's EOF).
        case ended
        /// The device went away or failed.
        case deviceLost = "device_lost"
        /// Any other error.
        case error
    }

    /// `IN_` plus 12 characters, the same for the same kind and address on every run.
    public var id: String
    /// The kind.
    public var kind: Kind
    /// The device name or `rtp://HOST:PORT`.
    public var source: String
    /// The participant it feeds, when one (a microphone's identity); nil for RTP (many participants).
    public var identity: String?

    /// Creates an ingress description with a stable id derived from kind and source.
    public init(kind: Kind, source: String, identity: String? = nil) {
        self.kind = kind
        self.source = source
        self.identity = identity
        self.id = TrackInfo.stableID(prefix: "IN_", seed: "\(kind.rawValue):\(source)")
    }
}
