import ChorusWebhooks
import Foundation
import Testing

/// LiveKit's lifecycle rules, as ``RoomWebhooks`` applies them, and its events accepted by the SDK.
@Suite struct RoomWebhooksTests {
    @Test func followsLiveKitsLifecycleRules() {
        var room = RoomWebhooks(name: "rules")
        var events: [WebhookEvent] = []
        events += room.participantConnected(identity: "alice", name: "Alice")  // auto-create: room_started
        events += room.participantConnected(identity: "bob")
        events += room.participantConnected(identity: "carol")
        events += room.participantActive(identity: "alice")
        events += room.participantActive(identity: "alice")  // once only
        events += room.participantActive(identity: "bob")
        let mic = WebhookEvent.Track(sid: LiveKitID.make(prefix: "TR_"), name: "mic", mimeType: "audio/opus")
        events += room.trackPublished(identity: "alice", track: mic)
        events += room.participantDisconnected(identity: "carol", reason: .connectionTimeout)  // never active
        events += room.trackUnpublished(identity: "alice", trackSid: mic.sid)
        events += room.participantDisconnected(identity: "bob")
        events += room.finish(reason: .idleTimeout)  // alice still in: her leave first
        events += room.finish()  // once only
        #expect(events.map(\.event) == [
            .roomStarted, .participantJoined, .participantJoined, .trackPublished, .participantConnectionAborted,
            .trackUnpublished, .participantLeft, .participantLeft, .roomFinished,
        ])
        #expect(Set(events.map(\.id)).count == events.count)
        #expect(Set(events.map(\.orderingKey)) == ["rules"])
        #expect(events[1].participant?.state == .active && events[1].participant?.identity == "alice")
        #expect(events[1].room?.numParticipants == 3)
        #expect(events[3].room == WebhookEvent.Room(sid: room.room.sid, name: "rules"))
        #expect(events[3].participant?.tracks == [] && events[3].participant?.identity == "alice")
        #expect(events[4].participant?.state == .disconnected)
        #expect(events[4].participant?.disconnectReason == .connectionTimeout)
        #expect(events[6].participant?.identity == "bob" && events[6].participant?.disconnectReason == .clientInitiated)
        #expect(events[7].participant?.identity == "alice" && events[7].participant?.disconnectReason == .roomClosed)
        #expect(events[8].roomEndReason == .idleTimeout && events[8].room?.numParticipants == 0)
        #expect(room.participants.isEmpty)
        #expect(room.participantConnected(identity: "late").isEmpty && room.participants.isEmpty)
    }

    @Test func itsEventsAreAcceptedByTheSDKInOrder() throws {
        let receiver = try PythonReceiver()
        var room = RoomWebhooks(name: "reported")
        var events = room.start()
        events += room.participantConnected(identity: "alice")
        events += room.participantActive(identity: "alice")
        events += room.trackPublished(identity: "alice", track: .init(sid: LiveKitID.make(prefix: "TR_"), name: "mic"))
        events += room.finish()
        let notifier = try DeliveryExpectations.notifier([WebhookEndpoint(url: receiver.url)])
        for event in events { notifier.enqueue(event) }
        #expect(notifier.drain(timeout: 10).isComplete)
        DeliveryExpectations.expectDelivered(events, accepted: receiver.accepted())
        #expect(receiver.accepted().compactMap { $0["event"] as? String } == events.map(\.event.rawValue))
    }
}
