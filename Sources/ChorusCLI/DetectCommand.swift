import Chorus
import ChorusCore
import ChorusMedia

#if canImport(Glibc)
import Glibc
#endif

/// `chorus detect`: active-speaker detection over one room of file or pipe sources.
enum DetectCommand {
    static let usage = "usage: chorus detect [--format jsonl|text] [--realtime] [--room NAME] [--webhook URL] [--record DIR] [--plot FILE.svg] [OPTIONS] SOURCE..."

    static let options: [OptionSpec] = [
        OptionSpec(name: "--format", value: "jsonl|text", help: "jsonl: one JSON object a line; text: for people (default on a terminal)"),
        OptionSpec(name: "--realtime", help: "pace sources at real time instead of as fast as possible"),
        OptionSpec(name: "--room", value: "NAME", help: "room name (default \"chorus\")"),
        OptionSpec(name: "--frame", value: "MS", help: "detector frame in milliseconds, 10 or 20 (default 10)"),
        OptionSpec(name: "--hangover", value: "MS", help: "how long a speaker stays listed after their last voiced frame (default 400)"),
        OptionSpec(name: "--rate", value: "HZ", help: "sample rate of pcm: sources (default 48000)"),
        OptionSpec(name: "--channels", value: "N", help: "channels of pcm: sources (default 1)"),
        OptionSpec(name: "--duration", value: "SECONDS", help: "stop after this many seconds of audio (for mic and pipes)"),
        OptionSpec(name: "--name", value: "NAME|SSRC=NAME", help: "identity of the local participant (mic, pcm:-; default \"local\"), or of an RTP SSRC (default ssrc-N); repeatable", repeatable: true),
        OptionSpec(name: "--audio-level-ext", value: "ID", help: "RTP header extension id of the RFC 6464 audio level (default 1)"),
        OptionSpec(name: "--idle-timeout", value: "SECONDS", help: "unpublish an RTP track silent this long (default 5)"),
        OptionSpec(name: "--max-tracks", value: "N", help: "most RTP tracks a listener accepts; more SSRCs are refused and counted (default 1000)"),
        OptionSpec(name: "--reorder-window", value: "MS", help: "RTP jitter buffer reorder window (default 60)"),
        OptionSpec(name: "--workers", value: "N", help: "RTP decoding threads (default: cores - 1, at least 1)"),
        OptionSpec(name: "--levels-from", value: "decode|header", help: "RTP levels from decoded audio (default) or from the senders' RFC 6464 header extension, without decoding"),
        OptionSpec(name: "--plot", value: "FILE.svg", help: "also draw the room as an SVG timeline: a lane per participant, levels, speaking bars, events"),
        OptionSpec(name: "--record", value: "DIR", help: "egress: write each participant's decoded audio to DIR/IDENTITY.wav (egress_* webhooks)"),
        OptionSpec(name: "--quiet", help: "no summaries or progress on stderr (errors are still shown)"),
        OptionSpec(name: "--stats", help: "print per-track counters at the end (received, lost, FEC, concealed, duplicates, late, dropped)"),
        OptionSpec(name: "--help", help: "show this help"),
    ] + WebhookSetup.options

    static let summary = """
        Reads every SOURCE as one participant of one room, in lockstep frames of media time, and prints
        room events: participant_connected, track_published, participant_active, is_speaking_changed,
        active_speakers_changed (speakers loudest first, only when the set or order changes),
        dominant_speaker_changed, track_unpublished, participant_disconnected. "time" is media seconds
        since the room's start; the same input gives the same output byte for byte.

        SOURCE:
          PATH.opus | NAME=PATH.opus   an Ogg Opus file; identity = NAME or the file stem
          pcm:- | pcm:PATH             raw interleaved s16le PCM from stdin or a file (see --rate, --channels)
          mic | mic:DEVICE             ALSA capture (device "default" unless named; see `chorus devices`)
          rtp://HOST:PORT              listen for RTP/Opus on UDP; each SSRC is one participant's track

        With an rtp:// source the room is live: time is the wall clock since start, files play in real
        time beside the network tracks, and --duration counts wall seconds.

        Examples:
          chorus detect alice=alice.opus bob=bob.opus --format text
          chorus detect Samples/generated/*.opus | grep active_speakers_changed
          arecord -q -f S16_LE -r 48000 -c 1 -t raw | chorus detect pcm:- --format text
          chorus detect mic --name me --duration 30
          chorus detect rtp://127.0.0.1:5004 --name 1234=alice --stats --duration 60
        """

    static func run(_ args: [String]) throws -> Int32 {
        guard let parsed = try Help.parse(args, usage: usage, summary: summary, options: options) else { return 0 }
        let format = try OutputFormat.from(parsed)
        let frame = try parsed.integer("--frame", in: 10...20, default: 10, unit: " ms")
        guard frame == 10 || frame == 20 else { throw UsageError("--frame \(frame): expected 10 or 20") }
        var configuration = RoomConfiguration()
        let hangover = try parsed.integer("--hangover", in: 0...10_000, default: 400, unit: " ms")
        configuration.detector.hangover = .milliseconds(hangover)
        let sourceOptions = try parsed.sourceOpenOptions()
        let notifier = try WebhookSetup.notifier(parsed)
        let names = try NameMapping(parsed.all("--name"))
        let rtpOperands = parsed.operands.filter { $0.contains("rtp://") }
        let opened = try ParticipantSources.open(
            parsed.operands.filter { !$0.contains("rtp://") }, options: sourceOptions, localName: names.local,
            example: "chorus detect alice.opus bob.opus", allowEmpty: !rtpOperands.isEmpty)
        if !rtpOperands.isEmpty {
            configuration.trackIdleTimeout = .seconds(try parsed.seconds("--idle-timeout") ?? 5)
        }

        let room = Room(name: parsed.value("--room") ?? "chorus", configuration: configuration)
        let plot = parsed.value("--plot").map { PlotWriter(path: $0) }
        let webhooks = try WebhookSetup.attach(notifier, to: room, parsed: parsed)
        let recorder = try Recording.make(parsed, webhooks: webhooks, roomName: room.name)
        if let plot { room.addObserver { plot.timeline.record($0) } }
        // On a terminal, a live room also gets a meter line redrawn in place.
        let live = !rtpOperands.isEmpty || opened.contains { $0.source.ingressKind != nil }
        let status = format == .text && live && Terminal.stdoutIsTTY ? LiveStatusLine() : nil
        switch format {
        case .jsonl:
            room.addObserver { event in Terminal.line(event.jsonLine) }
        case .text:
            Terminal.line("room \(room.name) · " + (opened.map(\.identity) + rtpOperands).joined(separator: ", "))
            if let status {
                room.addObserver { event in status.event(event, line: textLine(event)) }
            } else {
                room.addObserver { event in
                    if let line = textLine(event) { Terminal.line(line) }
                }
            }
        }
        defer { status?.finish() }
        if !rtpOperands.isEmpty {
            let exitStatus = try LiveDetect.run(parsed: parsed, room: room, names: names, opened: opened, format: format,
                                                plot: plot, webhooks: webhooks, status: status, recorder: recorder)
            return max(exitStatus, Recording.finish(recorder), try WebhookSetup.finish(webhooks, parsed: parsed))
        }
        let runner = FileRoomRunner(
            participants: opened, room: room, frameMilliseconds: frame, durationSeconds: sourceOptions.durationSeconds)
        runner.onFrame = { identity, measure, start, duration in
            plot?.timeline.record(frame: measure, identity: identity, start: start, duration: duration)
            status?.frame(identity: identity, measure: measure, at: start)
        }
        let trap = SignalTrap { runner.stop() }
        defer { withExtendedLifetime(trap) {} }
        if let recorder {
            runner.record(with: recorder)
            recorder.start()
        }
        let pacer = parsed.has("--realtime") ? RealtimePacer() : nil
        let progress = RunProgress(sources: opened.map(\.source))
        defer { progress.finish() }
        runner.run { time in
            webhooks?.advance(to: time)
            progress.update(time.seconds)
            if let pacer {
                Terminal.flush()
                pacer.wait(untilMediaSeconds: time.seconds)
            }
        }
        Terminal.flush()
        try plot?.write()
        let exitStatus = SourceReport.report(
            command: "detect", errors: runner.errors, sources: opened.map(\.source),
            outcome: "the events of the audio before the cut were printed")
        return max(exitStatus, Recording.finish(recorder), try WebhookSetup.finish(webhooks, parsed: parsed))
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
        case .ingressStarted(let ingress, _):
            return time + "ingress \(ingress.kind.rawValue) \(ingress.source) started"
        case .ingressEnded(let ingress, let reason, _):
            return time + "ingress \(ingress.kind.rawValue) \(ingress.source) ended (\(reason.rawValue))"
        case .eventsDropped(let count, _):
            return time + "\(count) events dropped"
        }
    }
}
