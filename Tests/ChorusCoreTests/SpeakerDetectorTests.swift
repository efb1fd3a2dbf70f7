import ChorusCore
import ChorusTestSupport
import Testing

/// The detector on a generated room of real synthesized speech (scripts/make-corpus.sh --small):
/// four talkers in turns with an overlap, one 14 dB quieter, alice and bob picking each other up
/// 20 dB down, a steady fan at −38 dBFS and keyboard clicks.
@Suite("SpeakerDetector")
struct SpeakerDetectorTests {
    static let seed = 3

    @Test("lists each talker during their turns, quickly, and nobody else")
    func conversation() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let events = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, GeneratedRoom.identities))
        #expect(Set(room.turns.map(\.identity)) == ["alice", "bob", "carol", "dave"])
        for turn in room.turns {
            let listed = PCMRoomDriver.listed(turn.identity, in: events)
            let first = try #require(listed.first { $0.to > turn.start - 0.3 && $0.from <= turn.end }, "\(turn) never listed")
            #expect(first.from - turn.start <= 0.2, "onset of \(turn) at \(first.from)")
            let from = turn.start + 0.5
            let covered = listed.reduce(0.0) { $0 + max(0, min($1.to, turn.end) - max($1.from, from)) }
            #expect(covered / (turn.end - from) >= 0.95, "coverage of \(turn)")
            let release = try #require(listed.first { $0.to >= turn.end - 0.3 })
            #expect(release.to - turn.end <= 0.8, "release of \(turn) at \(release.to)")
        }
        for identity in GeneratedRoom.identities {
            let turns = room.turns.filter { $0.identity == identity }
            for interval in PCMRoomDriver.listed(identity, in: events) {
                #expect(turns.contains { interval.from >= $0.start - 0.3 && interval.from <= $0.end + 1.0 },
                        "\(identity) listed \(interval) outside their turns")
            }
        }
        let times = events.map(\.time)
        #expect(times == times.sorted(), "events in media-time order")
    }

    @Test("the dominant speaker follows the turns: whoever talks alone for the last second of a turn")
    func dominantSpeaker() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let events = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, GeneratedRoom.identities))
        var dominant: [(time: Double, identity: String?)] = []
        for case .dominantSpeakerChanged(let identity, let time) in events { dominant.append((time.seconds, identity)) }
        var checked = 0
        for turn in room.turns {
            // Only turns whose last 1.2 s nobody else speaks in.
            let alone = !room.turns.contains { $0 != turn && $0.start < turn.end && $0.end > turn.end - 1.2 }
            guard alone, turn.end - turn.start > 1.5 else { continue }
            let current = dominant.last { $0.time <= turn.end }?.identity
            #expect(current == turn.identity, "dominant at the end of \(turn)")
            checked += 1
        }
        #expect(checked >= 3)
        #expect(dominant.count <= room.turns.count + 1, "no switching back and forth")
    }

    @Test("a steady fan at -38 dBFS alone is never speech")
    func fanAlone() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let events = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, ["fan"]))
        #expect(PCMRoomDriver.listed("fan", in: events).isEmpty)
        // The fan is well above the absolute speech minimum: only the adaptive floor rejects it.
        var fixedFloor = RoomConfiguration()
        fixedFloor.detector.voicedMarginDB = -200
        let unfloored = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, ["fan"]), configuration: fixedFloor)
        #expect(!PCMRoomDriver.listed("fan", in: unfloored).isEmpty, "without a floor the fan would be speech")
    }

    @Test("keyboard clicks alone are never speech")
    func keysAlone() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let events = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, ["keys"]))
        #expect(PCMRoomDriver.listed("keys", in: events).isEmpty)
        var noSpread = RoomConfiguration()
        noSpread.detector.onsetSpreadDB = 200
        noSpread.detector.onsetVoiced = .milliseconds(20)
        let loose = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, ["keys"]), configuration: noSpread)
        #expect(!PCMRoomDriver.listed("keys", in: loose).isEmpty, "a two-frame onset would take clicks for speech")
    }

    @Test("a neighbour's bleed 20 dB down is not speech; the bleed rule is what rejects it")
    func bleed() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let tracks = try PCMRoomDriver.tracks(room, ["alice", "bob"])
        func falselyListed(_ events: [RoomEvent]) -> Int {
            ["alice", "bob"].reduce(0) { count, identity in
                let turns = room.turns.filter { $0.identity == identity }
                return count + PCMRoomDriver.listed(identity, in: events).filter { interval in
                    !turns.contains { interval.from >= $0.start - 0.3 && interval.from <= $0.end + 1.0 }
                }.count
            }
        }
        #expect(falselyListed(PCMRoomDriver.run(tracks)) == 0)
        var noBleedRule = RoomConfiguration()
        noBleedRule.detector.bleedAttenuationDB = 200
        #expect(falselyListed(PCMRoomDriver.run(tracks, configuration: noBleedRule)) > 0)
    }

    @Test("the quiet talker, 14 dB below the others, is heard")
    func quietTalker() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let events = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, GeneratedRoom.identities))
        let turn = try #require(room.turns.first { $0.identity == "dave" })
        let listed = PCMRoomDriver.listed("dave", in: events)
        #expect(listed.contains { $0.from <= turn.start + 0.2 && $0.to >= turn.end })
    }

    @Test("two near-equal talkers at once do not swap places every frame")
    func orderHysteresis() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        // alice's and carol's first turns, played at the same time from 0.5 s.
        func turnAudio(_ identity: String) throws -> [Float] {
            let turn = try #require(room.turns.first { $0.identity == identity })
            let samples = try room.pcm(identity)
            return [Float](repeating: 0, count: 24_000) + samples[Int(turn.start * 48_000)..<Int(turn.end * 48_000)]
        }
        let tracks = [("x", try turnAudio("alice")), ("y", try turnAudio("carol"))]
        func reorders(_ configuration: RoomConfiguration) -> Int {
            var lists: [[String]] = []
            for case .activeSpeakersChanged(let speakers, _) in PCMRoomDriver.run(tracks, configuration: configuration) {
                lists.append(speakers.map(\.identity))
            }
            return zip(lists, lists.dropFirst()).filter { Set($0.0) == Set($0.1) && $0.0 != $0.1 }.count
        }
        let steady = reorders(RoomConfiguration())
        var jumpy = RoomConfiguration()
        jumpy.detector.rankingHysteresisDB = 0
        jumpy.detector.levelRelease = .milliseconds(10)
        jumpy.detector.levelAttack = .milliseconds(10)
        #expect(steady <= 2)
        #expect(reorders(jumpy) > steady + 5, "without hysteresis and smoothing the order flips with every syllable")
    }

    @Test("20 ms frames give the same turns as 10 ms frames")
    func twentyMillisecondFrames() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let events = PCMRoomDriver.run(try PCMRoomDriver.tracks(room, GeneratedRoom.identities), frameMilliseconds: 20)
        for turn in room.turns {
            let listed = PCMRoomDriver.listed(turn.identity, in: events)
            #expect(listed.contains { $0.from >= turn.start - 0.3 && $0.from <= turn.start + 0.2 }, "onset of \(turn)")
        }
        for identity in ["fan", "keys"] { #expect(PCMRoomDriver.listed(identity, in: events).isEmpty) }
    }

    @Test("participants with 20 ms frames in a room decided every 10 ms are heard like the others")
    func mixedFrameSizes() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let tracks = try PCMRoomDriver.tracks(room, GeneratedRoom.identities)
        let events = PCMRoomDriver.run(tracks, frameSizes: ["alice": 20, "carol": 20, "keys": 20])
        for turn in room.turns {
            let listed = PCMRoomDriver.listed(turn.identity, in: events)
            #expect(listed.contains { $0.from >= turn.start - 0.3 && $0.from <= turn.start + 0.2 }, "onset of \(turn): \(listed)")
            let from = turn.start + 0.5
            let covered = listed.reduce(0.0) { $0 + max(0, min($1.to, turn.end) - max($1.from, from)) }
            #expect(covered / (turn.end - from) >= 0.95, "coverage of \(turn)")
        }
        for identity in ["fan", "keys"] { #expect(PCMRoomDriver.listed(identity, in: events).isEmpty) }
    }

    @Test("the same input gives the same events")
    func deterministic() throws {
        let room = try GeneratedRoom.small(seed: Self.seed)
        let tracks = try PCMRoomDriver.tracks(room, GeneratedRoom.identities)
        #expect(PCMRoomDriver.run(tracks) == PCMRoomDriver.run(tracks))
    }
}
