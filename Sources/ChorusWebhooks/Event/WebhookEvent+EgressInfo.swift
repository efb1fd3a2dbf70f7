extension WebhookEvent {
    /// LiveKit's `EgressInfo` message (a recording), with the fields that describe its progress.
    public struct EgressInfo: Sendable, Equatable {
        /// `EgressStatus`.
        public enum Status: Int32, Sendable, CaseIterable, ProtoEnum {
            /// Starting (the zero value); sent with `egress_started`.
            case starting = 0
            /// Running; sent with `egress_updated`.
            case active = 1
            /// Finishing; sent with `egress_updated`.
            case ending = 2
            /// Finished; sent with `egress_ended`.
            case complete = 3
            /// Failed; sent with `egress_ended`.
            case failed = 4
            /// Aborted; sent with `egress_ended`.
            case aborted = 5
            /// Stopped at a limit; sent with `egress_ended`.
            case limitReached = 6

            var protoName: String {
                switch self {
                case .starting: "EGRESS_STARTING"
                case .active: "EGRESS_ACTIVE"
                case .ending: "EGRESS_ENDING"
                case .complete: "EGRESS_COMPLETE"
                case .failed: "EGRESS_FAILED"
                case .aborted: "EGRESS_ABORTED"
                case .limitReached: "EGRESS_LIMIT_REACHED"
                }
            }
        }

        /// The egress id (`EG_…`); the ordering key of its events.
        public var egressId: String
        /// The recorded room's sid.
        public var roomId: String
        /// The recorded room's name.
        public var roomName: String
        /// The status.
        public var status: Status
        /// Unix time the egress started, in nanoseconds.
        public var startedAt: Int64
        /// Unix time the egress ended, in nanoseconds.
        public var endedAt: Int64
        /// Unix time of the last update, in nanoseconds.
        public var updatedAt: Int64
        /// The error, when it failed.
        public var error: String
        /// Free-form details.
        public var details: String

        /// Creates an egress description.
        public init(
            egressId: String, roomId: String = "", roomName: String = "", status: Status = .starting,
            startedAt: Int64 = 0, endedAt: Int64 = 0, updatedAt: Int64 = 0, error: String = "", details: String = ""
        ) {
            self.egressId = egressId
            self.roomId = roomId
            self.roomName = roomName
            self.status = status
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.updatedAt = updatedAt
            self.error = error
            self.details = details
        }

        func write(to json: inout ProtoJSONWriter) {
            json.string("egressId", self.egressId)
            json.string("roomId", self.roomId)
            json.string("roomName", self.roomName)
            json.enumeration("status", self.status)
            json.int64("startedAt", self.startedAt)
            json.int64("endedAt", self.endedAt)
            json.int64("updatedAt", self.updatedAt)
            json.string("error", self.error)
            json.string("details", self.details)
        }

        init(_ json: ProtoJSONObject) {
            self.init(
                egressId: json.string("egressId"), roomId: json.string("roomId"), roomName: json.string("roomName"),
                status: json.enumeration("status", Status.self), startedAt: json.int64("startedAt"),
                endedAt: json.int64("endedAt"), updatedAt: json.int64("updatedAt"), error: json.string("error"),
                details: json.string("details"))
        }
    }
}
