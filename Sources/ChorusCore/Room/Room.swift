/// A room of participants, their tracks and who is speaking, driven frame by frame in media time.
///
/// **Threading.** A room is driven from one thread (the pipeline's "room" thread): every method is
/// called there, and observers run there, synchronously, before the method returns. The room is not
/// `Sendable`; hand it to that thread once. ``events(bufferLimit:)`` streams are the way to consume
/// events elsewhere.
///
/// **Time.** The caller gives media time (since the room's start) with every call and never goes
/// back in time. Frames are 10 or 20 ms, aligned across participants: for each frame period, call
/// ``observe(identity:measure:duration:at:)`` for every participant that has the frame, then
/// ``advance(to:)`` with the period's end, which decides the frame for the whole room. (An
/// `observe` at or past the end of the undecided period decides it first, so a missed `advance` is
/// only later, not lost.)
///
/// **Lifecycle** (LiveKit's two phases):
/// - ``publishTrack(identity:at:)``: the first track of an unknown identity makes it connected
///   (`participantConnected`, then `trackPublished`).
/// - The first media makes it active (`participantActive`).
/// - No media within ``RoomConfiguration/mediaTimeout`` of connecting: `participantConnectionAborted`,
///   then `trackUnpublished` for each track, then `participantDisconnected`.
/// - ``endTrack(identity:sid:at:)``, or no media on a track for ``RoomConfiguration/trackIdleTimeout``:
///   `trackUnpublished`; the last track gone: `participantDisconnected`. A participant that was
///   speaking gets `isSpeakingChanged(false)` and leaves the speaker list first.
///
/// **Order.** Within one call, events come in this order: lifecycle events of the call's subject;
/// then for a decided frame `isSpeakingChanged` (by join order), `activeSpeakersChanged`,
/// `dominantSpeakerChanged`; then timeouts (by join order). The same calls give the same events.
public final class Room {
    /// The room's name (`--room`, webhooks).
    public let name: String
    /// Timeouts and detector configuration.
    public let configuration: RoomConfiguration
    /// The end of the last decided frame period (or the latest time given to ``advance(to:)``).
    public private(set) var now = MediaTime.zero

    private var detector: SpeakerDetector
    private var members: [Member] = []
    private var indexByIdentity: [String: Int] = [:]
    private var publications: [String: Int] = [:]   // tracks ever published per identity
    private var observers: [(RoomEvent) -> Void] = []
    private var feeds: [RoomEventStream.Feed] = []
    private var outbox: [RoomEvent] = []
    private var undecidedEnd: MediaTime?
    private var closed = false

    /// One participant's bookkeeping.
    private struct Member {
        var identity: String
        var slot: Int
        var state: Participant.State = .joining
        var tracks: [TrackInfo] = []
        var trackLastMedia: [MediaTime] = []
        var connectedAt: MediaTime
        var activeAt: MediaTime?
    }

    /// Creates an empty room.
    ///
    /// - Parameters:
    ///   - name: the room's name. Default `"chorus"`.
    ///   - configuration: timeouts and detector settings. Default: ``RoomConfiguration/init()``.
    public init(name: String = "chorus", configuration: RoomConfiguration = RoomConfiguration()) {
        self.name = name
        self.configuration = configuration
        self.detector = SpeakerDetector(configuration: configuration.detector)
        self.outbox.reserveCapacity(64)
    }

    deinit {
        for feed in self.feeds { feed.continuation.finish() }
    }

    // MARK: - Subscribing

    /// Calls `observer` with every room event, synchronously and in order, on the room's thread.
    /// It must return quickly: the room waits for it.
    public func addObserver(_ observer: @escaping (RoomEvent) -> Void) {
        self.observers.append(observer)
    }

    /// Calls `observer` with the events of one participant (see ``ParticipantEvent``), synchronously
    /// on the room's thread.
    public func addObserver(for identity: String, _ observer: @escaping (ParticipantEvent) -> Void) {
        self.observers.append { event in
            if let scoped = event.participantEvent(for: identity) { observer(scoped) }
        }
    }

    /// A new stream of the room's events from now on, holding up to `bufferLimit` events for a slow
    /// consumer (then dropping and counting; see ``RoomEventStream``). Default 4096 events, about
    /// a minute of a busy room.
    public func events(bufferLimit: Int = 4096) -> RoomEventStream {
        let (stream, feed) = RoomEventStream.make(bufferLimit: bufferLimit)
        if self.closed {
            feed.continuation.finish()
        } else {
            self.feeds.append(feed)
        }
        return stream
    }

    // MARK: - Driving

    /// Publishes a microphone audio track for `identity` (the signal phase) and returns it.
    /// An unknown identity connects first (`participantConnected`).
    ///
    /// The track sid is ``TrackInfo/sid(identity:sequence:)`` of how many tracks the identity
    /// published in this room before (a participant that left and came back gets new sids).
    @discardableResult
    public func publishTrack(identity: String, at time: MediaTime) -> TrackInfo {
        let track = TrackInfo(sid: TrackInfo.sid(identity: identity, sequence: self.publications[identity, default: 0]))
        guard !self.closed else { return track }
        self.publications[identity, default: 0] += 1
        self.decidePending(before: time)
        let index: Int
        if let known = self.indexByIdentity[identity] {
            index = known
        } else {
            index = self.members.count
            let slot = self.detector.addParticipant(identity: identity)
            self.members.append(Member(identity: identity, slot: slot, connectedAt: time))
            self.indexByIdentity[identity] = index
            self.outbox.append(.participantConnected(identity: identity, time: time))
        }
        self.members[index].tracks.append(track)
        self.members[index].trackLastMedia.append(time)
        self.outbox.append(.trackPublished(identity: identity, track: track, time: time))
        self.flush()
        return track
    }

    /// Gives one frame of `identity`'s audio, starting at `time` and lasting `duration`.
    ///
    /// An identity not in the room (never joined, or left) publishes a track first, as a stream
    /// whose first sign is its media does (a new RTP SSRC). The first frame makes the participant
    /// active.
    ///
    /// - Parameters:
    ///   - measure: the frame's level sums from ``LevelKernel/measure(_:)``.
    ///   - duration: the frame's length (10 or 20 ms).
    ///   - sid: the track the frame belongs to (it keeps that track from idling out); nil for the
    ///     participant's most recently published track. Detection is per participant: frames of
    ///     several tracks in one period are measured together.
    ///   - time: the frame's start.
    public func observe(identity: String, measure: BlockMeasure, duration: MediaTime, sid: String? = nil, at time: MediaTime) {
        guard !self.closed else { return }
        self.decidePending(before: time)
        if self.indexByIdentity[identity] == nil { self.publishTrack(identity: identity, at: time) }
        guard let index = self.indexByIdentity[identity], !self.members[index].tracks.isEmpty else { return }
        let end = time + duration
        if self.members[index].state == .joining {
            self.members[index].state = .active
            self.members[index].activeAt = time
            self.outbox.append(.participantActive(identity: identity, time: time))
        }
        let track = sid.flatMap { sid in self.members[index].tracks.firstIndex { $0.sid == sid } }
            ?? self.members[index].tracks.count - 1
        self.members[index].trackLastMedia[track] = max(self.members[index].trackLastMedia[track], end)
        self.detector.observe(slot: self.members[index].slot, measure: measure, duration: duration)
        self.undecidedEnd = max(self.undecidedEnd ?? end, end)
        self.flush()
    }

    /// Ends one of `identity`'s tracks (`sid`), or all of them (`sid` nil): the stream ended.
    /// The participant disconnects when no track is left.
    public func endTrack(identity: String, sid: String? = nil, at time: MediaTime) {
        guard !self.closed else { return }
        self.decidePending(before: time)
        guard let index = self.indexByIdentity[identity] else { return }
        let ending = self.members[index].tracks.indices.filter { sid == nil || self.members[index].tracks[$0].sid == sid }
        self.unpublish(index, tracks: ending, at: time)
        self.flush()
    }

    /// Reports that Chorus started taking media from a capture device or an RTP listener
    /// (`ingressStarted`, webhook `ingress_started`).
    public func startIngress(_ ingress: IngressInfo, at time: MediaTime) {
        guard !self.closed else { return }
        self.decidePending(before: time)
        self.outbox.append(.ingressStarted(ingress: ingress, time: time))
        self.flush()
    }

    /// Reports that an ingress stopped, and why (`ingressEnded`, webhook `ingress_ended`).
    public func endIngress(_ ingress: IngressInfo, reason: IngressInfo.EndReason, at time: MediaTime) {
        guard !self.closed else { return }
        self.decidePending(before: time)
        self.outbox.append(.ingressEnded(ingress: ingress, reason: reason, time: time))
        self.flush()
    }

    /// Decides the pending frame period and runs the room's clocks up to `time`: hangovers,
    /// media and idle timeouts. Call it after observing every participant's frame for a period,
    /// with the period's end.
    public func advance(to time: MediaTime) {
        guard !self.closed else { return }
        if self.undecidedEnd != nil {
            // The caller's period end, even when a longer frame (20 ms in a 10 ms room) reaches past it.
            self.undecidedEnd = nil
            self.decide(at: time)
        } else if time > self.now {
            self.decide(at: time)
        }
        self.checkTimeouts(at: self.now)
        self.flush()
    }

    /// Ends every track (participants disconnect) and finishes every event stream. The room takes
    /// no more input afterwards: later calls do nothing (``publishTrack(identity:at:)`` still
    /// returns the sid the track would have had).
    public func close(at time: MediaTime) {
        guard !self.closed else { return }
        self.decidePending(before: time)
        for index in self.members.indices where !self.members[index].tracks.isEmpty {
            self.unpublish(index, tracks: Array(self.members[index].tracks.indices), at: time)
        }
        self.flush()
        self.closed = true
        for feed in self.feeds { feed.continuation.finish() }
        self.feeds.removeAll()
    }

    // MARK: - State

    /// The participants present now (joining or active), in join order.
    public var participants: [Participant] {
        self.members.filter { $0.state != .disconnected }.map(self.snapshot)
    }

    /// The participant with `identity`, if present.
    public func participant(identity: String) -> Participant? {
        self.indexByIdentity[identity].map { self.snapshot(self.members[$0]) }
    }

    /// The active speakers now, loudest first.
    public var activeSpeakers: [SpeakerInfo] { self.detector.activeSpeakers }

    /// The dominant speaker now, if any.
    public var dominantSpeaker: String? { self.detector.dominantSpeaker }

    // MARK: - Private

    private func snapshot(_ member: Member) -> Participant {
        Participant(
            identity: member.identity, state: member.state, tracks: member.tracks,
            isSpeaking: self.detector.isSpeaking(member.slot), audioLevel: self.detector.level(member.slot),
            connectedAt: member.connectedAt, activeAt: member.activeAt)
    }

    /// Decides the undecided frame period if `time` is at or past its end.
    private func decidePending(before time: MediaTime) {
        if let end = self.undecidedEnd, time >= end {
            self.undecidedEnd = nil
            self.decide(at: end)
            self.checkTimeouts(at: self.now)
        }
    }

    private func decide(at time: MediaTime) {
        self.now = max(self.now, time)
        self.detector.update(at: self.now, into: &self.outbox)
    }

    private func checkTimeouts(at time: MediaTime) {
        for index in self.members.indices where !self.members[index].tracks.isEmpty {
            let member = self.members[index]
            if member.state == .joining {
                if time - member.connectedAt >= self.configuration.mediaTimeout {
                    self.outbox.append(.participantConnectionAborted(identity: member.identity, time: time))
                    self.unpublish(index, tracks: Array(member.tracks.indices), at: time)
                }
            } else if member.trackLastMedia.contains(where: { time - $0 >= self.configuration.trackIdleTimeout }) {
                let idle = member.tracks.indices.filter { time - member.trackLastMedia[$0] >= self.configuration.trackIdleTimeout }
                self.unpublish(index, tracks: idle, at: time)
            }
        }
    }

    /// Unpublishes `tracks` (indices) of member `index`; disconnects it if none is left.
    private func unpublish(_ index: Int, tracks: [Int], at time: MediaTime) {
        guard !tracks.isEmpty else { return }
        let identity = self.members[index].identity
        let leaving = tracks.count == self.members[index].tracks.count
        if leaving {
            self.detector.removeParticipant(self.members[index].slot, at: time, into: &self.outbox)
        }
        for trackIndex in tracks {
            self.outbox.append(.trackUnpublished(identity: identity, track: self.members[index].tracks[trackIndex], time: time))
        }
        for trackIndex in tracks.reversed() {
            self.members[index].tracks.remove(at: trackIndex)
            self.members[index].trackLastMedia.remove(at: trackIndex)
        }
        if leaving {
            self.members[index].state = .disconnected
            self.outbox.append(.participantDisconnected(identity: identity, time: time))
            // A later publish under the same identity is a new participant.
            self.indexByIdentity[identity] = nil
        }
    }

    /// Hands the outbox to observers and streams, in order.
    private func flush() {
        guard !self.outbox.isEmpty else { return }
        for event in self.outbox {
            for observer in self.observers { observer(event) }
            for index in self.feeds.indices { self.feeds[index].send(event) }
        }
        if self.feeds.contains(where: \.terminated) { self.feeds.removeAll(where: \.terminated) }
        self.outbox.removeAll(keepingCapacity: true)
    }
}
