import COpus
import ChorusCore

/// Decodes raw Opus packets (one per RTP payload, RFC 7587) to 48 kHz float PCM with libopus,
/// and conceals losses with PLC or in-band FEC.
///
/// One decoder serves one stream, fed in order from one thread (libopus's rule). It owns its
/// output buffer, sized for the longest Opus packet (120 ms = 5760 samples per channel), so
/// decoding allocates nothing. Output is clamped to ±1 after every call, because the float
/// decoder can overshoot and level maths must never see more than full scale.
public final class OpusPacketDecoder {
    /// The longest Opus packet: 120 ms at 48 kHz, in samples per channel.
    public static let maxFrames = 5760
    /// PLC lengths must be whole multiples of 2.5 ms: 120 samples at 48 kHz.
    public static let concealmentQuantum = 120

    /// Channels of the decoded output (a stereo packet decodes fine into a mono decoder, downmixed).
    public let channels: Int
    /// Sample rate of the decoded output.
    public let sampleRate: Int
    private let state: OpaquePointer
    private let buffer: UnsafeMutableBufferPointer<Float>
    private var output: UnsafeMutablePointer<Float> { self.buffer.baseAddress.unsafelyUnwrapped }

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - channels: 1 or 2.
    ///   - sampleRate: 8000, 12000, 16000, 24000 or 48000 (Chorus uses 48000 throughout).
    /// - Throws: ``OpusError`` if libopus refuses the format.
    public init(channels: Int = 1, sampleRate: Int = 48_000) throws(OpusError) {
        var error: Int32 = 0
        guard let state = opus_decoder_create(Int32(sampleRate), Int32(channels), &error), error == OPUS_OK else {
            throw OpusError(code: error == OPUS_OK ? OPUS_ALLOC_FAIL : error)
        }
        self.state = state
        self.channels = channels
        self.sampleRate = sampleRate
        self.buffer = .allocate(capacity: Self.maxFrames * channels)
        self.buffer.initialize(repeating: 0)
    }

    deinit {
        opus_decoder_destroy(self.state)
        self.buffer.deallocate()
    }

    /// The samples of the last successful call: `frames × channels` interleaved floats in ±1.
    ///
    /// Valid until the next call on this decoder.
    public func samples(frames: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: self.buffer[0..<(frames * self.channels)])
    }

    /// Decodes one packet.
    ///
    /// - Returns: frames (samples per channel) decoded; read them with ``samples(frames:)``.
    /// - Throws: ``OpusError`` (`OPUS_INVALID_PACKET` for a corrupt packet); the decoder stays usable.
    /// - Complexity: no allocation, no lock, no system call.
    public func decode(_ packet: UnsafeRawBufferPointer) throws(OpusError) -> Int {
        guard let base = packet.baseAddress, packet.count > 0 else { throw .invalidPacket }
        let n = opus_decode_float(
            self.state, base.assumingMemoryBound(to: UInt8.self), Int32(packet.count),
            self.output, Int32(Self.maxFrames), 0)
        return try self.finish(n)
    }

    /// Conceals `frames` missing samples per channel with packet-loss concealment.
    ///
    /// - Parameter frames: the missing duration; rounded down to a multiple of 120 and capped at 5760.
    /// - Returns: frames produced (0 if `frames` < 120).
    public func conceal(frames: Int) throws(OpusError) -> Int {
        let length = min(Self.maxFrames, frames - frames % Self.concealmentQuantum)
        guard length > 0 else { return 0 }
        let n = opus_decode_float(self.state, nil, 0, self.output, Int32(length), 0)
        return try self.finish(n)
    }

    /// Recovers a lost packet from the in-band FEC carried by the packet that follows it.
    ///
    /// Call this with the *next* packet, then ``decode(_:)`` the next packet itself. When the
    /// next packet has no FEC data, libopus falls back to PLC for the same duration.
    /// - Parameters:
    ///   - next: the packet after the gap.
    ///   - frames: the lost packet's duration, rounded down to a multiple of 120, capped at 5760.
    /// - Returns: frames recovered.
    public func recover(from next: UnsafeRawBufferPointer, frames: Int) throws(OpusError) -> Int {
        let length = min(Self.maxFrames, frames - frames % Self.concealmentQuantum)
        guard length > 0 else { return 0 }
        guard let base = next.baseAddress, next.count > 0 else { return try self.conceal(frames: length) }
        let n = opus_decode_float(
            self.state, base.assumingMemoryBound(to: UInt8.self), Int32(next.count),
            self.output, Int32(length), 1)
        return try self.finish(n)
    }

    /// Resets the decoder's history, as after a stream restart (new SSRC, large jump).
    public func reset() {
        _ = chorus_opus_decoder_reset(self.state)
    }

    /// Whether `packet` can carry in-band FEC for the packet before it: only SILK and hybrid packets
    /// (TOC configurations 0–15) can; CELT-only packets never do.
    ///
    /// libopus 1.3 has no call that says whether the LBRR data is really there; when it is not,
    /// ``recover(from:frames:)`` falls back to PLC, so asking costs nothing but accuracy of a counter.
    public static func mayCarryFEC(_ packet: UnsafeRawBufferPointer) -> Bool {
        guard packet.count > 0 else { return false }
        return packet[0] >> 3 < 16
    }

    /// The duration of `packet` in samples per channel at 48 kHz, or nil if it is not a valid Opus packet.
    public static func frameCount(of packet: UnsafeRawBufferPointer) -> Int? {
        guard let base = packet.baseAddress, packet.count > 0 else { return nil }
        let n = opus_packet_get_nb_samples(base.assumingMemoryBound(to: UInt8.self), Int32(packet.count), 48_000)
        return n > 0 ? Int(n) : nil
    }

    @inline(__always)
    private func finish(_ n: Int32) throws(OpusError) -> Int {
        guard n >= 0 else { throw OpusError(code: n) }
        let frames = Int(n)
        LevelKernel.clamp(UnsafeMutableBufferPointer(rebasing: self.buffer[0..<(frames * self.channels)]))
        return frames
    }
}
