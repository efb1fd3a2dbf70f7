import ChorusCore
import ChorusTestSupport
import Testing

/// The room's lifecycle, scoping, ordering and streams, driven with frames of real speech.
@Suite("Room")
struct RoomTests {
    /// 10 ms frames of alice's microphone from 300 ms before her first turn to its end (real
    /// synthesized speech after 300 ms of the microphone's own noise), as level sums.
    ///
    /// The lead-in matters: the noise floor is learned from the first 100 ms, so a stream whose very
    /// first frame is speech is only detected at its first pause (a documented limitation).
    static func speechFrames() throws -> [BlockMeasure] {
        let room = try GeneratedRoom.small(seed: SpeakerDetectorTests.seed)
        let turn = try #require(room.turns.first { $0.identity == "alice" })
        let samples = try room.pcm("alice")
        let first = Int(turn.start * 100) - 30
        let last = Int(turn.end * 100)
        return (first..<last).map { frame in
            samples[(frame * 480)..<((frame + 1) * 480)].withUnsafeBufferPointer { LevelKernel.measure($0) }
        }
    }

    static let tenMs = MediaTime.milliseconds(10)

    /// Feeds `frames` to `identity` from `start`, one 10 ms period each, advancing the room.
    static func feed(_ room: Room, _ identity: String, _ frames: [BlockMeasure], from start: MediaTime) {
        for (index, measure) in frames.enumerated() {
            let time = start + MediaTime(ticks: Int64(index) * 480)
            room.observe(identity: identity, measure: measure, duration: tenMs, at: time)
            room.advance(to: time + tenMs)
        }
    }

    @Test("publish connects, first media makes active, ending the last track disconnects")
    func lifecycle() throws {
        let frames = try Self.speechFrames()
        let room = Room()
        var events: [RoomEvent] = []
        room.addObserver { events.append($0) }
        let track = room.publishTrack(identity: "alice", at: .milliseconds(100))
        #expect(events == [
            .participantConnected(identity: "alice", time: .milliseconds(100)),
            .trackPublished(identity: "alice", track: track, time: .milliseconds(100)),
        ])
        #expect(room.participant(identity: "alice")?.state == .joining)
        events.removeAll()
        Self.feed(room, "alice", frames, from: .milliseconds(500))
        #expect(events.first == .participantActive(identity: "alice", time: .milliseconds(500)))
        #expect(room.participant(identity: "alice")?.state == .active)
        // The frames start 300 ms before the turn, so speech starts at 0.8 s.
        let onset = try #require(events.first { if case .isSpeakingChanged = $0 { true } else { false } })
        #expect(onset.identity == "alice" && onset.time > .milliseconds(800) && onset.time <= .milliseconds(1000), "\(onset)")
        #expect(onset == .isSpeakingChanged(identity: "alice", speaking: true, time: onset.time))
        #expect(room.participant(identity: "alice")?.isSpeaking == true)
        events.removeAll()
        let end = MediaTime.milliseconds(500) + MediaTime(ticks: Int64(frames.count) * 480)
        room.endTrack(identity: "alice", at: end)
        // Speaking stops first, then the track goes, then the participant.
        #expect(events == [
            .isSpeakingChanged(identity: "alice", speaking: false, time: end),
            .activeSpeakersChanged(speakers: [], time: end),
            .dominantSpeakerChanged(identity: nil, time: end),
            .trackUnpublished(identity: "alice", track: track, time: end),
            .participantDisconnected(identity: "alice", time: end),
        ])
        #expect(room.participants.isEmpty)
    }

    @Test("no media within the media timeout aborts the participant, LiveKit's 60 s by default")
    func mediaTimeout() {
        let room = Room()
        var events: [RoomEvent] = []
        room.addObserver { events.append($0) }
        let track = room.publishTrack(identity: "bob", at: .seconds(1))
        events.removeAll()
        room.advance(to: .seconds(60.99))
        #expect(events.isEmpty)
        #expect(room.participant(identity: "bob")?.state == .joining)
        room.advance(to: .seconds(61))
        #expect(events == [
            .participantConnectionAborted(identity: "bob", time: .seconds(61)),
            .trackUnpublished(identity: "bob", track: track, time: .seconds(61)),
            .participantDisconnected(identity: "bob", time: .seconds(61)),
        ])
        var short = RoomConfiguration()
        short.mediaTimeout = .seconds(5)
        let quick = Room(configuration: short)
        var aborted: MediaTime?
        quick.addObserver { if case .participantConnectionAborted(_, let time) = $0 { aborted = time } }
        quick.publishTrack(identity: "bob", at: .zero)
        for step in 1...100 { quick.advance(to: .milliseconds(step * 100)) }
        #expect(aborted == .seconds(5))
    }

    @Test("a track that stops sending media is unpublished after the idle timeout")
    func idleTrack() throws {
        let frames = try Self.speechFrames()
        var configuration = RoomConfiguration()
        configuration.trackIdleTimeout = .seconds(2)
        let room = Room(configuration: configuration)
        var events: [RoomEvent] = []
        room.addObserver { events.append($0) }
        room.publishTrack(identity: "carol", at: .zero)
        Self.feed(room, "carol", Array(frames.prefix(50)), from: .zero)
        let lastMedia = MediaTime.milliseconds(500)
        room.advance(to: lastMedia + .milliseconds(1990))
        #expect(!events.contains { if case .trackUnpublished = $0 { true } else { false } })
        room.advance(to: lastMedia + .seconds(2))
        #expect(events.suffix(2).map(\.identity) == ["carol", "carol"])
        #expect(events.last == .participantDisconnected(identity: "carol", time: lastMedia + .seconds(2)))
    }

    @Test("ending one of two tracks unpublishes it; the participant stays until the last")
    func twoTracks() {
        let room = Room()
        var events: [RoomEvent] = []
        room.addObserver { events.append($0) }
        let first = room.publishTrack(identity: "dave", at: .zero)
        let second = room.publishTrack(identity: "dave", at: .zero)
        #expect(first.sid != second.sid)
        events.removeAll()
        room.endTrack(identity: "dave", sid: first.sid, at: .seconds(1))
        #expect(events == [.trackUnpublished(identity: "dave", track: first, time: .seconds(1))])
        #expect(room.participant(identity: "dave")?.tracks == [second])
        room.endTrack(identity: "dave", at: .seconds(2))
        #expect(events.suffix(2) == [
            .trackUnpublished(identity: "dave", track: second, time: .seconds(2)),
            .participantDisconnected(identity: "dave", time: .seconds(2)),
        ])
    }

    @Test("a participant that left and comes back connects again with a new track sid; a closed room ignores input")
    func rejoinAndClose() throws {
        let frames = try Self.speechFrames()
        let room = Room()
        var events: [RoomEvent] = []
        room.addObserver { events.append($0) }
        let first = room.publishTrack(identity: "erin", at: .zero)
        room.endTrack(identity: "erin", at: .seconds(1))
        events.removeAll()
        // Media from an identity that left is a new stream: it connects, publishes and is active.
        room.observe(identity: "erin", measure: frames[0], duration: Self.tenMs, at: .seconds(2))
        let second = try #require(room.participant(identity: "erin")?.tracks.first)
        #expect(second.sid != first.sid)
        #expect(events == [
            .participantConnected(identity: "erin", time: .seconds(2)),
            .trackPublished(identity: "erin", track: second, time: .seconds(2)),
            .participantActive(identity: "erin", time: .seconds(2)),
        ])
        room.close(at: .seconds(3))
        let closedCount = events.count
        room.publishTrack(identity: "frank", at: .seconds(4))
        room.observe(identity: "frank", measure: frames[0], duration: Self.tenMs, at: .seconds(4))
        room.advance(to: .seconds(100))
        #expect(events.count == closedCount)
        #expect(room.participants.isEmpty)
    }

    @Test("track sids are TR_ plus 12 characters, the same for the same identity and sequence")
    func trackSids() {
        let sid = TrackInfo.sid(identity: "alice", sequence: 0)
        #expect(sid.hasPrefix("TR_") && sid.count == 15)
        #expect(sid == TrackInfo.sid(identity: "alice", sequence: 0))
        #expect(sid != TrackInfo.sid(identity: "alice", sequence: 1))
        #expect(sid != TrackInfo.sid(identity: "alicf", sequence: 0))
        #expect(Room().publishTrack(identity: "alice", at: .zero).sid == sid)
    }

    @Test("a participant-scoped observer sees exactly that participant's track, speaking and active events")
    func participantScope() throws {
        let room = try GeneratedRoom.small(seed: SpeakerDetectorTests.seed)
        let tracks = try PCMRoomDriver.tracks(room, ["alice", "bob", "carol"])
        let all = PCMRoomDriver.run(tracks)
        var scoped: [ParticipantEvent] = []
        let live = Room()
        live.addObserver(for: "bob") { scoped.append($0) }
        var roomEvents: [RoomEvent] = []
        live.addObserver { roomEvents.append($0) }
        for (identity, _) in tracks { live.publishTrack(identity: identity, at: .zero) }
        let length = tracks.map(\.1.count).max()!
        var position = 0
        while position < length {
            for (identity, samples) in tracks where position + 480 <= samples.count {
                let measure = samples[position..<(position + 480)].withUnsafeBufferPointer { LevelKernel.measure($0) }
                live.observe(identity: identity, measure: measure, duration: Self.tenMs, at: MediaTime(ticks: Int64(position)))
            }
            position += 480
            live.advance(to: MediaTime(ticks: Int64(position)))
        }
        #expect(roomEvents == Array(all.prefix(roomEvents.count)), "the same room events as the driver")
        let expected = roomEvents.filter { $0.identity == "bob" }.compactMap { $0.participantEvent(for: "bob") }
        #expect(scoped == expected)
        #expect(scoped.contains { if case .isSpeakingChanged(true, _) = $0 { true } else { false } })
        #expect(scoped.first == .trackPublished(track: TrackInfo(sid: TrackInfo.sid(identity: "bob", sequence: 0)), time: .zero))
        #expect(roomEvents.contains { $0.identity == "alice" })
    }

    @Test("within a frame: isSpeakingChanged, then activeSpeakersChanged, then dominantSpeakerChanged")
    func ordering() throws {
        let room = try GeneratedRoom.small(seed: SpeakerDetectorTests.seed)
        let events = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, GeneratedRoom.identities))
        func rank(_ event: RoomEvent) -> Int {
            switch event {
            case .isSpeakingChanged: return 0
            case .activeSpeakersChanged: return 1
            case .dominantSpeakerChanged: return 2
            default: return -1
            }
        }
        var byTime: [MediaTime: [Int]] = [:]
        for event in events where rank(event) >= 0 { byTime[event.time, default: []].append(rank(event)) }
        for (time, ranks) in byTime { #expect(ranks == ranks.sorted(), "order at \(time)") }
        // Every speaking edge is mirrored by the list: a participant is listed exactly while speaking.
        var speaking: Set<String> = []
        for event in events {
            switch event {
            case .isSpeakingChanged(let identity, let isSpeaking, _):
                if isSpeaking { speaking.insert(identity) } else { speaking.remove(identity) }
            case .activeSpeakersChanged(let speakers, let time):
                #expect(Set(speakers.map(\.identity)) == speaking, "list at \(time)")
                #expect(speakers.allSatisfy { $0.level > 0 && $0.level <= 1 })
            default: break
            }
        }
    }

    @Test("a stream delivers events in order and reports drops once the consumer catches up")
    func streamOverflow() async throws {
        let room = Room()
        let stream = room.events(bufferLimit: 4)
        for index in 0..<10 { room.publishTrack(identity: "p\(index)", at: .milliseconds(index)) }
        // 20 events published, 4 buffered: 16 dropped and counted.
        #expect(stream.droppedCount == 16)
        var iterator = stream.makeAsyncIterator()
        var received: [RoomEvent] = []
        for _ in 0..<4 { received.append(try #require(await iterator.next())) }
        #expect(received.map(\.identity) == ["p0", "p0", "p1", "p1"])
        room.close(at: .seconds(1))
        var rest: [RoomEvent] = []
        while let event = await iterator.next() { rest.append(event) }
        #expect(rest.first == .eventsDropped(count: 16, time: .seconds(1)))
        #expect(rest.count == 4, "the notice and three of the close's events fit the buffer")
        #expect(stream.droppedCount == 16 + 20 - 3)
    }

    @Test("a participant-scoped stream sees only that participant")
    func scopedStream() async {
        let room = Room()
        let stream = room.events().participantEvents(for: "bob")
        room.publishTrack(identity: "alice", at: .zero)
        let track = room.publishTrack(identity: "bob", at: .milliseconds(5))
        room.endTrack(identity: "alice", at: .seconds(1))
        room.close(at: .seconds(2))
        var got: [ParticipantEvent] = []
        for await event in stream { got.append(event) }
        #expect(got == [.trackPublished(track: track, time: .milliseconds(5)), .trackUnpublished(track: track, time: .seconds(2))])
    }
}
