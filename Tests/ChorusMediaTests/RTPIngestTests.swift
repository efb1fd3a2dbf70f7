import ChorusCore
import ChorusMedia
import Foundation
import Testing

/// Runs a GStreamer pipeline (`gst-launch-1.0 -q …`) through `/bin/sh`, so caps can be quoted as on a shell.
fileprivate func launchRTPSender(_ pipeline: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exec gst-launch-1.0 -q " + pipeline]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
}

/// What the test's worker collected for one SSRC.
final class IngestTrackRecord {
    var timeline: [Float] = []  // decoded samples placed by media time
    var kinds: [JitterFrameKind: Int] = [:]
    var headerLevels: [UInt8] = []
    var statistics = JitterStatistics()

    var discontinuities = 0  // frames that did not start where the previous one ended
    var firstDiscontinuity: String?
    private var nextTime: Int64 = 0

    func add(_ frame: JitterFrame) {
        if frame.mediaTime != self.nextTime {
            self.discontinuities += 1
            self.firstDiscontinuity = self.firstDiscontinuity ?? "expected \(self.nextTime), got \(frame.mediaTime) (\(frame.kind), \(frame.frameCount) samples, seq \(frame.sequence))"
        }
        self.nextTime = frame.mediaTime + Int64(frame.frameCount)
        self.kinds[frame.kind, default: 0] += 1
        if let level = frame.headerLevel { self.headerLevels.append(level.level) }
        guard frame.mediaTime >= 0 else { return }
        let end = Int(frame.mediaTime) + frame.frameCount
        if self.timeline.count < end { self.timeline += [Float](repeating: 0, count: end - self.timeline.count) }
        for i in 0..<frame.frameCount { self.timeline[Int(frame.mediaTime) + i] = frame.samples[i] }
    }
}

/// A worker thread that owns the ingest's tracks through an RTPTrackDecoderSet, as the pipeline will.
final class RTPIngestTestWorker: @unchecked Sendable {
    let ingest: RTPIngest
    private let lock = NSLock()
    private var records: [UInt32: IngestTrackRecord] = [:]
    private var finished = false
    private let done = DispatchSemaphore(value: 0)

    init(ingest: RTPIngest) { self.ingest = ingest }

    func start() {
        Thread {
            let set = RTPTrackDecoderSet(ingest: self.ingest)
            var local: [UInt32: IngestTrackRecord] = [:]
            func poll(flush: Bool) {
                set.poll(now: MonotonicClock.nanoseconds(), flush: flush) { ssrc, frame in
                    if local[ssrc] == nil { local[ssrc] = IngestTrackRecord() }
                    local[ssrc]!.add(frame)
                }
                for decoder in set.decoders { local[decoder.ssrc]?.statistics = decoder.statistics }
            }
            while !self.lock.withLock({ self.finished }) {
                poll(flush: false)
                usleep(2_000)
            }
            poll(flush: true)
            self.lock.withLock { self.records = local }
            self.done.signal()
        }.start()
    }

    /// Stops the worker after a final flush and returns what it collected.
    func finish() -> [UInt32: IngestTrackRecord] {
        self.lock.withLock { self.finished = true }
        self.done.wait()
        return self.lock.withLock { self.records }
    }
}

/// RMS in dBFS of `samples[range]`.
fileprivate func rmsDBFS(_ samples: [Float], _ range: Range<Int>) -> Double {
    samples[range].withUnsafeBufferPointer { LevelKernel.measure($0).level.rmsDBFS }
}

@Suite("RTPIngest", .serialized)
struct RTPIngestTests {
    static let audioLevelCaps = #"'application/x-rtp,extmap-1=(string)<"",urn:ietf:params:rtp-hdrext:ssrc-audio-level,"vad=on">'"#

    @Test("three GStreamer senders at once: clean+RFC 6464, netsim loss/dup/reorder with FEC, DTX", .timeLimit(.minutes(1)))
    func threeSenders() throws {
        let ingest = try RTPIngest(host: "127.0.0.1", port: 0)
        let port = ingest.receiver.port
        #expect(port > 0)
        let startTime = MonotonicClock.nanoseconds()
        let worker = RTPIngestTestWorker(ingest: ingest)
        try ingest.start()
        worker.start()

        let buffers = 100  // 2 s of 20 ms buffers
        let tone = "audiotestsrc wave=sine freq=440 volume=0.5 num-buffers=\(buffers) samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1"
        // Ticks (91 ms bursts of 440 Hz every 300 ms), so that 200 ms windows differ and misalignment shows.
        let ticks = "audiotestsrc wave=ticks tick-interval=300000000 sine-periods-per-tick=40 freq=440 volume=0.5 num-buffers=\(buffers) samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1"
        let clean = try launchRTPSender(
            "\(ticks) ! level audio-level-meta=true ! opusenc bitrate=32000 ! rtpopuspay pt=111 ssrc=1111 ! \(Self.audioLevelCaps) ! udpsink host=127.0.0.1 port=\(port)")
        // 3 s, so that 5 % drops and 5 % duplicates all but surely happen (P(none) < 0.1 %).
        let lossyBuffers = 150
        let lossy = try launchRTPSender(
            "\(tone.replacingOccurrences(of: "num-buffers=\(buffers)", with: "num-buffers=\(lossyBuffers)")) ! opusenc bitrate=32000 audio-type=voice inband-fec=true packet-loss-percentage=20 ! rtpopuspay pt=111 ssrc=2222 ! netsim drop-probability=0.05 duplicate-probability=0.05 delay-probability=0.1 min-delay=10 max-delay=40 allow-reordering=true ! udpsink host=127.0.0.1 port=\(port)")
        let dtx = try launchRTPSender(
            "audiotestsrc wave=ticks tick-interval=500000000 num-buffers=\(buffers) samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! opusenc bitrate=24000 audio-type=voice dtx=true ! rtpopuspay pt=111 ssrc=3333 dtx=true ! udpsink host=127.0.0.1 port=\(port)")
        // The reference: the same tone through the same encoder into an Ogg Opus file.
        let reference = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-rtp-ref-\(getpid()).opus").path
        defer { try? FileManager.default.removeItem(atPath: reference) }
        let refEncode = try launchRTPSender("\(ticks) ! opusenc bitrate=32000 ! oggmux ! filesink location=\(reference)")
        for p in [clean, lossy, dtx, refEncode] { p.waitUntilExit() }
        #expect([clean, lossy, dtx, refEncode].allSatisfy { $0.terminationStatus == 0 })
        usleep(200_000)  // delayed (netsim) packets still in flight
        let stopStart = MonotonicClock.nanoseconds()
        ingest.stop()
        #expect(MonotonicClock.nanoseconds() - stopStart < 100_000_000, "stop() returns promptly")
        let records = worker.finish()

        #expect(Set(records.keys) == [1111, 2222, 3333])
        for (ssrc, r) in records {
            #expect(r.discontinuities == 0, "SSRC \(ssrc): frames tile media time; \(r.firstDiscontinuity ?? "") \(r.statistics)")
        }
        let stats = ingest.statistics
        #expect(stats.malformed == 0 && stats.refusedTracks == 0 && stats.tracks == 3)
        #expect(ingest.tracks.allSatisfy { $0.firstArrival > startTime && $0.firstArrival < stopStart })

        // Clean stream: every packet, in order, header levels parsed, decoded levels match the file.
        let a = try #require(records[1111])
        #expect((buffers...(buffers + 1)).contains(a.statistics.received))
        #expect(a.statistics.lost == 0 && a.statistics.duplicates == 0 && a.statistics.droppedRingFull == 0)
        #expect(a.headerLevels.count >= buffers - 1)
        // Loud packets (a 0.5-amplitude tick reads about 9-12 -dBov) and quiet ones (GStreamer's silence is ~59).
        #expect(a.headerLevels.contains { $0 <= 15 } && a.headerLevels.contains { $0 >= 40 }, "levels: \(a.headerLevels.prefix(20))")
        let source = try OggOpusFileSource(path: reference)
        var decoded = [Float](repeating: 0, count: 48_000 * 3)
        var total = 0
        while total < decoded.count {
            let n = try decoded.withUnsafeMutableBufferPointer { try source.read(into: UnsafeMutableBufferPointer(rebasing: $0[total...])) }
            if n == 0 { break }
            total += n
        }
        let window = 9_600  // 200 ms
        let windows = min(total, a.timeline.count) / window
        var compared = 0
        for w in 1..<max(1, windows) {  // window 0 holds the encoder's start-up, placed differently
            let range = (w * window)..<((w + 1) * window)
            let file = rmsDBFS(decoded, range)
            guard file > -60 else { continue }
            let rtp = rmsDBFS(a.timeline, range)
            #expect(abs(rtp - file) < 0.5, "window \(w): rtp \(rtp) dB, file \(file) dB")
            compared += 1
        }
        #expect(compared >= 5)

        // Netsim stream: duplicates counted; every sequence number accounted for.
        let b = try #require(records[2222])
        let sb = b.statistics
        #expect(sb.duplicates > 0, "netsim duplicates: \(sb)")
        #expect(sb.lost > 0, "netsim drops: \(sb)")
        #expect(abs(sb.received + sb.lost - lossyBuffers) <= 3, "received + lost ≈ sent: \(sb)")
        #expect(sb.recoveredByFEC + sb.concealed <= sb.lost)
        #expect(sb.recoveredByFEC > 0 || sb.lost < 3, "FEC used for single losses: \(sb)")

        // DTX stream: pauses are silence, not loss.
        let c = try #require(records[3333])
        #expect(c.statistics.dtxPauses > 0 && c.kinds[.dtxSilence, default: 0] > 0, "dtx: \(c.statistics) \(c.kinds)")
        #expect(c.statistics.lost == 0)
        #expect(c.statistics.received < buffers * 3 / 4, "DTX sends fewer packets than frames")
    }

    @Test("max-tracks limit: extra SSRCs are refused and counted; malformed, truncated and oversized datagrams counted", .timeLimit(.minutes(1)))
    func maxTracks() throws {
        var config = RTPIngestConfiguration()
        config.maxTracks = 2
        let ingest = try RTPIngest(host: "127.0.0.1", port: 0, configuration: config)
        let port = ingest.receiver.port
        try ingest.start()
        let senders = try (1...3).map { ssrc in
            try launchRTPSender(
                "audiotestsrc num-buffers=20 samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! opusenc ! rtpopuspay pt=111 ssrc=\(ssrc) ! udpsink host=127.0.0.1 port=\(port) sync=false")
        }
        // Garbage and a short datagram from a plain socket.
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        // Valid RTP headers (SSRC 1) with payloads too long for a slot (1800 B) or for a receive buffer (3000 B).
        let header: [UInt8] = [0x80, 0x6F, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
        let oversized = header + [UInt8](repeating: 0x78, count: 1800)
        let truncated = header + [UInt8](repeating: 0x78, count: 3000)
        // An RTCP receiver report (PT 201) on the RTP port must not become a track.
        let rtcp: [UInt8] = [0x81, 201, 0, 7, 0, 0, 0, 9] + [UInt8](repeating: 0, count: 24)
        for garbage in [[UInt8](repeating: 0xFF, count: 40), [0x80, 0x6F], oversized, truncated, rtcp] {
            _ = garbage.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
        close(fd)
        for s in senders { s.waitUntilExit() }
        usleep(100_000)
        ingest.stop()
        let stats = ingest.statistics
        #expect(ingest.tracks.count == 2)
        #expect(stats.refusedTracks == 1)
        #expect(stats.refusedPackets >= 19)
        #expect(stats.malformed == 3, "garbage, too short, truncated: \(stats)")
        #expect(stats.oversized == 1)
        #expect(stats.rtcp == 1)
        // Nobody drained the rings: 20 packets each fit in the 64 slots.
        #expect(ingest.tracks.allSatisfy { $0.pushed.load(ordering: .relaxed) >= 20 })
    }

    @Test("two decoder sets shard the tracks between two workers; each sees only its own SSRC", .timeLimit(.minutes(1)))
    func sharding() throws {
        let ingest = try RTPIngest(host: "127.0.0.1", port: 0)
        let port = ingest.receiver.port
        try ingest.start()
        let senders = try [41, 42].map { ssrc in
            try launchRTPSender(
                "audiotestsrc num-buffers=25 samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! opusenc ! rtpopuspay pt=111 ssrc=\(ssrc) ! udpsink host=127.0.0.1 port=\(port) sync=false")
        }
        for s in senders { s.waitUntilExit() }
        usleep(100_000)
        ingest.stop()
        // Two workers, adopting by track index parity (a shard rule the pipeline may use).
        let even = RTPTrackDecoderSet(ingest: ingest) { $0.index % 2 == 0 }
        let odd = RTPTrackDecoderSet(ingest: ingest) { $0.index % 2 == 1 }
        var seen: [[UInt32: Int]] = [[:], [:]]
        for (i, set) in [even, odd].enumerated() {
            set.poll(now: MonotonicClock.nanoseconds(), flush: true) { ssrc, frame in
                seen[i][ssrc, default: 0] += frame.frameCount
            }
        }
        #expect(seen[0].count == 1 && seen[1].count == 1)
        #expect(Set(seen[0].keys).isDisjoint(with: seen[1].keys))
        #expect(Set(seen[0].keys).union(seen[1].keys) == [41, 42])
        // 25 buffers of 960 samples each (the first packet is shorter after trimming, the last may be extra).
        #expect(seen.flatMap(\.values).allSatisfy { (24 * 960)...(27 * 960) ~= $0 }, "samples: \(seen)")
        #expect(even.adoptionFailures == 0 && odd.adoptionFailures == 0)
        // A track's consumer can be taken only once: a third set adopts nothing.
        let third = RTPTrackDecoderSet(ingest: ingest)
        third.poll(now: 0) { _, _ in }
        #expect(third.decoders.isEmpty && third.adoptionFailures == 2)
    }

    @Test("RFC 8285 two-byte form from GStreamer (extmap-20): levels read from the configured ID", .timeLimit(.minutes(1)))
    func twoByteExtension() throws {
        var config = RTPIngestConfiguration()
        config.audioLevelExtensionID = 20
        let ingest = try RTPIngest(host: "127.0.0.1", port: 0, configuration: config)
        try ingest.start()
        let caps = #"'application/x-rtp,extmap-20=(string)<"",urn:ietf:params:rtp-hdrext:ssrc-audio-level,"vad=on">'"#
        let sender = try launchRTPSender(
            "audiotestsrc wave=sine volume=0.5 num-buffers=20 samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! level audio-level-meta=true ! opusenc ! rtpopuspay pt=111 ssrc=20 ! \(caps) ! udpsink host=127.0.0.1 port=\(ingest.receiver.port) sync=false")
        sender.waitUntilExit()
        usleep(100_000)
        ingest.stop()
        let set = RTPTrackDecoderSet(ingest: ingest)
        var levels: [UInt8] = []
        set.poll(now: 0, flush: true) { _, frame in
            if let level = frame.headerLevel { levels.append(level.level) }
        }
        #expect(levels.count >= 19)
        // A 0.5-amplitude sine: GStreamer sends 8 or 9 (-dBov); allow the encoder's start-up.
        #expect(levels.dropFirst(2).allSatisfy { (6...12).contains($0) }, "levels: \(levels)")
    }

    @Test("stop() wakes an idle ingest thread promptly")
    func stopIsPrompt() throws {
        var config = RTPIngestConfiguration()
        config.pollTimeoutMilliseconds = 10_000
        let ingest = try RTPIngest(host: "127.0.0.1", port: 0, configuration: config)
        try ingest.start()
        usleep(50_000)
        let start = MonotonicClock.nanoseconds()
        ingest.stop()
        #expect(MonotonicClock.nanoseconds() - start < 100_000_000)
        // A port in use is a clear error, not a crash.
        #expect(throws: MediaError.self) { try RTPIngest(host: "127.0.0.1", port: ingest.receiver.port) }
    }
}
