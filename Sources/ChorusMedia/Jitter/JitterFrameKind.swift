/// Where a frame of audio out of a ``JitterBuffer`` came from, so that meters and detectors can tell
/// real speech from guesses and gaps.
public enum JitterFrameKind: Sendable, Equatable, CaseIterable {
    /// Decoded from a packet that arrived.
    case decoded
    /// Recovered from the in-band FEC of the packet after a lost one (RFC 7587 / Opus LBRR).
    case fec
    /// Packet-loss concealment: libopus's extrapolation for a lost packet, at most 120 ms per gap.
    case plc
    /// Silence for a DTX pause: sequence numbers were contiguous but the timestamp jumped, so the
    /// sender stopped sending on purpose. Not a loss.
    case dtxSilence
    /// Silence for the part of a loss longer than the concealment cap, or for a jump in the stream.
    case lossSilence
}
