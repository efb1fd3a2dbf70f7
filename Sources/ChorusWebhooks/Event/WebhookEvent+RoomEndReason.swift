extension WebhookEvent {
    /// `RoomEndReason` (`roomEndReason`, LiveKit protocol 1.1.29+): why a room was finished.
    public enum RoomEndReason: Int32, Sendable, CaseIterable, ProtoEnum {
        /// Unknown or not given (the zero value, never written).
        case unknown = 0
        /// Deleted through the API.
        case apiDelete = 1
        /// Closed after its empty or departure timeout.
        case idleTimeout = 2
        /// The server shut down.
        case serverShutdown = 3
        /// Replaced by another room of the same name.
        case superseded = 4
        /// The room failed to open.
        case openFailed = 5

        var protoName: String {
            switch self {
            case .unknown: "ROOM_END_UNKNOWN"
            case .apiDelete: "ROOM_END_API_DELETE"
            case .idleTimeout: "ROOM_END_IDLE_TIMEOUT"
            case .serverShutdown: "ROOM_END_SERVER_SHUTDOWN"
            case .superseded: "ROOM_END_SUPERSEDED"
            case .openFailed: "ROOM_END_OPEN_FAILED"
            }
        }
    }
}
