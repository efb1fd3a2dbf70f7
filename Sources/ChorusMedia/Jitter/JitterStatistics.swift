/// Per-track counters of a ``JitterBuffer`` (and of the ring in front of it), so that every packet the
/// network delivered, or failed to deliver, is accounted for.
///
/// Once a stream has been flushed, `received + lost == highest − first + 1` (sequence numbers), with
/// late packets counted both as lost (when their gap was concealed) and as late (when they came).
public struct JitterStatistics: Sendable, Equatable {
    /// Distinct packets accepted into the buffer.
    public var received = 0
    /// Sequence numbers never played from a packet of their own (including those recovered by FEC).
    public var lost = 0
    /// Lost packets recovered from the next packet's in-band FEC.
    public var recoveredByFEC = 0
    /// Lost packets replaced by packet-loss concealment.
    public var concealed = 0
    /// Copies of packets already buffered or played.
    public var duplicates = 0
    /// Packets that arrived after their playout point (their gap was already concealed).
    public var late = 0
    /// Packets the producer could not push because the track's ring was full (counted by the ingest;
    /// filled in by ``RTPTrackDecoder/statistics``, 0 from a bare ``JitterBuffer``).
    public var droppedRingFull = 0
    /// Packets libopus refused to decode (replaced by concealment).
    public var decodeErrors = 0
    /// Payloads too long to store, or empty.
    public var invalid = 0
    /// Decoder resets: new SSRC, large sequence or timestamp jump.
    public var resets = 0
    /// DTX pauses bridged with silence.
    public var dtxPauses = 0

    /// All zero.
    public init() {}
}
