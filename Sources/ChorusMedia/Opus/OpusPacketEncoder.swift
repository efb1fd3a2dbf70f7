import COpus

/// Encodes 48 kHz mono float PCM into raw Opus packets with libopus, one packet per call.
///
/// Why: tests and benchmarks need real Opus packets with known content and settings (in-band FEC,
/// DTX, bitrate) to drive the jitter buffer and decoder without a network. Not used on the receive path.
public final class OpusPacketEncoder {
    private let state: OpaquePointer
    private let scratch: UnsafeMutablePointer<UInt8>
    private static let maxPacket = 4000

    /// Creates a mono 48 kHz VOIP-mode encoder.
    ///
    /// - Parameters:
    ///   - bitrate: bits per second.
    ///   - inbandFEC: whether packets carry LBRR data for the packet before them (SILK/hybrid only).
    ///   - expectedLossPercent: the loss the encoder plans FEC for (FEC is only emitted when > 0).
    ///   - dtx: whether silence is sent as tiny DTX packets.
    /// - Throws: ``OpusError`` if libopus refuses a setting.
    public init(bitrate: Int = 32_000, inbandFEC: Bool = false, expectedLossPercent: Int = 0, dtx: Bool = false)
        throws(OpusError)
    {
        var error: Int32 = 0
        guard let state = opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &error), error == OPUS_OK else {
            throw OpusError(code: error == OPUS_OK ? OPUS_ALLOC_FAIL : error)
        }
        let r = chorus_opus_encoder_configure(
            state, Int32(bitrate), inbandFEC ? 1 : 0, Int32(expectedLossPercent), dtx ? 1 : 0)
        guard r == OPUS_OK else {
            opus_encoder_destroy(state)
            throw OpusError(code: r)
        }
        self.state = state
        self.scratch = .allocate(capacity: Self.maxPacket)
    }

    deinit {
        opus_encoder_destroy(self.state)
        self.scratch.deallocate()
    }

    /// Encodes one frame (120, 240, 480, 960, 1920 or 2880 samples) into a packet.
    ///
    /// - Throws: ``OpusError`` for a frame size libopus refuses.
    public func encode(_ frame: UnsafeBufferPointer<Float>) throws(OpusError) -> [UInt8] {
        guard let base = frame.baseAddress else { throw .badArgument }
        let n = opus_encode_float(self.state, base, Int32(frame.count), self.scratch, Int32(Self.maxPacket))
        guard n >= 0 else { throw OpusError(code: n) }
        return Array(UnsafeBufferPointer(start: self.scratch, count: Int(n)))
    }
}
