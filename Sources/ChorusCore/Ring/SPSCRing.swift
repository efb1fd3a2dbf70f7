import Synchronization

/// A bounded, lock-free, single-producer single-consumer ring of fixed-size values.
///
/// Why it exists: every audio track flows from one source thread (a UDP socket, a file reader) to one
/// worker. An SPSC ring needs no lock and no compare-and-swap: each side writes only its own index and
/// reads the other's, so the hot path is two plain loads, one copy and one store.
///
/// Design (see `/work/shared/anchors/swift-rings-style.md`):
/// - Capacity is a power of two; slots are allocated once, up front, and never resized.
/// - `head` (items consumed) and `tail` (items produced) are free-running `Int` counters, masked with
///   `capacity - 1` on access; the ring is full when `tail &- head == capacity` and empty when they are
///   equal, so no slot is wasted.
/// - Both counters live in one raw allocation aligned to 128 bytes, `head` at offset 0 and `tail` at
///   offset 128, so they never share a cache line (or an adjacent-line prefetch pair). Class instances
///   are only 16-byte aligned, which is why they are not class fields.
/// - The two ends are `~Copyable` handles, ``Producer`` and ``Consumer``, created once as a pair by
///   ``makeEndpoints(capacity:)``. The type system thus guarantees one producer and one consumer.
///   Each handle copies the slot pointer and mask and caches the other side's counter, reloading it
///   (acquiring) only when the cached value says "full" or "empty" (rigtorp's SPSCQueue trick).
///
/// Overflow policy: the producer cannot safely drop the *oldest* item (that slot belongs to the
/// consumer), so ``Producer/tryPush(_:)`` returns `false` when the ring is full and the caller drops
/// the *newest* item and counts it. For live media this is the right choice as well as the safe one:
/// a full ring means the consumer is behind, and whatever it reads next is already stale; the jitter
/// buffer downstream drops packets that arrive too late for playout (counted there as "late").
///
/// This class only owns the memory; all access goes through the handles, which keep it alive.
///
/// Assembly check (Swift 6.3.1, `swift build -c release`, `objdump -d .build/release/chorus-bench |
/// swift demangle`, the `RingBenchmark.spscRun` closures where `tryPush`/`tryPop` are inlined): no
/// `swift_beginAccess`, no call of any kind in the loops. A push is `and mask; mov item → slot; inc tail;
/// mov tail → [indices+128]` (the releasing store is a plain `mov` on x86-64), with the acquiring reload
/// of `head` (`mov [indices]`) only on the cached-full branch; a pop mirrors it. The handles being
/// `~Copyable` structs with `mutating` methods (not class `var`s) is what keeps the exclusivity checks out.
public final class SPSCRing<Element: BitwiseCopyable>: @unchecked Sendable {
    /// Byte offset of the producer's counter inside ``indices``; the consumer's is at 0.
    @usableFromInline static var tailOffset: Int { 128 }

    /// Number of slots (a power of two).
    public let capacity: Int
    @usableFromInline let indices: UnsafeMutableRawPointer
    @usableFromInline let slots: UnsafeMutablePointer<Element>

    /// Creates a ring's storage. Use ``makeEndpoints(capacity:)`` instead, which also hands out the
    /// only two handles.
    init(capacity requested: Int) {
        let wanted = min(max(1, requested), 1 << 30)
        var capacity = 1
        while capacity < wanted { capacity <<= 1 }
        self.capacity = capacity
        self.indices = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 128)
        self.indices.bindMemory(to: Atomic<Int>.self, capacity: 1).initialize(to: Atomic(0))
        (self.indices + Self.tailOffset).bindMemory(to: Atomic<Int>.self, capacity: 1).initialize(to: Atomic(0))
        self.slots = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    deinit {
        // Both Atomic<Int> are trivially destructible and Element is BitwiseCopyable: no deinitialize needed.
        self.indices.deallocate()
        self.slots.deallocate()
    }

    /// The consumer's counter (items popped so far): written only by the consumer.
    @usableFromInline var head: UnsafeMutablePointer<Atomic<Int>> {
        self.indices.assumingMemoryBound(to: Atomic<Int>.self)
    }

    /// The producer's counter (items pushed so far): written only by the producer.
    @usableFromInline var tail: UnsafeMutablePointer<Atomic<Int>> {
        (self.indices + Self.tailOffset).assumingMemoryBound(to: Atomic<Int>.self)
    }

    /// Creates a ring with at least `capacity` slots (rounded up to a power of two, clamped to
    /// 1...2³⁰) and returns its two handles. Take them apart with `let producer = endpoints.producer` / `let consumer = endpoints.consumer`.
    ///
    /// - Complexity: one allocation of `capacity` elements plus 256 bytes; never again afterwards.
    public static func makeEndpoints(capacity: Int) -> Endpoints {
        let ring = SPSCRing(capacity: capacity)
        return Endpoints(producer: Producer(ring: ring), consumer: Consumer(ring: ring))
    }

    /// The two handles of a new ring, created together so that exactly one of each exists.
    @frozen
    public struct Endpoints: ~Copyable {
        /// The only handle that may push.
        public var producer: Producer
        /// The only handle that may pop.
        public var consumer: Consumer
    }

    /// Items currently in the ring, as seen at the moment of the call (approximate while both sides run).
    ///
    /// For monitoring only: it loads both counters with acquiring loads.
    public var approximateCount: Int {
        let tail = self.tail.pointee.load(ordering: .acquiring)
        let head = self.head.pointee.load(ordering: .acquiring)
        return max(0, min(self.capacity, tail &- head))
    }
}
