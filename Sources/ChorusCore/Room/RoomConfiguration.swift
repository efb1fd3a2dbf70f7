/// The timeouts of a ``Room`` and the configuration of its speaker detector.
public struct RoomConfiguration: Sendable, Hashable {
    /// A participant that published a track but sent no media for this long is aborted
    /// (`participantConnectionAborted`, its tracks unpublished, then `participantDisconnected`).
    /// Default 60 s, LiveKit's.
    public var mediaTimeout: MediaTime = .seconds(60)
    /// A track of an active participant that has had no media for this long is unpublished (a live
    /// source that went away without saying so). Opus DTX still sends a frame every 400 ms, so this
    /// is far above any legitimate gap. Default 20 s.
    public var trackIdleTimeout: MediaTime = .seconds(20)
    /// The active-speaker detector's timings and thresholds.
    public var detector = SpeakerDetectorConfiguration()

    /// The defaults.
    public init() {}
}
