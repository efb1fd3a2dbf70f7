import ChorusWebhooks
import Foundation

/// A scripted room lifecycle, as the room will emit it: the events LiveKit would send, in LiveKit's order.
enum RoomScript {
    /// room_started; alice and bob join (active); each publishes a microphone track; carol aborts (never
    /// active); an egress starts, updates and ends; bob unpublishes and leaves; alice leaves; room_finished.
    static func lifecycle(room name: String, start: Int64 = WebhookEvent.now()) -> [WebhookEvent] {
        var room = WebhookEvent.Room(
            sid: LiveKitID.make(prefix: "RM_"), name: name, emptyTimeout: 300, departureTimeout: 20,
            creationTime: start, creationTimeMs: start * 1000, metadata: "chorus \"test\" ☃")
        let micA = WebhookEvent.Track(sid: LiveKitID.make(prefix: "TR_"), name: "mic", mimeType: "audio/opus", mid: "0")
        let micB = WebhookEvent.Track(
            sid: LiveKitID.make(prefix: "TR_"), name: "mic", muted: true, mimeType: "audio/opus", stereo: true)
        var alice = WebhookEvent.Participant(
            sid: LiveKitID.make(prefix: "PA_"), identity: "alice", state: .active, joinedAt: start,
            joinedAtMs: start * 1000, name: "Alice", attributes: ["team": "blue", "lang": "en"])
        var bob = WebhookEvent.Participant(
            sid: LiveKitID.make(prefix: "PA_"), identity: "bob", state: .active, joinedAt: start + 1, name: "Bob")
        var carol = WebhookEvent.Participant(sid: LiveKitID.make(prefix: "PA_"), identity: "carol", state: .joined)
        let egressID = LiveKitID.make(prefix: "EG_")
        var events: [WebhookEvent] = [.roomStarted(room: room)]
        room.numParticipants = 1
        events.append(.participantJoined(room: room, participant: alice))
        room.numParticipants = 2
        events.append(.participantJoined(room: room, participant: bob))
        alice.tracks = [micA]
        alice.isPublisher = true
        events.append(.trackPublished(room: room, participant: alice, track: micA))
        bob.tracks = [micB]
        bob.isPublisher = true
        events.append(.trackPublished(room: room, participant: bob, track: micB))
        carol.state = .disconnected
        carol.disconnectReason = .connectionTimeout
        events.append(.participantConnectionAborted(room: room, participant: carol))
        var egress = WebhookEvent.EgressInfo(
            egressId: egressID, roomId: room.sid, roomName: name, status: .starting, startedAt: start * 1_000_000_000)
        events.append(.egress(egress, room: room))
        egress.status = .active
        events.append(.egress(egress, room: room))
        events.append(.trackUnpublished(room: room, participant: bob, track: micB))
        bob.state = .disconnected
        bob.disconnectReason = .clientInitiated
        room.numParticipants = 1
        events.append(.participantLeft(room: room, participant: bob))
        alice.state = .disconnected
        alice.disconnectReason = .roomClosed
        room.numParticipants = 0
        events.append(.participantLeft(room: room, participant: alice))
        egress.status = .complete
        egress.endedAt = (start + 5) * 1_000_000_000
        events.append(.egress(egress, room: room))
        events.append(.roomFinished(room: room, reason: .idleTimeout))
        return events
    }

    /// An ingress that starts and ends publishing into `room`.
    static func ingress(room name: String) -> [WebhookEvent] {
        var ingress = WebhookEvent.IngressInfo(
            ingressId: LiveKitID.make(prefix: "IN_"), name: "rtmp in", roomName: name, participantIdentity: "obs",
            status: .publishing, startedAt: 1_700_000_000_000_000_000)
        let started = WebhookEvent.ingress(ingress, roomName: name)
        ingress.status = .complete
        ingress.endedAt = 1_700_000_100_000_000_000
        return [started, .ingress(ingress, roomName: name)]
    }
}
