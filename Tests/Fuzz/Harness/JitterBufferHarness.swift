import ChorusCore
import ChorusMedia

/// The jitter buffer, with the real Opus decoder behind it, fed arbitrary packet sequences.
///
/// The input is records of: sequence step (signed), timestamp step (signed, × 120 ticks), arrival
/// step (ms), payload length, payload bytes. After each insert the due frames are released; at the
/// end the buffer is flushed. Frames must tile media time (each starts where the previous one
/// ended) and every sample must be finite and within full scale.
enum JitterBufferHarness {
    static func run(_ bytes: UnsafeRawBufferPointer, _ findings: inout FuzzFindings) {
        guard let jitter = try? JitterBuffer() else {
            findings.expect(false, "cannot create a jitter buffer")
            return
        }
        var input = FuzzReader(bytes)
        var sequence: UInt16 = 100
        var timestamp: UInt32 = 5000
        var arrival: UInt64 = 1_000_000_000
        var expectedStart: Int64?
        func release(flush: Bool) {
            while let frame = jitter.nextFrame(now: arrival &+ 200_000_000, flush: flush) {
                if let start = expectedStart {
                    findings.expect(frame.mediaTime == start, "frame at \(frame.mediaTime), expected \(start)")
                }
                expectedStart = frame.mediaTime + Int64(frame.frameCount)
                // The SIMD kernel checks a frame at a time: a NaN or infinity makes the sum not finite.
                let measure = LevelKernel.measure(frame.samples)
                findings.expect(measure.sumOfSquares.isFinite && measure.peak <= 1,
                                "\(frame.kind) frame at \(frame.mediaTime): peak \(measure.peak), sum \(measure.sumOfSquares)")
            }
        }
        while let step = input.byte(), let tsStep = input.byte(), let arrivalStep = input.byte(), let length = input.byte() {
            sequence &+= UInt16(bitPattern: Int16(Int8(bitPattern: step)))
            timestamp &+= UInt32(truncatingIfNeeded: Int32(Int8(bitPattern: tsStep)) * 120)
            arrival &+= UInt64(arrivalStep) * 1_000_000
            let payload = input.take(Int(length))
            _ = jitter.insert(sequence: sequence, timestamp: timestamp, ssrc: 42, payload: payload, arrival: arrival)
            release(flush: false)
        }
        release(flush: true)
    }
}
