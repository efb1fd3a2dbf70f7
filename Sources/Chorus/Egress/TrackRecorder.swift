import ChorusCore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Egress: writes every track's decoded audio to `DIR/<identity>.wav` (`--record DIR`), on its own
/// thread, so that file writes never happen on the audio path.
///
/// Producers (the room thread for files, source producers and RTP workers in a live room) each get a
/// ``RecordingOutlet`` and push the audio they decoded; the recorder thread pops the chunks, writes
/// them, and reports each file's progress through ``onProgress``: `.started` with the first audio,
/// `.updated` as the file grows (at most once a second) and `.ended` at ``finish()`` with its size.
public final class TrackRecorder: @unchecked Sendable {
    /// One file's state, reported to ``onProgress``.
    public struct Progress: Sendable {
        /// Where the file is in its life.
        public enum Phase: Sendable { case started, updated, ended }
        /// The phase.
        public var phase: Phase
        /// The participant recorded.
        public var identity: String
        /// The file.
        public var url: URL
        /// Its size in bytes.
        public var bytes: Int
        /// Seconds of audio written.
        public var seconds: Double
    }

    /// The directory files go to.
    public let directory: URL
    /// Called on the recorder thread (and at ``finish()`` on the caller's) for each file's progress.
    public var onProgress: (@Sendable (Progress) -> Void)?
    /// Names a track's file (its identity); called on the recorder thread once per track. The runner
    /// the recorder is attached to sets it.
    var name: @Sendable (Int32) -> String = { "track-\($0)" }
    private var inlets: [RecordingInlet] = []
    private var outlets: [RecordingOutlet] = []
    private var files: [Int32: (writer: WAVFileWriter, identity: String, reported: Double)] = [:]
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?
    /// Write errors (the directory vanished, the disk is full), reported at the end.
    public private(set) var errors: [String] = []

    /// A recorder writing into `directory` (created if missing).
    ///
    /// - Throws: when the directory cannot be created.
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
    }

    /// A new producer path (one per producing thread); call before ``start()``. `waitWhenFull` is for
    /// offline producers (files), which wait for the recorder rather than drop audio; live
    /// producers drop and count.
    func makeOutlet(waitWhenFull: Bool = false) -> RecordingOutlet {
        let endpoints = SPSCRing<AudioChunk>.makeEndpoints(capacity: 512)
        let outlet = RecordingOutlet(endpoints.producer, waitWhenFull: waitWhenFull)
        self.inlets.append(RecordingInlet(endpoints.consumer))
        self.outlets.append(outlet)
        return outlet
    }

    /// Starts the writing thread.
    public func start() {
        self.thread = startThread { self.run() }
    }

    /// Writes everything queued, closes every file and reports `.ended` for each.
    public func finish() {
        self.stopping.store(true, ordering: .releasing)
        if let thread = self.thread { pthread_join(thread, nil) }
        self.thread = nil
    }

    /// Chunks dropped because the recorder fell behind, over all producers.
    public var droppedChunks: Int { self.outlets.reduce(0) { $0 + $1.dropped.load(ordering: .relaxed) } }

    private func run() {
        while true {
            let stopping = self.stopping.load(ordering: .acquiring)
            let moved = self.drain()
            if stopping && moved == 0 { break }
            if moved == 0 { usleep(10_000) }
        }
        for (_, file) in self.files.sorted(by: { $0.key < $1.key }) {
            do { try file.writer.close() } catch { self.errors.append("\(file.writer.url.path): \(error)") }
            self.report(.ended, file.identity, file.writer)
        }
        self.files.removeAll()
    }

    private func drain() -> Int {
        var moved = 0
        for inlet in self.inlets {
            while let _ = inlet.withFront({ chunk in self.write(chunk) }) { moved += 1 }
        }
        return moved
    }

    private func write(_ chunk: UnsafePointer<AudioChunk>) {
        let track = chunk.pointee.track
        if self.files[track] == nil {
            let identity = self.name(track)
            let safe = String(identity.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
            let url = self.directory.appendingPathComponent("\(safe).wav")
            do {
                let writer = try WAVFileWriter(url: url, sampleRate: Int(chunk.pointee.sampleRate), channels: Int(chunk.pointee.channels))
                self.files[track] = (writer, identity, 0)
                self.report(.started, identity, writer)
            } catch {
                self.errors.append("\(url.path): \(error)")
                return
            }
        }
        guard var file = self.files[track] else { return }
        let samples = UnsafeBufferPointer(
            start: (UnsafeRawPointer(chunk) + MemoryLayout<AudioChunk>.offset(of: \AudioChunk.samples)!).assumingMemoryBound(to: Float.self),
            count: Int(chunk.pointee.count))
        file.writer.append(samples)
        let seconds = self.seconds(file.writer)
        if seconds - file.reported >= 1 {
            file.reported = seconds
            try? file.writer.flush(header: true)
            self.report(.updated, file.identity, file.writer)
        }
        self.files[track] = file
    }

    private func seconds(_ writer: WAVFileWriter) -> Double {
        Double(writer.size - 44) / Double(2 * writer.channels * writer.sampleRate)
    }

    private func report(_ phase: Progress.Phase, _ identity: String, _ writer: WAVFileWriter) {
        self.onProgress?(Progress(phase: phase, identity: identity, url: writer.url, bytes: writer.size, seconds: self.seconds(writer)))
    }
}
