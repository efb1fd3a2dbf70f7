import Testing
import Foundation
import Chorus
import ChorusCore
import ChorusMedia
import ChorusTestSupport

/// Levels checked against independent oracles: numpy over opusdec's output (a different decoder
/// front end than libopusfile), and sox-synthesized signals of known amplitude.
@Suite("Levels against oracles")
struct LevelsOracleTests {
    /// numpy: per-window mean square of clamped samples, RMS dBFS and WebRTC's dBov, one JSON list per window.
    static let numpyOracle = """
        import json, sys
        import numpy as np
        x = np.fromfile(sys.argv[1], dtype=np.float32)
        ch = int(sys.argv[2]); win = int(sys.argv[3])
        x = np.clip(x, -1.0, 1.0).astype(np.float64)
        out = []
        step = win * ch
        for start in range(0, len(x), step):
            w = x[start:start + step]
            ms = float(np.mean(w * w))
            per = [float(np.mean(w[c::ch] ** 2)) for c in range(ch)]
            out.append({"ms": ms, "per": per, "n": len(w) // ch})
        print(json.dumps(out))
        """

    struct OracleWindow: Decodable {
        var ms: Double
        var per: [Double]
        var n: Int
    }

    static func oracle(samples: URL, channels: Int, windowFrames: Int) throws -> [OracleWindow] {
        let result = try ProcessRunner.run(Fixtures.python, ["-c", numpyOracle, samples.path, String(channels), String(windowFrames)])
        guard result.status == 0 else {
            throw FixtureError("numpy oracle failed (is the venv there? run `make deps`): \(result.stderr)")
        }
        return try JSONDecoder().decode([OracleWindow].self, from: Data(result.stdout.utf8))
    }

    /// WebRTC's ComputeRms on the int16 scale, straight from its definition.
    static func webrtcDBov(meanSquare ms: Double) -> (value: Int, exact: Double) {
        let int16 = ms * 32768 * 32768
        if int16 <= 1.995262314968883e-13 * 32768 * 32768 { return (127, 127) }
        let exact = -10 * log10(int16 / (32768 * 32768))
        return (min(127, max(0, Int(exact + 0.5))), exact)
    }

    static func windows(of source: any AudioSource, identity: String, intervalMs: Int, perChannel: Bool) -> [LevelWindow] {
        let analyzer = LevelsAnalyzer(participants: [.init(identity: identity, source: source)],
                                      intervalMilliseconds: intervalMs, perChannel: perChannel)
        var all: [LevelWindow] = []
        while true {
            let batch = analyzer.nextWindows()
            if batch.isEmpty { break }
            all += batch
        }
        return all
    }

    @Test("speech from an Ogg Opus file: RMS within 0.1 dB of numpy over opusdec, dBov by WebRTC's formula, every 20 ms window")
    func monoSpeechAgainstNumpy() throws {
        let dir = try Fixtures.temporaryDirectory("oracle")
        let wav = dir.appendingPathComponent("alice.wav")
        try Fixtures.speech("Levels are measured twenty milliseconds at a time, loud and quiet.",
                            voice: "en-us", gainDB: -6, leadSeconds: 0.3, tailSeconds: 0.3, to: wav)
        let opus = dir.appendingPathComponent("alice.opus")
        try Fixtures.opus(from: wav, to: opus)
        let raw = dir.appendingPathComponent("alice.f32")
        try ProcessRunner.require("opusdec", ["--quiet", "--rate", "48000", "--float", opus.path, raw.path])
        let expected = try Self.oracle(samples: raw, channels: 1, windowFrames: 960)
        let ours = Self.windows(of: try OggOpusFileSource(path: opus.path), identity: "alice", intervalMs: 20, perChannel: false)

        #expect(ours.count == expected.count)
        var compared = 0
        for (index, (window, truth)) in zip(ours, expected).enumerated() {
            #expect(window.frames == truth.n)
            #expect(abs(window.time - Double(index) * 0.02) < 1e-9)
            let truthDB = truth.ms > 0 ? 10 * log10(truth.ms) : -127
            if truthDB > -70 {
                #expect(abs(window.level.rmsDBFS - truthDB) < 0.1, "window \(index): \(window.level.rmsDBFS) vs \(truthDB)")
                compared += 1
            }
            let webrtc = Self.webrtcDBov(meanSquare: truth.ms)
            // Exactly WebRTC's value, except where the true value sits within float noise of a rounding edge.
            let nearEdge = abs((webrtc.exact - webrtc.exact.rounded(.down)) - 0.5) < 0.005
            if !nearEdge {
                #expect(window.level.dBov == webrtc.value, "window \(index)")
            }
        }
        #expect(compared > 50, "too few loud windows compared: \(compared)")
    }

    @Test("stereo: interleaved levels by default, and each channel on its own with per-channel")
    func stereoAgainstNumpy() throws {
        let dir = try Fixtures.temporaryDirectory("stereo")
        let left = dir.appendingPathComponent("left.wav")
        let right = dir.appendingPathComponent("right.wav")
        try Fixtures.speech("Left channel speaking now.", voice: "en-us", tailSeconds: 0.5, to: left)
        try Fixtures.speech("Right channel answers, more quietly.", voice: "en-gb", gainDB: -12, tailSeconds: 0.2, to: right)
        let stereo = dir.appendingPathComponent("stereo.wav")
        try ProcessRunner.require("sox", ["-V1", "-M", left.path, right.path, stereo.path])
        let opus = dir.appendingPathComponent("stereo.opus")
        try Fixtures.opus(from: stereo, to: opus, bitrateKbps: 96)
        let raw = dir.appendingPathComponent("stereo.f32")
        try ProcessRunner.require("opusdec", ["--quiet", "--rate", "48000", "--float", opus.path, raw.path])
        let expected = try Self.oracle(samples: raw, channels: 2, windowFrames: 4800)

        let source = try OggOpusFileSource(path: opus.path)
        #expect(source.format.channels == 2)
        let ours = Self.windows(of: source, identity: "duo", intervalMs: 100, perChannel: true)
        #expect(ours.count == expected.count)
        var compared = 0
        for (window, truth) in zip(ours, expected) {
            #expect(window.channelLevels.count == 2)
            let all = 10 * log10(max(truth.ms, 1e-13))
            if all > -70 { #expect(abs(window.level.rmsDBFS - all) < 0.1) }
            for channel in 0..<2 {
                let truthDB = 10 * log10(max(truth.per[channel], 1e-13))
                if truthDB > -70 {
                    #expect(abs(window.channelLevels[channel].rmsDBFS - truthDB) < 0.1)
                    compared += 1
                }
            }
        }
        #expect(compared > 20)
        // The right channel was made 12 dB quieter: its loud windows read well below the left's.
        let leftPeak = ours.map { $0.channelLevels[0].rmsDBFS }.max()!
        let rightPeak = ours.map { $0.channelLevels[1].rmsDBFS }.max()!
        #expect(leftPeak - rightPeak > 6)
    }

    @Test("a sox sine of known amplitude, as raw PCM, reads its RMS and peak in dB", arguments: [0.5, 0.1])
    func soxSine(amplitude: Double) throws {
        let dir = try Fixtures.temporaryDirectory("sine")
        let raw = dir.appendingPathComponent("sine.raw")
        try ProcessRunner.require("sox", ["-V1", "-D", "-n", "-r", "48000", "-c", "1", "-b", "16", "-e", "signed", "-t", "raw",
                                          raw.path, "synth", "1", "sine", "1000", "vol", String(amplitude)])
        let source = try PCMStreamSource(path: raw.path, format: AudioFormat(sampleRate: 48_000, channels: 1))
        let windows = Self.windows(of: source, identity: "sine", intervalMs: 100, perChannel: false)
        #expect(windows.count == 10)
        for window in windows {
            #expect(abs(window.level.rmsDBFS - 20 * log10(amplitude / 2.0.squareRoot())) < 0.05)
            #expect(abs(window.level.peakDBFS - 20 * log10(amplitude)) < 0.05)
        }
        // And through Opus and back, within 0.3 dB (a codec is not a wire).
        let wav = dir.appendingPathComponent("sine.wav")
        try ProcessRunner.require("sox", ["-V1", "-t", "raw", "-r", "48000", "-c", "1", "-b", "16", "-e", "signed", raw.path, wav.path])
        let opus = dir.appendingPathComponent("sine.opus")
        try Fixtures.opus(from: wav, to: opus, bitrateKbps: 64)
        let decoded = Self.windows(of: try OggOpusFileSource(path: opus.path), identity: "sine", intervalMs: 100, perChannel: false)
        for window in decoded.dropFirst().dropLast() {
            #expect(abs(window.level.rmsDBFS - 20 * log10(amplitude / 2.0.squareRoot())) < 0.3)
        }
    }

    @Test("a stereo PCM stream is read with --channels 2 and a partial trailing frame is dropped and counted")
    func pcmStereoAndPartialFrame() throws {
        let dir = try Fixtures.temporaryDirectory("pcm")
        let raw = dir.appendingPathComponent("two.raw")
        // 10 ms of stereo: left at +0.5, right at -0.25, plus 3 stray bytes.
        var bytes: [UInt8] = []
        for _ in 0..<480 {
            for value in [Int16(16384), Int16(-8192)] {
                bytes.append(UInt8(truncatingIfNeeded: value))
                bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            }
        }
        bytes += [1, 2, 3]
        try Data(bytes).write(to: raw)
        let source = try PCMStreamSource(path: raw.path, format: AudioFormat(sampleRate: 48_000, channels: 2))
        let windows = Self.windows(of: source, identity: "pcm", intervalMs: 10, perChannel: true)
        #expect(windows.count == 1)
        #expect(abs(windows[0].channelLevels[0].peakDBFS - 20 * log10(0.5)) < 1e-6)
        #expect(abs(windows[0].channelLevels[1].peakDBFS - 20 * log10(0.25)) < 1e-6)
        #expect(source.diagnostics.droppedBytes == 3)
        #expect(source.diagnostics.truncated)
    }
}
