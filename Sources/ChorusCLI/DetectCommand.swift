import Chorus
import ChorusCore
import ChorusMedia

#if canImport(Glibc)
import Glibc
#endif

/// `chorus detect`: active-speaker detection over one room of file or pipe sources.
enum DetectCommand {
    static let usage = "usage: chorus detect [--format jsonl|text] [--realtime] [--room NAME] [--frame 10|20] [--hangover MS] [--rate HZ] [--channels N] SOURCE..."

    static let options: [OptionSpec] = [
        OptionSpec(name: "--format", value: "jsonl|text", help: "jsonl: one JSON object a line; text: for people (default on a terminal)"),
        OptionSpec(name: "--realtime", help: "pace sources at real time instead of as fast as possible"),
        OptionSpec(name: "--room", value: "NAME", help: "room name (default \"chorus\")"),
        OptionSpec(name: "--frame", value: "MS", help: "detector frame in milliseconds, 10 or 20 (default 10)"),
        OptionSpec(name: "--hangover", value: "MS", help: "how long a speaker stays listed after their last voiced frame (default 400)"),
        OptionSpec(name: "--rate", value: "HZ", help: "sample rate of pcm: sources (default 48000)"),
        OptionSpec(name: "--channels", value: "N", help: "channels of pcm: sources (default 1)"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static let summary = """
        Reads every SOURCE as one participant of one room, in lockstep frames of media time, and prints
        room events: participant_connected, track_published, participant_active, is_speaking_changed,
        active_speakers_changed (speakers loudest first, only when the set or order changes),
        dominant_speaker_changed, track_unpublished, participant_disconnected. "time" is media seconds
        since the room's start; the same input gives the same output byte for byte.

        SOURCE:
          PATH.opus | NAME=PATH.opus   an Ogg Opus file; identity = NAME or the file stem
          pcm:- | pcm:PATH             raw interleaved s16le PCM from stdin or a file (see --rate, --channels)

        Examples:
          chorus detect alice=alice.opus bob=bob.opus --format text
          chorus detect Samples/generated/*.opus | grep active_speakers_changed
        """

    static func run(_ args: [String]) throws -> Int32 {
        let parsed = try ParsedArguments.parse(args, specs: options)
        if parsed.has("--help") {
            Help.printCommand(usage: usage, summary: summary, options: options)
            return 0
        }
        let format = try OutputFormat.from(parsed)
        let frame = try parsed.integer("--frame", in: 10...20, default: 10, unit: " ms")
        guard frame == 10 || frame == 20 else { throw UsageError("--frame \(frame): expected 10 or 20") }
        var configuration = RoomConfiguration()
        let hangover = try parsed.integer("--hangover", in: 0...10_000, default: 400, unit: " ms")
        configuration.detector.hangover = .milliseconds(hangover)
        let opened = try ParticipantSources.open(parsed, example: "chorus detect alice.opus bob.opus")

        let room = Room(name: parsed.value("--room") ?? "chorus", configuration: configuration)
        switch format {
        case .jsonl:
            room.addObserver { event in Terminal.line(event.jsonLine) }
        case .text:
            Terminal.line("room \(room.name) · " + opened.map(\.identity).joined(separator: ", "))
            room.addObserver { event in
                if let line = textLine(event) { Terminal.line(line) }
            }
        }
        let runner = FileRoomRunner(participants: opened, room: room, frameMilliseconds: frame)
        if parsed.has("--realtime") {
            let pacer = RealtimePacer()
            runner.run { time in
                Terminal.flush()
                pacer.wait(untilMediaSeconds: time.seconds)
            }
        } else {
            runner.run()
        }
        Terminal.flush()
        return SourceReport.report(
            command: "detect", errors: runner.errors, sources: opened.map(\.source),
            outcome: "the events of the audio before the cut were printed")
    }

    /// One line for people per change, or nil for events the speaker line already shows.
    static func textLine(_ event: RoomEvent) -> String? {
        let time = event.time.seconds.formatted(decimals: 2).leftPadded(to: 8) + " s  "
        switch event {
        case .activeSpeakersChanged(let speakers, _):
            guard !speakers.isEmpty else { return time + "speaking: nobody" }
            return time + "speaking: " + speakers.map { speaker in
                let dbfs = speaker.level > 0 ? 20 * log10(speaker.level) : -127
                return "\(speaker.identity) \(LevelBar.render(dbfs: dbfs, width: 12)) \(dbfs.formatted(decimals: 0)) dBFS"
            }.joined(separator: "  ")
        case .isSpeakingChanged:
            return nil
        case .dominantSpeakerChanged(let identity, _):
            return time + "dominant: " + (identity ?? "nobody")
        case .participantConnected(let identity, _):
            return time + "\(identity) connected"
        case .participantActive(let identity, _):
            return time + "\(identity) active (media arriving)"
        case .participantDisconnected(let identity, _):
            return time + "\(identity) left"
        case .participantConnectionAborted(let identity, _):
            return time + "\(identity) aborted: no media"
        case .trackPublished(let identity, let track, _):
            return time + "\(identity) published \(track.type.rawValue) track \(track.sid) (\(track.source.rawValue))"
        case .trackUnpublished(let identity, let track, _):
            return time + "\(identity) unpublished \(track.sid)"
        case .eventsDropped(let count, _):
            return time + "\(count) events dropped"
        }
    }
}
