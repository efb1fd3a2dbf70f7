import BenchSupport
import ChorusCore

#if canImport(Glibc)
import Glibc
#endif

/// `speakers.*`: the cost of the room and its detector per participant per 10 ms frame; the SIMD
/// level kernel's cost for the same frame (work every frame needs anyway) is reported beside it.
enum SpeakersBenchmark {
    static let participants = 16
    static let frames = 3000  // 30 s of media

    static func run(quick: Bool) -> [BenchmarkResult] {
        // Frame measures of talkers taking turns: 2 s bursts of syllable-modulated tone over a faint
        // noise floor, a different talker every 2 s, as level sums of real 480-sample blocks.
        let samples = UnsafeMutableBufferPointer<Float>.allocate(capacity: 480)
        defer { samples.deallocate() }
        var seed: UInt32 = 7
        var measures = [BlockMeasure](repeating: BlockMeasure(), count: participants * frames)
        for frame in 0..<frames {
            let talker = (frame / 200) % participants
            for participant in 0..<participants {
                let speaking = participant == talker && (frame / 25) % 4 != 3
                for i in 0..<480 {
                    seed = seed &* 1_664_525 &+ 1_013_904_223
                    let noise = Float(Int32(bitPattern: seed)) / Float(Int32.max) * 0.0005
                    let t = Float(frame * 480 + i) / 48_000
                    samples[i] = noise + (speaking ? 0.2 * sinf(2 * .pi * 180 * t) * (0.6 + 0.4 * sinf(2 * .pi * 4 * t)) : 0)
                }
                measures[frame * participants + participant] = LevelKernel.measure(UnsafeBufferPointer(samples))
            }
        }
        let names = (0..<participants).map { "p\($0)" }
        let runs = quick ? 3 : 9
        let tenMs = MediaTime.milliseconds(10)
        let roomTimes = measureRuns(runs: runs) {
            let room = Room()
            var events = 0
            room.addObserver { _ in events &+= 1 }
            for name in names { room.publishTrack(identity: name, at: .zero) }
            for frame in 0..<frames {
                let start = MediaTime(ticks: Int64(frame) * 480)
                for participant in 0..<participants {
                    room.observe(identity: names[participant], measure: identity(measures[frame * participants + participant]), duration: tenMs, at: start)
                }
                room.advance(to: start + tenMs)
            }
            return events
        }
        let kernelTimes = measureRuns(runs: runs) {
            var acc = 0
            for _ in 0..<(frames * participants / 64) {
                for _ in 0..<64 {
                    let m = LevelKernel.measure(identity(UnsafeBufferPointer(samples)))
                    acc &+= Int(m.peak * 1000)
                }
            }
            return acc
        }
        let perFrame = median(roomTimes) / Double(frames * participants)
        let kernel = median(kernelTimes) / Double(frames * participants / 64 * 64)
        return [
            BenchmarkResult(
                name: "speakers.room_frame", value: perFrame, unit: "ns/frame", goal: "< 1000 ns per participant-frame, 16 participants",
                extra: [("level_kernel_ns", kernel), ("participants", Double(participants))]),
        ]
    }
}
