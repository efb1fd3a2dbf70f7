import Chorus
import ChorusCore
import ChorusMedia

/// `chorus levels` with an rtp:// source: the live pipeline, windows cut from each participant's
/// frames on the room thread.
enum LiveLevels {
    static func run(parsed: ParsedArguments, interval: Int, format: OutputFormat) throws -> Int32 {
        let names = try NameMapping(parsed.all("--name"))
        var listeners: [LiveRoomRunner.Listener] = []
        var others: [String] = []
        for text in parsed.operands {
            let spec = try SourceSpec(parsing: text)
            if case .rtp(let host, let port) = spec.kind {
                listeners.append(.init(host: host, port: port, names: names.bySSRC))
            } else {
                others.append(text)
            }
        }
        var options = SourceOpenOptions()
        options.format = AudioFormat(
            sampleRate: try parsed.integer("--rate", in: AudioFormat.supportedRates, default: 48_000, unit: " Hz"),
            channels: try parsed.integer("--channels", in: AudioFormat.supportedChannels, default: 1))
        let opened = try ParticipantSources.open(others, options: options, localName: names.local,
                                                 example: "chorus levels rtp://127.0.0.1:5004", allowEmpty: true)
        var ingest = RTPIngestConfiguration()
        ingest.maxTracks = try parsed.integer("--max-tracks", in: 1...100_000, default: 1000)
        ingest.audioLevelExtensionID = UInt8(try parsed.integer("--audio-level-ext", in: 1...255, default: 1))
        let runner = LiveRoomRunner(
            room: Room(), listeners: listeners,
            participants: opened.map { .init(identity: $0.identity, source: $0.source, paced: $0.source is OggOpusFileSource) },
            ingest: ingest)
        runner.durationSeconds = try parsed.seconds("--duration")
        var windows: [String: LevelWindowAccumulator] = [:]
        func emit(_ window: LevelWindow?) {
            guard let window else { return }
            switch format {
            case .jsonl: Terminal.line(window.jsonLine)
            case .text: Terminal.line(LevelsCommand.textRow([window]))
            }
        }
        runner.onFrame = { identity, measure, start, duration in
            var accumulator = windows[identity] ?? LevelWindowAccumulator(intervalMilliseconds: interval)
            emit(accumulator.add(measure, duration: duration, at: start, identity: identity))
            windows[identity] = accumulator
        }
        try runner.start()
        if format == .text {
            Terminal.line("levels in \(interval) ms windows · listening on " + zip(listeners, runner.ports).map { "rtp://\($0.host):\($1)" }.joined(separator: ", "))
        }
        Terminal.flush()
        let trap = SignalTrap { runner.stop() }
        defer { withExtendedLifetime(trap) {} }
        runner.run()
        for identity in windows.keys.sorted() { emit(windows[identity]?.flush(identity: identity)) }
        Terminal.flush()
        return SourceReport.report(command: "levels", errors: runner.errors, sources: opened.map(\.source),
                                   outcome: "the levels of the audio before the cut were printed")
    }
}
