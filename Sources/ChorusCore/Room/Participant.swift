/// A participant of a ``Room`` as seen at one moment: identity, lifecycle state, tracks, speaking.
///
/// A value snapshot (``Room/participants``); it does not change when the room does.
public struct Participant: Sendable, Hashable {
    /// Where a participant is in its lifecycle.
    public enum State: String, Sendable, Hashable {
        /// Published a track (signal) but no media arrived yet.
        case joining
        /// Media arrived (LiveKit's `ParticipantActive`).
        case active
        /// Left: every track ended or the connection was aborted. Disconnected participants are
        /// removed from the room right after their `participantDisconnected` event.
        case disconnected
    }

    /// The participant's identity, unique in the room.
    public var identity: String
    /// Lifecycle state.
    public var state: State
    /// Published tracks still live, in publication order.
    public var tracks: [TrackInfo]
    /// Whether the detector hears the participant speaking now.
    public var isSpeaking: Bool
    /// Smoothed level, linear RMS 0...1, as in speaker lists.
    public var audioLevel: Double
    /// When the first track was published.
    public var connectedAt: MediaTime
    /// When the first media arrived, if it did.
    public var activeAt: MediaTime?

    /// Creates a snapshot.
    public init(
        identity: String, state: State, tracks: [TrackInfo], isSpeaking: Bool, audioLevel: Double,
        connectedAt: MediaTime, activeAt: MediaTime?
    ) {
        self.identity = identity
        self.state = state
        self.tracks = tracks
        self.isSpeaking = isSpeaking
        self.audioLevel = audioLevel
        self.connectedAt = connectedAt
        self.activeAt = activeAt
    }
}
