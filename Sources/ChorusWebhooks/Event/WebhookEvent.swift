import Foundation

/// One LiveKit webhook: the `WebhookEvent` message of `livekit_webhook.proto`.
///
/// ``jsonData()`` writes it exactly as LiveKit's server marshals it (Go `protojson.Marshal` defaults:
/// lowerCamelCase names, zero values left out, 64-bit integers as strings, enums by name, declaration
/// order, no whitespace), so an existing LiveKit backend accepts it unchanged. Build events with the
/// factory functions (``roomStarted(room:id:createdAt:)`` …), which set the payload LiveKit sets for each
/// event, a fresh ``id`` and ``createdAt``.
public struct WebhookEvent: Sendable, Equatable {
    /// The event's name (`event`), e.g. `room_started`.
    public var event: Name
    /// The room: full for `room_*` and `participant_*` events; sid and name only for the others.
    public var room: Room?
    /// The participant, for `participant_*` (full) and `track_*` (sid and identity only) events.
    public var participant: Participant?
    /// The egress, for `egress_*` events (`egressInfo`).
    public var egressInfo: EgressInfo?
    /// The ingress, for `ingress_*` events (`ingressInfo`).
    public var ingressInfo: IngressInfo?
    /// The track, for `track_*` events.
    public var track: Track?
    /// The event's unique id: `EV_` plus 12 base57 characters. Stable across delivery attempts and restarts.
    public var id: String
    /// Unix time the event was created, in seconds (`createdAt`, a quoted int64 in the JSON).
    public var createdAt: Int64
    /// Why the room ended, for `room_finished` (`roomEndReason`, LiveKit protocol 1.1.29+).
    public var roomEndReason: RoomEndReason

    /// Creates an event from its parts. Prefer the factory functions, which fill in what LiveKit fills in.
    public init(
        event: Name, room: Room? = nil, participant: Participant? = nil, egressInfo: EgressInfo? = nil,
        ingressInfo: IngressInfo? = nil, track: Track? = nil, id: String = LiveKitID.make(prefix: "EV_"),
        createdAt: Int64 = Int64(Date().timeIntervalSince1970), roomEndReason: RoomEndReason = .unknown
    ) {
        self.event = event
        self.room = room
        self.participant = participant
        self.egressInfo = egressInfo
        self.ingressInfo = ingressInfo
        self.track = track
        self.id = id
        self.createdAt = createdAt
        self.roomEndReason = roomEndReason
    }

    /// The key that orders this event's delivery, as LiveKit's `EventKey`: the egress id, else the ingress id,
    /// else the room name, else the participant identity, else the track sid.
    public var orderingKey: String {
        if let id = self.egressInfo?.egressId, !id.isEmpty { return id }
        if let id = self.ingressInfo?.ingressId, !id.isEmpty { return id }
        if let name = self.room?.name, !name.isEmpty { return name }
        if let identity = self.participant?.identity, !identity.isEmpty { return identity }
        return self.track?.sid ?? ""
    }

    /// The event as protobuf JSON, byte for byte what is signed and sent.
    ///
    /// - Complexity: O(size of the event).
    public func jsonData() -> Data {
        Data(self.jsonString().utf8)
    }

    /// The event as protobuf JSON text (see ``jsonData()``).
    public func jsonString() -> String {
        var json = ProtoJSONWriter()
        json.string("event", self.event.rawValue)
        json.message("room", self.room) { $1.write(to: &$0) }
        json.message("participant", self.participant) { $1.write(to: &$0) }
        json.message("egressInfo", self.egressInfo) { $1.write(to: &$0) }
        json.message("ingressInfo", self.ingressInfo) { $1.write(to: &$0) }
        json.message("track", self.track) { $1.write(to: &$0) }
        json.string("id", self.id)
        json.int64("createdAt", self.createdAt)
        json.enumeration("roomEndReason", self.roomEndReason)
        return json.finished
    }

    /// Parses a webhook body as LiveKit's SDKs do: camelCase or snake_case names, int64 as string or number,
    /// enums by name or number, unknown fields ignored.
    ///
    /// - Throws: ``WebhookReceiverError/malformedEvent(_:)`` if the body is not a JSON object.
    public init(jsonData: Data) throws(WebhookReceiverError) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: jsonData, options: [.fragmentsAllowed])
        } catch {
            throw .malformedEvent("body is not JSON")
        }
        guard let json = ProtoJSONObject(parsed) else { throw .malformedEvent("body is not a JSON object") }
        self.init(
            event: Name(rawValue: json.string("event")),
            room: json.message("room").map(Room.init),
            participant: json.message("participant").map(Participant.init),
            egressInfo: json.message("egressInfo").map(EgressInfo.init),
            ingressInfo: json.message("ingressInfo").map(IngressInfo.init),
            track: json.message("track").map(Track.init),
            id: json.string("id"),
            createdAt: json.int64("createdAt"),
            roomEndReason: json.enumeration("roomEndReason", RoomEndReason.self))
    }
}
