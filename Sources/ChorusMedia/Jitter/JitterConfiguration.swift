/// The tunables of a ``JitterBuffer``, each with the default Chorus uses and why.
public struct JitterConfiguration: Sendable, Equatable {
    /// How long a gap in sequence numbers may stay open waiting for a reordered packet before it is
    /// declared lost and concealed, in milliseconds. Default 60 ms: covers ordinary network reordering
    /// (NetEq's minimum target is similar) while adding little latency.
    public var reorderWindowMilliseconds: Int = 60
    /// Packets held at most (rounded up to a power of two). Default 32: 640 ms of 20 ms packets, far
    /// more than a 60 ms window needs (a gap is given up early only when half the slots wait behind it),
    /// at about 47 KB of payload storage per track.
    public var capacity: Int = 32
    /// Longest Opus payload stored, in bytes; longer payloads are dropped and counted as invalid.
    /// Default 1480, the same as ``RTPPacketSlot/maxPayload`` (an RTP payload on a 1500-byte MTU is at
    /// most 1460 bytes).
    public var maxPayloadBytes: Int = 1480
    /// Longest packet-loss concealment per gap, in 48 kHz samples; the rest of a longer gap is silence.
    /// Default 5760 (120 ms): PLC beyond that only produces a drone.
    public var maxConcealmentSamples: Int = 5760
    /// A sequence jump larger than this (forward), confirmed by a second in-sequence packet, restarts
    /// the stream and resets the decoder (RFC 3550 A.1 MAX_DROPOUT). Default 3000.
    public var maxDropout: Int = 3000
    /// A packet further back than this is a candidate restart rather than just late (RFC 3550 A.1
    /// MAX_MISORDER). Default 100.
    public var maxMisorder: Int = 100
    /// A timestamp gap (DTX pause or loss) longer than this, in samples, is not filled with silence;
    /// instead the decoder is reset and media time continues without the gap. Default 10 s.
    public var maxSilenceSamples: Int = 480_000

    /// The defaults described on each property.
    public init() {}

    /// Defaults with another reorder window.
    public init(reorderWindowMilliseconds: Int) {
        self.reorderWindowMilliseconds = reorderWindowMilliseconds
    }
}
