/// Why a datagram is not a usable RTP packet (RFC 3550 §5.1); each case names the field that failed.
///
/// Thrown by ``RTPPacket/init(parsing:)`` instead of trapping, so a hostile or damaged datagram costs
/// one counter increment and nothing else. A plain enum with no payload: throwing it allocates nothing.
public enum RTPParseError: Error, Sendable, Equatable {
    /// Fewer than the 12 bytes of the fixed header.
    case tooShort
    /// The version field is not 2.
    case badVersion
    /// The CSRC list (4 bytes per CC) runs past the end of the datagram.
    case truncatedCSRCList
    /// The X bit is set but the extension header or its declared length runs past the end.
    case truncatedExtension
    /// The P bit is set but the padding count is zero or larger than what follows the header.
    case badPadding
}
