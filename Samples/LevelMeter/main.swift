// LevelMeter: a live terminal meter for a microphone, a pipe or an RTP source.
//
//   swift run LevelMeter mic:hw:0
//   swift run LevelMeter rtp://127.0.0.1:5004 --duration 30
//
// One line per participant, redrawn in place on a terminal (plain lines when piped): a bar for the
// RMS level, the peak, and a dot while Chorus lists the participant as speaking.
import Chorus
import ChorusCore
import ChorusMedia
import Foundation

var duration: Double?
var texts: [String] = []
var iterator = CommandLine.arguments.dropFirst().makeIterator()
while let argument = iterator.next() {
    if argument == "--duration", let value = iterator.next() { duration = Double(value) } else { texts.append(argument) }
}
guard !texts.isEmpty else {
    print("usage: LevelMeter [--duration S] SOURCE...   (mic, mic:DEVICE, pcm:-, rtp://HOST:PORT, FILE.opus)")
    exit(2)
}

do {
    var listeners: [LiveRoomRunner.Listener] = []
    var participants: [LiveRoomRunner.Participant] = []
    var options = SourceOpenOptions()
    options.durationSeconds = duration
    for text in texts {
        let spec = try SourceSpec(parsing: text)
        if case .rtp(let host, let port) = spec.kind {
            listeners.append(.init(host: host, port: port))
        } else {
            let source = try spec.openAudioSource(options)
            participants.append(.init(identity: spec.identity ?? text, source: source, paced: source is OggOpusFileSource))
        }
    }
    let room = Room(name: "meter")
    let runner = LiveRoomRunner(room: room, listeners: listeners, participants: participants)
    runner.durationSeconds = duration
    let interactive = isatty(STDOUT_FILENO) == 1
    var speaking: Set<String> = []
    var order: [String] = []
    var meters: [String: (level: Double, peak: Double)] = [:]
    var lastDraw = -1.0
    room.addObserver { event in
        if case .activeSpeakersChanged(let speakers, _) = event { speaking = Set(speakers.map(\.identity)) }
    }
    runner.onFrame = { identity, measure, start, _ in
        if meters[identity] == nil { order.append(identity) }
        meters[identity] = (measure.level.rmsDBFS, measure.level.peakDBFS)
        guard start.seconds - lastDraw >= 0.1 else { return }  // ten redraws a second
        lastDraw = start.seconds
        if interactive && !order.isEmpty { print("\u{1B}[\(order.count)F", terminator: "") }
        for name in order {
            let meter = meters[name]!
            let bar = LevelBar.render(dbfs: meter.level, width: 30)
            let dot = speaking.contains(name) ? "●" : " "
            let line = "\(dot) \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(bar) \(JSONLine.fixed(meter.level, decimals: 1)) dBFS (peak \(JSONLine.fixed(meter.peak, decimals: 1)))"
            print(interactive ? line + "\u{1B}[K" : "\(JSONLine.fixed(start.seconds, decimals: 1)) s " + line)
        }
        if interactive { fflush(nil) }
    }
    if interactive { print(String(repeating: "\n", count: max(1, participants.count)), terminator: "") }
    try runner.start()
    let signals = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { runner.stop() }
        source.resume()
        return source
    }
    runner.run()
    withExtendedLifetime(signals) {}
} catch {
    FileHandle.standardError.write(Data("LevelMeter: \(error)\n".utf8))
    exit(1)
}
