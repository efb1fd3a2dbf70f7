/// One received RTP packet as it travels through a track's ``SPSCRing``: the header fields the jitter
/// buffer needs plus the Opus payload, in a fixed-size, trivially copyable slot.
///
/// Why: ring slots are preallocated and copied as plain bytes, so the slot cannot hold an `Array`;
/// it holds up to ``maxPayload`` bytes inline. The ingest thread parses each datagram once and fills a
/// slot in place; the worker reads the fields without parsing again.
public struct RTPPacketSlot: BitwiseCopyable {
    /// Largest payload a slot stores (an RTP payload on a 1500-byte MTU is at most 1460 bytes).
    public static let maxPayload = 1480

    /// Arrival time, monotonic nanoseconds.
    public var arrival: UInt64
    /// The RTP timestamp.
    public var timestamp: UInt32
    /// The SSRC.
    public var ssrc: UInt32
    /// The RTP sequence number.
    public var sequenceNumber: UInt16
    /// Bytes of `payload` in use.
    public var payloadLength: UInt16
    /// The raw RFC 6464 byte (`V|level`), or -1 when the packet had none.
    public var levelByte: Int16
    /// The M bit.
    public var marker: Bool
    /// The Opus payload, inline.
    public var payload: InlineArray<1480, UInt8>

    /// Byte offset of `payload` inside the slot, for in-place copies.
    public static let payloadOffset = MemoryLayout<RTPPacketSlot>.offset(of: \RTPPacketSlot.payload)!

    /// The header level, if the packet carried one.
    public var headerLevel: RTPAudioLevel? { self.levelByte >= 0 ? RTPAudioLevel(byte: UInt8(self.levelByte)) : nil }
}
