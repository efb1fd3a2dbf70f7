// libFuzzer target: the jitter buffer (with the real Opus decoder behind it) fed arbitrary packet
// sequences. Each input is read as records: sequence step, timestamp step, arrival step, payload
// length, payload bytes; after each insert the due frames are released. Nothing may trap, frames
// must tile media time (each starts where the previous one ended), and every frame's samples must be
// within full scale.
import ChorusCore


@_cdecl("LLVMFuzzerTestOneInput")
public func jitterBufferFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let jitter = try? JitterBuffer() else { return 0 }
    var index = 0
    var sequence: UInt16 = 100
    var timestamp: UInt32 = 5000
    var arrival: UInt64 = 1_000_000_000
    var expectedStart: Int64? = nil
    func byte() -> UInt8? {
        guard index < size else { return nil }
        defer { index += 1 }
        return data[index]
    }
    func release(flush: Bool) {
        while let frame = jitter.nextFrame(now: arrival &+ 200_000_000, flush: flush) {
            if let start = expectedStart { precondition(frame.mediaTime == start, "frames must tile media time") }
            expectedStart = frame.mediaTime + Int64(frame.frameCount)
            for sample in frame.samples { precondition(sample >= -1 && sample <= 1) }
        }
    }
    while let step = byte(), let tsStep = byte(), let arrivalStep = byte(), let length = byte() {
        sequence &+= UInt16(bitPattern: Int16(Int8(bitPattern: step)))
        timestamp &+= UInt32(truncatingIfNeeded: Int32(Int8(bitPattern: tsStep)) * 120)
        arrival &+= UInt64(arrivalStep) * 1_000_000
        let count = min(Int(length), size - index)
        let payload = UnsafeRawBufferPointer(start: data + index, count: count)
        index += count
        _ = jitter.insert(sequence: sequence, timestamp: timestamp, ssrc: 42, payload: payload, arrival: arrival)
        release(flush: false)
    }
    release(flush: true)
    return 0
}
