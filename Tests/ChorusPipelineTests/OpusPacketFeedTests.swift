import Testing
import Foundation
import ChorusCore
import ChorusMedia
import ChorusTestSupport
import Chorus

/// A host application pushing Opus packets into Chorus from its own thread.
@Suite("OpusPacketFeed pipeline")
struct OpusPacketFeedTests {
    @Test("packets pushed from a host thread decode to what libopusfile decodes, and the room hears them")
    func hostPushesPackets() throws {
        let dir = try Fixtures.temporaryDirectory("feed")
        let wav = dir.appendingPathComponent("host.wav")
        try Fixtures.speech("Packets from the host application.", leadSeconds: 0.4, tailSeconds: 0.4, to: wav)
        let opus = dir.appendingPathComponent("host.opus")
        try Fixtures.opus(from: wav, to: opus, extra: ["--framesize", "20"])
        let demuxer = try OggPacketDemuxer(path: opus.path)

        let feed = try OpusPacketFeed(name: "host", capacity: 64)
        let packets = demuxer.packets
        let pusher = Thread {
            for packet in packets {
                while !packet.withUnsafeBytes({ feed.push($0) }) { usleep(500) }  // the host may retry when full
            }
            feed.finish()
        }
        pusher.start()

        let room = Room(name: "feed")
        var speaking = false
        room.addObserver { if case .isSpeakingChanged("host", true, _) = $0 { speaking = true } }
        // Read through a room runner, keeping the samples to compare.
        var decoded: [Float] = []
        let recorder = RecordingSource(feed) { decoded.append(contentsOf: $0) }
        FileRoomRunner(participants: [.init(identity: "host", source: recorder)], room: room).run()
        pusher.cancel()
        #expect(speaking)
        let reference = try OggOpusFileSource(path: opus.path)
        var truth: [Float] = []
        var buffer = [Float](repeating: 0, count: 960)
        while case let n = try buffer.withUnsafeMutableBufferPointer({ try reference.read(into: $0) }), n > 0 { truth += buffer[0..<n] }
        // The feed has no pre-skip (that is the container's business): align by it.
        let ours = Array(decoded.dropFirst(demuxer.preSkip).prefix(truth.count))
        #expect(ours.count == truth.count)
        #expect(zip(ours, truth).map { abs($0 - $1) }.max() ?? 1 < 1e-6)
        #expect(feed.corrupt == 0)
    }

    @Test("a corrupt packet and a declared loss are concealed, counted, and keep media time")
    func lossAndCorruption() throws {
        let dir = try Fixtures.temporaryDirectory("feedloss")
        let wav = dir.appendingPathComponent("x.wav")
        try Fixtures.speech("Loss and corruption.", to: wav)
        let opus = dir.appendingPathComponent("x.opus")
        try Fixtures.opus(from: wav, to: opus, extra: ["--framesize", "20"])
        let packets = try OggPacketDemuxer(path: opus.path).packets
        let feed = try OpusPacketFeed(capacity: 1024)
        for (index, packet) in packets.enumerated() {
            if index == 10 { #expect(feed.pushLoss(frames: 960)); continue }
            if index == 20 { #expect([UInt8]([0x03, 0x00, 0xFF]).withUnsafeBytes { feed.push($0) }); continue }
            #expect(packet.withUnsafeBytes { feed.push($0) })
        }
        feed.finish()
        var total = 0
        var buffer = [Float](repeating: 0, count: 480)
        while case let n = try buffer.withUnsafeMutableBufferPointer({ try feed.read(into: $0) }), n > 0 { total += n }
        #expect(total == packets.count * 960)
        #expect(feed.corrupt == 1)
        #expect(feed.diagnostics.silencedFrames == 960)
    }
}

/// Passes a source through, handing every sample read to `sink`.
final class RecordingSource: AudioSource {
    let inner: any AudioSource
    let sink: ([Float]) -> Void
    init(_ inner: any AudioSource, sink: @escaping ([Float]) -> Void) {
        self.inner = inner
        self.sink = sink
    }
    var format: AudioFormat { self.inner.format }
    var name: String { self.inner.name }
    var diagnostics: SourceDiagnostics { self.inner.diagnostics }
    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(MediaError) -> Int {
        let n = try self.inner.read(into: buffer)
        self.sink(Array(buffer[0..<(n * self.format.channels)]))
        return n
    }
}
