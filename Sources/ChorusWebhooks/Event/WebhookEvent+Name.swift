extension WebhookEvent {
    /// A webhook event name (`event`), as in LiveKit's `protocol/webhook/consts.go`.
    public struct Name: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The name as sent, e.g. `room_started`.
        public var rawValue: String

        /// Wraps a name; unknown names are kept as they are.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Wraps a literal name.
        public init(stringLiteral value: String) { self.rawValue = value }

        /// The name as sent.
        public var description: String { self.rawValue }

        /// The room was created.
        public static let roomStarted: Name = "room_started"
        /// The room was closed.
        public static let roomFinished: Name = "room_finished"
        /// A participant became active (media connected).
        public static let participantJoined: Name = "participant_joined"
        /// An active participant left.
        public static let participantLeft: Name = "participant_left"
        /// A participant left without ever becoming active.
        public static let participantConnectionAborted: Name = "participant_connection_aborted"
        /// A track was published.
        public static let trackPublished: Name = "track_published"
        /// A track was unpublished.
        public static let trackUnpublished: Name = "track_unpublished"
        /// An egress (recording) started.
        public static let egressStarted: Name = "egress_started"
        /// An egress became active or began ending.
        public static let egressUpdated: Name = "egress_updated"
        /// An egress finished, failed or was aborted.
        public static let egressEnded: Name = "egress_ended"
        /// An ingress started publishing.
        public static let ingressStarted: Name = "ingress_started"
        /// An ingress stopped.
        public static let ingressEnded: Name = "ingress_ended"

        /// Every event name Chorus can send.
        public static let all: [Name] = [
            .roomStarted, .roomFinished, .participantJoined, .participantLeft, .participantConnectionAborted,
            .trackPublished, .trackUnpublished, .egressStarted, .egressUpdated, .egressEnded, .ingressStarted,
            .ingressEnded,
        ]
    }
}
