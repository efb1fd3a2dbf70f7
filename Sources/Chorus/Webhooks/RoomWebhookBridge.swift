import ChorusCore
import ChorusWebhooks
import Foundation

/// Sends a ``Room``'s lifecycle as LiveKit webhooks: attach it as a room observer and it turns
/// room events into `room_started`, `participant_joined`, `track_published`, `ingress_started` ...
/// with LiveKit's rules (see `RoomWebhooks`) and hands them to a `WebhookNotifier`, which delivers
/// them in order per room, retrying, from its own threads.
///
/// Enqueueing appends to memory and the outbox journal and returns: the room thread never waits on
/// the network. `room_finished` is sent when the last participant has been gone for
/// ``departureTimeout`` of room time (LiveKit's `departure_timeout`, default 20 s), or at
/// ``finish(reason:)``, always after every `participant_left`. A participant who arrives after the
/// room finished starts a new room (a new `RM_` sid), as in LiveKit.
///
/// Threading: call everything on the room's thread (observers run there).
public final class RoomWebhookBridge {
    /// The notifier delivering the events.
    public let notifier: WebhookNotifier
    /// The room's name (the webhooks' ordering key).
    public let roomName: String
    /// How long an empty room stays open, in room time.
    public let departureTimeout: MediaTime
    /// Events handed to the notifier so far.
    public private(set) var enqueued = 0
    /// Events the notifier refused (it was shutting down), counted rather than lost silently.
    public private(set) var refused = 0

    private var webhooks: RoomWebhooks
    private var present: Set<String> = []
    private var emptySince: MediaTime?
    private var finished = false

    /// The current room's sid (`RM_…`), for events sent from other threads (egress).
    public var roomSid: String { self.webhooks.room.sid }

    /// Creates a bridge and sends `room_started`.
    public init(notifier: WebhookNotifier, roomName: String, departureTimeout: MediaTime = .seconds(20)) {
        self.notifier = notifier
        self.roomName = roomName
        self.departureTimeout = departureTimeout
        self.webhooks = RoomWebhooks(name: roomName, departureTimeout: UInt32(max(0, departureTimeout.seconds)))
        self.send(self.webhooks.start())
    }

    /// Translates one room event (use as, or from, a ``Room`` observer).
    public func handle(_ event: RoomEvent) {
        self.advance(to: event.time)
        switch event {
        case .participantConnected(let identity, _):
            if self.finished { self.reopen() }
            self.present.insert(identity)
            self.emptySince = nil
            self.send(self.webhooks.participantConnected(identity: identity, sid: TrackInfo.stableID(prefix: "PA_", seed: identity)))
        case .participantActive(let identity, _):
            self.send(self.webhooks.participantActive(identity: identity))
        case .trackPublished(let identity, let track, _):
            self.send(self.webhooks.trackPublished(
                identity: identity, track: WebhookEvent.Track(sid: track.sid, mimeType: "audio/opus")))
        case .trackUnpublished(let identity, let track, _):
            self.send(self.webhooks.trackUnpublished(identity: identity, trackSid: track.sid))
        case .participantConnectionAborted(let identity, let time):
            self.send(self.webhooks.participantDisconnected(identity: identity, reason: .connectionTimeout))
            self.left(identity, at: time)
        case .participantDisconnected(let identity, let time):
            self.send(self.webhooks.participantDisconnected(identity: identity, reason: .clientInitiated))
            self.left(identity, at: time)
        case .ingressStarted(let ingress, _):
            self.send([WebhookEvent.ingress(self.info(ingress, status: .publishing, error: ""), roomName: self.roomName)])
        case .ingressEnded(let ingress, let reason, _):
            let failed = reason == .error || reason == .deviceLost
            self.send([WebhookEvent.ingress(
                self.info(ingress, status: failed ? .error : .complete, error: failed ? reason.rawValue : ""),
                roomName: self.roomName)])
        case .activeSpeakersChanged, .isSpeakingChanged, .dominantSpeakerChanged, .eventsDropped:
            break
        }
    }

    /// Runs the departure timer up to `time` (room time): sends `room_finished` if the room has been
    /// empty for ``departureTimeout``.
    public func advance(to time: MediaTime) {
        guard !self.finished, let since = self.emptySince, time - since >= self.departureTimeout else { return }
        self.finish(reason: .idleTimeout)
    }

    /// Closes the room: leaves for anyone still in, then `room_finished` (once).
    public func finish(reason: WebhookEvent.RoomEndReason = .serverShutdown) {
        guard !self.finished else { return }
        self.finished = true
        self.send(self.webhooks.finish(reason: reason))
    }

    private func left(_ identity: String, at time: MediaTime) {
        self.present.remove(identity)
        if self.present.isEmpty { self.emptySince = time }
    }

    private func reopen() {
        self.webhooks = RoomWebhooks(name: self.roomName, departureTimeout: UInt32(max(0, self.departureTimeout.seconds)))
        self.finished = false
        self.send(self.webhooks.start())
    }

    private func info(_ ingress: IngressInfo, status: WebhookEvent.IngressInfo.Status, error: String) -> WebhookEvent.IngressInfo {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        return WebhookEvent.IngressInfo(
            ingressId: ingress.id, name: ingress.source, roomName: self.roomName,
            participantIdentity: ingress.identity ?? "", status: status, error: error,
            roomId: self.webhooks.room.sid, startedAt: status == .publishing ? now : 0,
            endedAt: status == .publishing ? 0 : now, updatedAt: now)
    }

    private func send(_ events: [WebhookEvent]) {
        for event in events {
            if self.notifier.enqueue(event) { self.enqueued += 1 } else { self.refused += 1 }
        }
    }
}
