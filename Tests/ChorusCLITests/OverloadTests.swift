import Testing
import Foundation
import ChorusTestSupport

/// More RTP tracks than one worker can decode in real time: Chorus must stay within bounded memory,
/// say it is overloaded (with counters), keep running, and say when it has recovered.
@Suite("Overload", .serialized)
struct OverloadTests {
    @Test("1500 tracks on one worker: pipeline_overloaded, bounded memory, then pipeline_recovered", .timeLimit(.minutes(1)))
    func overloadAndRecovery() throws {
        let dir = try Fixtures.temporaryDirectory("overload")
        let wav = dir.appendingPathComponent("talk.wav")
        try Fixtures.speech("Many tracks at once.", tailSeconds: 0.5, to: wav)
        let opus = dir.appendingPathComponent("talk.opus")
        try Fixtures.opus(from: wav, to: opus, extra: ["--framesize", "20"])
        let payloads = try OggPacketDemuxer(path: opus.path).packets

        let port = UDPDatagramSender.freePort()
        let chorus = Process()
        chorus.executableURL = URL(fileURLWithPath: Fixtures.chorusBinary)
        chorus.arguments = ["detect", "rtp://127.0.0.1:\(port)", "--format", "jsonl", "--workers", "1",
                            "--max-tracks", "3000", "--duration", "10", "--idle-timeout", "30"]
        let out = Pipe()
        chorus.standardOutput = out
        chorus.standardError = FileHandle.nullDevice
        try chorus.run()
        let reader = PipeReader(out.fileHandleForReading)
        usleep(300_000)

        // 3 s of 20 ms packets for 1500 SSRCs (75,000 packets/s), then silence.
        let sender = UDPDatagramSender(port: port)
        let tracks = 1500
        var peakRSS = 0
        let start = Date()
        var tick = 0
        while Date().timeIntervalSince(start) < 3 {
            let payload = payloads[tick % payloads.count]
            let seq = UInt16(truncatingIfNeeded: tick), ts = UInt32(truncatingIfNeeded: tick * 960)
            for ssrc in 1...tracks {
                sender.send([0x80, 111, UInt8(seq >> 8), UInt8(seq & 0xFF),
                             UInt8(ts >> 24), UInt8((ts >> 16) & 0xFF), UInt8((ts >> 8) & 0xFF), UInt8(ts & 0xFF),
                             0, 0, UInt8(ssrc >> 8), UInt8(ssrc & 0xFF)] + payload)
            }
            tick += 1
            peakRSS = max(peakRSS, Self.rss(chorus.processIdentifier))
            let due = start.addingTimeInterval(Double(tick) * 0.02)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { usleep(UInt32(wait * 1e6)) }
        }
        while chorus.isRunning {
            peakRSS = max(peakRSS, Self.rss(chorus.processIdentifier))
            usleep(200_000)
        }
        chorus.waitUntilExit()
        #expect(chorus.terminationStatus == 0)
        let lines = String(decoding: reader.wait(), as: UTF8.self).split(separator: "\n").map(String.init)
        let health = lines.filter { $0.contains("\"pipeline_") }
        #expect(health.first?.contains("pipeline_overloaded") == true, "\(health)")
        #expect(health.last?.contains("pipeline_recovered") == true, "recovers after the load stops: \(health)")
        let overload = try #require(health.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect((overload["dropped_packets"] as? Int ?? 0) > 0)
        // Bounded memory: about 160 KB of rings, jitter slots and decoder per track. Under `make
        // asan` (ASAN_OPTIONS set) redzones, shadow memory and the free quarantine add about half.
        let bound = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil ? 700 << 20 : 1050 << 20
        #expect(peakRSS > 0 && peakRSS < bound, "peak RSS \(peakRSS >> 20) MB, bound \(bound >> 20) MB")
        // Every track was seen and published: the pipeline kept working for all of them.
        #expect(lines.filter { $0.contains("\"track_published\"") }.count == tracks)
    }

    /// Resident set size of `pid` in bytes (0 if it is gone).
    static func rss(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }
}
