extension WebhookEvent {
    /// LiveKit's `TrackInfo` message, with the fields an audio track needs.
    public struct Track: Sendable, Equatable {
        /// `TrackType`: the kind of media.
        public enum Kind: Int32, Sendable, CaseIterable, ProtoEnum {
            /// Audio (the zero value, so it never appears in the JSON).
            case audio = 0
            /// Video.
            case video = 1
            /// Data.
            case data = 2

            var protoName: String {
                switch self {
                case .audio: "AUDIO"
                case .video: "VIDEO"
                case .data: "DATA"
                }
            }
        }

        /// `TrackSource`: where the media comes from.
        public enum Source: Int32, Sendable, CaseIterable, ProtoEnum {
            /// Unknown (the zero value).
            case unknown = 0
            /// A camera.
            case camera = 1
            /// A microphone.
            case microphone = 2
            /// A screen share.
            case screenShare = 3
            /// A screen share's audio.
            case screenShareAudio = 4

            var protoName: String {
                switch self {
                case .unknown: "UNKNOWN"
                case .camera: "CAMERA"
                case .microphone: "MICROPHONE"
                case .screenShare: "SCREEN_SHARE"
                case .screenShareAudio: "SCREEN_SHARE_AUDIO"
                }
            }
        }

        /// The track's server id, `TR_` plus 12 base57 characters.
        public var sid: String
        /// The kind of media (`type` in the JSON).
        public var type: Kind
        /// The track's name.
        public var name: String
        /// True while the publisher has muted the track.
        public var muted: Bool
        /// True when the publisher disabled Opus DTX.
        public var disableDtx: Bool
        /// Where the media comes from.
        public var source: Source
        /// The codec's MIME type, e.g. `audio/opus`.
        public var mimeType: String
        /// The SDP media id.
        public var mid: String
        /// True for a stereo audio track.
        public var stereo: Bool
        /// The stream name the track belongs to.
        public var stream: String

        /// Creates a track; by default an audio track from a microphone.
        public init(
            sid: String, type: Kind = .audio, name: String = "", muted: Bool = false, disableDtx: Bool = false,
            source: Source = .microphone, mimeType: String = "", mid: String = "", stereo: Bool = false,
            stream: String = ""
        ) {
            self.sid = sid
            self.type = type
            self.name = name
            self.muted = muted
            self.disableDtx = disableDtx
            self.source = source
            self.mimeType = mimeType
            self.mid = mid
            self.stereo = stereo
            self.stream = stream
        }

        func write(to json: inout ProtoJSONWriter) {
            json.string("sid", self.sid)
            json.enumeration("type", self.type)
            json.string("name", self.name)
            json.bool("muted", self.muted)
            json.bool("disableDtx", self.disableDtx)
            json.enumeration("source", self.source)
            json.string("mimeType", self.mimeType)
            json.string("mid", self.mid)
            json.bool("stereo", self.stereo)
            json.string("stream", self.stream)
        }

        init(_ json: ProtoJSONObject) {
            self.init(
                sid: json.string("sid"), type: json.enumeration("type", Kind.self), name: json.string("name"),
                muted: json.bool("muted"), disableDtx: json.bool("disableDtx"),
                source: json.enumeration("source", Source.self), mimeType: json.string("mimeType"),
                mid: json.string("mid"), stereo: json.bool("stereo"), stream: json.string("stream"))
        }
    }
}
