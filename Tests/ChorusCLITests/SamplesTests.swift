import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ChorusTestSupport

/// The programs in Samples/ and `chorus detect --plot`, run as a user runs them.
@Suite("Samples")
struct SamplesTests {
    static func binary(_ name: String) -> String { Fixtures.product(name) }

    /// alice speaks from 0.5 s, bob from 3.5 s; 6 s tracks.
    static func conversation() throws -> (alice: URL, bob: URL, aliceOnset: Double, bobOnset: Double) {
        let dir = try Fixtures.temporaryDirectory("samples")
        let alice = dir.appendingPathComponent("alice.wav"), bob = dir.appendingPathComponent("bob.wav")
        try Fixtures.speech("Alice has the first turn here.", voice: "en-us", leadSeconds: 0.5, tailSeconds: 6, to: alice)
        try Fixtures.speech("And this is Bob.", voice: "flite:slt", leadSeconds: 3.5, tailSeconds: 6, to: bob)
        var onsets: [Double] = []
        var outputs: [URL] = []
        for wav in [alice, bob] {
            let trimmed = wav.deletingPathExtension().appendingPathExtension("6s.wav")
            try ProcessRunner.require("sox", ["-V1", wav.path, trimmed.path, "trim", "0", "6"])
            onsets.append(try Self.onset(of: trimmed))
            let opus = wav.deletingPathExtension().appendingPathExtension("opus")
            try Fixtures.opus(from: trimmed, to: opus)
            outputs.append(opus)
        }
        return (outputs[0], outputs[1], onsets[0], onsets[1])
    }

    /// The first 10 ms of the WAV whose RMS exceeds -40 dBFS: the true speech onset (numpy).
    static func onset(of wav: URL) throws -> Double {
        let raw = wav.deletingPathExtension().appendingPathExtension("raw")
        try ProcessRunner.require("sox", ["-V1", wav.path, "-t", "raw", "-e", "floating-point", "-b", "32", raw.path])
        let script = """
            import sys, numpy as np
            x = np.fromfile(sys.argv[1], dtype=np.float32)
            n = len(x) // 480
            rms = np.sqrt(np.mean(x[:n*480].reshape(n, 480).astype(np.float64) ** 2, axis=1))
            print(int(np.argmax(20 * np.log10(np.maximum(rms, 1e-12)) > -40)) * 0.01)
            """
        let result = try ProcessRunner.run(Fixtures.python, ["-c", script, raw.path])
        guard result.status == 0, let value = Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FixtureError("onset oracle failed: \(result.stderr)")
        }
        return value
    }

    /// Speaking bars and lanes of an SVG timeline, read with an XML parser.
    final class TimelineReader: NSObject, XMLParserDelegate {
        var lanes: [String] = []
        var bars: [String: [(Double, Double)]] = [:]
        private var lane: String?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "g", let identity = attributes["data-identity"] {
                self.lane = identity
                self.lanes.append(identity)
            }
            if name == "rect", attributes["class"] == "speaking", let lane,
                let start = attributes["data-start"].flatMap(Double.init), let end = attributes["data-end"].flatMap(Double.init) {
                self.bars[lane, default: []].append((start, end))
            }
        }
        static func read(_ path: String) throws -> TimelineReader {
            let reader = TimelineReader()
            let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: path)))
            parser.delegate = reader
            #expect(parser.parse(), "the SVG parses as XML")
            return reader
        }
    }

    @Test("SpeakerTimeline and chorus detect --plot draw a lane per participant with speaking bars at the right times")
    func timeline() throws {
        let c = try Self.conversation()
        let dir = try Fixtures.temporaryDirectory("svg")
        for (label, run) in [
            ("sample", { (svg: String) throws -> ProcessResult in
                try ProcessRunner.run(Self.binary("SpeakerTimeline"), [svg, "alice=\(c.alice.path)", "bob=\(c.bob.path)"]) }),
            ("cli", { (svg: String) throws -> ProcessResult in
                try ProcessRunner.run(Fixtures.chorusBinary, ["detect", "--plot", svg, "alice=\(c.alice.path)", "bob=\(c.bob.path)"]) }),
        ] {
            let svg = dir.appendingPathComponent("\(label).svg").path
            let result = try run(svg)
            #expect(result.status == 0, "\(label): \(result.stderr)")
            let timeline = try TimelineReader.read(svg)
            #expect(timeline.lanes == ["alice", "bob"], "\(label)")
            let alice = try #require(timeline.bars["alice"]?.first, "\(label): alice has a speaking bar")
            let bob = try #require(timeline.bars["bob"]?.first, "\(label): bob has a speaking bar")
            #expect(abs(alice.0 - c.aliceOnset) < 0.2, "\(label): alice listed at \(alice.0), spoke at \(c.aliceOnset)")
            #expect(abs(bob.0 - c.bobOnset) < 0.2, "\(label): bob listed at \(bob.0), spoke at \(c.bobOnset)")
            #expect(alice.1 < bob.0 + 1.0)
            // librsvg (what GNOME and many viewers draw SVG with) renders it: a PNG 1200 px wide
            // whose height has room for the title, both lanes and the time axis.
            let png = dir.appendingPathComponent("\(label).png").path
            let render = try ProcessRunner.run("rsvg-convert", ["-w", "1200", svg, "-o", png])
            #expect(render.status == 0, "\(label): rsvg-convert: \(render.stderr)")
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
            #expect(bytes.count > 5000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(label): not a PNG")
            if bytes.count > 24 {
                let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
                let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
                #expect(width == 1200 && height > 150 && height < 1200, "\(label): \(width)x\(height)")
            }
        }
    }

    @Test("AgentBargeIn stops the agent within 150 ms of the user's speech onset")
    func bargeIn() throws {
        let c = try Self.conversation()
        let result = try ProcessRunner.run(Self.binary("AgentBargeIn"), ["--prompt-seconds", "5", "user=\(c.bob.path)"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let stopped = try #require(json["agent_stopped"] as? Double)
        let reaction = stopped - c.bobOnset
        #expect(reaction >= 0 && reaction < 0.15, "stopped \(stopped) s, true onset \(c.bobOnset) s")
        #expect((json["reaction_ms"] as? Double ?? 1000) < 150)
    }

    @Test("LevelMeter prints a meter line per participant while audio flows")
    func levelMeter() throws {
        let c = try Self.conversation()
        let result = try ProcessRunner.run(Self.binary("LevelMeter"), ["alice=\(c.alice.path)", "--duration", "1.5"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").filter { $0.contains("alice") }
        #expect(lines.count >= 5)
        #expect(lines.contains { $0.contains("●") && $0.contains("█") }, "alice speaks within the first 1.5 s")
    }
}
