import ChorusCore
import Foundation
import Testing

/// Moves a `~Copyable` handle into a thread's closure exactly once.
final class RingHandleBox<T: ~Copyable>: @unchecked Sendable {
    var value: T?
    init(_ value: consuming T) { self.value = consume value }
    func take() -> T { self.value.take()! }
}

@Suite("SPSCRing")
struct SPSCRingTests {
    @Test("capacity rounds up to a power of two; nonsense capacities are clamped")
    func capacityRounding() {
        let e = SPSCRing<Int>.makeEndpoints(capacity: 5)
        do { let ok = e.producer.ringCapacity == 8; #expect(ok) }
        let e1 = SPSCRing<Int>.makeEndpoints(capacity: 1)
        do { let ok = e1.consumer.ringCapacity == 1; #expect(ok) }
        let e2 = SPSCRing<Int>.makeEndpoints(capacity: 64)
        do { let ok = e2.producer.ringCapacity == 64; #expect(ok) }
        // Nonsense capacities are clamped, never a trap.
        let e3 = SPSCRing<Int>.makeEndpoints(capacity: -5)
        do { let ok = e3.producer.ringCapacity == 1; #expect(ok) }
    }

    @Test("empty pops nothing; full refuses; FIFO order through many wraps")
    func wrapFullEmpty() {
        let endpoints = SPSCRing<Int>.makeEndpoints(capacity: 4)
        var producer = endpoints.producer
        var consumer = endpoints.consumer
        do { let ok = consumer.tryPop() == nil; #expect(ok) }
        do { let ok = consumer.isEmpty(); #expect(ok) }
        var next = 0
        var expected = 0
        for round in 0..<1000 {
            // Fill to full, check the refusal, then drain a round-dependent amount.
            while producer.tryPush(next) { next += 1 }
            #expect(next - expected == 4, "full at exactly capacity")
            do { let ok = !producer.tryPush(-1); #expect(ok) }
            let drain = 1 + round % 4
            for _ in 0..<drain {
                do { let ok = consumer.tryPop() == expected; #expect(ok) }
                expected += 1
            }
        }
        while let v = consumer.tryPop() {
            #expect(v == expected)
            expected += 1
        }
        #expect(expected == next)
        do { let ok = consumer.tryPop() == nil; #expect(ok) }
    }

    @Test("bulk push and pop wrap around the end of the slots")
    func bulk() {
        let endpoints = SPSCRing<UInt32>.makeEndpoints(capacity: 8)
        var producer = endpoints.producer
        var consumer = endpoints.consumer
        let source = (0..<20).map { UInt32($0) }
        var out = [UInt32](repeating: 0, count: 20)
        source.withUnsafeBufferPointer { src in
            do { let ok = producer.push(contentsOf: UnsafeBufferPointer(rebasing: src[0..<5])) == 5; #expect(ok) }
            out.withUnsafeMutableBufferPointer { dst in
                do { let ok = consumer.pop(into: UnsafeMutableBufferPointer(rebasing: dst[0..<3])) == 3; #expect(ok) }
                // 2 left; 6 free; pushing 10 pushes 6, wrapping.
                do { let ok = producer.push(contentsOf: UnsafeBufferPointer(rebasing: src[5..<15])) == 6; #expect(ok) }
                do { let ok = producer.push(contentsOf: UnsafeBufferPointer(rebasing: src[11..<15])) == 0; #expect(ok) }
                do { let ok = consumer.pop(into: UnsafeMutableBufferPointer(rebasing: dst[3..<20])) == 8; #expect(ok) }
                do { let ok = consumer.pop(into: UnsafeMutableBufferPointer(rebasing: dst[11..<20])) == 0; #expect(ok) }
            }
        }
        #expect(Array(out[0..<11]) == Array(source[0..<11]))
    }

    @Test("in-place push and withFront pop; an abandoned in-place push publishes nothing")
    func inPlace() {
        let endpoints = SPSCRing<SIMD4<Int32>>.makeEndpoints(capacity: 2)
        var producer = endpoints.producer
        var consumer = endpoints.consumer
        do { let ok = producer.tryPush { $0.pointee = SIMD4(1, 2, 3, 4); return true }; #expect(ok) }
        do { let ok = !producer.tryPush { $0.pointee = SIMD4(9, 9, 9, 9); return false }; #expect(ok) }
        do { let ok = producer.tryPush { $0.pointee = SIMD4(5, 6, 7, 8); return true }; #expect(ok) }
        var called = false
        do { let ok = !producer.tryPush { _ in called = true; return true }; #expect(ok) }
        #expect(!called, "fill is not called on a full ring")
        do { let ok = consumer.withFront { $0.pointee.x } == 1; #expect(ok) }
        do { let ok = consumer.withFront { $0.pointee.w } == 8; #expect(ok) }
        do { let ok = consumer.withFront { $0.pointee.x } == nil; #expect(ok) }
    }

    @Test("a two-slot ring wraps 100,000 times without losing order")
    func longRun() {
        // Two million items through a tiny ring exercise wrap logic many thousands of times.
        let endpoints = SPSCRing<Int>.makeEndpoints(capacity: 2)
        var producer = endpoints.producer
        var consumer = endpoints.consumer
        var sum = 0
        for i in 0..<200_000 {
            do { let ok = producer.tryPush(i); #expect(ok) }
            if i % 2 == 1 {
                sum += consumer.tryPop()! + consumer.tryPop()!
            }
        }
        #expect(sum == (0..<200_000).reduce(0, +))
    }

    @Test("two threads: 4 million items arrive complete and in order", .timeLimit(.minutes(1)))
    func twoThreadStress() async throws {
        let total = 4_000_000
        let endpoints = SPSCRing<Int>.makeEndpoints(capacity: 1024)
        let producerBox = RingHandleBox(endpoints.producer)
        let consumerBox = RingHandleBox(endpoints.consumer)
        let done = DispatchSemaphore(value: 0)
        let result = RingStressResult()
        let producerThread = Thread {
            var producer = producerBox.take()
            var i = 0
            var chunk = [Int](repeating: 0, count: 64)
            while i < total {
                // Mix single and bulk pushes.
                let before = i
                if i % 3 == 0 {
                    if producer.tryPush(i) { i += 1 }
                } else {
                    let n = min(64, total - i)
                    for k in 0..<n { chunk[k] = i + k }
                    i += chunk.withUnsafeBufferPointer { producer.push(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<n])) }
                }
                if i == before { sched_yield() }  // full: let the consumer run if it shares our core
            }
            done.signal()
        }
        let consumerThread = Thread {
            var consumer = consumerBox.take()
            var expected = 0
            var outOfOrder = 0
            var buffer = [Int](repeating: 0, count: 50)
            while expected < total {
                if expected % 2 == 0, let v = consumer.tryPop() {
                    if v != expected { outOfOrder += 1 }
                    expected += 1
                } else {
                    let n = buffer.withUnsafeMutableBufferPointer { consumer.pop(into: $0) }
                    for k in 0..<n where buffer[k] != expected + k { outOfOrder += 1 }
                    expected += n
                    if n == 0 { sched_yield() }  // empty: let the producer run if it shares our core
                }
            }
            result.set(received: expected, outOfOrder: outOfOrder)
            done.signal()
        }
        producerThread.start()
        consumerThread.start()
        done.wait()
        done.wait()
        let (received, outOfOrder) = result.get()
        #expect(received == total)
        #expect(outOfOrder == 0)
    }
}

/// Hands the consumer thread's findings back to the test.
final class RingStressResult: @unchecked Sendable {
    private let lock = NSLock()
    private var received = 0
    private var outOfOrder = 0
    func set(received: Int, outOfOrder: Int) {
        self.lock.lock(); defer { self.lock.unlock() }
        self.received = received
        self.outOfOrder = outOfOrder
    }
    func get() -> (Int, Int) {
        self.lock.lock(); defer { self.lock.unlock() }
        return (self.received, self.outOfOrder)
    }
}
