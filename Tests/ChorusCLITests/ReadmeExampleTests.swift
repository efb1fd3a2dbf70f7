import Testing
import Foundation
import Chorus
import ChorusCore
import ChorusMedia
import ChorusTestSupport

// The two library examples of README.md, verbatim. `readmeHasTheseExamples` checks that README.md
// still contains every line of them, so the README cannot drift from code that compiles and runs.

/// Who speaks when in a room of Ogg Opus files: the room's events as JSON lines.
func speakerEvents(files: [(identity: String, path: String)]) throws -> [String] {
    let room = Room(name: "standup")
    var lines: [String] = []
    room.addObserver { event in lines.append(event.jsonLine) }   // synchronous, in order, on the room's thread
    let participants = try files.map { file in
        ParticipantSource(identity: file.identity, source: try OggOpusFileSource(path: file.path))
    }
    FileRoomRunner(participants: participants, room: room).run()  // as fast as the machine allows
    return lines
}

/// A live room: RTP on `port` plus Opus packets the host pushes into `feed`, until `stop()`.
func liveRoom(port: Int, feed: OpusPacketFeed) throws -> (LiveRoomRunner, RoomEventStream) {
    let room = Room(name: "live")
    let events = room.events()                                // an AsyncSequence, bounded, overflow counted
    let runner = LiveRoomRunner(room: room,
        listeners: [.init(host: "127.0.0.1", port: port, names: [1234: "alice"])],
        participants: [.init(identity: "caller", source: feed, paced: false)])
    try runner.start()                                        // then runner.run() on the room's thread
    return (runner, events)                                   // on your network thread: feed.push(packet)
}

@Suite("README examples")
struct ReadmeExampleTests {
    @Test("README.md contains the examples of this file, line for line")
    func readmeHasTheseExamples() throws {
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let start = try #require(source.range(of: "/// Who speaks when in a room"))
        let end = try #require(source.range(of: "@Suite(\"README examples\")"))
        let lines = source[start.lowerBound..<end.lowerBound].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let readmeLines = Set(readme.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for line in lines where !line.isEmpty {
            #expect(readmeLines.contains(line), "README.md lacks: \(line)")
        }
    }

    @Test("the file example runs and reports who spoke")
    func fileExampleRuns() throws {
        let dir = try Fixtures.temporaryDirectory("readme")
        let wav = dir.appendingPathComponent("alice.wav")
        try Fixtures.speech("The README example runs.", leadSeconds: 0.3, to: wav)
        let opus = dir.appendingPathComponent("alice.opus")
        try Fixtures.opus(from: wav, to: opus)
        let lines = try speakerEvents(files: [("alice", opus.path)])
        #expect(lines.contains { $0.contains("\"active_speakers_changed\"") && $0.contains("alice") })
    }

    @Test("the live example starts a room that hears pushed packets")
    func liveExampleRuns() async throws {
        let dir = try Fixtures.temporaryDirectory("readme-live")
        let wav = dir.appendingPathComponent("caller.wav")
        try Fixtures.speech("Packets from the caller.", leadSeconds: 0.2, to: wav)
        let opus = dir.appendingPathComponent("caller.opus")
        try Fixtures.opus(from: wav, to: opus, extra: ["--framesize", "20"])
        let feed = try OpusPacketFeed(name: "agent-input")
        for packet in try OggPacketDemuxer(path: opus.path).packets { #expect(packet.withUnsafeBytes { feed.push($0) }) }
        feed.finish()
        let (runner, events) = try liveRoom(port: 0, feed: feed)
        runner.durationSeconds = 3
        // The room's thread is a thread of its own, as in an application; this task reads the stream,
        // which ends when the room closes.
        Thread.detachNewThread { runner.run() }
        var heard = false
        for await event in events {
            if case .isSpeakingChanged("caller", true, _) = event { heard = true }
        }
        #expect(heard)
    }
}
