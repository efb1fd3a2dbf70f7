import ChorusCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One producing thread's path to the ``TrackRecorder``: the producer end of a ring of audio chunks.
/// Pushing copies the samples into a preallocated slot and never blocks; a full ring drops the
/// chunk and counts it (the recording then has a gap, reported at the end).
public final class RecordingOutlet: @unchecked Sendable {
    private var producer: SPSCRing<AudioChunk>.Producer
    /// Chunks dropped because the recorder fell behind.
    let dropped = Atomic<Int>(0)

    /// Whether a full ring makes the pusher wait (offline) instead of dropping (live).
    let waitWhenFull: Bool

    init(_ producer: consuming SPSCRing<AudioChunk>.Producer, waitWhenFull: Bool) {
        self.producer = producer
        self.waitWhenFull = waitWhenFull
    }

    /// Queues `samples` (interleaved, `channels` channels at `sampleRate`) of `track` for recording.
    /// No allocation, no lock, no system call (an offline outlet sleeps while the ring is full).
    func push(track: Int32, samples: UnsafeBufferPointer<Float>, sampleRate: Int, channels: Int) {
        var offset = 0
        let step = AudioChunk.capacity - AudioChunk.capacity % max(1, channels)
        while offset < samples.count {
            let count = min(step, samples.count - offset)
            var pushed = false
            while true {
                pushed = self.producer.tryPush { slot in
                slot.pointee.track = track
                slot.pointee.count = Int32(count)
                slot.pointee.sampleRate = Int32(sampleRate)
                slot.pointee.channels = Int32(channels)
                let destination = UnsafeMutableRawPointer(slot) + MemoryLayout<AudioChunk>.offset(of: \AudioChunk.samples)!
                destination.copyMemory(from: samples.baseAddress! + offset, byteCount: count * MemoryLayout<Float>.stride)
                return true
                }
                if pushed || !self.waitWhenFull { break }
                usleep(1_000)
            }
            if !pushed { self.dropped.add(1, ordering: .relaxed) }
            offset += count
        }
    }
}

/// The recorder thread's end of one producer's ring.
final class RecordingInlet {
    private var consumer: SPSCRing<AudioChunk>.Consumer

    init(_ consumer: consuming SPSCRing<AudioChunk>.Consumer) {
        self.consumer = consumer
    }

    /// Hands the oldest chunk to `body` and releases its slot; nil when the ring is empty.
    func withFront<R>(_ body: (UnsafePointer<AudioChunk>) -> R) -> R? {
        self.consumer.withFront(body)
    }
}
