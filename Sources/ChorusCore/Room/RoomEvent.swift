/// Everything that happens in a ``Room``, in the order it happened, each stamped with its media
/// time (time since the room's start).
///
/// Names follow LiveKit's `RoomEvent`. Within one call into the room, events come in a fixed order
/// (see ``Room``), so the same input always gives the same sequence.
public enum RoomEvent: Sendable, Hashable {
    /// A participant published its first track (signal phase); no media has arrived yet.
    case participantConnected(identity: String, time: MediaTime)
    /// The first media of a connected participant arrived (LiveKit's `ParticipantActive`; webhook
    /// `participant_joined`).
    case participantActive(identity: String, time: MediaTime)
    /// A participant left: its last track was unpublished, or its connection was aborted.
    case participantDisconnected(identity: String, time: MediaTime)
    /// A connected participant sent no media within ``RoomConfiguration/mediaTimeout``; it is
    /// followed by the participant's `trackUnpublished` events and `participantDisconnected`.
    case participantConnectionAborted(identity: String, time: MediaTime)
    /// A participant published a track.
    case trackPublished(identity: String, track: TrackInfo, time: MediaTime)
    /// A participant's track ended (stream end, idle timeout, abort or room close).
    case trackUnpublished(identity: String, track: TrackInfo, time: MediaTime)
    /// The list of participants speaking now changed in membership or order; loudest first, empty
    /// when nobody speaks. Never raised when only levels change.
    case activeSpeakersChanged(speakers: [SpeakerInfo], time: MediaTime)
    /// One participant started (`true`) or stopped (`false`) speaking.
    case isSpeakingChanged(identity: String, speaking: Bool, time: MediaTime)
    /// The dominant speaker (the loudest sustained one) changed; nil when the room falls silent for
    /// ``SpeakerDetectorConfiguration/dominantSilenceTimeout`` (if set) or the dominant speaker left.
    case dominantSpeakerChanged(identity: String?, time: MediaTime)
    /// Chorus started taking media from a capture device or an RTP listener (webhook `ingress_started`).
    case ingressStarted(ingress: IngressInfo, time: MediaTime)
    /// An ingress stopped, with the reason (webhook `ingress_ended`).
    case ingressEnded(ingress: IngressInfo, reason: IngressInfo.EndReason, time: MediaTime)
    /// An ``RoomEventStream`` subscriber was too slow: `count` events were dropped before this one.
    /// Only ever delivered through a stream, never to synchronous observers (which cannot lag).
    case eventsDropped(count: Int, time: MediaTime)

    /// When the event happened, in media time since the room's start.
    public var time: MediaTime {
        switch self {
        case .participantConnected(_, let time), .participantActive(_, let time),
            .participantDisconnected(_, let time), .participantConnectionAborted(_, let time),
            .trackPublished(_, _, let time), .trackUnpublished(_, _, let time),
            .activeSpeakersChanged(_, let time), .isSpeakingChanged(_, _, let time),
            .dominantSpeakerChanged(_, let time), .eventsDropped(_, let time),
            .ingressStarted(_, let time), .ingressEnded(_, _, let time):
            return time
        }
    }

    /// The participant the event is about, or nil for room-wide events (speaker lists, dominant
    /// speaker, dropped events).
    public var identity: String? {
        switch self {
        case .participantConnected(let identity, _), .participantActive(let identity, _),
            .participantDisconnected(let identity, _), .participantConnectionAborted(let identity, _),
            .trackPublished(let identity, _, _), .trackUnpublished(let identity, _, _),
            .isSpeakingChanged(let identity, _, _):
            return identity
        case .ingressStarted(let ingress, _), .ingressEnded(let ingress, _, _):
            return ingress.identity
        case .activeSpeakersChanged, .dominantSpeakerChanged, .eventsDropped:
            return nil
        }
    }

    /// The event as seen by `identity`'s participant-scoped subscribers, or nil if it is not one of
    /// that participant's events (see ``ParticipantEvent``).
    public func participantEvent(for identity: String) -> ParticipantEvent? {
        ParticipantEvent(self, for: identity)
    }
}
