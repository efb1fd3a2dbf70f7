import ChorusCore
import ChorusMedia
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs a live room: RTP listeners, microphones, pipes and (paced) files feed one ``Room`` through the
/// lock-free pipeline of DESIGN.md.
///
/// ```
/// UDP socket ─► RTPIngest thread ─► per-SSRC packet rings ─► RTPWorker threads (jitter, decode, SIMD levels) ─┐
/// mic / pipe / file ─► SourceProducer thread (read, SIMD levels) ──────────────────────────────────────────────┼─► level-frame rings ─► room thread (Room, events)
/// ```
/// Every arrow is a single-producer single-consumer ring; the only locks are taken once per new track.
/// The room thread is the caller of ``run()``: it drains the level-frame rings every 10 ms, places
/// each track's frames on the room's clock (anchored when the track's first frame arrives), holds
/// them for ``latency`` so that frames of all tracks can be fed in time order, then decides the
/// period. Events are raised on this thread (observers, streams), never on a worker: a slow event
/// consumer delays only the room thread, while workers keep decoding into their rings.
public final class LiveRoomRunner: @unchecked Sendable {
    /// An RTP listener: one UDP port, each SSRC a participant.
    public struct Listener: Sendable {
        /// Address to bind.
        public var host: String
        /// Port to bind (0 picks a free one: read it from ``LiveRoomRunner/ports`` after ``start()``).
        public var port: Int
        /// Identities by SSRC (`--name SSRC=NAME`); others are `ssrc-<n>`.
        public var names: [UInt32: String]
        /// Creates a listener.
        public init(host: String, port: Int, names: [UInt32: String] = [:]) {
            self.host = host
            self.port = port
            self.names = names
        }
    }

    /// A decoded-audio participant: a mic, a pipe or a file.
    public struct Participant {
        /// Identity in the room.
        public var identity: String
        /// The audio.
        public var source: any AudioSource
        /// Pace it on the wall clock (files); devices and pipes pace themselves.
        public var paced: Bool
        /// Creates a participant.
        public init(identity: String, source: any AudioSource, paced: Bool) {
            self.identity = identity
            self.source = source
            self.paced = paced
        }
    }

    /// Where RTP tracks' levels come from.
    public enum LevelSource: Sendable {
        /// Decode the Opus audio and measure it (default): exact levels and peaks, any sender.
        case decodedAudio
        /// The senders' RFC 6464 header levels, without decoding (LiveKit's SFU way): far cheaper,
        /// but only as good as the sender's meter.
        case headerExtension
    }

    /// Per-track counters at the end of a run.
    public struct TrackStatistics: Sendable {
        /// The participant's identity.
        public var identity: String
        /// The SSRC, for RTP tracks.
        public var ssrc: UInt32?
        /// Jitter-buffer counters (RTP tracks).
        public var jitter: JitterStatistics?
        /// Level frames the room thread refused because it fell behind.
        public var droppedFrames: Int
    }

    /// The room being driven; add observers before ``start()``.
    public let room: Room
    /// How long frames wait so that all tracks' frames can be fed in time order.
    public var latency: MediaTime = .milliseconds(120)
    /// Stop after this much wall time (`--duration` for network listeners), or nil.
    public var durationSeconds: Double?
    /// Called on the room thread with every frame before the room sees it (identity, sums, start, duration).
    public var onFrame: ((String, BlockMeasure, MediaTime, MediaTime) -> Void)?
    /// Called on the room thread when the pipeline becomes overloaded and when it recovers (see
    /// ``PipelineHealth`` for the policy).
    public var onHealth: ((PipelineHealth) -> Void)?
    private var overloaded = false
    private var lastDrops = 0
    private var lastDropAt: UInt64 = 0
    private var lastHealthCheck: UInt64 = 0

    /// Called on the room thread after every 10 ms decision with the room's time (timers such as a
    /// webhook departure timeout).
    public var onTick: ((MediaTime) -> Void)?

    private let listeners: [Listener]
    private let participants: [Participant]
    private let workerCount: Int
    private let levelSource: LevelSource
    private let jitter: JitterConfiguration
    private let ingestConfiguration: RTPIngestConfiguration
    private var ingests: [RTPIngest] = []
    private var producers: [SourceProducer] = []
    private var workers: [RTPWorker] = []
    private var inlets: [LevelFrameInlet] = []
    private var outlets: [LevelFrameOutlet] = []
    private let roster: TrackRoster
    private let stopping = Atomic<Bool>(false)
    private var tracks: [Int32: TrackState] = [:]
    private var pending: [(time: MediaTime, frame: LevelFrame)] = []
    private var startedAt: UInt64 = 0
    private var lastObserved = MediaTime.zero

    private struct TrackState {
        var identity: String
        var anchor: MediaTime
        var ended = false
    }

    /// Creates a runner; nothing starts until ``start()``.
    ///
    /// - Parameters:
    ///   - room: the room to drive.
    ///   - listeners: RTP listeners.
    ///   - participants: mics, pipes and files.
    ///   - workers: RTP worker threads; default: cores − 1, at least 1.
    ///   - jitter: jitter-buffer settings for RTP tracks.
    ///   - ingest: RTP ingest settings (max tracks, audio-level extension id, ring size).
    ///   - levels: decode and measure (default), or read the senders' header levels.
    public init(room: Room, listeners: [Listener], participants: [Participant], workers: Int? = nil,
                jitter: JitterConfiguration = JitterConfiguration(), ingest: RTPIngestConfiguration = RTPIngestConfiguration(),
                levels: LevelSource = .decodedAudio) {
        self.levelSource = levels
        self.room = room
        self.listeners = listeners
        self.participants = participants
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        self.workerCount = max(1, workers ?? (cores - 1))
        self.jitter = jitter
        self.ingestConfiguration = ingest
        self.roster = TrackRoster(workerCount: self.workerCount, firstID: Int32(participants.count))
    }

    /// Records every track's decoded audio with `recorder` (egress, `--record DIR`); call before
    /// ``start()``. Each producing thread gets its own ring to the recorder's thread.
    public func record(with recorder: TrackRecorder) {
        self.recorder = recorder
        let identities = self.participants.map(\.identity)
        let roster = self.roster
        let listeners = self.listeners
        recorder.name = { id in
            if identities.indices.contains(Int(id)) { return identities[Int(id)] }
            guard let entry = roster.entry(id) else { return "track-\(id)" }
            return listeners[entry.listener].names[entry.track.ssrc] ?? "ssrc-\(entry.track.ssrc)"
        }
    }

    private var recorder: TrackRecorder?

    /// The UDP ports actually bound, in listener order (after ``start()``).
    public var ports: [Int] { self.ingests.map { $0.receiver.port } }

    /// The RTP listeners as ingresses, with the ports actually bound.
    private var listenerIngresses: [IngressInfo] {
        zip(self.listeners, self.ports).map { IngressInfo(kind: .rtp, source: "rtp://\($0.host):\($1)") }
    }

    private func ingress(of participant: Participant) -> IngressInfo? {
        participant.source.ingressKind.map { IngressInfo(kind: $0, source: participant.source.name, identity: participant.identity) }
    }

    /// Binds the sockets and starts every thread.
    ///
    /// - Throws: ``MediaError`` when a socket cannot be bound.
    public func start() throws(MediaError) {
        self.startedAt = MonotonicClock.nanoseconds()
        for (index, participant) in self.participants.enumerated() {
            let (outlet, inlet) = makeLevelFrameChannel(capacity: 1024)
            self.outlets.append(outlet)
            self.inlets.append(inlet)
            self.tracks[Int32(index)] = TrackState(identity: participant.identity, anchor: .zero)
            self.producers.append(SourceProducer(track: Int32(index), source: participant.source, outlet: outlet,
                                                 paced: participant.paced, recording: self.recorder?.makeOutlet()))
        }
        if !self.listeners.isEmpty {
            for index in 0..<self.workerCount {
                let (outlet, inlet) = makeLevelFrameChannel(capacity: 8192)
                self.outlets.append(outlet)
                self.inlets.append(inlet)
                self.workers.append(RTPWorker(index: index, roster: self.roster, outlet: outlet, jitter: self.jitter,
                                              mode: self.levelSource == .decodedAudio ? .decode : .header,
                                              recording: self.recorder?.makeOutlet()))
            }
        }
        for (index, listener) in self.listeners.enumerated() {
            let ingest = try RTPIngest(host: listener.host, port: listener.port, configuration: self.ingestConfiguration)
            let roster = self.roster
            ingest.onNewTrack = { track in roster.add(track, listener: index) }
            self.ingests.append(ingest)
        }
        // Publish the decoded-audio participants at time 0: their signal phase is the command line.
        for participant in self.participants {
            if let ingress = self.ingress(of: participant) { self.room.startIngress(ingress, at: .zero) }
            self.room.publishTrack(identity: participant.identity, at: .zero)
        }
        for ingress in self.listenerIngresses { self.room.startIngress(ingress, at: .zero) }
        for worker in self.workers { worker.start() }
        for ingest in self.ingests { try ingest.start() }
        for producer in self.producers { producer.start() }
    }

    /// Ends the run from any thread: sources and listeners stop, workers flush, and ``run()`` feeds
    /// the room what was already measured, closes it and returns.
    public func stop() {
        self.stopping.store(true, ordering: .releasing)
    }

    /// Runs the room thread until every decoded-audio source has ended (when there are no
    /// listeners), ``durationSeconds`` has passed, or ``stop()`` is called; then shuts everything
    /// down in order and closes the room.
    public func run() {
        var tick = self.startedAt
        while true {
            tick += 10_000_000
            sleepUntil(tick)
            self.drain()
            self.decide(upTo: self.roomTime(MonotonicClock.nanoseconds()) - self.latency)
            self.onTick?(self.room.now)
            self.checkHealth()
            if self.stopping.load(ordering: .acquiring) { break }
            if let limit = self.durationSeconds, Double(MonotonicClock.nanoseconds() - self.startedAt) / 1e9 >= limit { break }
            if self.listeners.isEmpty && !self.participants.isEmpty && self.tracks.values.allSatisfy(\.ended) { break }
        }
        self.shutDown()
    }

    /// Counters per track, after ``run()`` returned.
    public var statistics: [TrackStatistics] {
        var out: [TrackStatistics] = []
        for (index, participant) in self.participants.enumerated() {
            out.append(TrackStatistics(identity: participant.identity, ssrc: nil, jitter: nil,
                                       droppedFrames: self.outlets[index].dropped.load(ordering: .relaxed)))
        }
        var merged: [Int32: JitterStatistics] = [:]
        for worker in self.workers { merged.merge(worker.statistics) { $1 } }
        for id in merged.keys.sorted() {
            guard let entry = self.roster.entry(id) else { continue }
            out.append(TrackStatistics(identity: self.identity(for: entry), ssrc: entry.track.ssrc, jitter: merged[id],
                                       droppedFrames: 0))
        }
        return out
    }

    /// What each RTP listener counted (datagrams, malformed, refused tracks ...).
    public var ingestStatistics: [RTPIngestStatistics] { self.ingests.map(\.statistics) }

    /// Errors that ended decoded-audio sources early.
    public var errors: [(identity: String, error: MediaError)] {
        zip(self.participants, self.producers).compactMap { participant, producer in
            producer.error.map { (participant.identity, $0) }
        }
    }

    // MARK: - Room thread

    private func roomTime(_ nanoseconds: UInt64) -> MediaTime {
        MediaTime(ticks: Int64((nanoseconds &- self.startedAt) * 48 / 1_000_000))
    }

    private func identity(for entry: TrackRoster.Entry) -> String {
        self.listeners[entry.listener].names[entry.track.ssrc] ?? "ssrc-\(entry.track.ssrc)"
    }

    private func drain() {
        for inlet in self.inlets {
            inlet.drain { frame in self.accept(frame) }
        }
    }

    private func accept(_ frame: LevelFrame) {
        if self.tracks[frame.track] == nil {
            // A new RTP track: anchor its media time on the room clock where its first frame ended.
            guard let entry = self.roster.entry(frame.track) else { return }
            let madeAt = self.roomTime(frame.madeAt)
            let anchor = madeAt - MediaTime(ticks: frame.start + Int64(frame.duration))
            let identity = self.identity(for: entry)
            self.tracks[frame.track] = TrackState(identity: identity, anchor: anchor)
            self.room.publishTrack(identity: identity, at: max(self.room.now, self.lastObserved))
        }
        guard let state = self.tracks[frame.track] else { return }
        self.pending.append((state.anchor + MediaTime(ticks: frame.start), frame))
    }

    /// Feeds the room every pending frame before `watermark`, in time order, then decides up to it.
    private func decide(upTo watermark: MediaTime) {
        guard !self.pending.isEmpty || watermark > self.room.now else { return }
        self.pending.sort { $0.time < $1.time }
        var consumed = 0
        for (time, frame) in self.pending where time < watermark {
            consumed += 1
            self.feed(frame, at: time)
        }
        self.pending.removeFirst(consumed)
        let period = MediaTime(ticks: (watermark.ticks / 480) * 480)
        if period > self.room.now { self.room.advance(to: period) }
    }

    private func feed(_ frame: LevelFrame, at time: MediaTime) {
        guard var state = self.tracks[frame.track], !state.ended else { return }
        // Never go back in time: a frame that comes too late is placed at the room's present.
        let placed = max(time, self.lastObserved, self.room.now)
        self.lastObserved = placed
        switch frame.kind {
        case .audio:
            let duration = MediaTime(ticks: Int64(frame.duration))
            self.onFrame?(state.identity, frame.measure, placed, duration)
            self.room.observe(identity: state.identity, measure: frame.measure, duration: duration, at: placed)
        case .end:
            state.ended = true
            self.tracks[frame.track] = state
            self.room.endTrack(identity: state.identity, at: placed)
            if Int(frame.track) < self.participants.count, let ingress = self.ingress(of: self.participants[Int(frame.track)]) {
                let producer = self.producers[Int(frame.track)]
                let reason: IngressInfo.EndReason = producer.error != nil
                    ? (ingress.kind == .microphone ? .deviceLost : .error)
                    : (self.stopping.load(ordering: .acquiring) ? .stopped : .ended)
                self.room.endIngress(ingress, reason: reason, at: placed)
            }
        }
    }

    /// Twice a second: new drops anywhere start an overload; two quiet seconds end it.
    private func checkHealth() {
        let now = MonotonicClock.nanoseconds()
        guard now &- self.lastHealthCheck >= 500_000_000 else { return }
        self.lastHealthCheck = now
        let (packets, tracks) = self.roster.droppedPackets()
        let frames = self.outlets.reduce(0) { $0 + $1.dropped.load(ordering: .relaxed) }
        let drops = packets + frames
        if drops > self.lastDrops {
            self.lastDrops = drops
            self.lastDropAt = now
            if !self.overloaded {
                self.overloaded = true
                self.onHealth?(PipelineHealth(overloaded: true, time: self.room.now, droppedPackets: packets, droppedFrames: frames, tracks: tracks))
            }
        } else if self.overloaded && now &- self.lastDropAt >= 2_000_000_000 {
            self.overloaded = false
            self.onHealth?(PipelineHealth(overloaded: false, time: self.room.now, droppedPackets: packets, droppedFrames: frames, tracks: tracks))
        }
    }

    private func shutDown() {
        self.stopping.store(true, ordering: .releasing)  // ends from here on are "stopped"
        for producer in self.producers { producer.stop() }
        for ingest in self.ingests { ingest.stop() }
        for worker in self.workers { worker.stop() }
        for producer in self.producers { producer.join() }
        for worker in self.workers { worker.join() }
        self.drain()
        // Feed everything that was measured, and decide up to the end of the last frame, no further:
        // the room's timeouts must not see time that never passed.
        let last = self.pending.map { $0.time + MediaTime(ticks: Int64($0.frame.duration)) }.max() ?? self.room.now
        self.decide(upTo: max(last, self.lastObserved) + MediaTime(ticks: 1))
        let end = max(self.room.now, self.lastObserved)
        for ingress in self.listenerIngresses { self.room.endIngress(ingress, reason: .stopped, at: end) }
        self.room.close(at: end)
    }
}
