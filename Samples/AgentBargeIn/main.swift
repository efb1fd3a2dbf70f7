// AgentBargeIn: a voice agent that is talking stops the moment a participant starts to talk.
//
//   swift run AgentBargeIn --prompt-seconds 6 user=user.opus
//
// The agent "plays" a prompt of --prompt-seconds from media time 0. Chorus watches the user's track;
// on the user's first `isSpeakingChanged(true)` the agent stops its playback. Because Chorus decides
// every 10 ms frame in media time, the reaction is reported exactly, in media time: how long after
// the user's speech onset (the first frame above the detector's noise floor) the agent stopped.
// Output: one JSON line.
import Chorus
import ChorusCore
import ChorusMedia
import Foundation

var promptSeconds = 6.0
var sources: [String] = []
var iterator = CommandLine.arguments.dropFirst().makeIterator()
while let argument = iterator.next() {
    if argument == "--prompt-seconds", let value = iterator.next(), let seconds = Double(value) {
        promptSeconds = seconds
    } else {
        sources.append(argument)
    }
}
guard sources.count == 1 else {
    print("usage: AgentBargeIn [--prompt-seconds S] NAME=USER.opus")
    exit(2)
}

do {
    let spec = try SourceSpec(parsing: sources[0])
    let user = spec.identity ?? "user"
    let room = Room(name: "agent")
    let runner = FileRoomRunner(participants: [.init(identity: user, source: try spec.openAudioSource())], room: room)

    // The ground truth for the report: the first 10 ms frame of the user's track that is clearly
    // voiced (30 dB above the quietest frame seen before it).
    var quietest = 0.0
    var onset: Double?
    runner.onFrame = { _, measure, start, _ in
        let level = measure.level.rmsDBFS
        if onset == nil {
            if level > quietest + 30 && level > -50 { onset = start.seconds }
            quietest = min(quietest, level)
        }
    }
    var stoppedAt: Double?
    room.addObserver { event in
        if case .isSpeakingChanged(let identity, true, let time) = event, identity == user, stoppedAt == nil,
            time.seconds < promptSeconds {
            stoppedAt = time.seconds  // the agent stops its playback here
        }
    }
    runner.run()
    var json = JSONLine(event: "barge_in")
    json.string("identity", user)
    json.number("prompt_seconds", promptSeconds, decimals: 3)
    if let stoppedAt, let onset {
        json.number("speech_onset", onset, decimals: 3)
        json.number("agent_stopped", stoppedAt, decimals: 3)
        json.number("reaction_ms", (stoppedAt - onset) * 1000, decimals: 1)
        json.number("prompt_played", stoppedAt, decimals: 3)
    } else {
        json.bool("interrupted", false)
    }
    print(json.line)
} catch {
    FileHandle.standardError.write(Data("AgentBargeIn: \(error)\n".utf8))
    exit(1)
}
