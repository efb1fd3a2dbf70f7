import BenchSupport
import ChorusCore
import ChorusMedia
import COpus

#if canImport(Glibc)
import Glibc
#endif

/// `rtp.header_levels_per_s`: packets per second through ``RTPPacket`` parsing plus RFC 6464 extraction
/// (the level-only path, no decoding), on prebuilt packets.
/// `pipeline.decode_overhead`: a bare `opus_decode_float` loop against jitter buffer + decode (with its
/// clamp) + level kernel on the same packets (ratio = bare / full: 1.0 means the rest costs nothing).
enum RTPBenchmark {
    /// The `rtp.*` suite.
    static func runParsing(quick: Bool) -> [BenchmarkResult] { [self.headerLevels(quick: quick)] }

    /// The `pipeline.decode_overhead` figure.
    static func runDecoding(quick: Bool) -> [BenchmarkResult] { [self.decodeOverhead(quick: quick)] }

    /// Realistic packets: CSRC-free, one-byte extension block with another element before the level.
    static func makePackets(count: Int) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var seed: UInt32 = 7
        for k in 0..<count {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let seq = UInt16(truncatingIfNeeded: k)
            let ts = UInt32(truncatingIfNeeded: k * 960)
            var b: [UInt8] = [0x90, 111, UInt8(seq >> 8), UInt8(seq & 0xFF)]
            b += [UInt8(ts >> 24), UInt8((ts >> 16) & 0xFF), UInt8((ts >> 8) & 0xFF), UInt8(ts & 0xFF), 0, 0, 0x04, 0x57]
            // 0xBEDE, 2 words: ID 3 (2 bytes), ID 1 (level), padding.
            b += [0xBE, 0xDE, 0x00, 0x02, 0x31, 0xAA, 0xBB, 0x10, UInt8(seed >> 25), 0x00, 0x00, 0x00]
            b += [UInt8](repeating: UInt8(truncatingIfNeeded: seed), count: 80)
            packets.append(b)
        }
        return packets
    }

    static func headerLevels(quick: Bool) -> BenchmarkResult {
        let packets = self.makePackets(count: 1024)
        // One contiguous buffer, as a receive ring would hold them.
        let stride = packets[0].count
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: stride * packets.count, alignment: 16)
        defer { storage.deallocate() }
        for (i, p) in packets.enumerated() {
            p.withUnsafeBytes { (storage.baseAddress! + i * stride).copyMemory(from: $0.baseAddress!, byteCount: stride) }
        }
        let passes = quick ? 200 : 2000
        let times = measureRuns(runs: quick ? 5 : 11) {
            var acc = 0
            for _ in 0..<passes {
                // Opaque per pass, so the optimizer cannot compute one pass and multiply.
                let base = identity(UnsafeRawPointer(storage.baseAddress!))
                for i in 0..<packets.count {
                    let bytes = UnsafeRawBufferPointer(start: base + i * stride, count: stride)
                    guard let packet = try? RTPPacket(parsing: bytes) else { continue }
                    if let level = packet.audioLevel(extensionID: 1, in: bytes) { acc &+= Int(level.level) }
                    acc &+= Int(packet.ssrc & 1)
                }
            }
            return acc
        }
        let perSecond = Double(passes * packets.count) / (median(times) / 1e9)
        return BenchmarkResult(
            name: "rtp.header_levels_per_s", value: perSecond / 1e6, unit: "M pkt/s", goal: "value >= 1 M pkt/s",
            extra: [("ns_per_packet", 1e9 / perSecond)])
    }

    static func decodeOverhead(quick: Bool) -> BenchmarkResult {
        let count = 500
        let encoder = try! OpusPacketEncoder(bitrate: 32_000)
        var frame = [Float](repeating: 0, count: 960)
        var packets: [[UInt8]] = []
        for k in 0..<count {
            for i in 0..<960 {
                let t = Float(k * 960 + i) / 48_000
                frame[i] = 0.3 * sinf(2 * .pi * 220 * t) + 0.1 * sinf(2 * .pi * 1330 * t)
            }
            packets.append(try! frame.withUnsafeBufferPointer { try encoder.encode($0) })
        }
        let runs = quick ? 3 : 9
        let repeats = quick ? 1 : 4
        // Baseline: libopus alone, opus_decode_float into a preallocated buffer, nothing else.
        let pcm = UnsafeMutablePointer<Float>.allocate(capacity: OpusPacketDecoder.maxFrames)
        defer { pcm.deallocate() }
        func bareRun() -> Int {
            var acc = 0
            for _ in 0..<repeats {
                var error: Int32 = 0
                let state = opus_decoder_create(48_000, 1, &error)!
                for p in packets {
                    acc &+= Int(p.withUnsafeBytes {
                        opus_decode_float(
                            state, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32($0.count), pcm,
                            Int32(OpusPacketDecoder.maxFrames), 0)
                    })
                }
                opus_decoder_destroy(state)
            }
            return acc
        }
        func fullRun() -> Int {
            var acc = 0
            for _ in 0..<repeats {
                let jitter = try! JitterBuffer()
                for (k, p) in packets.enumerated() {
                    p.withUnsafeBytes {
                        _ = jitter.insert(
                            sequence: UInt16(truncatingIfNeeded: k), timestamp: UInt32(k * 960), ssrc: 1,
                            payload: $0, arrival: UInt64(k) * 20_000_000)
                    }
                    while let f = jitter.nextFrame(now: UInt64(k) * 20_000_000) {
                        let m = LevelKernel.measure(f.samples)
                        acc &+= f.frameCount &+ Int(m.peak * 100)
                    }
                }
            }
            return acc
        }
        // Interleaved pairs, so that load from other processes hits both alike; one warm-up each.
        var bare: [Double] = []
        var full: [Double] = []
        var ratios: [Double] = []
        blackHole(bareRun())
        blackHole(fullRun())
        for _ in 0..<runs {
            bare += measureRuns(runs: 1, bareRun).suffix(1)
            full += measureRuns(runs: 1, fullRun).suffix(1)
            ratios.append(bare.last! / full.last!)
        }
        let perPacketBare = median(bare) / Double(count * repeats)
        let perPacketFull = median(full) / Double(count * repeats)
        return BenchmarkResult(
            name: "pipeline.decode_overhead", value: perPacketFull / 1000, unit: "us/pkt", baseline: perPacketBare / 1000,
            ratio: median(ratios), goal: "ratio >= 0.9 (jitter+levels add <= 10%)",
            extra: [("overhead_ns_per_packet", perPacketFull - perPacketBare)])
    }
}
