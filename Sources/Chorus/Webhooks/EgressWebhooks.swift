import ChorusCore
import ChorusWebhooks
import Foundation

/// Turns a ``TrackRecorder``'s progress into LiveKit's egress webhooks: `egress_started` with the
/// first audio of a file, `egress_updated` as it grows (at most once a second, with its size in
/// `details`), `egress_ended` when it is closed.
///
/// Thread-safe (it only reads constants and calls the notifier, which is): hand ``handle(_:)`` to
/// the recorder's `onProgress`, which runs on the recorder's thread. Egress events are ordered by
/// their egress id (LiveKit's key), one egress per recorded participant.
public struct EgressWebhooks: Sendable {
    /// The notifier delivering the events.
    public let notifier: WebhookNotifier
    /// The room's name and sid, as in its other webhooks.
    public let room: WebhookEvent.Room

    /// Creates the reporter for `roomName` / `roomSid`.
    public init(notifier: WebhookNotifier, roomName: String, roomSid: String) {
        self.notifier = notifier
        self.room = WebhookEvent.Room(sid: roomSid, name: roomName)
    }

    /// Sends the webhook for one progress report.
    public func handle(_ progress: TrackRecorder.Progress) {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let status: WebhookEvent.EgressInfo.Status
        switch progress.phase {
        case .started: status = .starting
        case .updated: status = .active
        case .ended: status = .complete
        }
        let info = WebhookEvent.EgressInfo(
            egressId: TrackInfo.stableID(prefix: "EG_", seed: "\(self.room.sid):\(progress.identity)"),
            roomId: self.room.sid, roomName: self.room.name, status: status,
            startedAt: progress.phase == .started ? now : 0, endedAt: progress.phase == .ended ? now : 0, updatedAt: now,
            details: "file=\(progress.url.lastPathComponent); bytes=\(progress.bytes); seconds=\(JSONLine.fixed(progress.seconds, decimals: 3))")
        _ = self.notifier.enqueue(WebhookEvent.egress(info, room: self.room))
    }
}
