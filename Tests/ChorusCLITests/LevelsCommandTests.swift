import Testing
import Foundation
import ChorusTestSupport

/// `chorus levels` as a user runs it: the real binary, real files, real pipes.
@Suite("chorus levels")
struct LevelsCommandTests {
    static func chorus(_ arguments: [String], input: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.run(Fixtures.chorusBinary, arguments, input: input)
    }

    /// Two speakers in turn, 3 s each file; built once per test that needs them.
    static func twoSpeakers() throws -> (alice: URL, bob: URL, dir: URL) {
        let dir = try Fixtures.temporaryDirectory("cli")
        let aliceWav = dir.appendingPathComponent("alice.wav")
        let bobWav = dir.appendingPathComponent("bob.wav")
        try Fixtures.speech("Alice talks first.", voice: "en-us", leadSeconds: 0.2, tailSeconds: 1.5, to: aliceWav)
        try Fixtures.speech("Then Bob replies.", voice: "flite:slt", leadSeconds: 1.6, tailSeconds: 0.2, to: bobWav)
        let alice = dir.appendingPathComponent("alice.opus")
        let bob = dir.appendingPathComponent("bob.opus")
        try Fixtures.opus(from: aliceWav, to: alice)
        try Fixtures.opus(from: bobWav, to: bob)
        return (alice, bob, dir)
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test("JSON lines follow the contract: one levels line per participant per window, aligned on media time")
    func jsonContract() throws {
        let (alice, bob, _) = try Self.twoSpeakers()
        let result = try Self.chorus(["levels", "--format", "jsonl", "--interval", "100", alice.path, "robert=\(bob.path)"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.jsonLines(result.stdout)
        #expect(lines.count > 20)
        for line in lines {
            #expect(line["event"] as? String == "levels")
            for key in ["time", "rms_dbfs", "peak_dbfs", "level"] { #expect(line[key] is NSNumber, "\(key)") }
            let dbov = try #require(line["dbov"] as? Int)
            #expect((0...127).contains(dbov))
            let level = try #require(line["level"] as? Double)
            #expect((0...1).contains(level))
        }
        let identities = Set(lines.compactMap { $0["identity"] as? String })
        #expect(identities == ["alice", "robert"])
        // Windows alternate alice, robert at the same media time while both streams last.
        for pair in stride(from: 0, to: min(lines.count, 20) - 1, by: 2) {
            #expect(lines[pair]["identity"] as? String == "alice")
            #expect(lines[pair + 1]["identity"] as? String == "robert")
            #expect((lines[pair]["time"] as! Double) == (lines[pair + 1]["time"] as! Double))
            #expect(abs((lines[pair]["time"] as! Double) - Double(pair / 2) * 0.1) < 1e-9)
        }
        // Alice is loud early and Bob late: the turns show in the levels.
        func loudest(at time: Double) -> String? {
            lines.filter { abs(($0["time"] as! Double) - time) < 1e-9 }
                .max { ($0["rms_dbfs"] as! Double) < ($1["rms_dbfs"] as! Double) }?["identity"] as? String
        }
        #expect(loudest(at: 0.5) == "alice")
        #expect(loudest(at: 2.0) == "robert")
    }

    @Test("the same input gives the same output byte for byte")
    func deterministic() throws {
        let (alice, bob, _) = try Self.twoSpeakers()
        let first = try Self.chorus(["levels", "--format", "jsonl", alice.path, bob.path])
        let second = try Self.chorus(["levels", "--format", "jsonl", alice.path, bob.path])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
    }

    @Test("text format is for people: a header, then a row a window with a bar per participant")
    func textFormat() throws {
        let (alice, bob, _) = try Self.twoSpeakers()
        let result = try Self.chorus(["levels", "--format", "text", "--interval", "500", alice.path, bob.path])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n")
        #expect(rows.first?.contains("alice, bob") == true)
        #expect(rows.count >= 6)
        #expect(rows.dropFirst().allSatisfy { $0.contains("alice") && $0.contains("bob") && $0.contains("█") || $0.contains("░") })
    }

    @Test("pcm:- reads raw s16le from a pipe and ends cleanly at EOF")
    func pcmFromStdin() throws {
        let dir = try Fixtures.temporaryDirectory("stdin")
        let raw = dir.appendingPathComponent("tone.raw")
        try ProcessRunner.require("sox", ["-V1", "-D", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-t", "raw",
                                          raw.path, "synth", "0.5", "sine", "440", "vol", "0.5"])
        let result = try Self.chorus(["levels", "--format", "jsonl", "--rate", "16000", "--interval", "50", "pcm:-"],
                                     input: try Data(contentsOf: raw))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.jsonLines(result.stdout)
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0["identity"] as? String == "local" })
        #expect(lines.allSatisfy { abs(($0["peak_dbfs"] as! Double) - 20 * log10(0.5)) < 0.05 })
    }

    // MARK: - Bad input: one clear line, the right status, never a crash or a hang

    @Test("a missing file: exit 1 and one line naming the file")
    func missingFile() throws {
        let result = try Self.chorus(["levels", "/nonexistent/talk.opus"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/talk.opus: no such file"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test("a file that is not Ogg Opus: exit 1 and the fix (opusenc)")
    func notOggOpus() throws {
        let dir = try Fixtures.temporaryDirectory("notopus")
        let wav = dir.appendingPathComponent("speech.wav")
        try Fixtures.speech("Not an opus file.", to: wav)
        let renamed = dir.appendingPathComponent("speech.opus")
        try FileManager.default.copyItem(at: wav, to: renamed)
        for path in [wav.path, renamed.path] {
            let result = try Self.chorus(["levels", path])
            #expect(result.status == 1)
            #expect(result.stderr.contains("not an Ogg Opus file"))
            #expect(result.stderr.contains("opusenc"))
        }
        let empty = dir.appendingPathComponent("empty.opus")
        try Data().write(to: empty)
        let result = try Self.chorus(["levels", empty.path])
        #expect(result.status == 1)
        #expect(!result.stderr.isEmpty)
    }

    @Test("a truncated file: the levels of the good part are printed, then the error, exit 1")
    func truncated() throws {
        let (alice, _, dir) = try Self.twoSpeakers()
        let whole = try Data(contentsOf: alice)
        let full = try Self.jsonLines(try Self.chorus(["levels", "--format", "jsonl", alice.path]).stdout)
        let cut = dir.appendingPathComponent("cut.opus")
        try whole.prefix(whole.count * 6 / 10).write(to: cut)
        let result = try Self.chorus(["levels", "--format", "jsonl", cut.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("truncated"))
        let lines = try Self.jsonLines(result.stdout)
        // Ogg pages hold about a second of audio each; every whole page before the cut is kept.
        #expect(lines.count >= 50)
        #expect(lines.count < full.count)
        // What was printed is the same as the same windows of the whole file.
        for (got, want) in zip(lines, full).dropLast() {
            #expect(got["rms_dbfs"] as? Double == want["rms_dbfs"] as? Double)
        }
    }

    @Test("a corrupted file: damaged pages read as silence of the right length, media time stays true, exit 1",
          arguments: [0.3, 0.5, 0.75])
    func corrupted(at fraction: Double) throws {
        let dir = try Fixtures.temporaryDirectory("corrupt")
        let wav = dir.appendingPathComponent("long.wav")
        try Fixtures.speech("Alice keeps talking for a while, so that every page of this file holds speech, from the start to the finish, without a pause.", to: wav)
        let alice = dir.appendingPathComponent("long.opus")
        try Fixtures.opus(from: wav, to: alice)
        var bytes = [UInt8](try Data(contentsOf: alice))
        let start = Int(Double(bytes.count) * fraction)
        for i in start..<(start + 300) { bytes[i] ^= 0x5A }
        let broken = dir.appendingPathComponent("broken.opus")
        try Data(bytes).write(to: broken)
        let result = try Self.chorus(["levels", "--format", "jsonl", broken.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("damaged"))
        let damaged = try Self.jsonLines(result.stdout)
        let clean = try Self.jsonLines(try Self.chorus(["levels", "--format", "jsonl", alice.path]).stdout)
        // As many windows as the clean file: the lost page became silence, nothing shifted.
        #expect(damaged.count == clean.count)
        // Every window that still holds audio reads as the clean file does at the same media time:
        // audio after a hole was not shifted earlier.
        // (The decoder needs a few frames to converge after a gap, so the first 200 ms after a
        // silenced stretch are not compared, nor the window that the gap starts in.)
        var matched = 0
        var sinceSilence = Int.max / 2
        for (index, (got, want)) in zip(damaged, clean).enumerated() {
            #expect(got["time"] as? Double == want["time"] as? Double)
            let level = got["rms_dbfs"] as! Double
            sinceSilence = level <= -127 ? 0 : sinceSilence + 1
            let gapFollows = index + 1 < damaged.count && (damaged[index + 1]["rms_dbfs"] as! Double) <= -127
            if level > -60 && sinceSilence > 10 && !gapFollows {
                #expect(abs(level - (want["rms_dbfs"] as! Double)) < 1.0, "at \(got["time"]!)")
                matched += 1
            }
        }
        #expect(matched > 10)
    }

    @Test("random bytes named .opus never crash", arguments: [1, 2, 3, 4, 5])
    func garbage(seed: Int) throws {
        let dir = try Fixtures.temporaryDirectory("garbage")
        var state = UInt64(seed)
        var bytes = (0..<(seed * 3000)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        // Half the cases start like a real Ogg page to get past the first check.
        if seed % 2 == 0 { bytes.replaceSubrange(0..<4, with: Array("OggS".utf8)) }
        let path = dir.appendingPathComponent("g.opus")
        try Data(bytes).write(to: path)
        let result = try Self.chorus(["levels", path.path])
        #expect(result.status == 1)
        #expect(!result.stderr.isEmpty)
    }

    @Test("usage errors exit 2 with the option named and the usage line",
          arguments: [
            (["levels", "--bogus", "x.opus"], "--bogus"),
            (["levels", "--rate", "7", "pcm:-"], "--rate 7"),
            (["levels", "--interval", "0", "x.opus"], "--interval"),
            (["levels", "--format", "xml", "x.opus"], "--format xml"),
            (["levels"], "no SOURCE"),
            (["levels", "pcm:-", "pcm:-"], "standard input"),
            (["levels", "rtp://127.0.0.1:0"], "rtp://"),
          ])
    func usageErrors(arguments: [String], mention: String) throws {
        let result = try Self.chorus(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(result.stderr.contains("usage: chorus levels"))
        #expect(result.stdout.isEmpty)
    }

    @Test("--help, help levels and --version answer on stdout with status 0")
    func help() throws {
        for arguments in [["--help"], ["help", "levels"], ["levels", "--help"], ["--version"]] {
            let result = try Self.chorus(arguments)
            #expect(result.status == 0)
            #expect(!result.stdout.isEmpty)
        }
        let unknown = try Self.chorus(["frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown command"))
    }
}

@Suite("CLI progress and --quiet")
struct ProgressAndQuietTests {
    /// A 12 s file: long enough for a progress line.
    static func longFile() throws -> URL {
        let dir = try Fixtures.temporaryDirectory("long")
        let wav = dir.appendingPathComponent("long.wav")
        try Fixtures.speech("A long file.", tailSeconds: 11, to: wav)
        let opus = dir.appendingPathComponent("long.opus")
        try Fixtures.opus(from: wav, to: opus)
        return opus
    }

    @Test("a long file run shows progress on a terminal's stderr, and --quiet hides it")
    func progressLine() throws {
        let opus = try Self.longFile()
        // `script` gives the command a terminal; stdout goes to /dev/null so only stderr shows.
        let shown = try ProcessRunner.run("script", ["-qc", "\(Fixtures.chorusBinary) levels --format jsonl \(opus.path) > /dev/null", "/dev/null"])
        #expect(shown.stdout.contains(" of 12"), "\(shown.stdout)")
        #expect(shown.stdout.contains("\u{1B}[K"), "the line is redrawn in place and cleared")
        let quiet = try ProcessRunner.run("script", ["-qc", "\(Fixtures.chorusBinary) levels --quiet --format jsonl \(opus.path) > /dev/null", "/dev/null"])
        #expect(!quiet.stdout.contains(" of 12"))
        // Piped stderr never gets progress.
        let piped = try ProcessRunner.run(Fixtures.chorusBinary, ["levels", "--format", "jsonl", opus.path])
        #expect(piped.stderr.isEmpty)
    }

    @Test("--quiet drops summaries but keeps errors")
    func quietKeepsErrors() throws {
        let opus = try Self.longFile()
        let dir = try Fixtures.temporaryDirectory("quiet")
        let loud = try ProcessRunner.run(Fixtures.chorusBinary, ["detect", "--record", dir.path, opus.path])
        #expect(loud.stderr.contains("recorded"))
        let quiet = try ProcessRunner.run(Fixtures.chorusBinary, ["detect", "--quiet", "--record", dir.path, opus.path])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        let missing = try ProcessRunner.run(Fixtures.chorusBinary, ["detect", "--quiet", "/nonexistent.opus"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file"))
    }
}
