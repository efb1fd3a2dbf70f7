import Testing
import Foundation
import Chorus
import ChorusALSA
import ChorusMedia
import ChorusTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Capture through real ALSA with no sound card: the `file` PCM plugin with `infile` plays a raw
/// file of synthesized speech into the capture stream. The plugin is not paced, so every check
/// uses media time from sample counts.
@Suite("ALSA capture")
struct ALSACaptureTests {
    /// 3 s of speech as raw s16le 48 kHz mono, and an ALSA configuration naming it `chorus_mic`.
    struct Microphone {
        var raw: URL
        var frames: Int
        var configFile: URL
        /// The same PCM, self-contained (inline null slave) for `snd_pcm_open_lconf`.
        var hermeticConfig: String
        var environment: [String: String] {
            ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(self.configFile.path)"]
        }

        init() throws {
            let dir = try Fixtures.temporaryDirectory("alsa")
            let wav = dir.appendingPathComponent("speech.wav")
            try Fixtures.speech("Testing the local microphone track, one, two, three.", voice: "en-us",
                                leadSeconds: 0.5, tailSeconds: 0.5, to: wav)
            self.raw = dir.appendingPathComponent("speech.raw")
            try ProcessRunner.require("sox", ["-V1", wav.path, "-t", "raw", "-e", "signed", "-b", "16", self.raw.path])
            self.frames = try Data(contentsOf: self.raw).count / 2
            self.configFile = dir.appendingPathComponent("asound.conf")
            try "pcm.chorus_mic { type file slave.pcm \"null\" file \"/dev/null\" infile \"\(self.raw.path)\" format \"raw\" }\n"
                .write(to: self.configFile, atomically: true, encoding: .utf8)
            self.hermeticConfig = "pcm.chorus_mic { type file slave { pcm { type null } } file \"/dev/null\" infile \"\(self.raw.path)\" format \"raw\" }"
        }
    }

    static func levels(_ source: any AudioSource, intervalMs: Int = 100, seconds: Double? = nil) -> [LevelWindow] {
        let analyzer = LevelsAnalyzer(participants: [.init(identity: "mic", source: source)],
                                      intervalMilliseconds: intervalMs, durationSeconds: seconds)
        var all: [LevelWindow] = []
        while case let batch = analyzer.nextWindows(), !batch.isEmpty { all += batch }
        return all
    }

    @Test("capture negotiates 48 kHz mono S16_LE with 10 ms periods and reports it")
    func negotiation() throws {
        let mic = try Microphone()
        let capture = try ALSACaptureSource(device: "chorus_mic", configurationText: mic.hermeticConfig)
        #expect(capture.negotiated.sampleRate == 48_000)
        #expect(capture.negotiated.channels == 1)
        #expect(capture.negotiated.sampleFormat == "S16_LE")
        #expect(capture.negotiated.periodFrames == 480)
        #expect(capture.negotiated.bufferFrames >= 4 * 480)
        #expect(capture.format == AudioFormat(sampleRate: 48_000, channels: 1))
    }

    @Test("levels captured through ALSA match the same audio read from the file, window for window")
    func levelsMatchFile() throws {
        let mic = try Microphone()
        var configuration = CaptureConfiguration()
        configuration.maxFrames = mic.frames
        let capture = try ALSACaptureSource(device: "chorus_mic", configuration: configuration, configurationText: mic.hermeticConfig)
        let captured = Self.levels(capture)
        let file = Self.levels(try PCMStreamSource(path: mic.raw.path, format: AudioFormat(sampleRate: 48_000, channels: 1)))
        #expect(capture.framesRead == mic.frames)
        #expect(captured.count == file.count)
        var loud = 0
        for (got, want) in zip(captured, file) {
            #expect(got.time == want.time)
            if want.level.rmsDBFS > -60 {
                #expect(abs(got.level.rmsDBFS - want.level.rmsDBFS) < 0.5)
                loud += 1
            }
        }
        #expect(loud > 10)
        #expect(capture.counters.overruns == 0)
    }

    @Test("media time comes from sample counts: the unpaced plugin's 3 s arrive in far less wall time, timed right")
    func mediaTimeFromSampleCounts() throws {
        let mic = try Microphone()
        var configuration = CaptureConfiguration()
        configuration.maxFrames = 48_000 * 2
        let capture = try ALSACaptureSource(device: "chorus_mic", configuration: configuration, configurationText: mic.hermeticConfig)
        let windows = Self.levels(capture)
        #expect(windows.count == 20)
        #expect(windows.last?.time == 1.9)
    }

    @Test("stop() from another thread ends a capture that would run forever")
    func stopFromAnotherThread() throws {
        let mic = try Microphone()
        let capture = try ALSACaptureSource(device: "chorus_mic", configurationText: mic.hermeticConfig)
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { capture.stop() }
        var buffer = [Float](repeating: 0, count: 480)
        var frames = 0
        while case let n = try buffer.withUnsafeMutableBufferPointer({ try capture.read(into: $0) }), n > 0 { frames += n }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(frames > mic.frames)  // past EOF the plugin keeps going; only stop() ends it
    }

    @Test("a missing device fails with one line that names it and says to run `chorus devices`")
    func missingDevice() throws {
        #expect {
            _ = try ALSACaptureSource(device: "no_such_pcm")
        } throws: { error in
            guard let error = error as? CaptureError else { return false }
            return error.kind == .noSuchDevice && error.message.contains("no_such_pcm") && error.message.contains("chorus devices")
        }
        let cli = try ProcessRunner.run(Fixtures.chorusBinary, ["levels", "mic:no_such_pcm"])
        #expect(cli.status == 1)
        #expect(cli.stderr.split(separator: "\n").count == 1)
        #expect(cli.stderr.contains("mic:no_such_pcm") && cli.stderr.contains("chorus devices"))
    }

    @Test("chorus levels mic:DEVICE equals chorus levels pcm:FILE and arecord | chorus levels pcm:-")
    func cliMicAndPipeMatchFile() throws {
        let mic = try Microphone()
        let seconds = String(Double(mic.frames) / 48_000)
        let fromMic = try ProcessRunner.run(Fixtures.chorusBinary,
            ["levels", "--format", "jsonl", "--interval", "50", "--duration", seconds, "mic:chorus_mic"], environment: mic.environment)
        let fromFile = try ProcessRunner.run(Fixtures.chorusBinary,
            ["levels", "--format", "jsonl", "--interval", "50", "local=pcm:\(mic.raw.path)"])
        #expect(fromMic.status == 0, "\(fromMic.stderr)")
        #expect(fromFile.status == 0)
        #expect(!fromMic.stdout.isEmpty)
        #expect(fromMic.stdout == fromFile.stdout)

        // The pipe path: arecord reads the same device, chorus reads the pipe until EOF.
        let pipeline = "arecord -q -D chorus_mic -f S16_LE -r 48000 -c 1 -t raw -s \(mic.frames) | \(Fixtures.chorusBinary) levels --format jsonl --interval 50 pcm:-"
        let fromPipe = try ProcessRunner.run("/bin/sh", ["-c", pipeline], environment: mic.environment)
        #expect(fromPipe.status == 0, "\(fromPipe.stderr)")
        #expect(fromPipe.stdout == fromFile.stdout)
    }

    @Test("a capture and a pipe are ingresses: started at 0, ended with the reason (stopped, ended)")
    func ingressEvents() throws {
        let mic = try Microphone()
        func ingress(_ result: ProcessResult) throws -> [[String: Any]] {
            try result.stdout.split(separator: "\n")
                .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
                .filter { ($0["event"] as? String ?? "").hasPrefix("ingress_") }
        }
        let captured = try ProcessRunner.run(Fixtures.chorusBinary,
            ["detect", "--format", "jsonl", "--duration", "1.5", "--name", "me", "mic:chorus_mic"], environment: mic.environment)
        #expect(captured.status == 0, "\(captured.stderr)")
        let micEvents = try ingress(captured)
        #expect(micEvents.map { $0["event"] as? String } == ["ingress_started", "ingress_ended"])
        #expect(micEvents.last?["reason"] as? String == "stopped")
        #expect(micEvents.last?["time"] as? Double == 1.5)
        #expect(micEvents.allSatisfy { $0["identity"] as? String == "me" })
        let kind = (micEvents.first?["ingress"] as? [String: Any])?["kind"] as? String
        #expect(kind == "microphone")

        let piped = try ProcessRunner.run(Fixtures.chorusBinary, ["detect", "--format", "jsonl", "pcm:-"],
                                          input: try Data(contentsOf: mic.raw))
        let pipeEvents = try ingress(piped)
        #expect(pipeEvents.map { $0["event"] as? String } == ["ingress_started", "ingress_ended"])
        #expect(pipeEvents.last?["reason"] as? String == "ended")
        #expect(abs((pipeEvents.last?["time"] as? Double ?? 0) - Double(mic.frames) / 48_000) < 0.011)
    }

    @Test("on a terminal, live --format text keeps a meter line redrawn in place; piped, plain lines only")
    func liveTextView() throws {
        let mic = try Microphone()
        let command = "\(Fixtures.chorusBinary) detect mic:chorus_mic --duration 2 --format text"
        // `script` runs the command on a pseudo-terminal, as a person at a terminal would.
        let onTTY = try ProcessRunner.run("script", ["-qc", command, "/dev/null"], environment: mic.environment)
        #expect(onTTY.status == 0)
        #expect(onTTY.stdout.contains("\r\u{1B}[K"), "redraws in place")
        #expect(onTTY.stdout.contains("● local"), "the meter shows local speaking")
        let piped = try ProcessRunner.run(Fixtures.chorusBinary, ["detect", "mic:chorus_mic", "--duration", "2", "--format", "text"],
                                          environment: mic.environment)
        #expect(piped.status == 0)
        #expect(!piped.stdout.contains("\u{1B}["), "no escape codes when piped")
        #expect(piped.stdout.contains("speaking: local"))
    }

    @Test("SIGINT and SIGTERM stop a live capture quickly and flush what was printed", arguments: [SIGINT, SIGTERM])
    func signalStopsCapture(signal: Int32) throws {
        let mic = try Microphone()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.chorusBinary)
        process.arguments = ["levels", "--format", "jsonl", "--interval", "1000", "mic:chorus_mic"]
        process.environment = ProcessInfo.processInfo.environment.merging(mic.environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = Thread.detachNewThreadReturning { out.fileHandleForReading.readDataToEndOfFile() }
        Thread.sleep(forTimeInterval: 0.5)
        let sent = Date()
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let elapsed = Date().timeIntervalSince(sent)
        #expect(elapsed < 0.1, "took \(elapsed) s")
        #expect(process.terminationStatus == 0)
        let text = String(decoding: reader.wait(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(!lines.isEmpty)
        // Every line is whole: the output was flushed, not cut mid-line.
        for line in lines { #expect(line.hasPrefix("{") && line.hasSuffix("}")) }
    }
}

extension Thread {
    /// Runs `body` on a new thread; `wait()` returns its result.
    final class Result<T>: @unchecked Sendable {
        private var value: T?
        private let done = DispatchSemaphore(value: 0)
        fileprivate func set(_ v: T) { self.value = v; self.done.signal() }
        func wait() -> T { self.done.wait(); return self.value! }
    }

    static func detachNewThreadReturning<T>(_ body: @escaping @Sendable () -> T) -> Result<T> {
        let result = Result<T>()
        nonisolated(unsafe) let box = result
        Thread.detachNewThread { box.set(body()) }
        return result
    }
}
