import ChorusCore
import ChorusMedia
import Synchronization

/// Drives a ``Room`` from decoded-audio sources (files, pipes) in lockstep frames of media time:
/// the offline engine of `chorus detect`, usable from library code too.
///
/// At the start every source publishes one microphone track at time 0. Then each ``step()`` reads
/// one frame (``frameMilliseconds``, default 10 ms) from every live source in participant order,
/// measures it with the SIMD ``LevelKernel``, gives it to the room, and decides the period with
/// ``Room/advance(to:)``. A source that ends (or fails, see ``errors``) has its track ended at the
/// media time of its last sample. Nothing depends on wall time: the same files give the same
/// events, as fast as the machine allows (pace with the `pace` closure of ``run(pace:)``).
///
/// Runs on the calling thread, which is then the room's thread.
public final class FileRoomRunner: @unchecked Sendable {
    /// One participant's source with its identity in the room.
    public typealias Participant = ParticipantSource

    /// The room being driven; add observers or streams before the first ``step()``.
    public let room: Room
    /// The participants, in reading order.
    public let participants: [Participant]
    /// Frame length in milliseconds (10 or 20).
    public let frameMilliseconds: Int
    /// Errors that ended a source early, by identity, in the order they happened.
    public private(set) var errors: [(identity: String, error: MediaError)] = []
    /// Called with every frame before the room sees it (identity, level sums, start, duration),
    /// for instruments such as the evaluation's LiveKit baseline.
    public var onFrame: ((String, BlockMeasure, MediaTime, MediaTime) -> Void)?
    /// The end of the last frame period stepped.
    public private(set) var time = MediaTime.zero

    /// Stop after this much media time (`--duration` for a mic or a pipe), or nil for the whole input.
    public let durationSeconds: Double?

    private var streams: [Stream]
    private var started = false
    private var period = 0
    private let stopped = Atomic<Bool>(false)

    /// Creates a runner over `participants` (identities must be distinct).
    ///
    /// - Parameters:
    ///   - room: the room to drive. Default: a new room with default configuration.
    ///   - frameMilliseconds: the frame period, 10 (default) or 20 ms.
    ///   - durationSeconds: stop every source after this much media time. Default: no limit.
    public init(participants: [Participant], room: Room = Room(), frameMilliseconds: Int = 10,
                durationSeconds: Double? = nil) {
        self.participants = participants
        self.durationSeconds = durationSeconds
        self.room = room
        self.frameMilliseconds = frameMilliseconds == 20 ? 20 : 10
        self.streams = participants.map { Stream(format: $0.source.format, milliseconds: frameMilliseconds == 20 ? 20 : 10) }
    }

    /// True once every source has ended.
    public var isFinished: Bool { self.streams.allSatisfy(\.ended) }

    /// Records every participant's decoded audio with `recorder` (egress, `--record DIR`). Call before
    /// the first ``step()``; the recorder writes on its own thread.
    public func record(with recorder: TrackRecorder) {
        let identities = self.participants.map(\.identity)
        recorder.name = { identities.indices.contains(Int($0)) ? identities[Int($0)] : "track-\($0)" }
        self.recording = recorder.makeOutlet(waitWhenFull: true)
    }

    private var recording: RecordingOutlet?

    /// Ends the run from any thread (SIGINT, a host app): live sources are stopped, and the next
    /// ``step()`` ends every track at the media time reached and closes the room, so every event up
    /// to that point is raised and nothing is cut mid-way.
    public func stop() {
        self.stopped.store(true, ordering: .releasing)
        for participant in self.participants { participant.source.stop() }
    }

    /// Reads and decides one frame period; returns false once every source has ended (the room is
    /// then closed).
    @discardableResult
    public func step() -> Bool {
        if !self.started {
            self.started = true
            for participant in self.participants {
                if let ingress = Self.ingress(of: participant) { self.room.startIngress(ingress, at: .zero) }
                self.room.publishTrack(identity: participant.identity, at: .zero)
            }
        }
        guard !self.isFinished else { return false }
        let limitReached = self.durationSeconds.map { Double(self.period * self.frameMilliseconds) / 1000 >= $0 - 1e-9 } ?? false
        if limitReached || self.stopped.load(ordering: .acquiring) {
            for index in self.participants.indices where !self.streams[index].ended {
                let stream = self.streams[index]
                stream.ended = true
                let rate = self.participants[index].source.format.sampleRate
                let end = MediaTime(frames: stream.totalFrames, sampleRate: rate)
                self.room.endTrack(identity: self.participants[index].identity, at: end)
                if let ingress = Self.ingress(of: self.participants[index]) { self.room.endIngress(ingress, reason: .stopped, at: end) }
            }
            self.room.close(at: self.room.now)
            return false
        }
        self.period += 1
        let periodEnd = MediaTime(ticks: Int64(self.period) * Int64(self.frameMilliseconds) * 48)
        for index in self.participants.indices where !self.streams[index].ended {
            self.readFrame(index)
        }
        self.room.advance(to: periodEnd)
        self.time = periodEnd
        if self.isFinished {
            self.room.close(at: self.room.now)
            return false
        }
        return true
    }

    /// Steps until every source has ended, calling `pace` with each period's end (e.g. to sleep
    /// until that much wall time has passed, for `--realtime`).
    public func run(pace: ((MediaTime) -> Void)? = nil) {
        while self.step() { pace?(self.time) }
    }

    private func readFrame(_ index: Int) {
        let participant = self.participants[index]
        let stream = self.streams[index]
        let channels = participant.source.format.channels
        let rate = participant.source.format.sampleRate
        var frames = 0
        var failed = false
        while frames < stream.frameFrames {
            let buffer = UnsafeMutableBufferPointer(rebasing: stream.buffer[(frames * channels)..<(stream.frameFrames * channels)])
            let got: Int
            do {
                got = try participant.source.read(into: buffer)
            } catch {
                self.errors.append((participant.identity, error))
                failed = true
                break
            }
            if got == 0 { break }
            frames += got
        }
        if frames > 0 {
            let samples = UnsafeMutableBufferPointer(rebasing: stream.buffer[0..<(frames * channels)])
            LevelKernel.clamp(samples)
            self.recording?.push(track: Int32(index), samples: UnsafeBufferPointer(samples), sampleRate: rate, channels: channels)
            let measure = LevelKernel.measure(UnsafeBufferPointer(samples))
            let start = MediaTime(frames: stream.totalFrames, sampleRate: rate)
            stream.totalFrames += frames
            let duration = MediaTime(frames: stream.totalFrames, sampleRate: rate) - start
            self.onFrame?(participant.identity, measure, start, duration)
            self.room.observe(identity: participant.identity, measure: measure, duration: duration, at: start)
        }
        if failed || frames < stream.frameFrames {
            stream.ended = true
            let end = MediaTime(frames: stream.totalFrames, sampleRate: rate)
            self.room.endTrack(identity: participant.identity, at: end)
            if let ingress = Self.ingress(of: participant) {
                let reason: IngressInfo.EndReason = failed ? (participant.source.ingressKind == .microphone ? .deviceLost : .error)
                    : (self.stopped.load(ordering: .acquiring) ? .stopped : .ended)
                self.room.endIngress(ingress, reason: reason, at: end)
            }
        }
    }

    /// Per-source reading state with a buffer sized once.
    final class Stream {
        let frameFrames: Int
        let buffer: UnsafeMutableBufferPointer<Float>
        var totalFrames = 0
        var ended = false

        init(format: AudioFormat, milliseconds: Int) {
            self.frameFrames = max(1, format.sampleRate * milliseconds / 1000)
            self.buffer = .allocate(capacity: self.frameFrames * format.channels)
            self.buffer.initialize(repeating: 0)
        }

        deinit { self.buffer.deallocate() }
    }

    /// The ingress a live participant's source is (a capture device, a pipe), or nil for a file.
    static func ingress(of participant: Participant) -> IngressInfo? {
        participant.source.ingressKind.map { IngressInfo(kind: $0, source: participant.source.name, identity: participant.identity) }
    }
}
