extension WebhookEvent {
    /// LiveKit's `IngressInfo` message, with the fields that describe its state.
    public struct IngressInfo: Sendable, Equatable {
        /// `IngressState.Status`.
        public enum Status: Int32, Sendable, CaseIterable, ProtoEnum {
            /// Inactive (the zero value); sent with `ingress_ended`.
            case inactive = 0
            /// Buffering.
            case buffering = 1
            /// Publishing; sent with `ingress_started`.
            case publishing = 2
            /// Failed; sent with `ingress_ended`.
            case error = 3
            /// Finished; sent with `ingress_ended`.
            case complete = 4

            var protoName: String {
                switch self {
                case .inactive: "ENDPOINT_INACTIVE"
                case .buffering: "ENDPOINT_BUFFERING"
                case .publishing: "ENDPOINT_PUBLISHING"
                case .error: "ENDPOINT_ERROR"
                case .complete: "ENDPOINT_COMPLETE"
                }
            }
        }

        /// The ingress id (`IN_…`); the ordering key of its events.
        public var ingressId: String
        /// The ingress's name.
        public var name: String
        /// The room it publishes into.
        public var roomName: String
        /// The identity of the participant it publishes as.
        public var participantIdentity: String
        /// The display name of that participant.
        public var participantName: String
        /// `state.status`.
        public var status: Status
        /// `state.error`.
        public var error: String
        /// `state.roomId`: the sid of the room it publishes into.
        public var roomId: String
        /// `state.startedAt`, Unix nanoseconds.
        public var startedAt: Int64
        /// `state.endedAt`, Unix nanoseconds.
        public var endedAt: Int64
        /// `state.updatedAt`, Unix nanoseconds.
        public var updatedAt: Int64

        /// Creates an ingress description.
        public init(
            ingressId: String, name: String = "", roomName: String = "", participantIdentity: String = "",
            participantName: String = "", status: Status = .inactive, error: String = "", roomId: String = "",
            startedAt: Int64 = 0, endedAt: Int64 = 0, updatedAt: Int64 = 0
        ) {
            self.ingressId = ingressId
            self.name = name
            self.roomName = roomName
            self.participantIdentity = participantIdentity
            self.participantName = participantName
            self.status = status
            self.error = error
            self.roomId = roomId
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.updatedAt = updatedAt
        }

        func write(to json: inout ProtoJSONWriter) {
            json.string("ingressId", self.ingressId)
            json.string("name", self.name)
            json.string("roomName", self.roomName)
            json.string("participantIdentity", self.participantIdentity)
            json.string("participantName", self.participantName)
            json.message("state", self) { state, info in
                state.enumeration("status", info.status)
                state.string("error", info.error)
                state.string("roomId", info.roomId)
                state.int64("startedAt", info.startedAt)
                state.int64("endedAt", info.endedAt)
                state.int64("updatedAt", info.updatedAt)
            }
        }

        init(_ json: ProtoJSONObject) {
            let state = json.message("state") ?? ProtoJSONObject([String: Any]())!
            self.init(
                ingressId: json.string("ingressId"), name: json.string("name"), roomName: json.string("roomName"),
                participantIdentity: json.string("participantIdentity"),
                participantName: json.string("participantName"), status: state.enumeration("status", Status.self),
                error: state.string("error"), roomId: state.string("roomId"), startedAt: state.int64("startedAt"),
                endedAt: state.int64("endedAt"), updatedAt: state.int64("updatedAt"))
        }
    }
}
