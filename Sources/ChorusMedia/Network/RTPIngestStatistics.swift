/// Counters of an ``RTPIngest`` as a whole (per-track counters live on ``RTPTrack`` and in
/// ``JitterStatistics``).
public struct RTPIngestStatistics: Sendable, Equatable {
    /// Datagrams read from the socket.
    public var datagrams = 0
    /// Datagrams that were not valid RTP (see ``RTPParseError``).
    public var malformed = 0
    /// Datagrams whose payload was empty or larger than ``RTPPacketSlot/maxPayload``.
    public var oversized = 0
    /// RTCP packets multiplexed on the RTP port (RFC 5761), skipped.
    public var rtcp = 0
    /// Datagrams with another payload type than the configured one.
    public var wrongPayloadType = 0
    /// SSRCs refused because ``RTPIngestConfiguration/maxTracks`` was reached.
    public var refusedTracks = 0
    /// Packets of refused SSRCs.
    public var refusedPackets = 0
    /// Tracks accepted so far.
    public var tracks = 0

    /// All zero.
    public init() {}
}
