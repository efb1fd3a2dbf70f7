import Glibc
import ChorusCore
import ChorusMedia
import Testing

/// Real Opus packets of a 440 Hz tone (optionally with silent stretches), 20 ms each.
fileprivate func makeOpusPackets(count: Int, fec: Bool = false, silentFrames: Range<Int> = 0..<0, dtx: Bool = false) throws -> [[UInt8]] {
    let encoder = try OpusPacketEncoder(bitrate: 24_000, inbandFEC: fec, expectedLossPercent: fec ? 20 : 0, dtx: dtx)
    var frame = [Float](repeating: 0, count: 960)
    var packets: [[UInt8]] = []
    for k in 0..<count {
        for i in 0..<960 {
            let t = Float(k * 960 + i) / 48_000
            frame[i] = silentFrames.contains(k) ? 0 : 0.5 * sinf(2 * .pi * 440 * t)
        }
        packets.append(try frame.withUnsafeBufferPointer { try encoder.encode($0) })
    }
    return packets
}

/// One frame out of the buffer, copied so that it outlives the next call.
fileprivate struct JitterReleased: Equatable {
    var kind: JitterFrameKind
    var mediaTime: Int64
    var count: Int
    var rms: Double
    var level: RTPAudioLevel?
}

fileprivate extension JitterBuffer {
    @discardableResult
    func offer(_ packet: [UInt8], seq: UInt16, ts: UInt32, ssrc: UInt32 = 7, at arrival: UInt64 = 0,
               level: RTPAudioLevel? = nil) -> InsertResult {
        packet.withUnsafeBytes { insert(sequence: seq, timestamp: ts, ssrc: ssrc, payload: $0, arrival: arrival, headerLevel: level) }
    }

    func drain(now: UInt64 = 0, flush: Bool = false) -> [JitterReleased] {
        var out: [JitterReleased] = []
        while let f = self.nextFrame(now: now, flush: flush) {
            let m = LevelKernel.measure(f.samples)
            out.append(JitterReleased(kind: f.kind, mediaTime: f.mediaTime, count: f.frameCount, rms: m.level.rmsDBFS, level: f.headerLevel))
        }
        return out
    }
}

/// Checks that frames tile media time with no gap and no overlap from `start` on.
fileprivate func expectContiguous(_ frames: [JitterReleased], from start: Int64 = 0, sourceLocation: SourceLocation = #_sourceLocation) {
    var t = start
    for f in frames {
        #expect(f.mediaTime == t, "frame at \(f.mediaTime), expected \(t)", sourceLocation: sourceLocation)
        t = f.mediaTime + Int64(f.count)
    }
}

@Suite("JitterBuffer")
struct JitterBufferTests {
    @Test("in order: every packet decoded once at its timestamp, across a sequence and timestamp wrap")
    func inOrderWithWrap() throws {
        let packets = try makeOpusPackets(count: 20)
        let jitter = try JitterBuffer()
        var out: [JitterReleased] = []
        for (k, p) in packets.enumerated() {
            let seq = UInt16(truncatingIfNeeded: 65_530 + k)
            let ts = UInt32(truncatingIfNeeded: Int64(UInt32.max) - 3 * 960 + Int64(k * 960))
            #expect(jitter.offer(p, seq: seq, ts: ts, level: RTPAudioLevel(level: 9, voiceActivity: false)) == .accepted)
            out += jitter.drain()
        }
        #expect(out.count == 20)
        #expect(out.allSatisfy { $0.kind == .decoded && $0.count == 960 && $0.level?.level == 9 })
        expectContiguous(out)
        // A 0.5-amplitude sine is −9 dBFS; skip the first frames (encoder start-up).
        #expect(out[5...].allSatisfy { abs($0.rms - -9.03) < 1.5 })
        #expect(jitter.statistics.received == 20 && jitter.statistics.lost == 0)
    }

    @Test("duplicates are dropped and counted, before and after playout")
    func duplicates() throws {
        let packets = try makeOpusPackets(count: 4)
        let jitter = try JitterBuffer()
        jitter.offer(packets[0], seq: 10, ts: 0)
        #expect(jitter.offer(packets[0], seq: 10, ts: 0) == .duplicate)
        var out = jitter.drain()
        #expect(jitter.offer(packets[0], seq: 10, ts: 0) == .duplicate)
        jitter.offer(packets[1], seq: 11, ts: 960)
        out += jitter.drain()
        #expect(out.count == 2)
        #expect(jitter.statistics.duplicates == 2)
        #expect(jitter.statistics.received == 2)
    }

    @Test("a straggler from before the first packet, across the wrap, is late, not a duplicate")
    func stragglerBeforeStart() throws {
        let packets = try makeOpusPackets(count: 3)
        let jitter = try JitterBuffer()
        jitter.offer(packets[1], seq: 0, ts: 960)
        // 65535 extends to -1, below the playout point; its slot was never used.
        #expect(jitter.offer(packets[0], seq: 65_535, ts: 0) == .late)
        #expect(jitter.statistics.late == 1 && jitter.statistics.duplicates == 0)
    }

    @Test("reordering within the window loses nothing; the gap waits for the window")
    func reorderWithinWindow() throws {
        let packets = try makeOpusPackets(count: 6)
        let jitter = try JitterBuffer()
        let ms: UInt64 = 1_000_000
        jitter.offer(packets[0], seq: 0, ts: 0, at: 0)
        var out = jitter.drain(now: 0)
        jitter.offer(packets[2], seq: 2, ts: 1920, at: 20 * ms)
        out += jitter.drain(now: 30 * ms)
        #expect(out.count == 1, "packet 1 is awaited, not concealed, inside the window")
        jitter.offer(packets[1], seq: 1, ts: 960, at: 40 * ms)
        out += jitter.drain(now: 40 * ms)
        #expect(out.map(\.kind) == [.decoded, .decoded, .decoded])
        expectContiguous(out)
        #expect(jitter.statistics.lost == 0 && jitter.statistics.late == 0)
    }

    @Test("a loss is concealed once the window passes; the straggler is then late")
    func lossThenLate() throws {
        let packets = try makeOpusPackets(count: 8)
        let jitter = try JitterBuffer(configuration: JitterConfiguration(reorderWindowMilliseconds: 60))
        let ms: UInt64 = 1_000_000
        var out: [JitterReleased] = []
        for k in [0, 1, 2, 4] {
            jitter.offer(packets[k], seq: UInt16(k), ts: UInt32(k * 960), at: UInt64(k) * 20 * ms)
            out += jitter.drain(now: UInt64(k) * 20 * ms)
        }
        #expect(out.count == 3)
        out += jitter.drain(now: 80 * ms + 59 * ms)
        #expect(out.count == 3, "not before the window has passed")
        out += jitter.drain(now: 80 * ms + 60 * ms)
        #expect(out.count == 5)
        #expect(out[3].kind == .plc && out[3].mediaTime == 3 * 960 && out[3].count == 960)
        #expect(jitter.offer(packets[3], seq: 3, ts: 3 * 960) == .late)
        let s = jitter.statistics
        #expect(s.lost == 1 && s.concealed == 1 && s.late == 1 && s.received == 4)
        expectContiguous(out)
    }

    @Test("a lost packet is recovered from the next packet's in-band FEC")
    func fecRecovery() throws {
        let packets = try makeOpusPackets(count: 12, fec: true)
        #expect(packets[5...].contains { p in p.withUnsafeBytes { OpusPacketDecoder.hasLBRR($0) } })
        let jitter = try JitterBuffer()
        var out: [JitterReleased] = []
        for k in 0..<12 where k != 8 {
            jitter.offer(packets[k], seq: UInt16(k), ts: UInt32(k * 960))
        }
        out += jitter.drain(flush: true)
        #expect(out.count == 12)
        #expect(out[8].kind == .fec)
        #expect(abs(out[8].rms - -9.03) < 3, "FEC rebuilds the tone, not silence")
        #expect(jitter.statistics.recoveredByFEC == 1 && jitter.statistics.lost == 1)
        expectContiguous(out)
    }

    @Test("a long loss: PLC up to 120 ms, then silence; media time stays continuous")
    func longLoss() throws {
        let packets = try makeOpusPackets(count: 20)
        let jitter = try JitterBuffer()
        for k in 0..<20 where !(5..<15).contains(k) {
            jitter.offer(packets[k], seq: UInt16(k), ts: UInt32(k * 960))
        }
        let out = jitter.drain(flush: true)
        expectContiguous(out)
        let plc = out.filter { $0.kind == .plc }.reduce(0) { $0 + $1.count }
        let silence = out.filter { $0.kind == .lossSilence }.reduce(0) { $0 + $1.count }
        #expect(plc == 5760)
        #expect(plc + silence == 10 * 960)
        #expect(jitter.statistics.lost == 10 && jitter.statistics.concealed == 6)
        #expect(jitter.statistics.received + jitter.statistics.lost == 20)
    }

    @Test("DTX: contiguous sequence numbers with a timestamp jump are silence, not loss")
    func dtx() throws {
        let packets = try makeOpusPackets(count: 30, silentFrames: 5..<25, dtx: true)
        let jitter = try JitterBuffer()
        // Send packets 0-5, then skip the timestamps of 6-24 (the sender stopped) but not the sequence numbers.
        var seq: UInt16 = 100
        for k in 0..<30 where k <= 5 || k >= 25 {
            jitter.offer(packets[k], seq: seq, ts: UInt32(k * 960))
            seq &+= 1
        }
        let out = jitter.drain(flush: true)
        expectContiguous(out)
        #expect(out.filter { $0.kind == .dtxSilence }.reduce(0) { $0 + $1.count } == 19 * 960)
        #expect(jitter.statistics.lost == 0 && jitter.statistics.dtxPauses == 1)
        #expect(!out.contains { $0.kind == .plc || $0.kind == .lossSilence })
    }

    @Test("uneven first delta (GStreamer's 648) is accepted: frames play at their timestamps")
    func unevenDelta() throws {
        let packets = try makeOpusPackets(count: 4)
        let jitter = try JitterBuffer()
        let ts: [UInt32] = [5000, 5648, 6608, 7568]
        for k in 0..<4 { jitter.offer(packets[k], seq: UInt16(k), ts: ts[k]) }
        let out = jitter.drain(flush: true)
        // The second packet starts at 648 but the first played 960: its first 312 samples are past.
        #expect(out.map(\.mediaTime) == [0, 960, 1608, 2568])
        #expect(out.map(\.count) == [960, 648, 960, 960])
        expectContiguous(out)
        #expect(out.allSatisfy { $0.kind == .decoded })
        #expect(jitter.statistics.lost == 0)
    }

    @Test("losing the 648-sample second packet: FEC/PLC fill 600 samples, 48 of silence keep the tiling")
    func lossAfterUnevenDelta() throws {
        for fec in [false, true] {
            let packets = try makeOpusPackets(count: 5, fec: fec)
            let jitter = try JitterBuffer()
            let ts: [UInt32] = [0, 648, 1608, 2568, 3528]
            for k in 0..<5 where k != 1 { jitter.offer(packets[k], seq: UInt16(k), ts: ts[k]) }
            let out = jitter.drain(flush: true)
            expectContiguous(out)
            #expect(out.last.map { $0.mediaTime + Int64($0.count) } == 4488)
            // 648 is shorter than the next packet's 960-sample FEC frame, so this is PLC even with FEC on.
            #expect(out.contains { $0.kind == .plc && $0.count == 600 })
            #expect(jitter.statistics.recoveredByFEC == 0 && jitter.statistics.concealed == 1)
            #expect(out.contains { $0.kind == .lossSilence && $0.count == 48 })
            #expect(jitter.statistics.lost == 1 && jitter.statistics.dtxPauses == 0)
        }
    }

    @Test("a new SSRC or a confirmed huge jump resets the decoder and keeps media time continuous")
    func resets() throws {
        let packets = try makeOpusPackets(count: 8)
        let jitter = try JitterBuffer()
        for k in 0..<3 { jitter.offer(packets[k], seq: UInt16(k), ts: UInt32(k * 960), ssrc: 1) }
        var out = jitter.drain()
        jitter.offer(packets[3], seq: 40_000, ts: 123_456_789, ssrc: 2)
        out += jitter.drain()
        #expect(jitter.statistics.resets == 1)
        #expect(jitter.ssrc == 2)
        // Same SSRC, sequence jumps by 20,000: refused once, confirmed by the next packet.
        #expect(jitter.offer(packets[4], seq: 60_000, ts: 5, ssrc: 2) == .invalid)
        #expect(jitter.offer(packets[5], seq: 60_001, ts: 965, ssrc: 2) == .accepted)
        out += jitter.drain(flush: true)
        #expect(jitter.statistics.resets == 2)
        expectContiguous(out)
        #expect(out.count == 5)
    }

    @Test("a corrupt payload is concealed and counted, and playback goes on")
    func corruptPayload() throws {
        let packets = try makeOpusPackets(count: 6)
        let jitter = try JitterBuffer()
        for k in 0..<6 {
            // Code-3 TOC with a frame count of 0: libopus refuses it (OPUS_INVALID_PACKET).
            let payload: [UInt8] = k == 3 ? [0x7B, 0x00] : packets[k]
            jitter.offer(payload, seq: UInt16(k), ts: UInt32(k * 960))
        }
        let out = jitter.drain(flush: true)
        expectContiguous(out)
        #expect(out.map(\.kind) == [.decoded, .decoded, .decoded, .plc, .decoded, .decoded])
        #expect(jitter.statistics.decodeErrors == 1 && jitter.statistics.lost == 0)
    }

    @Test("a jump wider than the buffer (but below MAX_DROPOUT) is a loss, bridged without a reset")
    func moderateJump() throws {
        let packets = try makeOpusPackets(count: 8)
        let jitter = try JitterBuffer()
        for k in 0..<4 { jitter.offer(packets[k], seq: UInt16(k), ts: UInt32(k * 960)) }
        var out = jitter.drain()
        // 200 packets later (4 s), beyond the 32 slots.
        for k in 4..<8 { jitter.offer(packets[k], seq: UInt16(k + 200), ts: UInt32((k + 200) * 960)) }
        out += jitter.drain(flush: true)
        expectContiguous(out)
        #expect(out.last!.mediaTime == Int64(207 * 960))
        let s = jitter.statistics
        #expect(s.lost == 200 && s.received == 8 && s.resets == 0)
        #expect(out.filter { $0.kind == .decoded }.count == 8)
    }

    @Test("simulated network: drops, duplicates and delays under the window; every counter adds up exactly")
    func simulatedNetwork() throws {
        let n = 400
        let packets = try makeOpusPackets(count: n, fec: true)
        var rng = RTPTestRandom(seed: 2026)
        let ms: UInt64 = 1_000_000
        var arrivals: [(time: UInt64, k: Int)] = []
        var dropped = 0
        var duplicated = 0
        for k in 0..<n {
            let r = rng.next() % 100
            // Never drop the last packet: a receiver cannot know it was sent.
            if r < 5 && k != n - 1 { dropped += 1; continue }
            var t = UInt64(k) * 20 * ms
            if r >= 5 && r < 15 { t += (10 + rng.next() % 31) * ms }  // 10-40 ms late: reordered
            arrivals.append((t, k))
            if r >= 95 { arrivals.append((t + 5 * ms, k)); duplicated += 1 }
        }
        arrivals.sort { $0.time < $1.time }
        let jitter = try JitterBuffer(configuration: JitterConfiguration(reorderWindowMilliseconds: 60))
        var out: [JitterReleased] = []
        for a in arrivals {
            jitter.offer(packets[a.k], seq: UInt16(truncatingIfNeeded: 30_000 + a.k), ts: UInt32(a.k * 960), at: a.time)
            out += jitter.drain(now: a.time)
        }
        out += jitter.drain(now: .max, flush: true)
        let s = jitter.statistics
        #expect(dropped > 5 && duplicated > 5)
        #expect(s.late == 0, "delays stay inside the 60 ms window")
        #expect(s.duplicates == duplicated)
        #expect(s.lost == dropped)
        #expect(s.received == n - dropped)
        #expect(s.recoveredByFEC + s.concealed == dropped)
        #expect(s.recoveredByFEC > 0)
        #expect(out.filter { $0.kind == .decoded }.count == n - dropped)
        expectContiguous(out)
        #expect(out.last.map { $0.mediaTime + Int64($0.count) } == Int64(n * 960))
    }

    @Test("property, 40 seeds: mixed 10/20/40 ms packets, a 648 first delta, DTX pauses, drops, duplicates, reordering, late packets: frames always tile and counters add up")
    func propertyManySeeds() throws {
        let encoder = try OpusPacketEncoder(bitrate: 24_000, inbandFEC: true, expectedLossPercent: 20)
        var lateSeen = 0
        var fecSeen = 0
        for seed in 1...40 {
            var rng = RTPTestRandom(seed: UInt64(seed))
            let n = 80
            // Packets with their durations and timestamps; DTX pauses skip timestamps, not sequence numbers.
            var payloads: [[UInt8]] = []
            var stamps: [UInt32] = []
            var ts = UInt32(truncatingIfNeeded: rng.next())
            let firstTS = ts
            var pcm = [Float](repeating: 0, count: 1920)
            for k in 0..<n {
                // The first packet is 960 samples, as from opusenc, whose next timestamp is 648 later.
                let frames = k == 0 ? 960 : [480, 960, 1920][Int(rng.next() % 3)]
                for i in 0..<frames { pcm[i] = 0.3 * sinf(Float(k * 1920 + i) * 0.05) }
                payloads.append(try pcm.withUnsafeBufferPointer { try encoder.encode(UnsafeBufferPointer(rebasing: $0[0..<frames])) })
                stamps.append(ts)
                ts &+= UInt32(k == 0 ? 648 : frames)
                if rng.next() % 12 == 0 { ts &+= UInt32(960 * (1 + rng.next() % 20)) }  // DTX pause
            }
            let ms: UInt64 = 1_000_000
            var arrivals: [(time: UInt64, k: Int)] = []
            var dropped = 0
            var duplicated = 0
            for k in 0..<n {
                let r = rng.next() % 100
                if r < 6 && k > 0 && k < n - 1 { dropped += 1; continue }
                // Sent in real time (at its timestamp), so DTX pauses are pauses on the wire too.
                var t = UInt64(stamps[k] &- firstTS) * ms / 48
                // Seeds above 20 also delay some packets past the 60 ms window (up to 150 ms): late ones.
                if r >= 6 && r < 16 { t += (5 + rng.next() % (seed > 20 ? 146 : 30)) * ms }
                arrivals.append((t, k))
                if r >= 94 { arrivals.append((t + 3 * ms, k)); duplicated += 1 }
            }
            arrivals.sort { $0.time < $1.time }
            let jitter = try JitterBuffer()
            var out: [JitterReleased] = []
            let seq0 = UInt16(truncatingIfNeeded: rng.next())
            for a in arrivals {
                jitter.offer(payloads[a.k], seq: seq0 &+ UInt16(a.k), ts: stamps[a.k], at: a.time)
                out += jitter.drain(now: a.time)
            }
            out += jitter.drain(now: .max, flush: true)
            let s = jitter.statistics
            expectContiguous(out)
            let end = out.last.map { $0.mediaTime + Int64($0.count) } ?? 0
            let lastFrames = Int64(OpusPacketDecoder.frameCount(of: payloads[n - 1].withUnsafeBytes { $0 }) ?? 0)
            #expect(end == Int64(stamps[n - 1] &- firstTS) + lastFrames, "seed \(seed)")
            // Every sequence number is played or lost; every arrival is accepted, a duplicate or late.
            #expect(s.received + s.lost == n, "seed \(seed): \(s)")
            #expect(s.received + s.duplicates + s.late == arrivals.count, "seed \(seed): \(s)")
            if seed <= 20 {
                #expect(s.late == 0 && s.duplicates == duplicated && s.lost == dropped,
                        "seed \(seed): \(s), dropped \(dropped), duplicated \(duplicated)")
            }
            #expect(s.recoveredByFEC + s.concealed <= s.lost)
            #expect(out.filter { $0.kind == .decoded }.count == s.received, "seed \(seed)")
            lateSeen += s.late
            fecSeen += s.recoveredByFEC
        }
        #expect(lateSeen > 0 && fecSeen > 0, "the heavy seeds really produce late packets, and FEC is used")
    }

    @Test("fuzz: random sequence numbers, timestamps, SSRCs and payloads never trap; counters stay consistent")
    func fuzz() throws {
        let packets = try makeOpusPackets(count: 16)
        var rng = RTPTestRandom(seed: 42)
        let jitter = try JitterBuffer(configuration: JitterConfiguration(reorderWindowMilliseconds: 20))
        var frames = 0
        var offered = 0
        var seq: UInt16 = 0
        var ts: UInt32 = 0
        for i in 0..<20_000 {
            let r = rng.next()
            switch r % 10 {
            case 0: seq = UInt16(truncatingIfNeeded: rng.next())
            case 1: ts = UInt32(truncatingIfNeeded: rng.next())
            case 2: seq &-= UInt16(rng.next() % 5)
            default: seq &+= 1; ts &+= 960
            }
            var payload = packets[i % 16]
            if r % 7 == 0 { payload = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            if r % 97 == 0 { payload = [UInt8](repeating: 0xFC, count: 1600) }
            let ssrc: UInt32 = r % 500 == 0 ? UInt32(truncatingIfNeeded: rng.next()) : 9
            payload.withUnsafeBytes { _ = jitter.insert(sequence: seq, timestamp: ts, ssrc: ssrc, payload: $0, arrival: UInt64(i) * 1_000_000) }
            offered += 1
            while let f = jitter.nextFrame(now: UInt64(i) * 1_000_000) {
                #expect(f.frameCount > 0 && f.frameCount <= 5760)
                frames += 1
            }
        }
        while jitter.nextFrame(now: .max, flush: true) != nil { frames += 1 }
        let s = jitter.statistics
        #expect(frames > 1000)
        #expect(s.received + s.duplicates + s.invalid <= offered)
        #expect(s.received > 1000 && s.lost > 0 && s.resets > 0)
        #expect(jitter.bufferedCount == 0)
    }
}
