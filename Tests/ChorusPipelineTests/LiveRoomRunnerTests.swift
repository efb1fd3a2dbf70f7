import Testing
import Foundation
import ChorusCore
import ChorusMedia
import ChorusTestSupport
import Chorus

/// The live pipeline in-process (so that `make tsan` checks its threads): a paced file participant
/// and a GStreamer RTP sender in one room.
@Suite("LiveRoomRunner pipeline", .serialized)
struct LiveRoomRunnerTests {
    @Test("a paced file and an RTP track: both connect, become active, speak, and leave in order", .timeLimit(.minutes(1)))
    func fileAndRTP() throws {
        let dir = try Fixtures.temporaryDirectory("liveroom")
        let fileWav = dir.appendingPathComponent("file.wav")
        try Fixtures.speech("The file participant speaks first.", voice: "en-us", leadSeconds: 0.2, tailSeconds: 0.3, to: fileWav)
        let fileOpus = dir.appendingPathComponent("file.opus")
        try Fixtures.opus(from: fileWav, to: fileOpus)
        let rtpWav = dir.appendingPathComponent("rtp.wav")
        try Fixtures.speech("Then the network.", voice: "flite:slt", leadSeconds: 0.5, tailSeconds: 0.2, to: rtpWav)

        let room = Room(name: "pipeline")
        var events: [RoomEvent] = []
        room.addObserver { events.append($0) }
        let runner = LiveRoomRunner(
            room: room, listeners: [.init(host: "127.0.0.1", port: 0, names: [4242: "net"])],
            participants: [.init(identity: "file", source: try OggOpusFileSource(path: fileOpus.path), paced: true)],
            workers: 1)
        runner.durationSeconds = 4.5
        try runner.start()
        let port = try #require(runner.ports.first)
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: "/bin/sh")
        sender.arguments = ["-c", "sleep 0.3; exec gst-launch-1.0 -q filesrc location=\(rtpWav.path) ! wavparse ! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 ! opusenc bitrate=32000 ! rtpopuspay pt=111 ssrc=4242 ! udpsink host=127.0.0.1 port=\(port)"]
        try sender.run()
        runner.run()
        sender.waitUntilExit()

        func has(_ predicate: (RoomEvent) -> Bool) -> Bool { events.contains(where: predicate) }
        for identity in ["file", "net"] {
            #expect(has { if case .participantActive(identity, _) = $0 { true } else { false } }, "\(identity) active")
            #expect(has { if case .participantDisconnected(identity, _) = $0 { true } else { false } }, "\(identity) left")
            #expect(has {
                if case .activeSpeakersChanged(let speakers, _) = $0 { speakers.contains { $0.identity == identity } } else { false }
            }, "\(identity) listed as speaking")
        }
        let times = events.map(\.time)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "events in media-time order")
        let stats = runner.statistics
        #expect(stats.count == 2)
        let net = try #require(stats.first { $0.identity == "net" })
        #expect(net.ssrc == 4242)
        #expect((net.jitter?.received ?? 0) > 50)
        #expect(stats.allSatisfy { $0.droppedFrames == 0 })
    }
}
