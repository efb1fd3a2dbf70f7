/// A parsed RTP header (RFC 3550 §5.1) over a datagram's bytes, with the payload and extension block
/// as byte ranges into the same buffer: parsing copies nothing and allocates nothing.
///
/// Why: every received datagram is parsed once on the ingest thread to demultiplex by SSRC and to read
/// the RFC 6464 level; a damaged or hostile datagram must cost a counter, never a crash. Every length
/// (CSRC count, extension length in 32-bit words, padding count) is checked against the datagram
/// before it is used, and a failure throws a typed ``RTPParseError``.
///
/// The ranges are only meaningful with the buffer the packet was parsed from.
public struct RTPPacket: Sendable, Equatable {
    /// The fixed header's size in bytes.
    public static let fixedHeaderSize = 12

    /// The M bit (for Opus: first packet after a DTX pause, RFC 7587 §4.2).
    public var marker: Bool
    /// The payload type (7 bits; dynamic for Opus, e.g. 111).
    public var payloadType: UInt8
    /// The 16-bit sequence number; extend it with wrap logic before comparing.
    public var sequenceNumber: UInt16
    /// The media timestamp; for Opus always in 48 kHz samples (RFC 7587).
    public var timestamp: UInt32
    /// The synchronization source: one track.
    public var ssrc: UInt32
    /// The number of CSRCs (0–15); their bytes are at `12..<12 + 4·count`.
    public var csrcCount: Int
    /// The extension block's "defined by profile" field, or nil when the X bit is clear.
    public var extensionProfile: UInt16?
    /// The extension data (after its 4-byte header), empty when there is none.
    public var extensionRange: Range<Int>
    /// The payload (one Opus packet for RFC 7587), after the header and before any padding.
    public var payloadRange: Range<Int>
    /// Padding bytes at the end, including the count byte itself (0 when the P bit is clear).
    public var paddingCount: Int

    /// Parses the header of the datagram in `bytes`.
    ///
    /// - Throws: ``RTPParseError`` naming the first field that does not fit.
    /// - Complexity: O(1); no allocation.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer) throws(RTPParseError) {
        let count = bytes.count
        guard count >= Self.fixedHeaderSize else { throw .tooShort }
        let b0 = bytes[0]
        guard b0 >> 6 == 2 else { throw .badVersion }
        let hasPadding = b0 & 0x20 != 0
        let hasExtension = b0 & 0x10 != 0
        let csrcCount = Int(b0 & 0x0F)
        let b1 = bytes[1]
        self.marker = b1 & 0x80 != 0
        self.payloadType = b1 & 0x7F
        self.sequenceNumber = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        self.timestamp = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
        self.ssrc = UInt32(bytes[8]) << 24 | UInt32(bytes[9]) << 16 | UInt32(bytes[10]) << 8 | UInt32(bytes[11])
        self.csrcCount = csrcCount
        var offset = Self.fixedHeaderSize &+ csrcCount &* 4
        guard offset <= count else { throw .truncatedCSRCList }
        if hasExtension {
            guard count &- offset >= 4 else { throw .truncatedExtension }
            let profile = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset &+ 1])
            let words = Int(bytes[offset &+ 2]) << 8 | Int(bytes[offset &+ 3])
            let start = offset &+ 4
            guard words &* 4 <= count &- start else { throw .truncatedExtension }
            self.extensionProfile = profile
            self.extensionRange = start..<(start &+ words &* 4)
            offset = start &+ words &* 4
        } else {
            self.extensionProfile = nil
            self.extensionRange = offset..<offset
        }
        var end = count
        if hasPadding {
            let pad = Int(bytes[count &- 1])
            guard pad > 0, pad <= count &- offset else { throw .badPadding }
            end = count &- pad
            self.paddingCount = pad
        } else {
            self.paddingCount = 0
        }
        self.payloadRange = offset..<end
    }

    /// The header extensions, as an iterator over `bytes` (the buffer this packet was parsed from).
    public func extensions(in bytes: UnsafeRawBufferPointer) -> RTPHeaderExtensions {
        RTPHeaderExtensions(profile: self.extensionProfile ?? 0, bytes: bytes, range: self.extensionRange)
    }

    /// The RFC 6464 audio level carried under extension `id`, or nil if the packet has none
    /// (no extension block, another ID, an empty element, or a malformed block before it).
    ///
    /// `id` is the one the session negotiated (`extmap-N`); never assume 1.
    /// - Complexity: O(extension block length); no allocation.
    @inlinable
    public func audioLevel(extensionID id: UInt8, in bytes: UnsafeRawBufferPointer) -> RTPAudioLevel? {
        guard self.extensionProfile != nil, id != 0 else { return nil }
        var iterator = self.extensions(in: bytes)
        while let element = iterator.next() {
            if element.id == id {
                guard !element.range.isEmpty else { return nil }
                return RTPAudioLevel(byte: bytes[element.range.lowerBound])
            }
        }
        return nil
    }

    /// The CSRC at `index` (0 ..< ``csrcCount``), or nil when out of range.
    public func csrc(at index: Int, in bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard index >= 0, index < self.csrcCount else { return nil }
        let o = Self.fixedHeaderSize &+ index &* 4
        guard o &+ 4 <= bytes.count else { return nil }
        return UInt32(bytes[o]) << 24 | UInt32(bytes[o &+ 1]) << 16 | UInt32(bytes[o &+ 2]) << 8 | UInt32(bytes[o &+ 3])
    }
}
