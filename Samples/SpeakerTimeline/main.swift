// SpeakerTimeline: draws a room as an SVG timeline, from Ogg Opus files.
//
//   swift run SpeakerTimeline room.svg alice=alice.opus bob=bob.opus
//
// One lane a participant with its level over time, green bars where Chorus listed it as speaking,
// red marks for the other room events. (`chorus detect --plot room.svg ...` does the same.)
import Chorus
import ChorusCore
import ChorusMedia
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2, arguments[0].hasSuffix(".svg") else {
    print("usage: SpeakerTimeline OUT.svg NAME=FILE.opus...")
    exit(2)
}

do {
    let participants = try arguments.dropFirst().map { text -> FileRoomRunner.Participant in
        let spec = try SourceSpec(parsing: text)
        return FileRoomRunner.Participant(identity: spec.identity ?? text, source: try spec.openAudioSource())
    }
    let room = Room(name: "timeline")
    var timeline = RoomTimeline()
    room.addObserver { timeline.record($0) }
    let runner = FileRoomRunner(participants: participants, room: room)
    runner.onFrame = { identity, measure, start, duration in
        timeline.record(frame: measure, identity: identity, start: start, duration: duration)
    }
    runner.run()
    timeline.finish()
    try timeline.svg().write(toFile: arguments[0], atomically: true, encoding: .utf8)
    for lane in timeline.lanes {
        let spoke = lane.speaking.map { "\(JSONLine.fixed($0.lowerBound, decimals: 2))-\(JSONLine.fixed($0.upperBound, decimals: 2)) s" }
        print("\(lane.identity): speaking \(spoke.isEmpty ? "never" : spoke.joined(separator: ", "))")
    }
    print("wrote \(arguments[0])")
} catch {
    FileHandle.standardError.write(Data("SpeakerTimeline: \(error)\n".utf8))
    exit(1)
}
