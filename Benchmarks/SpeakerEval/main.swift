import Chorus
import ChorusCore
import ChorusMedia

#if canImport(Glibc)
import Glibc
#endif

/// chorus-speaker-eval: scores Chorus's active-speaker detection and LiveKit's (reimplemented from
/// its defaults) on corpora made by `scripts/make-corpus.sh`, side by side.
///
/// usage: chorus-speaker-eval [--verbose] [--json] [--frame 10|20] CORPUS_DIR...
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") {
    print("""
        usage: chorus-speaker-eval [--verbose] [--json] [--frame 10|20] CORPUS_DIR...

        Runs Chorus's detector (chorus detect's engine) and a reimplementation of LiveKit's default
        active-speaker detection over each corpus (scripts/make-corpus.sh SEED DIR) and prints, per
        corpus and over all, onset and release latency, coverage, missed turns, flaps and false
        activations against the schedule. --verbose lists every miss, flap, false activation and slow
        release; --json prints one `speaker_eval` JSON line per corpus and detector instead of tables.
        """)
    exit(arguments.isEmpty ? 2 : 0)
}
let verbose = arguments.contains("--verbose")
let jsonOutput = arguments.contains("--json")
var frame = 10
var directories: [String] = []
var index = 0
while index < arguments.count {
    let argument = arguments[index]
    index += 1
    if argument == "--frame", index < arguments.count {
        frame = Int(arguments[index]) ?? 10
        index += 1
    } else if !argument.hasPrefix("--") {
        directories.append(argument)
    }
}

/// Runs both detectors over one corpus and scores them.
func evaluate(_ truth: GroundTruth, frame: Int) throws -> (chorus: TurnScore, livekit: TurnScore) {
    var chorusTimeline = SpeakerTimeline()
    var baseline = LiveKitSpeakerBaseline()
    let room = Room()
    room.addObserver { event in
        if case .activeSpeakersChanged(let speakers, let time) = event {
            chorusTimeline.record(speakers.map(\.identity), at: time.seconds)
        }
    }
    let participants = try truth.participants.map { FileRoomRunner.Participant(identity: $0.identity, source: try OggOpusFileSource(path: $0.path)) }
    let runner = FileRoomRunner(participants: participants, room: room, frameMilliseconds: frame)
    runner.onFrame = { identity, measure, start, duration in
        baseline.observe(identity: identity, measure: measure, start: start, duration: duration)
    }
    runner.run()
    for (identity, error) in runner.errors { throw EvalError("\(identity): \(error.message)") }
    let length = runner.time.seconds
    baseline.poll(until: runner.time)
    var chorus = TurnScore()
    chorus.add(chorusTimeline, truth: truth, length: length)
    var livekit = TurnScore()
    livekit.add(baseline.timeline, truth: truth, length: length)
    return (chorus, livekit)
}

func row(_ name: String, _ goal: String, _ chorus: String, _ livekit: String) -> String {
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    return "| " + pad(name, 24) + "| " + pad(goal, 8) + "| " + pad(chorus, 9) + "| " + pad(livekit, 9) + "|"
}

@MainActor func table(_ title: String, _ chorus: TurnScore, _ livekit: TurnScore) {
    if jsonOutput {
        for (detector, score) in [("chorus", chorus), ("livekit", livekit)] { print(score.jsonLine(corpus: title, detector: detector)) }
        return
    }
    func ms(_ v: Double) -> String { v.isNaN ? "-" : String(Int(v.rounded())) }
    print("\n\(title): \(chorus.turns) turns, \(fmt(chorus.seconds)) s")
    print(row("metric", "goal", "Chorus", "LiveKit"))
    print("|" + String(repeating: "-", count: 25) + "|" + String(repeating: "-", count: 9) + "|" + String(repeating: "-", count: 10) + "|" + String(repeating: "-", count: 10) + "|")
    print(row("onset median (ms)", "<= 100", ms(TurnScore.percentileMs(chorus.onsets, 50)), ms(TurnScore.percentileMs(livekit.onsets, 50))))
    print(row("onset p95 (ms)", "<= 200", ms(TurnScore.percentileMs(chorus.onsets, 95)), ms(TurnScore.percentileMs(livekit.onsets, 95))))
    print(row("release median (ms)", "<= 500", ms(TurnScore.percentileMs(chorus.releases, 50)), ms(TurnScore.percentileMs(livekit.releases, 50))))
    print(row("release p95 (ms)", "", ms(TurnScore.percentileMs(chorus.releases, 95)), ms(TurnScore.percentileMs(livekit.releases, 95))))
    print(row("coverage", ">= 0.97", fmt(chorus.coverage), fmt(livekit.coverage)))
    print(row("missed turns", "0", String(chorus.missed), String(livekit.missed)))
    print(row("flaps", "0", String(chorus.flaps), String(livekit.flaps)))
    print(row("false activations", "0", String(chorus.falseActivations), String(livekit.falseActivations)))
    print(row("false seconds", "", fmt(chorus.falseSeconds), fmt(livekit.falseSeconds)))
    print(row("list changes / min", "", fmt(Double(chorus.listChanges) * 60 / chorus.seconds), fmt(Double(livekit.listChanges) * 60 / livekit.seconds)))
    print(row("order swaps", "", String(chorus.reorders), String(livekit.reorders)))
    if verbose {
        for note in chorus.notes { print("  chorus: " + note) }
        for note in livekit.notes { print("  livekit: " + note) }
    }
}

do {
    var allChorus = TurnScore()
    var allLiveKit = TurnScore()
    for directory in directories {
        let (chorus, livekit) = try evaluate(try GroundTruth(directory: directory), frame: frame)
        table(directory, chorus, livekit)
        allChorus.merge(chorus)
        allLiveKit.merge(livekit)
    }
    if directories.count > 1 { table("all corpora", allChorus, allLiveKit) }
} catch {
    FileHandleStderr.write("chorus-speaker-eval: \(error)\n")
    exit(1)
}

extension TurnScore {
    /// Adds another score's turns and counts to this one.
    mutating func merge(_ other: TurnScore) {
        self.turns += other.turns
        self.onsets += other.onsets
        self.releases += other.releases
        self.covered += other.covered
        self.coverable += other.coverable
        self.missed += other.missed
        self.flaps += other.flaps
        self.falseActivations += other.falseActivations
        self.falseSeconds += other.falseSeconds
        self.listChanges += other.listChanges
        self.reorders += other.reorders
        self.seconds += other.seconds
        self.notes += other.notes
    }
}

enum FileHandleStderr {
    static func write(_ text: String) { _ = text.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) } }
}

extension TurnScore {
    /// One `speaker_eval` JSON line with this score's figures (milliseconds, shares, counts).
    func jsonLine(corpus: String, detector: String) -> String {
        var json = JSONLine(event: "speaker_eval")
        json.string("corpus", corpus)
        json.string("detector", detector)
        json.integer("turns", self.turns)
        json.number("seconds", self.seconds, decimals: 2)
        for (key, values, p) in [("onset_median_ms", self.onsets, 50.0), ("onset_p95_ms", self.onsets, 95), ("release_median_ms", self.releases, 50), ("release_p95_ms", self.releases, 95)] {
            let value = TurnScore.percentileMs(values, p)
            if value.isNaN { json.raw(key, "null") } else { json.number(key, value, decimals: 1) }
        }
        json.number("coverage", self.coverage, decimals: 4)
        json.integer("missed", self.missed)
        json.integer("flaps", self.flaps)
        json.integer("false_activations", self.falseActivations)
        json.number("false_seconds", self.falseSeconds, decimals: 2)
        json.integer("list_changes", self.listChanges)
        json.integer("reorders", self.reorders)
        return json.line
    }
}
