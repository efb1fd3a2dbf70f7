import ChorusCore

/// A record of a room over media time, for pictures: each participant's level, the stretches in
/// which they were listed as speaking, and the other room events as marks.
///
/// Feed it from the room's thread: ``record(frame:identity:start:duration:)`` with every measured frame
/// (e.g. `FileRoomRunner.onFrame`) and ``record(_:)`` with every event (a room observer). Levels are
/// kept per ``binSeconds`` bin (the loudest frame of the bin), so an hour-long room stays small.
public struct RoomTimeline: Sendable {
    /// One participant's lane.
    public struct Lane: Sendable {
        /// Identity.
        public var identity: String
        /// RMS level in dBFS per bin (−127 where nothing was heard).
        public var levels: [Double] = []
        /// Stretches listed as speaking, in seconds.
        public var speaking: [ClosedRange<Double>] = []
        /// When the current stretch started, while listed.
        var speakingSince: Double?
    }

    /// A room event drawn as a mark on a lane (or on all lanes when it has no identity).
    public struct Mark: Sendable {
        /// Seconds.
        public var time: Double
        /// Short label ("connected", "left", "dominant" ...).
        public var label: String
        /// The lane, or nil for a room-wide mark.
        public var identity: String?
    }

    /// Width of a level bin, seconds.
    public let binSeconds: Double
    /// Lanes in order of first appearance.
    public private(set) var lanes: [Lane] = []
    /// Event marks in time order.
    public private(set) var marks: [Mark] = []
    /// The latest time seen, seconds.
    public private(set) var end: Double = 0

    /// An empty timeline with `binSeconds` level bins (default 50 ms).
    public init(binSeconds: Double = 0.05) {
        self.binSeconds = binSeconds
    }

    /// Records one measured frame.
    public mutating func record(frame: BlockMeasure, identity: String, start: MediaTime, duration: MediaTime) {
        let index = self.lane(identity)
        let bin = Int(start.seconds / self.binSeconds)
        while self.lanes[index].levels.count <= bin { self.lanes[index].levels.append(-127) }
        self.lanes[index].levels[bin] = max(self.lanes[index].levels[bin], frame.level.rmsDBFS)
        self.end = max(self.end, (start + duration).seconds)
    }

    /// Records one room event.
    public mutating func record(_ event: RoomEvent) {
        let time = event.time.seconds
        self.end = max(self.end, time)
        switch event {
        case .activeSpeakersChanged(let speakers, _):
            let listed = Set(speakers.map(\.identity))
            for identity in listed { _ = self.lane(identity) }
            for index in self.lanes.indices {
                let isListed = listed.contains(self.lanes[index].identity)
                if isListed, self.lanes[index].speakingSince == nil {
                    self.lanes[index].speakingSince = time
                } else if !isListed, let since = self.lanes[index].speakingSince {
                    self.lanes[index].speaking.append(since...time)
                    self.lanes[index].speakingSince = nil
                }
            }
        case .participantConnected(let identity, _):
            self.marks.append(Mark(time: time, label: "connected", identity: identity))
        case .participantActive(let identity, _):
            self.marks.append(Mark(time: time, label: "active", identity: identity))
        case .participantDisconnected(let identity, _):
            self.marks.append(Mark(time: time, label: "left", identity: identity))
        case .participantConnectionAborted(let identity, _):
            self.marks.append(Mark(time: time, label: "aborted", identity: identity))
        case .dominantSpeakerChanged(let identity, _):
            if let identity { self.marks.append(Mark(time: time, label: "dominant", identity: identity)) }
        case .trackPublished, .trackUnpublished, .isSpeakingChanged, .eventsDropped, .ingressStarted, .ingressEnded:
            break
        }
    }

    /// Closes open speaking stretches at the end of the recording.
    public mutating func finish() {
        for index in self.lanes.indices {
            if let since = self.lanes[index].speakingSince {
                self.lanes[index].speaking.append(since...self.end)
                self.lanes[index].speakingSince = nil
            }
        }
    }

    private mutating func lane(_ identity: String) -> Int {
        if let index = self.lanes.firstIndex(where: { $0.identity == identity }) { return index }
        self.lanes.append(Lane(identity: identity))
        return self.lanes.count - 1
    }
}
