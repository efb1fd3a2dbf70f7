/// One entry of an active-speakers list: who, and how loud (LiveKit's `SpeakerInfo`).
public struct SpeakerInfo: Sendable, Hashable {
    /// The participant's identity.
    public var identity: String
    /// Smoothed linear RMS level of the participant's audio, 0...1 (1 = full scale), at the time of
    /// the event; not quantized (LiveKit rounds up to eighths).
    public var level: Double

    /// Creates an entry.
    public init(identity: String, level: Double) {
        self.identity = identity
        self.level = level
    }
}
