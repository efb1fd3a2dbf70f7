/// The events of one participant: the subset of ``RoomEvent`` a participant-scoped subscriber sees
/// (LiveKit's `ParticipantEvent`: `TrackPublished`, `TrackUnpublished`, `IsSpeakingChanged`, `Active`).
///
/// Made from room events with ``RoomEvent/participantEvent(for:)``; the identity is implied by the
/// subscription, so it is not repeated.
public enum ParticipantEvent: Sendable, Hashable {
    /// The participant published a track.
    case trackPublished(track: TrackInfo, time: MediaTime)
    /// One of the participant's tracks ended.
    case trackUnpublished(track: TrackInfo, time: MediaTime)
    /// The participant started or stopped speaking.
    case isSpeakingChanged(speaking: Bool, time: MediaTime)
    /// The participant's first media arrived (LiveKit's `ParticipantEvent.Active`).
    case active(time: MediaTime)

    /// `event` seen from `identity`'s side, or nil if it is not about that participant or has no
    /// participant-scoped counterpart (connect, disconnect and abort are room events, as in LiveKit).
    public init?(_ event: RoomEvent, for identity: String) {
        switch event {
        case .trackPublished(let who, let track, let time) where who == identity:
            self = .trackPublished(track: track, time: time)
        case .trackUnpublished(let who, let track, let time) where who == identity:
            self = .trackUnpublished(track: track, time: time)
        case .isSpeakingChanged(let who, let speaking, let time) where who == identity:
            self = .isSpeakingChanged(speaking: speaking, time: time)
        case .participantActive(let who, let time) where who == identity:
            self = .active(time: time)
        default:
            return nil
        }
    }

    /// When the event happened, in media time since the room's start.
    public var time: MediaTime {
        switch self {
        case .trackPublished(_, let time), .trackUnpublished(_, let time),
            .isSpeakingChanged(_, let time), .active(let time):
            return time
        }
    }
}
