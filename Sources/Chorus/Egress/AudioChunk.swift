/// Up to 20 ms of one track's decoded audio on its way to the recorder thread: fixed-size and
/// trivially copyable, so it travels through an SPSC ring with no allocation.
struct AudioChunk: BitwiseCopyable {
    /// Samples a chunk holds (20 ms of 48 kHz mono, 10 ms of stereo).
    static let capacity = 960

    /// The pipeline's track number.
    var track: Int32
    /// Samples in use (interleaved).
    var count: Int32
    /// The track's sample rate.
    var sampleRate: Int32
    /// The track's channel count.
    var channels: Int32
    /// The samples, full scale ±1.
    var samples: InlineArray<960, Float>
}
