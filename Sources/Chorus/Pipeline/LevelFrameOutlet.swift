import ChorusCore
import Synchronization

/// One producing thread's path to the room thread: the producer end of an SPSC ring of
/// ``LevelFrame``s, with the count of frames refused because the room thread fell behind.
///
/// A final class so that a thread can own it (the ring's handles are `~Copyable`). Exactly one
/// thread pushes; the room thread pops from the matching ``LevelFrameInlet``.
final class LevelFrameOutlet: @unchecked Sendable {
    private var producer: SPSCRing<LevelFrame>.Producer
    /// Frames dropped because the ring was full (the newest is dropped, per the ring's policy).
    let dropped = Atomic<Int>(0)

    init(_ producer: consuming SPSCRing<LevelFrame>.Producer) {
        self.producer = producer
    }

    /// Pushes a frame; never blocks. A full ring drops it and counts it.
    @inline(__always)
    func push(_ frame: LevelFrame) {
        if !self.producer.tryPush(frame) {
            self.dropped.store(self.dropped.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        }
    }
}

/// The room thread's end of one producer's ring.
final class LevelFrameInlet: @unchecked Sendable {
    private var consumer: SPSCRing<LevelFrame>.Consumer

    init(_ consumer: consuming SPSCRing<LevelFrame>.Consumer) {
        self.consumer = consumer
    }

    /// Moves every waiting frame into `sink`, in order.
    @inline(__always)
    func drain(into sink: (LevelFrame) -> Void) {
        while let frame = self.consumer.tryPop() { sink(frame) }
    }
}

/// A connected outlet/inlet pair of `capacity` frames.
func makeLevelFrameChannel(capacity: Int) -> (LevelFrameOutlet, LevelFrameInlet) {
    // The two handles are ~Copyable: each is moved out of the pair exactly once.
    let endpoints = SPSCRing<LevelFrame>.makeEndpoints(capacity: capacity)
    let outlet = LevelFrameOutlet(endpoints.producer)
    let inlet = LevelFrameInlet(endpoints.consumer)
    return (outlet, inlet)
}
