extension WebhookEvent {
    /// LiveKit's `ParticipantInfo` message, with the fields Chorus sets.
    public struct Participant: Sendable, Equatable {
        /// `ParticipantInfo.State`.
        public enum State: Int32, Sendable, CaseIterable, ProtoEnum {
            /// Signal connection made; no webhook is sent in this state (the zero value).
            case joining = 0
            /// Join response sent; still no media.
            case joined = 1
            /// Media connected: `participant_joined` is sent on entering this state.
            case active = 2
            /// Closed: `participant_left` or `participant_connection_aborted` carry this state.
            case disconnected = 3

            var protoName: String {
                switch self {
                case .joining: "JOINING"
                case .joined: "JOINED"
                case .active: "ACTIVE"
                case .disconnected: "DISCONNECTED"
                }
            }
        }

        /// `ParticipantInfo.Kind`.
        public enum Kind: Int32, Sendable, CaseIterable, ProtoEnum {
            /// A regular participant (the zero value).
            case standard = 0
            /// An ingress.
            case ingress = 1
            /// An egress (recorder).
            case egress = 2
            /// A SIP participant.
            case sip = 3
            /// An agent.
            case agent = 4
            /// A connector.
            case connector = 7
            /// A bridge.
            case bridge = 8

            var protoName: String {
                switch self {
                case .standard: "STANDARD"
                case .ingress: "INGRESS"
                case .egress: "EGRESS"
                case .sip: "SIP"
                case .agent: "AGENT"
                case .connector: "CONNECTOR"
                case .bridge: "BRIDGE"
                }
            }
        }

        /// `DisconnectReason`: why a participant left.
        public enum DisconnectReason: Int32, Sendable, CaseIterable, ProtoEnum {
            /// Unknown (the zero value).
            case unknown = 0
            /// The client left.
            case clientInitiated = 1
            /// Another participant joined with the same identity.
            case duplicateIdentity = 2
            /// The server shut down.
            case serverShutdown = 3
            /// Removed through the API.
            case participantRemoved = 4
            /// The room was deleted.
            case roomDeleted = 5
            /// State mismatch.
            case stateMismatch = 6
            /// The join failed.
            case joinFailure = 7
            /// Migration.
            case migration = 8
            /// The signal connection closed.
            case signalClose = 9
            /// The room closed.
            case roomClosed = 10
            /// User unavailable (SIP).
            case userUnavailable = 11
            /// User rejected (SIP).
            case userRejected = 12
            /// SIP trunk failure.
            case sipTrunkFailure = 13
            /// No media or signal within the timeout.
            case connectionTimeout = 14
            /// Media failed.
            case mediaFailure = 15
            /// Agent error.
            case agentError = 16

            var protoName: String {
                switch self {
                case .unknown: "UNKNOWN_REASON"
                case .clientInitiated: "CLIENT_INITIATED"
                case .duplicateIdentity: "DUPLICATE_IDENTITY"
                case .serverShutdown: "SERVER_SHUTDOWN"
                case .participantRemoved: "PARTICIPANT_REMOVED"
                case .roomDeleted: "ROOM_DELETED"
                case .stateMismatch: "STATE_MISMATCH"
                case .joinFailure: "JOIN_FAILURE"
                case .migration: "MIGRATION"
                case .signalClose: "SIGNAL_CLOSE"
                case .roomClosed: "ROOM_CLOSED"
                case .userUnavailable: "USER_UNAVAILABLE"
                case .userRejected: "USER_REJECTED"
                case .sipTrunkFailure: "SIP_TRUNK_FAILURE"
                case .connectionTimeout: "CONNECTION_TIMEOUT"
                case .mediaFailure: "MEDIA_FAILURE"
                case .agentError: "AGENT_ERROR"
                }
            }
        }

        /// The participant's server id, `PA_` plus 12 base57 characters.
        public var sid: String
        /// The participant's identity.
        public var identity: String
        /// The connection state.
        public var state: State
        /// The participant's published tracks.
        public var tracks: [Track]
        /// Application metadata.
        public var metadata: String
        /// Unix time the participant joined, in seconds.
        public var joinedAt: Int64
        /// Unix time the participant joined, in milliseconds.
        public var joinedAtMs: Int64
        /// Display name.
        public var name: String
        /// True when the participant publishes tracks.
        public var isPublisher: Bool
        /// The kind of participant.
        public var kind: Kind
        /// Application attributes.
        public var attributes: [String: String]
        /// Why the participant left (set with `participant_left` / `participant_connection_aborted`).
        public var disconnectReason: DisconnectReason

        /// Creates a participant; every argument but `sid` and `identity` defaults to its zero value.
        public init(
            sid: String, identity: String, state: State = .joining, tracks: [Track] = [], metadata: String = "",
            joinedAt: Int64 = 0, joinedAtMs: Int64 = 0, name: String = "", isPublisher: Bool = false,
            kind: Kind = .standard, attributes: [String: String] = [:],
            disconnectReason: DisconnectReason = .unknown
        ) {
            self.sid = sid
            self.identity = identity
            self.state = state
            self.tracks = tracks
            self.metadata = metadata
            self.joinedAt = joinedAt
            self.joinedAtMs = joinedAtMs
            self.name = name
            self.isPublisher = isPublisher
            self.kind = kind
            self.attributes = attributes
            self.disconnectReason = disconnectReason
        }

        /// The participant reduced to its sid and identity, as LiveKit sends it with `track_*` events.
        public var minimal: Participant { Participant(sid: self.sid, identity: self.identity) }

        func write(to json: inout ProtoJSONWriter) {
            json.string("sid", self.sid)
            json.string("identity", self.identity)
            json.enumeration("state", self.state)
            json.messages("tracks", self.tracks) { $1.write(to: &$0) }
            json.string("metadata", self.metadata)
            json.int64("joinedAt", self.joinedAt)
            json.int64("joinedAtMs", self.joinedAtMs)
            json.string("name", self.name)
            json.bool("isPublisher", self.isPublisher)
            json.enumeration("kind", self.kind)
            json.stringMap("attributes", self.attributes)
            json.enumeration("disconnectReason", self.disconnectReason)
        }

        init(_ json: ProtoJSONObject) {
            self.init(
                sid: json.string("sid"), identity: json.string("identity"),
                state: json.enumeration("state", State.self), tracks: json.messages("tracks").map(Track.init),
                metadata: json.string("metadata"), joinedAt: json.int64("joinedAt"),
                joinedAtMs: json.int64("joinedAtMs"), name: json.string("name"),
                isPublisher: json.bool("isPublisher"), kind: json.enumeration("kind", Kind.self),
                attributes: json.stringMap("attributes"),
                disconnectReason: json.enumeration("disconnectReason", DisconnectReason.self))
        }
    }
}
