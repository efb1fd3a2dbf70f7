/// One frame of 48 kHz mono audio released by a ``JitterBuffer``, in media time.
///
/// `samples` points into storage the buffer owns (the decoder's output or a shared silence block) and
/// is valid only until the next call on the same buffer: read or copy it before asking for the next frame.
///
/// Frames of one stream tile media time exactly: each starts where the previous one ended, so a
/// consumer can add them to fixed media-time windows without tracking gaps or overlaps.
public struct JitterFrame {
    /// How the audio was produced.
    public var kind: JitterFrameKind
    /// The first sample's media time: RTP-timestamp based, in 48 kHz samples since the stream's first
    /// packet (kept continuous across decoder resets).
    public var mediaTime: Int64
    /// The decoded samples (mono, full scale ±1, already clamped).
    public var samples: UnsafeBufferPointer<Float>
    /// The RFC 6464 level the sender put in the packet's header, when it had one (decoded frames only).
    public var headerLevel: RTPAudioLevel?
    /// The extended sequence number of the packet this frame stands for.
    public var sequence: Int64

    /// Samples in the frame (48 kHz, mono).
    public var frameCount: Int { self.samples.count }
}
