/// A published track as LiveKit describes it: a server id (`TR_…`), a type and a source.
///
/// Chorus makes the sid from the publishing participant's identity and the track's sequence number
/// among that participant's publications, so the same room gives the same sids on every run.
public struct TrackInfo: Sendable, Hashable {
    /// LiveKit's `TrackType`: what the track carries. Chorus handles audio only.
    public enum TrackType: String, Sendable, Hashable {
        /// An audio track (`"audio"` in JSON lines and webhooks).
        case audio
    }

    /// LiveKit's `TrackSource`: where the media comes from.
    public enum Source: String, Sendable, Hashable {
        /// A microphone (`"microphone"`); the only source counted for speaking, as in LiveKit.
        case microphone
    }

    /// The track id, `TR_` and 12 characters, deterministic from identity and sequence.
    public var sid: String
    /// What the track carries (always ``TrackType/audio``).
    public var type: TrackType
    /// Where the media comes from.
    public var source: Source

    /// Creates a track description.
    public init(sid: String, type: TrackType = .audio, source: Source = .microphone) {
        self.sid = sid
        self.type = type
        self.source = source
    }

    /// The sid of the `sequence`th track (0-based) that `identity` publishes: `TR_` followed by 12
    /// base-62 characters of a 64-bit FNV-1a hash of `identity`, a NUL byte and `sequence`.
    ///
    /// Pure function: the same arguments give the same sid on every run and machine.
    public static func sid(identity: String, sequence: Int) -> String {
        self.stableID(prefix: "TR_", seed: identity + "\u{0}" + String(sequence))
    }

    /// `prefix` followed by 12 base-62 characters of a 64-bit FNV-1a hash of `seed`: the stable ids
    /// of tracks and ingresses. Pure function: the same seed gives the same id on every run.
    public static func stableID(prefix: String, seed: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var text = [UInt8](repeating: 0, count: 12)
        var value = hash
        for index in 0..<12 {
            text[index] = alphabet[Int(value % 62)]
            value /= 62
            if value == 0 { value = hash &* 0x9e37_79b9_7f4a_7c15 | 1 }
        }
        return prefix + String(decoding: text, as: UTF8.self)
    }
}
