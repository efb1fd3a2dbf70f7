/// The tunables of an ``RTPIngest``, each with its default and why.
public struct RTPIngestConfiguration: Sendable, Equatable {
    /// Most SSRCs accepted; packets of further SSRCs are refused and counted. Default 1000.
    public var maxTracks: Int = 1000
    /// Slots in each track's packet ring (rounded up to a power of two). Default 64: 1.28 s of 20 ms
    /// packets (about 96 KB per track), enough to ride out a stalled worker.
    public var ringCapacity: Int = 64
    /// The negotiated header-extension ID of `urn:ietf:params:rtp-hdrext:ssrc-audio-level` (RFC 6464),
    /// or nil to ignore header levels. Default 1, the ID GStreamer and browsers commonly use
    /// (`extmap-1`); set it from the session's SDP when there is one.
    public var audioLevelExtensionID: UInt8? = 1
    /// Only packets with this payload type are accepted (others are counted), or nil for any. Default nil.
    public var payloadType: UInt8? = nil
    /// How long the ingest thread sleeps in `poll` before re-checking for stop, in milliseconds. Default
    /// 200; ``RTPIngest/stop()`` wakes it at once anyway.
    public var pollTimeoutMilliseconds: Int32 = 200

    /// The defaults described on each property.
    public init() {}
}
