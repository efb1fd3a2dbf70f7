import Chorus
import ChorusCore
import ChorusMedia

/// `chorus levels` with an rtp:// source: the live pipeline, windows cut from each participant's
/// frames on the room thread.
enum LiveLevels {
    static func run(parsed: ParsedArguments, interval: Int, format: OutputFormat) throws -> Int32 {
        let names = try NameMapping(parsed.all("--name"))
        let (listeners, others) = try parsed.rtpListeners(names: names)
        let options = try parsed.sourceOpenOptions()
        let opened = try ParticipantSources.open(others, options: options, localName: names.local,
                                                 example: "chorus levels rtp://127.0.0.1:5004", allowEmpty: true)
        let runner = LiveRoomRunner(room: Room(), listeners: listeners, participants: opened.map(LiveRoomRunner.Participant.init),
                                    ingest: try parsed.ingestConfiguration())
        runner.durationSeconds = options.durationSeconds
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
