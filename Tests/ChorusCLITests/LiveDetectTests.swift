import Testing
import Foundation
import ChorusTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `chorus detect rtp://…` fed by real RTP senders: GStreamer encoding synthesized speech with
/// `opusenc ! rtpopuspay ! udpsink host=127.0.0.1`, paced in real time.
@Suite("chorus detect rtp://", .serialized)
struct LiveDetectTests {
    /// Two turns: alice speaks first, bob after her, each on a track 5 s long.
    static func turns() throws -> (alice: URL, bob: URL) {
        let dir = try Fixtures.temporaryDirectory("live")
        let alice = dir.appendingPathComponent("alice.wav")
        let bob = dir.appendingPathComponent("bob.wav")
        try Fixtures.speech("Alice opens the meeting today.", voice: "en-us", leadSeconds: 0.3, tailSeconds: 5, to: alice)
        try Fixtures.speech("Bob answers her.", voice: "flite:slt", leadSeconds: 2.8, tailSeconds: 5, to: bob)
        for file in [alice, bob] {
            let trimmed = file.deletingPathExtension().appendingPathExtension("5s.wav")
            try ProcessRunner.require("sox", ["-V1", file.path, trimmed.path, "trim", "0", "5"])
            try FileManager.default.removeItem(at: file)
            try FileManager.default.moveItem(at: trimmed, to: file)
        }
        return (alice, bob)
    }

    /// GStreamer sending `wav` as RTP/Opus in real time; `beforeEncoder` and `afterPayloader` add elements.
    static func sender(_ wav: URL, ssrc: Int, port: Int, extra afterPayloader: String = "", beforeEncoder: String = "",
                       encoder: String = "opusenc bitrate=32000 audio-type=voice inband-fec=true packet-loss-percentage=10") throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec gst-launch-1.0 -q filesrc location=\(wav.path) ! wavparse ! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 \(beforeEncoder) ! \(encoder) ! rtpopuspay pt=111 ssrc=\(ssrc) \(afterPayloader) ! udpsink host=127.0.0.1 port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func events(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// Runs chorus detect (or another command) on a fresh port with `senders` started once it listens.
    static func detect(_ arguments: [String], command: String = "detect", senders: (Int) throws -> [Process]) throws -> ProcessResult {
        let port = UDPDatagramSender.freePort()
        let chorus = Process()
        chorus.executableURL = URL(fileURLWithPath: Fixtures.chorusBinary)
        chorus.arguments = [command, "rtp://127.0.0.1:\(port)", "--format", "jsonl"] + arguments
        let out = Pipe(), err = Pipe()
        chorus.standardOutput = out
        chorus.standardError = err
        try chorus.run()
        usleep(300_000)
        let running = try senders(port)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        chorus.waitUntilExit()
        for sender in running { sender.waitUntilExit() }
        return ProcessResult(status: chorus.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                             stderr: String(decoding: errors, as: UTF8.self))
    }

    @Test("two RTP speakers become two participants, each listed while speaking, in turn", .timeLimit(.minutes(1)))
    func twoSpeakers() throws {
        let (alice, bob) = try Self.turns()
        let recordings = try Fixtures.temporaryDirectory("live-record")
        let result = try Self.detect(["--name", "1111=alice", "--duration", "6.5", "--idle-timeout", "0.5", "--stats",
                                      "--record", recordings.path]) { port in
            [try Self.sender(alice, ssrc: 1111, port: port), try Self.sender(bob, ssrc: 2222, port: port)]
        }
        #expect(result.status == 0, "\(result.stderr)")
        let events = try Self.events(result.stdout)
        func first(_ name: String, _ identity: String) -> Double? {
            events.first { $0["event"] as? String == name && $0["identity"] as? String == identity }?["time"] as? Double
        }
        for identity in ["alice", "ssrc-2222"] {
            #expect(first("participant_connected", identity) != nil, "\(identity) connected")
            #expect(first("participant_active", identity) != nil, "\(identity) active")
            #expect(first("track_unpublished", identity) != nil, "\(identity) idle track unpublished")
        }
        // Who spoke first: the first time each appears in an active_speakers_changed list.
        func firstListed(_ identity: String) -> Double? {
            events.first {
                $0["event"] as? String == "active_speakers_changed"
                    && (($0["speakers"] as? [[String: Any]]) ?? []).contains { $0["identity"] as? String == identity }
            }?["time"] as? Double
        }
        let aliceAt = try #require(firstListed("alice"))
        let bobAt = try #require(firstListed("ssrc-2222"))
        #expect(aliceAt < bobAt)
        #expect(bobAt - aliceAt > 1.5, "bob starts about 2.5 s after alice: \(aliceAt) vs \(bobAt)")
        // --record wrote each RTP participant's decoded audio: about the 5 s each sender sent.
        for name in ["alice", "ssrc-2222"] {
            let wav = recordings.appendingPathComponent("\(name).wav")
            let size = (try? FileManager.default.attributesOfItem(atPath: wav.path)[.size] as? Int) ?? 0
            let seconds = Double(size - 44) / 96_000
            #expect(abs(seconds - 5) < 0.2, "\(name).wav holds \(seconds) s")
        }
        // The listener is an ingress: started first, ended (stopped) last.
        let ingress = events.filter { ($0["event"] as? String ?? "").hasPrefix("ingress_") }
        #expect(ingress.map { $0["event"] as? String } == ["ingress_started", "ingress_ended"])
        #expect(ingress.last?["reason"] as? String == "stopped")
        // Media time order: event times never go back.
        let times = events.compactMap { $0["time"] as? Double }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 })
        // Counters: every packet of a clean loopback stream arrived.
        let stats = events.filter { $0["event"] as? String == "track_stats" }
        #expect(stats.count == 2)
        for track in stats {
            #expect((track["received"] as? Int ?? 0) >= 240, "\(track)")
            #expect(track["lost"] as? Int == 0)
        }
    }

    @Test("under netsim loss, duplicates and reordering nothing crashes and the counters add up", .timeLimit(.minutes(1)))
    func impairedNetwork() throws {
        let (alice, _) = try Self.turns()
        let netsim = "! netsim drop-probability=0.08 duplicate-probability=0.05 delay-probability=0.1 min-delay=10 max-delay=50 allow-reordering=true"
        let result = try Self.detect(["--duration", "6", "--stats"]) { port in
            [try Self.sender(alice, ssrc: 77, port: port, extra: netsim)]
        }
        #expect(result.status == 0, "\(result.stderr)")
        let events = try Self.events(result.stdout)
        let stats = try #require(events.first { $0["event"] as? String == "track_stats" })
        let received = stats["received"] as? Int ?? 0, lost = stats["lost"] as? Int ?? 0
        #expect(lost > 0, "\(stats)")
        #expect(stats["duplicates"] as? Int ?? 0 > 0, "\(stats)")
        #expect(abs(received + lost - 250) <= 5, "received + lost ≈ 250 packets sent: \(stats)")
        #expect((stats["recovered_fec"] as? Int ?? 0) + (stats["concealed"] as? Int ?? 0) > 0)
        #expect(events.contains {
            $0["event"] as? String == "active_speakers_changed" && !(($0["speakers"] as? [Any]) ?? []).isEmpty
        }, "speech is still detected through 8 % loss")
    }

    @Test("garbage datagrams and an SSRC flood beyond --max-tracks are refused and counted", .timeLimit(.minutes(1)))
    func garbageAndFlood() throws {
        let result = try Self.detect(["--duration", "1.5", "--max-tracks", "3", "--stats"]) { port in
            let sender = UDPDatagramSender(port: port)
            var state: UInt64 = 42
            for i in 0..<500 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let length = Int(state >> 54) % 200
                var bytes = (0..<length).map { j in UInt8(truncatingIfNeeded: (state >> UInt64(j % 56)) &+ UInt64(j)) }
                if i % 2 == 0 && length >= 12 {
                    // Valid-looking RTP headers from 10 SSRCs, with garbage Opus payloads.
                    bytes[0] = 0x80; bytes[1] = 111
                    bytes[8] = 0; bytes[9] = 0; bytes[10] = 0; bytes[11] = UInt8(i % 10)
                }
                sender.send(bytes)
            }
            return []
        }
        #expect(result.status == 0, "\(result.stderr)")
        let events = try Self.events(result.stdout)
        let ingest = try #require(events.first { $0["event"] as? String == "ingest_stats" })
        #expect(ingest["datagrams"] as? Int == 500)
        #expect((ingest["malformed"] as? Int ?? 0) > 100)
        #expect(ingest["tracks"] as? Int == 3)
        #expect((ingest["refused_tracks"] as? Int ?? 0) >= 7)
    }

    @Test("chorus levels rtp:// prints windows per SSRC, loud while the speaker talks", .timeLimit(.minutes(1)))
    func levelsOverRTP() throws {
        let (alice, _) = try Self.turns()
        let result = try Self.detect(["--name", "5=alice", "--interval", "500", "--duration", "5.5"], command: "levels") { port in
            [try Self.sender(alice, ssrc: 5, port: port)]
        }
        #expect(result.status == 0, "\(result.stderr)")
        let windows = try Self.events(result.stdout)
        #expect(windows.count >= 8)
        #expect(windows.allSatisfy { $0["event"] as? String == "levels" && $0["identity"] as? String == "alice" })
        let times = windows.compactMap { $0["time"] as? Double }
        #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - 0.5) < 1e-9 }, "consecutive 500 ms windows: \(times)")
        let loud = windows.filter { ($0["rms_dbfs"] as? Double ?? -127) > -40 }.count
        let quiet = windows.filter { ($0["rms_dbfs"] as? Double ?? 0) < -60 }.count
        #expect(loud >= 2 && quiet >= 3, "speech then silence: \(windows.map { $0["rms_dbfs"]! })")
    }

    @Test("--levels-from header follows speakers from RFC 6464 header levels without decoding", .timeLimit(.minutes(1)))
    func headerLevels() throws {
        let (alice, bob) = try Self.turns()
        let caps = #"'application/x-rtp,extmap-1=(string)<"",urn:ietf:params:rtp-hdrext:ssrc-audio-level,"vad=on">'"#
        func withLevels(_ wav: URL, ssrc: Int, port: Int) throws -> Process {
            try Self.sender(wav, ssrc: ssrc, port: port, extra: "! \(caps)", beforeEncoder: "! level audio-level-meta=true",
                            encoder: "opusenc bitrate=32000")
        }
        let result = try Self.detect(["--levels-from", "header", "--duration", "6", "--stats"]) { port in
            // Alice's packets carry the level; Bob's (plain sender) do not, so he reads as silence.
            [try withLevels(alice, ssrc: 10, port: port), try Self.sender(bob, ssrc: 20, port: port)]
        }
        #expect(result.status == 0, "\(result.stderr)")
        let events = try Self.events(result.stdout)
        let listed = Set(events.filter { $0["event"] as? String == "active_speakers_changed" }
            .flatMap { (($0["speakers"] as? [[String: Any]]) ?? []).compactMap { $0["identity"] as? String } })
        #expect(listed == ["ssrc-10"], "only the sender with header levels can be heard: \(listed)")
        let stats = events.filter { $0["event"] as? String == "track_stats" }
        #expect(stats.count == 2)
        #expect(stats.allSatisfy { ($0["received"] as? Int ?? 0) >= 240 })
    }
}
