import Testing
import Foundation
import CMallocCounter
import ChorusCore
import ChorusMedia
import ChorusTestSupport
@testable import Chorus

#if canImport(Glibc)
import Glibc
#endif

/// The per-frame path of an RTP worker, on real Opus packets received over loopback UDP: ring pop,
/// jitter buffer, Opus decode, SIMD measure and the push to the room thread. After warm-up it must
/// make no heap allocation at all, counted by interposing malloc (see CMallocCounter).
@Suite("Pipeline hot path")
struct HotPathAllocationTests {
    @Test("the worker's per-frame path allocates nothing", .timeLimit(.minutes(1)))
    func workerPathAllocatesNothing() throws {
        guard chorus_malloc_counter_available() else { return }  // sanitizer builds own malloc
        let dir = try Fixtures.temporaryDirectory("hotpath")
        let wav = dir.appendingPathComponent("talk.wav")
        try Fixtures.speech("Counting every allocation on the worker's path, there should be none at all.", to: wav)
        let opus = dir.appendingPathComponent("talk.opus")
        try Fixtures.opus(from: wav, to: opus, extra: ["--framesize", "20"])
        let packets = try OggPacketDemuxer(path: opus.path).packets
        #expect(packets.count > 150)

        let ingest = try RTPIngest(host: "127.0.0.1", port: 0)
        try ingest.start()
        defer { ingest.stop() }
        let port = ingest.receiver.port

        // Prebuild every datagram, so building them is not counted.
        let datagrams: [[UInt8]] = packets.enumerated().map { index, payload in
            let seq = UInt16(truncatingIfNeeded: index), ts = UInt32(index * 960), ssrc: UInt32 = 0xC0FFEE
            return [0x80, 111, UInt8(seq >> 8), UInt8(seq & 0xFF),
                    UInt8(ts >> 24), UInt8((ts >> 16) & 0xFF), UInt8((ts >> 8) & 0xFF), UInt8(ts & 0xFF),
                    UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF)] + payload
        }
        let sender = UDPDatagramSender(port: port)
        func send(_ range: Range<Int>) {
            for datagram in datagrams[range] { sender.send(datagram) }
            usleep(20_000)  // let the ingest thread move them into the ring
        }

        send(0..<20)
        var waited = 0
        while ingest.tracks.isEmpty && waited < 100 { usleep(10_000); waited += 1 }
        let track = try #require(ingest.tracks.first)
        let decoder = try RTPTrackDecoder(track: track)
        let (outlet, inlet) = makeLevelFrameChannel(capacity: 8192)

        func process() {
            decoder.pump()
            _ = RTPWorker.release(decoder, track: 0, now: MonotonicClock.nanoseconds() &+ 1_000_000_000, flush: false,
                                  into: outlet, recording: nil)
        }
        process()  // warm-up: first decode, first frame of each kind
        send(20..<40)
        process()

        var allocations = 0
        for start in stride(from: 40, to: datagrams.count - 30, by: 30) {
            send(start..<(start + 30))
            chorus_malloc_counter_begin()
            process()
            allocations += chorus_malloc_counter_end()
        }
        #expect(allocations == 0, "allocations on the per-frame path: \(allocations)")
        var popped = 0
        inlet.drain { _ in popped += 1 }
        #expect(popped > 200, "level frames measured and pushed: \(popped)")
        #expect(decoder.statistics.lost == 0)
    }

    @Test("the counter does count: an Array append on the same thread is seen")
    func counterCounts() {
        guard chorus_malloc_counter_available() else { return }
        chorus_malloc_counter_begin()
        var array: [Int] = []
        for i in 0..<100 { array.append(i) }
        let counted = chorus_malloc_counter_end()
        #expect(array.count == 100)
        #expect(counted > 0)
    }
}
