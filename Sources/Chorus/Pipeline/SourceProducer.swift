import ChorusCore
import ChorusMedia
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A thread that reads one decoded-audio source (mic, pipe, file) in 10 ms frames, measures each
/// frame with the SIMD kernel and pushes its ``LevelFrame`` to the room thread.
///
/// This thread is the single producer of its ring. Files have no clock of their own, so in a live
/// room a file is paced on an absolute clock to play like a participant talking now; devices and
/// pipes pace themselves. Per frame: one read, one clamp, one measure, one push: no allocation.
final class SourceProducer: @unchecked Sendable {
    let track: Int32
    let source: any AudioSource
    private let outlet: LevelFrameOutlet
    private let paced: Bool
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?
    /// The error that ended the source, if one did (read after ``join()``).
    private(set) var error: MediaError?

    private let recording: RecordingOutlet?

    init(track: Int32, source: any AudioSource, outlet: LevelFrameOutlet, paced: Bool, recording: RecordingOutlet? = nil) {
        self.recording = recording
        self.track = track
        self.source = source
        self.outlet = outlet
        self.paced = paced
    }

    /// Starts the reading thread.
    func start() {
        self.thread = startThread { self.run() }
    }

    /// Asks the source to end; the thread pushes the track's end and exits.
    func stop() {
        self.stopping.store(true, ordering: .releasing)
        self.source.stop()
    }

    /// Waits for the thread to exit.
    func join() {
        if let thread = self.thread { pthread_join(thread, nil) }
        self.thread = nil
    }

    private func run() {
        let format = self.source.format
        let frameFrames = max(1, format.sampleRate / 100)
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: frameFrames * format.channels)
        buffer.initialize(repeating: 0)
        defer { buffer.deallocate() }
        var framesRead = 0
        let startedAt = MonotonicClock.nanoseconds()
        while !self.stopping.load(ordering: .acquiring) {
            var filled = 0
            do {
                while filled < frameFrames {
                    let rest = UnsafeMutableBufferPointer(rebasing: buffer[(filled * format.channels)...])
                    let got = try self.source.read(into: rest)
                    if got == 0 { break }
                    filled += got
                }
            } catch {
                self.error = error
            }
            if filled > 0 {
                let samples = UnsafeMutableBufferPointer(rebasing: buffer[0..<(filled * format.channels)])
                LevelKernel.clamp(samples)
                self.recording?.push(track: self.track, samples: UnsafeBufferPointer(samples),
                                     sampleRate: format.sampleRate, channels: format.channels)
                let measure = LevelKernel.measure(UnsafeBufferPointer(samples))
                let start = MediaTime(frames: framesRead, sampleRate: format.sampleRate).ticks
                framesRead += filled
                let end = MediaTime(frames: framesRead, sampleRate: format.sampleRate).ticks
                if self.paced { sleepUntil(startedAt + UInt64(end) * 1_000_000_000 / 48_000) }
                self.outlet.push(.audio(track: self.track, start: start, duration: Int32(end - start),
                                        measure: measure, madeAt: MonotonicClock.nanoseconds()))
            }
            if filled < frameFrames || self.error != nil { break }
        }
        let end = MediaTime(frames: framesRead, sampleRate: format.sampleRate).ticks
        self.outlet.push(.end(track: self.track, at: end, madeAt: MonotonicClock.nanoseconds()))
    }
}

/// Sleeps until the monotonic clock reads `nanoseconds`.
func sleepUntil(_ nanoseconds: UInt64) {
    var due = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nil) == EINTR {}
}

/// Starts a joinable POSIX thread running `body`.
func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
        box.body()
        return nil
    }, box)
    guard result == 0 else {
        Unmanaged<AnyObject>.fromOpaque(box).release()
        return nil
    }
    return thread
}
