extension WebhookEvent {
    /// LiveKit's `Room` message (`livekit_models.proto`), with the fields Chorus sets.
    ///
    /// Zero values (empty strings, 0, false) are left out of the JSON, as protojson does.
    public struct Room: Sendable, Equatable {
        /// The room's server id, `RM_` plus 12 base57 characters (see ``LiveKitID``).
        public var sid: String
        /// The room's name; the ordering key of its events. Always set.
        public var name: String
        /// Seconds the room stays open with nobody in it before anyone joined (LiveKit default 300).
        public var emptyTimeout: UInt32
        /// Seconds the room stays open after the last participant left (LiveKit default 20).
        public var departureTimeout: UInt32
        /// Maximum number of participants, 0 for no limit.
        public var maxParticipants: UInt32
        /// Unix time the room was created, in seconds.
        public var creationTime: Int64
        /// Unix time the room was created, in milliseconds.
        public var creationTimeMs: Int64
        /// Application metadata.
        public var metadata: String
        /// Number of participants in the room.
        public var numParticipants: UInt32
        /// Number of participants publishing tracks.
        public var numPublishers: UInt32
        /// True while an egress (recording) of the room is running.
        public var activeRecording: Bool

        /// Creates a room; every argument but `name` defaults to its zero value.
        public init(
            sid: String = "", name: String, emptyTimeout: UInt32 = 0, departureTimeout: UInt32 = 0,
            maxParticipants: UInt32 = 0, creationTime: Int64 = 0, creationTimeMs: Int64 = 0, metadata: String = "",
            numParticipants: UInt32 = 0, numPublishers: UInt32 = 0, activeRecording: Bool = false
        ) {
            self.sid = sid
            self.name = name
            self.emptyTimeout = emptyTimeout
            self.departureTimeout = departureTimeout
            self.maxParticipants = maxParticipants
            self.creationTime = creationTime
            self.creationTimeMs = creationTimeMs
            self.metadata = metadata
            self.numParticipants = numParticipants
            self.numPublishers = numPublishers
            self.activeRecording = activeRecording
        }

        /// The room reduced to its sid and name, as LiveKit sends it with `track_*` and `egress_*` events.
        public var minimal: Room { Room(sid: self.sid, name: self.name) }

        func write(to json: inout ProtoJSONWriter) {
            json.string("sid", self.sid)
            json.string("name", self.name)
            json.uint32("emptyTimeout", self.emptyTimeout)
            json.uint32("departureTimeout", self.departureTimeout)
            json.uint32("maxParticipants", self.maxParticipants)
            json.int64("creationTime", self.creationTime)
            json.int64("creationTimeMs", self.creationTimeMs)
            json.string("metadata", self.metadata)
            json.uint32("numParticipants", self.numParticipants)
            json.uint32("numPublishers", self.numPublishers)
            json.bool("activeRecording", self.activeRecording)
        }

        init(_ json: ProtoJSONObject) {
            self.init(
                sid: json.string("sid"), name: json.string("name"), emptyTimeout: json.uint32("emptyTimeout"),
                departureTimeout: json.uint32("departureTimeout"), maxParticipants: json.uint32("maxParticipants"),
                creationTime: json.int64("creationTime"), creationTimeMs: json.int64("creationTimeMs"),
                metadata: json.string("metadata"), numParticipants: json.uint32("numParticipants"),
                numPublishers: json.uint32("numPublishers"), activeRecording: json.bool("activeRecording"))
        }
    }
}
