/// The tracks of an ``RTPIngest`` that one worker thread owns, each with its ``RTPTrackDecoder``:
/// adopts new SSRCs as they appear and hands out every due frame with its SSRC.
///
/// Why: the pipeline shards tracks across workers; this is one worker's share. New tracks are noticed
/// with a lock-free check of ``RTPIngest/trackCount`` on every pass; the ingest's lock is taken only
/// when that number changed (once per new SSRC). Use from one thread only.
/// ```swift
/// let worker = RTPTrackDecoderSet(ingest: ingest) { track in track.index % workers == me }
/// every 10 ms: worker.poll(now: MonotonicClock.nanoseconds()) { ssrc, frame in ... }
/// at the end:  worker.poll(now: MonotonicClock.nanoseconds(), flush: true) { ssrc, frame in ... }
/// ```
public final class RTPTrackDecoderSet {
    /// The ingest whose tracks this set drains.
    public let ingest: RTPIngest
    /// The jitter-buffer settings every adopted track gets.
    public let configuration: JitterConfiguration
    /// The decoders adopted so far, in order of adoption.
    public private(set) var decoders: [RTPTrackDecoder] = []
    /// Tracks this set could not adopt (the consumer was already taken, or libopus failed).
    public private(set) var adoptionFailures = 0
    private let accept: (RTPTrack) -> Bool
    private var seenTracks = 0

    /// Creates a set that adopts every track for which `accept` returns true (default: all).
    public init(
        ingest: RTPIngest, configuration: JitterConfiguration = JitterConfiguration(),
        accept: @escaping (RTPTrack) -> Bool = { _ in true }
    ) {
        self.ingest = ingest
        self.configuration = configuration
        self.accept = accept
    }

    /// Adopts new tracks, moves waiting packets into each jitter buffer and calls `body` with every
    /// frame that is due, track by track.
    ///
    /// - Parameters:
    ///   - now: monotonic nanoseconds (``MonotonicClock/nanoseconds()``).
    ///   - flush: release everything buffered without waiting (end of stream).
    ///   - body: receives the SSRC and the frame; the frame's samples are valid only during the call.
    /// - Returns: frames delivered.
    /// - Complexity: no allocation, lock or system call unless a new SSRC appeared.
    @discardableResult
    public func poll(now: UInt64, flush: Bool = false, _ body: (UInt32, JitterFrame) -> Void) -> Int {
        if self.ingest.trackCount != self.seenTracks { self.adoptNewTracks() }
        var delivered = 0
        for decoder in self.decoders {
            decoder.pump()
            while let frame = decoder.nextFrame(now: now, flush: flush) {
                body(decoder.ssrc, frame)
                delivered &+= 1
            }
        }
        return delivered
    }

    /// The decoder of `ssrc`, if this set has adopted it.
    public func decoder(for ssrc: UInt32) -> RTPTrackDecoder? {
        self.decoders.first { $0.ssrc == ssrc }
    }

    private func adoptNewTracks() {
        let tracks = self.ingest.tracks
        for track in tracks[self.seenTracks...] where self.accept(track) {
            do {
                self.decoders.append(try RTPTrackDecoder(track: track, configuration: self.configuration))
            } catch {
                self.adoptionFailures += 1
            }
        }
        self.seenTracks = tracks.count
    }
}
