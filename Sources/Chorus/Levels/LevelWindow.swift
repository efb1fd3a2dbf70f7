import ChorusCore

/// The levels of one participant over one window of media time: what `chorus levels` prints.
public struct LevelWindow: Sendable, Equatable {
    /// The window's start in media seconds since the room's start.
    public var time: Double
    /// The participant's identity.
    public var identity: String
    /// Levels over all channels together (interleaved, the RFC 6464 convention).
    public var level: AudioLevel
    /// Levels per channel when asked for (`--per-channel`), else empty.
    public var channelLevels: [AudioLevel]
    /// Samples per channel in the window (short for a stream's last, partial window).
    public var frames: Int

    /// Creates a window.
    public init(time: Double, identity: String, level: AudioLevel, channelLevels: [AudioLevel] = [], frames: Int) {
        self.time = time
        self.identity = identity
        self.level = level
        self.channelLevels = channelLevels
        self.frames = frames
    }
}
