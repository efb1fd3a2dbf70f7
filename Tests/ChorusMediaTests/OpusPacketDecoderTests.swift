import Testing
import Foundation
import ChorusCore
import ChorusMedia
import ChorusTestSupport

@Suite("OpusPacketDecoder")
struct OpusPacketDecoderTests {
    /// A speech file encoded with in-band FEC enabled (`OPUS_SET_INBAND_FEC` = ctl 4012) and
    /// an expected loss, so SILK frames carry LBRR redundancy.
    static func speechFile(fec: Bool) throws -> URL {
        let dir = try Fixtures.temporaryDirectory("opusdec")
        let wav = dir.appendingPathComponent("talk.wav")
        try Fixtures.speech("The quick brown fox jumps over the lazy dog, again and again.", to: wav)
        let opus = dir.appendingPathComponent("talk.opus")
        let extra = fec ? ["--set-ctl-int", "4012=1", "--expect-loss", "20", "--framesize", "20"] : ["--framesize", "20"]
        try Fixtures.opus(from: wav, to: opus, bitrateKbps: 24, extra: extra)
        return opus
    }

    @Test("decoding the raw packets reproduces libopusfile's output sample for sample")
    func rawPacketsMatchOpusfile() throws {
        let opus = try Self.speechFile(fec: false)
        let demuxer = try OggPacketDemuxer(path: opus.path)
        #expect(demuxer.packets.count > 50)
        let decoder = try OpusPacketDecoder(channels: 1)
        var decoded: [Float] = []
        for packet in demuxer.packets {
            let frames = try packet.withUnsafeBytes { try decoder.decode($0) }
            #expect(frames == packet.withUnsafeBytes { OpusPacketDecoder.frameCount(of: $0) })
            decoded.append(contentsOf: decoder.samples(frames: frames))
        }
        let reference = try readAll(OggOpusFileSource(path: opus.path))
        let ours = Array(decoded.dropFirst(demuxer.preSkip).prefix(reference.count))
        #expect(ours.count == reference.count)
        let worst = zip(ours, reference).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-6, "largest difference \(worst)")
    }

    @Test("PLC lengths are whole multiples of 120 samples, capped at 120 ms")
    func concealmentLengths() throws {
        let opus = try Self.speechFile(fec: false)
        let packets = try OggPacketDemuxer(path: opus.path).packets
        let decoder = try OpusPacketDecoder(channels: 1)
        for packet in packets.prefix(20) { _ = try packet.withUnsafeBytes { try decoder.decode($0) } }
        #expect(try decoder.conceal(frames: 960) == 960)
        #expect(try decoder.conceal(frames: 1000) == 960)
        #expect(try decoder.conceal(frames: 100) == 0)
        #expect(try decoder.conceal(frames: 10_000) == 5760)
        // After concealment the stream decodes on.
        #expect(try packets[20].withUnsafeBytes { try decoder.decode($0) } == 960)
    }

    @Test("in-band FEC recovers a lost speech packet closer to the truth than PLC does")
    func fecBeatsPLC() throws {
        let opus = try Self.speechFile(fec: true)
        let packets = try OggPacketDemuxer(path: opus.path).packets
        #expect(packets.allSatisfy { $0.withUnsafeBytes(OpusPacketDecoder.mayCarryFEC) }, "speech at 24 kbps should be SILK")
        var fecWins = 0
        var trials = 0
        for lost in stride(from: 30, to: packets.count - 2, by: 7) {
            // The truth: decode straight through.
            let truth = try OpusPacketDecoder(channels: 1)
            for packet in packets[..<lost] { _ = try packet.withUnsafeBytes { try truth.decode($0) } }
            let n = try packets[lost].withUnsafeBytes { try truth.decode($0) }
            let real = Array(truth.samples(frames: n))
            let energy = real.reduce(0) { $0 + $1 * $1 }
            guard energy > 1 else { continue }  // only voiced frames tell FEC from PLC
            func error(_ recovered: [Float]) -> Float { zip(real, recovered).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
            let viaFEC = try OpusPacketDecoder(channels: 1)
            let viaPLC = try OpusPacketDecoder(channels: 1)
            for packet in packets[..<lost] {
                _ = try packet.withUnsafeBytes { try viaFEC.decode($0) }
                _ = try packet.withUnsafeBytes { try viaPLC.decode($0) }
            }
            let fecFrames = try packets[lost + 1].withUnsafeBytes { try viaFEC.recover(from: $0, frames: n) }
            let plcFrames = try viaPLC.conceal(frames: n)
            #expect(fecFrames == n && plcFrames == n)
            if error(Array(viaFEC.samples(frames: fecFrames))) < error(Array(viaPLC.samples(frames: plcFrames))) { fecWins += 1 }
            trials += 1
        }
        #expect(trials >= 5)
        #expect(Double(fecWins) >= 0.8 * Double(trials), "FEC closer than PLC in \(fecWins) of \(trials)")
    }

    @Test("a corrupt packet throws OPUS_INVALID_PACKET and the decoder goes on")
    func corruptPacket() throws {
        let opus = try Self.speechFile(fec: false)
        let packets = try OggPacketDemuxer(path: opus.path).packets
        let decoder = try OpusPacketDecoder(channels: 1)
        _ = try packets[0].withUnsafeBytes { try decoder.decode($0) }
        // TOC code 3 with a frame count of 0 is invalid.
        let garbage: [UInt8] = [0x03, 0x00, 0xFF, 0xFF]
        #expect(throws: OpusError.invalidPacket) { try garbage.withUnsafeBytes { try decoder.decode($0) } }
        #expect(throws: OpusError.invalidPacket) { try [UInt8]().withUnsafeBytes { try decoder.decode($0) } }
        #expect(try packets[1].withUnsafeBytes { try decoder.decode($0) } == 960)
    }

    @Test("decoded samples never exceed full scale")
    func outputIsClamped() throws {
        // A hard-clipped square at full scale makes the float decoder overshoot ±1.
        let dir = try Fixtures.temporaryDirectory("clip")
        let wav = dir.appendingPathComponent("square.wav")
        try ProcessRunner.require("sox", ["-V1", "-n", "-r", "48000", "-c", "1", "-b", "16", wav.path, "synth", "1", "square", "300"])
        let opus = dir.appendingPathComponent("square.opus")
        try Fixtures.opus(from: wav, to: opus, bitrateKbps: 64)
        let packets = try OggPacketDemuxer(path: opus.path).packets
        let decoder = try OpusPacketDecoder(channels: 1)
        var peak: Float = 0
        for packet in packets {
            let n = try packet.withUnsafeBytes { try decoder.decode($0) }
            for s in decoder.samples(frames: n) { peak = max(peak, abs(s)) }
        }
        #expect(peak <= 1)
        #expect(peak > 0.9)
    }
}

/// Reads a source to its end.
func readAll(_ source: any AudioSource) throws -> [Float] {
    var all: [Float] = []
    var buffer = [Float](repeating: 0, count: 960 * source.format.channels)
    while true {
        let frames = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
        if frames == 0 { break }
        all.append(contentsOf: buffer[0..<(frames * source.format.channels)])
    }
    return all
}
