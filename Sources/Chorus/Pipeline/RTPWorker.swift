import ChorusCore
import ChorusMedia
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A worker thread that owns a shard of RTP tracks: for each, the ring consumer, jitter buffer and
/// Opus decoder (``RTPTrackDecoder``). It pops packets, decodes, measures every 10 ms of audio with
/// the SIMD kernel and pushes ``LevelFrame``s to the room thread.
///
/// Tracks are handed out by ``TrackRoster`` (a lock taken only when a new SSRC appeared, seen through
/// an atomic generation counter), so the steady-state loop takes no lock: per frame it does a ring
/// pop, a decode, a measure and a ring push, with no allocation and no system call. Between passes
/// it sleeps 5 ms (one syscall per pass, not per frame).
final class RTPWorker: @unchecked Sendable {
    /// Where levels come from: decoded audio (default) or the senders' RFC 6464 header levels.
    enum Mode { case decode, header }

    let index: Int
    private let mode: Mode
    private var readers: [(id: Int32, reader: RTPHeaderLevelReader, end: Int64)] = []
    private let roster: TrackRoster
    private let outlet: LevelFrameOutlet
    private let jitter: JitterConfiguration
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?
    private var decoders: [(id: Int32, decoder: RTPTrackDecoder, end: Int64)] = []
    private var seenGeneration = -1
    /// Per-track statistics, readable after ``join()``.
    private(set) var statistics: [Int32: JitterStatistics] = [:]

    private let recording: RecordingOutlet?

    init(index: Int, roster: TrackRoster, outlet: LevelFrameOutlet, jitter: JitterConfiguration, mode: Mode = .decode,
         recording: RecordingOutlet? = nil) {
        self.recording = recording
        self.index = index
        self.mode = mode
        self.roster = roster
        self.outlet = outlet
        self.jitter = jitter
    }

    func start() {
        self.thread = startThread { self.run() }
    }

    /// Asks the worker to flush every track and exit.
    func stop() { self.stopping.store(true, ordering: .releasing) }

    func join() {
        if let thread = self.thread { pthread_join(thread, nil) }
        self.thread = nil
    }

    private func run() {
        while !self.stopping.load(ordering: .acquiring) {
            self.adoptNewTracks()
            self.pass(flush: false)
            usleep(5_000)
        }
        self.adoptNewTracks()
        self.pass(flush: true)
        let now = MonotonicClock.nanoseconds()
        for (id, decoder, end) in self.decoders {
            self.statistics[id] = decoder.statistics
            self.outlet.push(.end(track: id, at: end, madeAt: now))
        }
        for (id, reader, end) in self.readers {
            var statistics = JitterStatistics()
            statistics.received = reader.received
            statistics.late = reader.late
            statistics.droppedRingFull = reader.track.droppedRingFull.load(ordering: .relaxed)
            self.statistics[id] = statistics
            self.outlet.push(.end(track: id, at: end, madeAt: now))
        }
    }

    private func adoptNewTracks() {
        let generation = self.roster.generation.load(ordering: .acquiring)
        guard generation != self.seenGeneration else { return }
        self.seenGeneration = generation
        for (id, track) in self.roster.tracks(forWorker: self.index, after: self.decoders.count + self.readers.count) {
            switch self.mode {
            case .decode:
                if let decoder = try? RTPTrackDecoder(track: track, configuration: self.jitter) {
                    self.decoders.append((id, decoder, 0))
                }
            case .header:
                if let reader = try? RTPHeaderLevelReader(track: track) {
                    self.readers.append((id, reader, 0))
                }
            }
        }
    }

    private func pass(flush: Bool) {
        let now = MonotonicClock.nanoseconds()
        for index in self.readers.indices {
            let (id, reader, _) = self.readers[index]
            while let reading = reader.next() {
                self.outlet.push(.audio(track: id, start: reading.mediaTime, duration: Int32(reading.duration),
                                        measure: reading.measure, madeAt: now))
                self.readers[index].end = reading.mediaTime + Int64(reading.duration)
            }
        }
        for index in self.decoders.indices {
            let (id, decoder, _) = self.decoders[index]
            decoder.pump()
            if let end = Self.release(decoder, track: id, now: now, flush: flush, into: self.outlet, recording: self.recording) {
                self.decoders[index].end = end
            }
        }
    }

    /// The per-frame path of one decoded track: releases every due frame, hands its audio to the
    /// recorder, measures each 10 ms with the SIMD kernel (a 20, 40 or 60 ms packet gives 2, 4 or 6
    /// detector frames) and pushes the level frames. No allocation, lock or system call.
    ///
    /// - Returns: the track's media time after the last frame released, or nil if none was due.
    static func release(_ decoder: RTPTrackDecoder, track id: Int32, now: UInt64, flush: Bool,
                        into outlet: LevelFrameOutlet, recording: RecordingOutlet?) -> Int64? {
        var end: Int64?
        while let frame = decoder.nextFrame(now: now, flush: flush) {
            guard frame.mediaTime >= 0 else { continue }
            recording?.push(track: id, samples: frame.samples, sampleRate: 48_000, channels: 1)
            var offset = 0
            let total = frame.frameCount
            while offset < total {
                let length = min(480, total - offset)
                let measure = LevelKernel.measure(UnsafeBufferPointer(rebasing: frame.samples[offset..<(offset + length)]))
                outlet.push(.audio(track: id, start: frame.mediaTime + Int64(offset), duration: Int32(length),
                                   measure: measure, madeAt: now))
                offset += length
            }
            end = frame.mediaTime + Int64(total)
        }
        return end
    }
}

/// The RTP tracks of a live room, numbered for the pipeline and dealt to workers.
///
/// Filled from the ingest thread's `onNewTrack` (once per SSRC, under a lock); workers look only at
/// the atomic ``generation`` until it changes.
final class TrackRoster: Sendable {
    struct Entry {
        var id: Int32
        var track: RTPTrack
        var listener: Int
        var worker: Int
    }

    /// Bumped after every new track.
    let generation = Atomic<Int>(0)
    private let entries = Mutex<[Entry]>([])
    private let workerCount: Int
    private let firstID: Int32

    init(workerCount: Int, firstID: Int32) {
        self.workerCount = max(1, workerCount)
        self.firstID = firstID
    }

    /// Registers a new track (ingest thread) and returns its pipeline id.
    @discardableResult
    func add(_ track: RTPTrack, listener: Int) -> Int32 {
        let id = self.entries.withLock { entries -> Int32 in
            let id = self.firstID + Int32(entries.count)
            entries.append(Entry(id: id, track: track, listener: listener, worker: entries.count % self.workerCount))
            return id
        }
        self.generation.add(1, ordering: .releasing)
        return id
    }

    /// The tracks dealt to `worker`, skipping the first `skip` of them (already adopted).
    func tracks(forWorker worker: Int, after skip: Int) -> [(Int32, RTPTrack)] {
        self.entries.withLock { entries in
            Array(entries.filter { $0.worker == worker }.dropFirst(skip).map { ($0.id, $0.track) })
        }
    }

    /// Packets dropped by full rings over all tracks, and the number of tracks (a lock and one
    /// atomic load per track: called twice a second, not per frame).
    func droppedPackets() -> (dropped: Int, tracks: Int) {
        self.entries.withLock { entries in
            (entries.reduce(0) { $0 + $1.track.droppedRingFull.load(ordering: .relaxed) }, entries.count)
        }
    }

    /// The entry for a pipeline id (room thread, once per new track).
    func entry(_ id: Int32) -> Entry? {
        self.entries.withLock { entries in
            let index = Int(id - self.firstID)
            return entries.indices.contains(index) ? entries[index] : nil
        }
    }
}
