import Foundation

/// Turns one room's lifecycle into the webhooks LiveKit would send for it, following LiveKit's rules.
///
/// Call its methods as things happen in the room and pass the events they return to
/// ``WebhookNotifier/enqueue(_:)``, in order. The rules (`livekit/pkg/telemetry/events.go`,
/// `rtc/room.go`):
/// - `room_started` once, when the room is created ("auto-create on first join" included);
/// - a participant connecting (signal phase, states JOINING/JOINED) sends nothing;
/// - `participant_joined` only when it becomes ACTIVE (its first media), and only once;
/// - on disconnect, `participant_left` if it had been ACTIVE, else `participant_connection_aborted`;
/// - `track_published` / `track_unpublished` with the room reduced to sid+name and the participant to
///   sid+identity;
/// - ``finish(reason:now:)`` sends each remaining participant's leave before `room_finished`.
///
/// Sids (`RM_`, `PA_`, `TR_`) are generated unless given. Not thread-safe: use it from the thread that
/// consumes the room's events.
public struct RoomWebhooks: Sendable {
    /// The room as it is sent (with the current participant and publisher counts).
    public private(set) var room: WebhookEvent.Room
    /// The participants now in the room, by identity.
    public private(set) var participants: [String: WebhookEvent.Participant] = [:]
    private var started = false
    private var finished = false

    /// A room that has not started yet.
    ///
    /// - Parameters:
    ///   - name: The room's name (its webhooks' ordering key).
    ///   - sid: Its sid; a fresh `RM_…` by default.
    ///   - emptyTimeout: Seconds it stays open if nobody joins (LiveKit default 300).
    ///   - departureTimeout: Seconds it stays open after the last participant left (LiveKit default 20).
    ///   - metadata: Application metadata.
    public init(
        name: String, sid: String = LiveKitID.make(prefix: "RM_"), emptyTimeout: UInt32 = 300,
        departureTimeout: UInt32 = 20, metadata: String = ""
    ) {
        self.room = WebhookEvent.Room(
            sid: sid, name: name, emptyTimeout: emptyTimeout, departureTimeout: departureTimeout, metadata: metadata)
    }

    /// The room was created: `room_started` (once).
    public mutating func start(now: Date = Date()) -> [WebhookEvent] {
        guard !self.started else { return [] }
        self.started = true
        self.room.creationTime = Int64(now.timeIntervalSince1970)
        self.room.creationTimeMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        return [.roomStarted(room: self.room, createdAt: self.room.creationTime)]
    }

    /// A participant connected (signal phase). Sends nothing but starts the room if needed.
    ///
    /// - Returns: `room_started` if the room had not started (auto-create on first join), else nothing.
    public mutating func participantConnected(
        identity: String, sid: String = LiveKitID.make(prefix: "PA_"), name: String = "", metadata: String = "",
        kind: WebhookEvent.Participant.Kind = .standard, now: Date = Date()
    ) -> [WebhookEvent] {
        let events = self.start(now: now)
        guard !self.finished, self.participants[identity] == nil else { return events }
        let seconds = Int64(now.timeIntervalSince1970)
        self.participants[identity] = WebhookEvent.Participant(
            sid: sid, identity: identity, state: .joined, metadata: metadata, joinedAt: seconds,
            joinedAtMs: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)), name: name, kind: kind)
        self.updateCounts()
        return events
    }

    /// The participant's media arrived: `participant_joined`, the first time only.
    public mutating func participantActive(identity: String, now: Date = Date()) -> [WebhookEvent] {
        guard !self.finished, var participant = self.participants[identity], participant.state != .active else {
            return []
        }
        participant.state = .active
        self.participants[identity] = participant
        return [.participantJoined(room: self.room, participant: participant, createdAt: Self.seconds(now))]
    }

    /// The participant published a track: `track_published`.
    ///
    /// - Returns: The event, or nothing if the participant is unknown.
    public mutating func trackPublished(identity: String, track: WebhookEvent.Track, now: Date = Date())
        -> [WebhookEvent]
    {
        guard !self.finished, var participant = self.participants[identity] else { return [] }
        participant.tracks.removeAll { $0.sid == track.sid }
        participant.tracks.append(track)
        participant.isPublisher = true
        self.participants[identity] = participant
        self.updateCounts()
        return [.trackPublished(room: self.room, participant: participant, track: track, createdAt: Self.seconds(now))]
    }

    /// The participant unpublished the track `trackSid`: `track_unpublished`.
    public mutating func trackUnpublished(identity: String, trackSid: String, now: Date = Date()) -> [WebhookEvent] {
        guard var participant = self.participants[identity],
            let track = participant.tracks.first(where: { $0.sid == trackSid })
        else { return [] }
        participant.tracks.removeAll { $0.sid == trackSid }
        participant.isPublisher = !participant.tracks.isEmpty
        self.participants[identity] = participant
        self.updateCounts()
        return [
            .trackUnpublished(room: self.room, participant: participant, track: track, createdAt: Self.seconds(now))
        ]
    }

    /// The participant left or timed out: `participant_left` if it had become active, else
    /// `participant_connection_aborted` (use ``WebhookEvent/Participant/DisconnectReason/connectionTimeout``
    /// when no media came within the join timeout, 60 s in LiveKit).
    public mutating func participantDisconnected(
        identity: String, reason: WebhookEvent.Participant.DisconnectReason = .clientInitiated, now: Date = Date()
    ) -> [WebhookEvent] {
        guard var participant = self.participants.removeValue(forKey: identity) else { return [] }
        let wasActive = participant.state == .active
        participant.state = .disconnected
        participant.disconnectReason = reason
        self.updateCounts()
        let createdAt = Self.seconds(now)
        return wasActive
            ? [.participantLeft(room: self.room, participant: participant, createdAt: createdAt)]
            : [.participantConnectionAborted(room: self.room, participant: participant, createdAt: createdAt)]
    }

    /// The room closes: every remaining participant's leave (reason `ROOM_CLOSED`, in identity order), then
    /// `room_finished` (once).
    public mutating func finish(reason: WebhookEvent.RoomEndReason = .unknown, now: Date = Date())
        -> [WebhookEvent]
    {
        guard self.started, !self.finished else { return [] }
        var events: [WebhookEvent] = []
        for identity in self.participants.keys.sorted() {
            events += self.participantDisconnected(identity: identity, reason: .roomClosed, now: now)
        }
        self.finished = true
        events.append(.roomFinished(room: self.room, reason: reason, createdAt: Self.seconds(now)))
        return events
    }

    private mutating func updateCounts() {
        self.room.numParticipants = UInt32(self.participants.count)
        self.room.numPublishers = UInt32(self.participants.values.filter(\.isPublisher).count)
    }

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970) }
}
