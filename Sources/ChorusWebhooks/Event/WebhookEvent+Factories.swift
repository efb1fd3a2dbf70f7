import Foundation

extension WebhookEvent {
    /// `room_started`: the room was created. Carries the full room.
    public static func roomStarted(room: Room, id: String = LiveKitID.make(prefix: "EV_"), createdAt: Int64 = now())
        -> WebhookEvent
    {
        WebhookEvent(event: .roomStarted, room: room, id: id, createdAt: createdAt)
    }

    /// `room_finished`: the room was closed. Carries the full room. Send every `participant_left` first.
    public static func roomFinished(
        room: Room, reason: RoomEndReason = .unknown, id: String = LiveKitID.make(prefix: "EV_"),
        createdAt: Int64 = now()
    ) -> WebhookEvent {
        WebhookEvent(event: .roomFinished, room: room, id: id, createdAt: createdAt, roomEndReason: reason)
    }

    /// `participant_joined`: the participant became ``Participant/State/active`` (first media).
    /// Carries the full room and participant.
    public static func participantJoined(
        room: Room, participant: Participant, id: String = LiveKitID.make(prefix: "EV_"), createdAt: Int64 = now()
    ) -> WebhookEvent {
        WebhookEvent(event: .participantJoined, room: room, participant: participant, id: id, createdAt: createdAt)
    }

    /// `participant_left`: a participant that had been active left. Its state should be
    /// ``Participant/State/disconnected`` with a ``Participant/DisconnectReason``.
    public static func participantLeft(
        room: Room, participant: Participant, id: String = LiveKitID.make(prefix: "EV_"), createdAt: Int64 = now()
    ) -> WebhookEvent {
        WebhookEvent(event: .participantLeft, room: room, participant: participant, id: id, createdAt: createdAt)
    }

    /// `participant_connection_aborted`: a participant left (or timed out) without ever becoming active.
    public static func participantConnectionAborted(
        room: Room, participant: Participant, id: String = LiveKitID.make(prefix: "EV_"), createdAt: Int64 = now()
    ) -> WebhookEvent {
        WebhookEvent(
            event: .participantConnectionAborted, room: room, participant: participant, id: id, createdAt: createdAt)
    }

    /// `track_published`. Room and participant are reduced to sid+name and sid+identity, as LiveKit sends them.
    public static func trackPublished(
        room: Room, participant: Participant, track: Track, id: String = LiveKitID.make(prefix: "EV_"),
        createdAt: Int64 = now()
    ) -> WebhookEvent {
        WebhookEvent(
            event: .trackPublished, room: room.minimal, participant: participant.minimal, track: track, id: id,
            createdAt: createdAt)
    }

    /// `track_unpublished`, with the same reduced room and participant as ``trackPublished(room:participant:track:id:createdAt:)``.
    public static func trackUnpublished(
        room: Room, participant: Participant, track: Track, id: String = LiveKitID.make(prefix: "EV_"),
        createdAt: Int64 = now()
    ) -> WebhookEvent {
        WebhookEvent(
            event: .trackUnpublished, room: room.minimal, participant: participant.minimal, track: track, id: id,
            createdAt: createdAt)
    }

    /// `egress_started`, `egress_updated` or `egress_ended`, chosen from the egress's status
    /// (starting → started; active/ending → updated; complete/failed/aborted/limit reached → ended).
    /// Carries the room's sid and name and the egress.
    public static func egress(
        _ egress: EgressInfo, room: Room, id: String = LiveKitID.make(prefix: "EV_"), createdAt: Int64 = now()
    ) -> WebhookEvent {
        let name: Name =
            switch egress.status {
            case .starting: .egressStarted
            case .active, .ending: .egressUpdated
            case .complete, .failed, .aborted, .limitReached: .egressEnded
            }
        return WebhookEvent(event: name, room: room.minimal, egressInfo: egress, id: id, createdAt: createdAt)
    }

    /// `ingress_started` (status publishing) or `ingress_ended` (any other status).
    /// Carries the room's name and the ingress.
    public static func ingress(
        _ ingress: IngressInfo, roomName: String, id: String = LiveKitID.make(prefix: "EV_"), createdAt: Int64 = now()
    ) -> WebhookEvent {
        let name: Name = ingress.status == .publishing ? .ingressStarted : .ingressEnded
        return WebhookEvent(
            event: name, room: Room(name: roomName), ingressInfo: ingress, id: id, createdAt: createdAt)
    }

    /// The current Unix time in whole seconds, the unit of ``createdAt``.
    public static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
