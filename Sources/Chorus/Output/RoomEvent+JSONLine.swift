import ChorusCore
import ChorusWebhooks

extension RoomEvent {
    /// The event's snake_case name in JSON lines, e.g. `active_speakers_changed`.
    public var jsonName: String {
        switch self {
        case .participantConnected: return "participant_connected"
        case .participantActive: return "participant_active"
        case .participantDisconnected: return "participant_disconnected"
        case .participantConnectionAborted: return "participant_connection_aborted"
        case .trackPublished: return "track_published"
        case .trackUnpublished: return "track_unpublished"
        case .activeSpeakersChanged: return "active_speakers_changed"
        case .isSpeakingChanged: return "is_speaking_changed"
        case .dominantSpeakerChanged: return "dominant_speaker_changed"
        case .eventsDropped: return "events_dropped"
        case .ingressStarted: return "ingress_started"
        case .ingressEnded: return "ingress_ended"
        }
    }

    /// The event as one line of the JSON-lines contract (DESIGN.md), without a newline:
    /// `"event"`, `"time"` (media seconds, 3 decimals), then per event
    /// - `active_speakers_changed`: `"speakers":[{"identity":..,"level":..}]` loudest first (level 4 decimals);
    /// - `is_speaking_changed`: `"identity"`, `"speaking"`;
    /// - `participant_*`: `"identity"`;
    /// - `track_published`/`track_unpublished`: `"identity"`, `"track":{"sid","type","source"}`;
    /// - `dominant_speaker_changed`: `"identity"` (a string or `null`);
    /// - `events_dropped`: `"count"`;
    /// - `ingress_started`/`ingress_ended`: `"identity"` when it feeds one participant,
    ///   `"ingress":{"id","kind","source"}`, and for `ingress_ended` a `"reason"`.
    /// Byte-for-byte the same for the same event.
    public var jsonLine: String {
        var json = JSONLine(event: self.jsonName)
        json.number("time", self.time.seconds, decimals: 3)
        switch self {
        case .participantConnected(let identity, _), .participantActive(let identity, _),
            .participantDisconnected(let identity, _), .participantConnectionAborted(let identity, _):
            json.string("identity", identity)
        case .trackPublished(let identity, let track, _), .trackUnpublished(let identity, let track, _):
            json.string("identity", identity)
            var object = ""
            object += "{"
            for (index, (key, value)) in [("sid", track.sid), ("type", track.type.rawValue), ("source", track.source.rawValue)].enumerated() {
                if index > 0 { object += "," }
                JSONStringLiteral.append(key, to: &object)
                object += ":"
                JSONStringLiteral.append(value, to: &object)
            }
            object += "}"
            json.raw("track", object)
        case .activeSpeakersChanged(let speakers, _):
            var list = "["
            for (index, speaker) in speakers.enumerated() {
                if index > 0 { list += "," }
                list += "{"
                JSONStringLiteral.append("identity", to: &list)
                list += ":"
                JSONStringLiteral.append(speaker.identity, to: &list)
                list += ",\"level\":" + JSONLine.fixed(speaker.level, decimals: 4) + "}"
            }
            json.raw("speakers", list + "]")
        case .isSpeakingChanged(let identity, let speaking, _):
            json.string("identity", identity)
            json.bool("speaking", speaking)
        case .dominantSpeakerChanged(let identity, _):
            if let identity {
                json.string("identity", identity)
            } else {
                json.raw("identity", "null")
            }
        case .eventsDropped(let count, _):
            json.integer("count", count)
        case .ingressStarted(let ingress, _):
            Self.add(ingress, to: &json)
        case .ingressEnded(let ingress, let reason, _):
            Self.add(ingress, to: &json)
            json.string("reason", reason.rawValue)
        }
        return json.line
    }

    private static func add(_ ingress: IngressInfo, to json: inout JSONLine) {
        if let identity = ingress.identity { json.string("identity", identity) }
        var object = "{"
        for (index, (key, value)) in [("id", ingress.id), ("kind", ingress.kind.rawValue), ("source", ingress.source)].enumerated() {
            if index > 0 { object += "," }
            JSONStringLiteral.append(key, to: &object)
            object += ":"
            JSONStringLiteral.append(value, to: &object)
        }
        json.raw("ingress", object + "}")
    }
}
