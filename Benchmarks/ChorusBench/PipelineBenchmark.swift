import BenchSupport
import COpus
import Chorus
import ChorusCore
import ChorusMedia

#if canImport(Glibc)
import Glibc
#endif

/// `pipeline.decode_overhead` and `pipeline.tracks_per_core`: how many 20 ms mono 32 kbps Opus tracks
/// one core keeps up with through every stage of the pipeline, against bare `opus_decode_float` in a
/// loop on the same packets, measured in the same run.
///
/// Per packet, the pipeline path is: RTP parse (+ RFC 6464 lookup), push into the track's packet ring,
/// pop into the jitter buffer, release (Opus decode, clamp), SIMD level of each 10 ms, push of the
/// two level frames into the room ring, pop on the room side, and `Room.observe` + `advance`.
/// All stages run on one thread here, so the figure is the whole pipeline's cost per core.
enum PipelineBenchmark {
    static func run(quick: Bool) -> [BenchmarkResult] {
        guard let packets = makePackets(seconds: quick ? 4 : 10) else {
            print("pipeline: skipped (libopus encoder failed)")
            return []
        }
        let datagrams = packets.enumerated().map { index, payload -> [UInt8] in
            let seq = UInt16(truncatingIfNeeded: index), ts = UInt32(truncatingIfNeeded: index * 960)
            // One-byte header extension (0xBEDE) with an RFC 6464 level, as browsers send.
            return [0x90, 111, UInt8(seq >> 8), UInt8(seq & 0xFF),
                    UInt8(ts >> 24), UInt8((ts >> 16) & 0xFF), UInt8((ts >> 8) & 0xFF), UInt8(ts & 0xFF),
                    0, 0, 0x30, 0x39, 0xBE, 0xDE, 0, 1, 0x10, 0x20, 0, 0] + payload
        }
        let runs = quick ? 3 : 9
        // Alternate the two, so that frequency ramps and noisy neighbours hit both alike.
        var bareTimes: [Double] = [], pipelineTimes: [Double] = []
        for _ in 0..<runs {
            bareTimes.append(bareDecode(packets))
            pipelineTimes.append(throughPipeline(datagrams))
        }
        // The fastest run of each: on a shared machine, noise only ever adds time.
        let bare = bareTimes.min()!
        let pipeline = pipelineTimes.min()!
        let bareTracks = 1e9 / bare / 50
        let pipelineTracks = 1e9 / pipeline / 50
        return [
            BenchmarkResult(name: "pipeline.decode_overhead", value: pipelineTracks, unit: "tracks/core",
                            baseline: bareTracks, ratio: pipelineTracks / bareTracks, goal: "ratio >= 0.9",
                            extra: [("pipeline_ns_per_packet", pipeline), ("bare_ns_per_packet", bare)]),
            BenchmarkResult(name: "pipeline.tracks_per_core", value: pipelineTracks, unit: "tracks",
                            goal: "20 ms mono 32 kbps Opus, real time, one core"),
        ]
    }

    /// Speech-like audio (a gliding voiced tone with harmonics, syllable-rate envelope, breath noise)
    /// encoded as 20 ms mono VOIP packets at 32 kbps.
    static func makePackets(seconds: Int) -> [[UInt8]]? {
        guard let encoder = try? OpusPacketEncoder(bitrate: 32_000) else { return nil }
        var frame = [Float](repeating: 0, count: 960)
        var packets: [[UInt8]] = []
        var seed: UInt32 = 7
        var phase = 0.0
        for n in 0..<(seconds * 50) {
            for i in 0..<960 {
                let t = Double(n * 960 + i) / 48_000
                let pitch = 140 + 30 * sin(2 * .pi * 0.7 * t)
                phase += 2 * .pi * pitch / 48_000
                let envelope = max(0, sin(2 * .pi * 3 * t))
                seed = seed &* 1_664_525 &+ 1_013_904_223
                let noise = Double(Int32(bitPattern: seed)) / Double(Int32.max) * 0.01
                frame[i] = Float(envelope * 0.3 * (sin(phase) + 0.5 * sin(2 * phase) + 0.25 * sin(3 * phase)) + noise)
            }
            guard let packet = try? frame.withUnsafeBufferPointer({ try encoder.encode($0) }) else { return nil }
            packets.append(packet)
        }
        return packets
    }

    /// Nanoseconds per packet for `opus_decode_float` alone.
    static func bareDecode(_ packets: [[UInt8]]) -> Double {
        var error: Int32 = 0
        guard let decoder = opus_decoder_create(48_000, 1, &error) else { return .infinity }
        defer { opus_decoder_destroy(decoder) }
        let pcm = UnsafeMutablePointer<Float>.allocate(capacity: 5760)
        defer { pcm.deallocate() }
        let start = monotonicNanoseconds()
        var total = 0
        for packet in packets {
            total &+= Int(packet.withUnsafeBufferPointer { opus_decode_float(decoder, $0.baseAddress, Int32($0.count), pcm, 5760, 0) })
        }
        let elapsed = Double(monotonicNanoseconds() - start)
        blackHole(total)
        return elapsed / Double(packets.count)
    }

    /// Nanoseconds per packet through every pipeline stage.
    static func throughPipeline(_ datagrams: [[UInt8]]) -> Double {
        guard let jitter = try? JitterBuffer() else { return .infinity }
        let packetRing = SPSCRing<RTPPacketSlot>.makeEndpoints(capacity: 64)
        var producer = packetRing.producer
        var consumer = packetRing.consumer
        let levelRing = SPSCRing<LevelFrame>.makeEndpoints(capacity: 256)
        var levelProducer = levelRing.producer
        var levelConsumer = levelRing.consumer
        let room = Room()
        room.publishTrack(identity: "bench", at: .zero)
        var roomNow = MediaTime.zero
        let now = monotonicNanoseconds() &+ 1_000_000_000_000
        let start = monotonicNanoseconds()
        for datagram in datagrams {
            // Ingest: parse and copy into the ring slot.
            datagram.withUnsafeBytes { bytes in
                guard let packet = try? RTPPacket(parsing: bytes) else { return }
                let level = packet.audioLevel(extensionID: 1, in: bytes)
                _ = producer.tryPush { slot in
                    slot.pointee.arrival = now
                    slot.pointee.timestamp = packet.timestamp
                    slot.pointee.ssrc = packet.ssrc
                    slot.pointee.sequenceNumber = packet.sequenceNumber
                    slot.pointee.marker = packet.marker
                    slot.pointee.levelByte = level.map { Int16($0.level) } ?? -1
                    let payload = UnsafeRawBufferPointer(rebasing: bytes[packet.payloadRange])
                    slot.pointee.payloadLength = UInt16(payload.count)
                    (UnsafeMutableRawPointer(slot) + RTPPacketSlot.payloadOffset).copyMemory(from: payload.baseAddress!, byteCount: payload.count)
                    return true
                }
            }
            // Worker: pop into the jitter buffer, release, measure every 10 ms, push level frames.
            while let _ = consumer.withFront({ slot in
                jitter.insert(sequence: slot.pointee.sequenceNumber, timestamp: slot.pointee.timestamp, ssrc: slot.pointee.ssrc,
                              payload: UnsafeRawBufferPointer(start: UnsafeRawPointer(slot) + RTPPacketSlot.payloadOffset,
                                                              count: Int(slot.pointee.payloadLength)),
                              arrival: slot.pointee.arrival, headerLevel: slot.pointee.headerLevel)
            }) {}
            while let frame = jitter.nextFrame(now: now) {
                var offset = 0
                while offset < frame.frameCount {
                    let length = min(480, frame.frameCount - offset)
                    let measure = LevelKernel.measure(UnsafeBufferPointer(rebasing: frame.samples[offset..<(offset + length)]))
                    _ = levelProducer.tryPush(.audio(track: 0, start: frame.mediaTime + Int64(offset), duration: Int32(length),
                                                     measure: measure, madeAt: now))
                    offset += length
                }
            }
            // Room thread: pop and feed the room, decide each period.
            while let level = levelConsumer.tryPop() {
                let at = MediaTime(ticks: level.start)
                room.observe(identity: "bench", measure: level.measure, duration: MediaTime(ticks: Int64(level.duration)), at: at)
                roomNow = at + MediaTime(ticks: Int64(level.duration))
            }
            room.advance(to: roomNow)
        }
        let elapsed = Double(monotonicNanoseconds() - start)
        blackHole(room.now)
        // Every packet must have been decoded and measured, or the figure would flatter the pipeline.
        let decoded = jitter.statistics.received
        if decoded != datagrams.count { print("pipeline: only \(decoded) of \(datagrams.count) packets went through") }
        if roomNow.ticks < Int64(datagrams.count - 2) * 960 { print("pipeline: the room saw only \(roomNow) of media") }
        return elapsed / Double(datagrams.count)
    }
}
