import ChorusCore
import ChorusTestSupport
import Foundation
import Testing

/// Events leaving the room's thread for a consumer task, as the pipeline will use them
/// (named so that `make tsan` runs it).
@Suite("RoomEventStream")
struct RoomEventStreamTests {
    /// Hands the room to the thread that drives it; only that thread touches it afterwards.
    final class Handoff: @unchecked Sendable {
        let room: Room
        let tracks: [(String, [Float])]
        init(room: Room, tracks: [(String, [Float])]) {
            self.room = room
            self.tracks = tracks
        }
    }

    /// Drives `handoff.room` over its tracks on a new thread, in 10 ms frames, then closes it.
    static func drive(_ handoff: Handoff, recording: @escaping @Sendable ([RoomEvent]) -> Void) {
        let thread = Thread {
            let room = handoff.room
            var seen: [RoomEvent] = []
            room.addObserver { seen.append($0) }
            for (identity, _) in handoff.tracks { room.publishTrack(identity: identity, at: .zero) }
            let length = handoff.tracks.map(\.1.count).max()!
            var position = 0
            while position + 480 <= length {
                for (identity, samples) in handoff.tracks {
                    let measure = samples[position..<(position + 480)].withUnsafeBufferPointer { LevelKernel.measure($0) }
                    room.observe(identity: identity, measure: measure, duration: .milliseconds(10), at: MediaTime(ticks: Int64(position)))
                }
                position += 480
                room.advance(to: MediaTime(ticks: Int64(position)))
            }
            room.close(at: MediaTime(ticks: Int64(position)))
            recording(seen)
        }
        thread.start()
    }

    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [RoomEvent] = []
        func set(_ events: [RoomEvent]) { self.lock.withLock { self.events = events } }
        var value: [RoomEvent] { self.lock.withLock { self.events } }
    }

    @Test("a consumer task on another thread gets every event in the room's order")
    func crossThread() async throws {
        let generated = try GeneratedRoom.small(seed: SpeakerDetectorTests.seed)
        let room = Room()
        let stream = room.events(bufferLimit: 100_000)
        let recorder = Recorder()
        Self.drive(Handoff(room: room, tracks: try PCMRoomDriver.tracks(generated, ["alice", "bob", "dave"]))) { recorder.set($0) }
        var received: [RoomEvent] = []
        for await event in stream { received.append(event) }
        #expect(stream.droppedCount == 0)
        #expect(received == recorder.value)
        #expect(received.contains { if case .activeSpeakersChanged(let s, _) = $0 { !s.isEmpty } else { false } })
    }

    @Test("a consumer that does not keep up loses the newest events, and every loss is counted")
    func slowConsumer() async throws {
        let generated = try GeneratedRoom.small(seed: SpeakerDetectorTests.seed)
        let room = Room()
        let stream = room.events(bufferLimit: 8)
        let recorder = Recorder()
        // Nothing reads the stream until the room is closed: everything past 8 events is dropped.
        let done = DispatchSemaphore(value: 0)
        Self.drive(Handoff(room: room, tracks: try PCMRoomDriver.tracks(generated, ["alice", "bob", "dave"]))) {
            recorder.set($0)
            done.signal()
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                done.wait()
                continuation.resume()
            }
        }
        var received: [RoomEvent] = []
        for await event in stream { received.append(event) }
        let all = recorder.value
        #expect(received == Array(all.prefix(8)), "the buffered events are the oldest, in order")
        #expect(stream.droppedCount == all.count - 8)
        #expect(all.count > 20)
    }
}
