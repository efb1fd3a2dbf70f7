import Chorus
import ChorusCore
import ChorusMedia
import ChorusTestSupport
import Testing

/// The offline room driver over Ogg Opus files of a generated room.
@Suite("FileRoomRunner")
struct FileRoomRunnerTests {
    static func run(_ room: GeneratedRoom, frameMilliseconds: Int = 10) throws -> (events: [RoomEvent], runner: FileRoomRunner) {
        let participants = try GeneratedRoom.identities.map {
            FileRoomRunner.Participant(identity: $0, source: try OggOpusFileSource(path: room.opusPath($0)))
        }
        let runner = FileRoomRunner(participants: participants, frameMilliseconds: frameMilliseconds)
        var events: [RoomEvent] = []
        runner.room.addObserver { events.append($0) }
        runner.run()
        return (events, runner)
    }

    @Test("decoded files give the scheduled speakers, and every participant comes and goes once")
    func opusRoom() throws {
        let room = try GeneratedRoom.small(seed: 5)
        let (events, runner) = try Self.run(room)
        #expect(runner.errors.isEmpty)
        #expect(runner.isFinished)
        for identity in GeneratedRoom.identities {
            let own = events.filter { $0.identity == identity }
            let names = own.compactMap { event -> String? in
                switch event {
                case .participantConnected: return "connected"
                case .trackPublished: return "published"
                case .participantActive: return "active"
                case .trackUnpublished: return "unpublished"
                case .participantDisconnected: return "disconnected"
                default: return nil
                }
            }
            #expect(names == ["connected", "published", "active", "unpublished", "disconnected"], "\(identity)")
        }
        // The last event of each track is at the file's length (the schedule ends 1.5 s before it).
        let end = try #require(events.last).time.seconds
        #expect(abs(end - (room.turns.map(\.end).max()! + 1.5)) < 0.02)
        for turn in room.turns {
            var listedAt: Double?
            for case .activeSpeakersChanged(let speakers, let time) in events
            where time.seconds >= turn.start - 0.3 && speakers.contains(where: { $0.identity == turn.identity }) {
                listedAt = time.seconds
                break
            }
            let onset = try #require(listedAt, "\(turn) never listed")
            #expect(onset - turn.start <= 0.2, "\(turn) listed at \(onset)")
        }
        for case .activeSpeakersChanged(let speakers, _) in events {
            #expect(!speakers.contains { $0.identity == "fan" || $0.identity == "keys" })
        }
    }

    @Test("two runs over the same files give the same events")
    func deterministic() throws {
        let room = try GeneratedRoom.small(seed: 5)
        #expect(try Self.run(room).events == Self.run(room).events)
    }
}
