import Chorus
import ChorusMedia

/// `chorus levels`: audio levels per participant per window of media time.
enum LevelsCommand {
    static let usage = "usage: chorus levels [--interval MS] [--format jsonl|text] [--per-channel] [--rate HZ] [--channels N] [--duration S] SOURCE..."

    static let options: [OptionSpec] = [
        OptionSpec(name: "--interval", value: "MS", help: "window length in milliseconds (default 20)"),
        OptionSpec(name: "--format", value: "jsonl|text", help: "jsonl: one JSON object a line; text: for people (default on a terminal)"),
        OptionSpec(name: "--per-channel", help: "also measure each channel of a stereo source on its own"),
        OptionSpec(name: "--rate", value: "HZ", help: "sample rate of pcm: sources (default 48000)"),
        OptionSpec(name: "--channels", value: "N", help: "channels of pcm: sources (default 1)"),
        OptionSpec(name: "--duration", value: "SECONDS", help: "stop after this many seconds of audio (for mic and pipes)"),
        OptionSpec(name: "--name", value: "NAME|SSRC=NAME", help: "identity of the local participant (mic, pcm:-; default \"local\"), or of an RTP SSRC; repeatable", repeatable: true),
        OptionSpec(name: "--realtime", help: "pace sources at real time instead of as fast as possible"),
        OptionSpec(name: "--quiet", help: "no progress on stderr (errors are still shown)"),
        OptionSpec(name: "--audio-level-ext", value: "ID", help: "RTP header extension id of the RFC 6464 audio level (default 1)"),
        OptionSpec(name: "--max-tracks", value: "N", help: "most RTP tracks a listener accepts (default 1000)"),
        OptionSpec(name: "--room", value: "NAME", help: "room name (default \"chorus\")"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static let summary = """
        Measures each SOURCE's audio level in windows of media time and prints one `levels` line per
        participant per window: rms_dbfs and peak_dbfs (0 dBFS = full-scale square wave), dbov (RFC 6464,
        0 loudest .. 127 silence) and level (linear RMS 0..1). Several sources are several participants in
        one room; their windows are aligned on media time.

        SOURCE:
          PATH.opus | NAME=PATH.opus   an Ogg Opus file; identity = NAME or the file stem
          pcm:- | pcm:PATH             raw interleaved s16le PCM from stdin or a file (see --rate, --channels)
          mic | mic:DEVICE             ALSA capture (device "default" unless named; see `chorus devices`)
          rtp://HOST:PORT              RTP/Opus on UDP, each SSRC a participant (ssrc-N or --name SSRC=NAME);
                                       live: time is the wall clock since start, --duration counts wall seconds

        Examples:
          chorus levels alice=alice.opus bob=bob.opus --interval 500 --format text
          arecord -q -f S16_LE -r 48000 -c 1 -t raw | chorus levels pcm:- --format jsonl
          chorus levels mic:hw:0 --duration 10 --interval 100
        """

    static func run(_ args: [String]) throws -> Int32 {
        guard let parsed = try Help.parse(args, usage: usage, summary: summary, options: options) else { return 0 }
        let format = try OutputFormat.from(parsed)
        let interval = try parsed.integer("--interval", in: 1...3_600_000, default: 20, unit: " ms")
        let options = try parsed.sourceOpenOptions()
        let duration = options.durationSeconds
        if parsed.operands.contains(where: { $0.contains("rtp://") }) {
            return try LiveLevels.run(parsed: parsed, interval: interval, format: format)
        }
        let participants = try ParticipantSources.open(
            parsed.operands, options: options, localName: try NameMapping(parsed.all("--name")).local, example: "chorus levels talk.opus")

        let analyzer = LevelsAnalyzer(participants: participants, intervalMilliseconds: interval,
                                      perChannel: parsed.has("--per-channel"), durationSeconds: duration)
        let trap = SignalTrap { analyzer.stop() }
        defer { withExtendedLifetime(trap) {} }
        let pacer = parsed.has("--realtime") ? RealtimePacer() : nil
        if format == .text {
            Terminal.line("levels in \(interval) ms windows · " + participants.map(\.identity).joined(separator: ", "))
        }
        var lastTime = 0.0
        let progress = RunProgress(sources: participants.map(\.source))
        defer { progress.finish() }
        while true {
            let windows = analyzer.nextWindows()
            if windows.isEmpty { break }
            lastTime = windows[0].time + Double(interval) / 1000
            switch format {
            case .jsonl:
                for window in windows { Terminal.line(window.jsonLine) }
            case .text:
                Terminal.line(textRow(windows))
            }
            pacer?.wait(untilMediaSeconds: lastTime)
            progress.update(lastTime)
        }
        Terminal.flush()
        return report(analyzer)
    }

    /// One row for people: the window's time, then a bar and the RMS for each participant.
    static func textRow(_ windows: [LevelWindow]) -> String {
        var row = windows[0].time.formatted(decimals: 2).leftPadded(to: 8) + " s"
        for window in windows {
            let dbfs = window.level.rmsDBFS
            row += "  \(window.identity) \(LevelBar.render(dbfs: dbfs, width: 20)) "
            row += (dbfs <= -127 ? "silent" : dbfs.formatted(decimals: 1) + " dBFS").leftPadded(to: 10)
        }
        return row
    }

    /// Tells what went wrong with any source, on stderr; exit status 1 if anything was lost.
    static func report(_ analyzer: LevelsAnalyzer) -> Int32 {
        SourceReport.report(
            command: "levels", errors: analyzer.errors, sources: analyzer.participants.map(\.source),
            outcome: "the levels of the audio before the cut were printed")
    }
}

extension Double {
    /// Fixed-point text with exactly `decimals` digits after the point, for aligned columns.
    func formatted(decimals: Int) -> String {
        var text = JSONLine.fixed(self, decimals: decimals)
        if decimals > 0 {
            if !text.contains(".") { text += "." }
            let have = text.count - 1 - text.distance(from: text.startIndex, to: text.firstIndex(of: ".")!)
            text += String(repeating: "0", count: decimals - have)
        }
        return text
    }
}

extension String {
    /// The string with spaces in front, at least `width` characters long.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
