import COpus

/// A libopus error code, kept as the bare number so that throwing it on the decode path allocates
/// nothing; the text comes from `opus_strerror` only when someone reads it.
public struct OpusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libopus return code (`OPUS_BAD_ARG` −1 … `OPUS_ALLOC_FAIL` −7).
    public var code: Int32

    /// Wraps a negative libopus return code.
    public init(code: Int32) { self.code = code }

    /// `OPUS_INVALID_PACKET`: the packet is corrupt or not Opus.
    public static let invalidPacket = OpusError(code: OPUS_INVALID_PACKET)
    /// `OPUS_BAD_ARG`: a call was made with an argument libopus refuses (e.g. a PLC length that is not a
    /// multiple of 2.5 ms).
    public static let badArgument = OpusError(code: OPUS_BAD_ARG)

    /// libopus's own description of the code.
    public var description: String {
        "libopus: \(String(cString: opus_strerror(self.code))) (\(self.code))"
    }
}
