import ChorusCore

/// What a producer or worker hands to the room thread for one 10 ms stretch of one track: the
/// level sums of the decoded audio (not the audio itself), stamped in the track's media time.
///
/// Fixed-size and `BitwiseCopyable`, so it travels through an ``SPSCRing`` by value with no
/// allocation. The room thread turns track media time into room time and feeds ``Room``.
public struct LevelFrame: BitwiseCopyable, Sendable {
    /// What the record says.
    public enum Kind: UInt8, BitwiseCopyable, Sendable {
        /// Measured audio.
        case audio
        /// The track's stream ended (EOF, stop, device lost) at `start`.
        case end
    }

    /// The pipeline's track number (see ``LiveRoomRunner``).
    public var track: Int32
    /// Audio or end of stream.
    public var kind: Kind
    /// The frame's first sample, in 48 kHz ticks of the track's own media time.
    public var start: Int64
    /// The frame's length in 48 kHz ticks.
    public var duration: Int32
    /// Σx² of the frame (full scale 1).
    public var sumOfSquares: Double
    /// max|x| of the frame.
    public var peak: Float
    /// Samples measured.
    public var count: Int32
    /// Monotonic nanoseconds when the frame was made: anchors a live track on the room's clock.
    public var madeAt: UInt64

    /// The frame's level sums.
    public var measure: BlockMeasure { BlockMeasure(sumOfSquares: self.sumOfSquares, peak: self.peak, count: Int(self.count)) }

    /// An audio frame.
    public static func audio(track: Int32, start: Int64, duration: Int32, measure: BlockMeasure, madeAt: UInt64) -> LevelFrame {
        LevelFrame(track: track, kind: .audio, start: start, duration: duration, sumOfSquares: measure.sumOfSquares,
                   peak: measure.peak, count: Int32(measure.count), madeAt: madeAt)
    }

    /// The end of a track's stream at `start`.
    public static func end(track: Int32, at start: Int64, madeAt: UInt64) -> LevelFrame {
        LevelFrame(track: track, kind: .end, start: start, duration: 0, sumOfSquares: 0, peak: 0, count: 0, madeAt: madeAt)
    }
}
