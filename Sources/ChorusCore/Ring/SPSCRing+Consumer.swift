import Synchronization

extension SPSCRing {
    /// The popping end of an ``SPSCRing``: exactly one exists per ring, owned by one thread at a time.
    ///
    /// `~Copyable` so that the type system forbids a second consumer; move it to the consuming thread.
    /// Memory ordering: the consumer reads the producer's counter with an *acquiring* load (so that the
    /// slot contents written before the producer's releasing store are visible), and frees slots with a
    /// *releasing* store of its own counter (so that its reads of a slot finish before the producer may
    /// overwrite it). On x86-64 both compile to plain `mov` instructions.
    public struct Consumer: ~Copyable, @unchecked Sendable {
        @usableFromInline let ring: SPSCRing
        @usableFromInline let slots: UnsafeMutablePointer<Element>
        @usableFromInline let mask: Int
        @usableFromInline let capacity: Int
        /// Items popped so far (this side's counter; the atomic holds the published copy).
        @usableFromInline var head: Int = 0
        /// The producer's counter as last seen; only ever behind the real value, so it is safe.
        @usableFromInline var cachedTail: Int = 0

        init(ring: SPSCRing) {
            self.ring = ring
            self.slots = ring.slots
            self.mask = ring.capacity - 1
            self.capacity = ring.capacity
        }

        /// Slots in the ring (a power of two).
        public var ringCapacity: Int { self.capacity }

        /// Items available, refreshing the cached producer counter (acquiring) when it would say fewer than `wanted`.
        @inlinable @inline(__always)
        mutating func available(wanted: Int) -> Int {
            var count = self.cachedTail &- self.head
            if count < wanted {
                // Acquire: the producer's slot writes happen-before our reads of them.
                self.cachedTail = self.ring.tail.pointee.load(ordering: .acquiring)
                count = self.cachedTail &- self.head
            }
            return count
        }

        /// Removes and returns the oldest item, or nil when the ring is empty.
        ///
        /// - Note: acquiring load of the tail only when the cached copy says empty; releasing store of the head.
        /// - Complexity: O(1); no allocation, no lock, no system call.
        @inlinable
        public mutating func tryPop() -> Element? {
            guard self.available(wanted: 1) >= 1 else { return nil }
            let item = self.slots[self.head & self.mask]
            self.head &+= 1
            self.ring.head.pointee.store(self.head, ordering: .releasing)
            return item
        }

        /// Reads the oldest item in place and removes it afterwards (for large slots such as packets).
        ///
        /// Returns nil without calling `body` when the ring is empty. The pointer is valid only inside `body`.
        /// - Note: same orderings as ``tryPop()``; the slot is released only after `body` returns.
        @inlinable
        public mutating func withFront<R>(_ body: (UnsafePointer<Element>) throws -> R) rethrows -> R? {
            guard self.available(wanted: 1) >= 1 else { return nil }
            let result = try body(UnsafePointer(self.slots + (self.head & self.mask)))
            self.head &+= 1
            self.ring.head.pointee.store(self.head, ordering: .releasing)
            return result
        }

        /// Moves up to `buffer.count` of the oldest items into `buffer`, in order, with one publication.
        ///
        /// - Returns: how many were popped (written to a prefix of `buffer`).
        /// - Note: one acquiring load at most, one releasing store.
        /// - Complexity: O(n); at most two contiguous copies.
        @inlinable
        public mutating func pop(into buffer: UnsafeMutableBufferPointer<Element>) -> Int {
            guard let target = buffer.baseAddress, buffer.count > 0 else { return 0 }
            let n = min(buffer.count, self.available(wanted: buffer.count))
            guard n > 0 else { return 0 }
            let start = self.head & self.mask
            let first = min(n, self.capacity &- start)
            target.update(from: self.slots + start, count: first)
            if first < n { (target + first).update(from: self.slots, count: n &- first) }
            self.head &+= n
            self.ring.head.pointee.store(self.head, ordering: .releasing)
            return n
        }

        /// Whether the ring looks empty right now (refreshes the cached producer counter if needed).
        @inlinable
        public mutating func isEmpty() -> Bool { self.available(wanted: 1) == 0 }
    }
}
