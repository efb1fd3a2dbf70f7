import Chorus
import ChorusCore
import ChorusMedia

/// The live half of `chorus detect`: RTP listeners (plus any mics, pipes and real-time files) through
/// the lock-free pipeline, with wall-clock room time.
enum LiveDetect {
    static func run(parsed: ParsedArguments, room: Room, names: NameMapping,
                    opened: [ParticipantSource], format: OutputFormat, plot: PlotWriter?, webhooks: RoomWebhookBridge?, status: LiveStatusLine?, recorder: TrackRecorder?) throws -> Int32 {
        let listeners = try parsed.rtpListeners(names: names).listeners
        let ingest = try parsed.ingestConfiguration()
        var jitter = JitterConfiguration()
        jitter.reorderWindowMilliseconds = try parsed.integer("--reorder-window", in: 0...2000, default: 60, unit: " ms")
        let workers = parsed.value("--workers") == nil ? nil : try parsed.integer("--workers", in: 1...256, default: 1)
        let participants = opened.map(LiveRoomRunner.Participant.init)
        let levels: LiveRoomRunner.LevelSource
        switch parsed.value("--levels-from") ?? "decode" {
        case "decode": levels = .decodedAudio
        case "header": levels = .headerExtension
        case let other: throw UsageError("--levels-from \(other): expected decode or header")
        }
        let runner = LiveRoomRunner(room: room, listeners: listeners, participants: participants, workers: workers,
                                    jitter: jitter, ingest: ingest, levels: levels)
        runner.durationSeconds = try parsed.seconds("--duration")
        if let webhooks { runner.onTick = { webhooks.advance(to: $0) } }
        runner.onHealth = { health in
            var json = JSONLine(event: health.overloaded ? "pipeline_overloaded" : "pipeline_recovered")
            json.number("time", health.time.seconds, decimals: 3)
            json.integer("dropped_packets", health.droppedPackets)
            json.integer("dropped_frames", health.droppedFrames)
            json.integer("tracks", health.tracks)
            if format == .jsonl { Terminal.line(json.line) } else { Terminal.error("chorus detect: \(json.line)") }
        }
        runner.onFrame = { identity, measure, start, duration in
            plot?.timeline.record(frame: measure, identity: identity, start: start, duration: duration)
            status?.frame(identity: identity, measure: measure, at: start)
        }
        if let recorder {
            runner.record(with: recorder)
            recorder.start()
        }
        try runner.start()
        if format == .text {
            Terminal.line("listening on " + zip(listeners, runner.ports).map { "rtp://\($0.host):\($1)" }.joined(separator: ", "))
        }
        Terminal.flush()
        let trap = SignalTrap { runner.stop() }
        defer { withExtendedLifetime(trap) {} }
        runner.run()
        Terminal.flush()
        if parsed.has("--stats") { printStatistics(runner, format: format, time: room.now) }
        try plot?.write()
        Terminal.flush()
        return SourceReport.report(
            command: "detect", errors: runner.errors, sources: opened.map(\.source),
            outcome: "the events of the audio before the cut were printed")
    }

    /// One `track_stats` line per track (and one `ingest_stats` per listener).
    static func printStatistics(_ runner: LiveRoomRunner, format: OutputFormat, time: MediaTime) {
        for track in runner.statistics {
            var json = JSONLine(event: "track_stats")
            json.number("time", time.seconds, decimals: 3)
            json.string("identity", track.identity)
            if let ssrc = track.ssrc { json.integer("ssrc", Int(ssrc)) }
            if let s = track.jitter {
                json.integer("received", s.received)
                json.integer("lost", s.lost)
                json.integer("recovered_fec", s.recoveredByFEC)
                json.integer("concealed", s.concealed)
                json.integer("duplicates", s.duplicates)
                json.integer("late", s.late)
                json.integer("dropped_ring_full", s.droppedRingFull)
                json.integer("decode_errors", s.decodeErrors)
            }
            json.integer("dropped_frames", track.droppedFrames)
            if format == .jsonl {
                Terminal.line(json.line)
            } else if let s = track.jitter {
                Terminal.line("stats \(track.identity): received \(s.received), lost \(s.lost), FEC \(s.recoveredByFEC), concealed \(s.concealed), duplicates \(s.duplicates), late \(s.late), ring-full drops \(s.droppedRingFull)")
            }
        }
        for (index, s) in runner.ingestStatistics.enumerated() {
            var json = JSONLine(event: "ingest_stats")
            json.number("time", time.seconds, decimals: 3)
            json.integer("listener", index)
            json.integer("datagrams", s.datagrams)
            json.integer("malformed", s.malformed)
            json.integer("refused_tracks", s.refusedTracks)
            json.integer("refused_packets", s.refusedPackets)
            json.integer("tracks", s.tracks)
            if format == .jsonl {
                Terminal.line(json.line)
            } else {
                Terminal.line("listener \(index): \(s.datagrams) datagrams, \(s.malformed) malformed, \(s.tracks) tracks, \(s.refusedTracks) refused")
            }
        }
    }
}
