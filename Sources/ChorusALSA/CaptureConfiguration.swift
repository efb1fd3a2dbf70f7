/// What Chorus asks of a capture device. The device may grant something close instead; what it
/// granted is reported in ``NegotiatedCapture``.
public struct CaptureConfiguration: Sendable, Equatable {
    /// Frames per second wanted (Opus's 48 kHz by default; other rates go through ALSA's `plug`).
    public var sampleRate: Int = 48_000
    /// Channels wanted: 1 (mono, the default) or 2.
    public var channels: Int = 1
    /// Period length in frames: 10 ms at 48 kHz by default, the detector's frame.
    public var periodFrames: Int = 480
    /// Ring buffer of the device in periods (a few, so a late reader does not overrun at once).
    public var bufferPeriods: Int = 4
    /// Stop after this many frames per channel (media time from sample counts, e.g. `--duration`);
    /// nil to capture until ``ALSACaptureSource/stop()``.
    public var maxFrames: Int?

    /// The defaults: 48 kHz mono, 10 ms periods, a 40 ms buffer, no length limit.
    public init() {}
}

/// The parameters the device actually granted.
public struct NegotiatedCapture: Sendable, Equatable, CustomStringConvertible {
    /// The PCM name that was opened (with `plug:` if Chorus had to add it).
    public var device: String
    /// Granted frames per second.
    public var sampleRate: Int
    /// Granted channels.
    public var channels: Int
    /// Granted period, frames.
    public var periodFrames: Int
    /// Granted buffer, frames.
    public var bufferFrames: Int
    /// `S16_LE` or `FLOAT_LE`.
    public var sampleFormat: String

    public var description: String {
        "\(self.device): \(self.sampleFormat) \(self.sampleRate) Hz \(self.channels) ch, period \(self.periodFrames), buffer \(self.bufferFrames) frames"
    }
}

/// Counters of recoverable capture trouble.
public struct CaptureCounters: Sendable, Equatable {
    /// Overruns (-EPIPE): the reader was late and the device dropped audio.
    public var overruns = 0
    /// Suspends (-ESTRPIPE) recovered.
    public var suspends = 0
    /// Interrupted reads (-EINTR) retried.
    public var interrupts = 0
    /// Periods read.
    public var reads = 0
    /// Creates zeroed counters.
    public init() {}
}
