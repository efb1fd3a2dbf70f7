import BenchSupport
import ChorusCore
import ChorusMedia

#if canImport(Glibc)
import Glibc
#endif

/// `rtp.header_levels_per_s`: packets per second through ``RTPPacket`` parsing plus RFC 6464 extraction
/// (the level-only path, no decoding), on prebuilt packets.
/// (`pipeline.*`, the whole path from datagram to room, is in PipelineBenchmark.)
enum RTPBenchmark {
    /// The `rtp.*` suite.
    static func runParsing(quick: Bool) -> [BenchmarkResult] { [self.headerLevels(quick: quick)] }

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

}
