import ChorusCore
import ChorusTestSupport

/// Feeds 48 kHz mono PCM tracks to a ``Room`` in lockstep frames, as the pipeline will, and
/// collects every event.
enum PCMRoomDriver {
    /// Runs a room over `tracks` (identity, samples) from time 0 and returns its events, including
    /// the end of each track and the room's close.
    ///
    /// - Parameters:
    ///   - frameMilliseconds: the decision period, and every track's frame size unless given in
    ///     `frameSizes` (milliseconds by identity, a multiple of the period).
    static func run(
        _ tracks: [(String, [Float])], configuration: RoomConfiguration = RoomConfiguration(), frameMilliseconds: Int = 10,
        frameSizes: [String: Int] = [:]
    ) -> [RoomEvent] {
        let room = Room(configuration: configuration)
        var events: [RoomEvent] = []
        room.addObserver { events.append($0) }
        for (identity, _) in tracks { room.publishTrack(identity: identity, at: .zero) }
        let frame = 48 * frameMilliseconds
        let longest = tracks.map(\.1.count).max() ?? 0
        var position = 0
        while position < longest {
            for (identity, samples) in tracks where position < samples.count {
                let size = 48 * (frameSizes[identity] ?? frameMilliseconds)
                guard position % size == 0 else { continue }
                let count = min(size, samples.count - position)
                let measure = samples[position..<(position + count)].withUnsafeBufferPointer { LevelKernel.measure($0) }
                room.observe(
                    identity: identity, measure: measure, duration: MediaTime(ticks: Int64(count)),
                    at: MediaTime(ticks: Int64(position)))
                if position + count >= samples.count {
                    room.endTrack(identity: identity, at: MediaTime(ticks: Int64(samples.count)))
                }
            }
            position += frame
            room.advance(to: MediaTime(ticks: Int64(position)))
        }
        room.close(at: MediaTime(ticks: Int64(longest)))
        return events
    }

    /// The intervals (seconds) during which `identity` was in the active-speaker list.
    static func listed(_ identity: String, in events: [RoomEvent]) -> [(from: Double, to: Double)] {
        var result: [(Double, Double)] = []
        var since: Double?
        var end = 0.0
        for event in events {
            end = event.time.seconds
            guard case .activeSpeakersChanged(let speakers, let time) = event else { continue }
            let present = speakers.contains { $0.identity == identity }
            if present, since == nil { since = time.seconds }
            if !present, let from = since {
                result.append((from, time.seconds))
                since = nil
            }
        }
        if let from = since { result.append((from, end)) }
        return result
    }

    /// The room's PCM tracks for `identities`.
    static func tracks(_ room: GeneratedRoom, _ identities: [String]) throws -> [(String, [Float])] {
        try identities.map { ($0, try room.pcm($0)) }
    }
}
