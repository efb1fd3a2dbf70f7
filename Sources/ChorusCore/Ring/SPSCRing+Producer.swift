import Synchronization

extension SPSCRing {
    /// The pushing end of an ``SPSCRing``: exactly one exists per ring, owned by one thread at a time.
    ///
    /// `~Copyable` so that the type system forbids a second producer; move it to the producing thread.
    /// Memory ordering: the producer reads its own counter from a plain local copy, reads the consumer's
    /// counter with an *acquiring* load (so that slots the consumer released are really free before they
    /// are overwritten), and publishes new items with a *releasing* store of its counter (so that the
    /// slot contents are visible before the consumer sees the new count). On x86-64 both compile to plain
    /// `mov` instructions.
    public struct Producer: ~Copyable, @unchecked Sendable {
        @usableFromInline let ring: SPSCRing
        @usableFromInline let slots: UnsafeMutablePointer<Element>
        @usableFromInline let mask: Int
        @usableFromInline let capacity: Int
        /// Items pushed so far (this side's counter; the atomic holds the published copy).
        @usableFromInline var tail: Int = 0
        /// The consumer's counter as last seen; only ever behind the real value, so it is safe.
        @usableFromInline var cachedHead: Int = 0

        init(ring: SPSCRing) {
            self.ring = ring
            self.slots = ring.slots
            self.mask = ring.capacity - 1
            self.capacity = ring.capacity
        }

        /// Slots in the ring (a power of two).
        public var ringCapacity: Int { self.capacity }

        /// Free slots, refreshing the cached consumer counter (acquiring) when it would say fewer than `wanted`.
        @inlinable @inline(__always)
        mutating func freeSlots(wanted: Int) -> Int {
            var free = self.capacity &- (self.tail &- self.cachedHead)
            if free < wanted {
                // Acquire: the consumer's reads of those slots happen-before our overwriting them.
                self.cachedHead = self.ring.head.pointee.load(ordering: .acquiring)
                free = self.capacity &- (self.tail &- self.cachedHead)
            }
            return free
        }

        /// Appends one item, or returns `false` (and changes nothing) when the ring is full.
        ///
        /// The caller owns the drop policy: count the refused item and drop it (the newest).
        /// - Note: releasing store of the tail after the slot is written; acquiring load of the head only
        ///   when the cached copy says full.
        /// - Complexity: O(1); no allocation, no lock, no system call.
        @inlinable
        public mutating func tryPush(_ item: Element) -> Bool {
            guard self.freeSlots(wanted: 1) >= 1 else { return false }
            self.slots[self.tail & self.mask] = item
            self.tail &+= 1
            self.ring.tail.pointee.store(self.tail, ordering: .releasing)
            return true
        }

        /// Writes one item in place (for large slots such as packets, to avoid building a copy first).
        ///
        /// `fill` receives the slot to initialize and returns whether to publish it; returning `false`
        /// abandons the slot. Returns `false` without calling `fill` when the ring is full.
        /// - Note: same orderings as ``tryPush(_:)``.
        /// - Complexity: O(1) plus `fill`.
        @inlinable
        public mutating func tryPush(_ fill: (UnsafeMutablePointer<Element>) -> Bool) -> Bool {
            guard self.freeSlots(wanted: 1) >= 1 else { return false }
            guard fill(self.slots + (self.tail & self.mask)) else { return false }
            self.tail &+= 1
            self.ring.tail.pointee.store(self.tail, ordering: .releasing)
            return true
        }

        /// Appends as many of `items` as fit, in order, with one counter publication for all of them.
        ///
        /// - Returns: how many were pushed (a prefix of `items`); the rest are the caller's to drop or retry.
        /// - Note: one acquiring load at most, one releasing store.
        /// - Complexity: O(n); at most two `memcpy`-like copies (the free region may wrap).
        @inlinable
        public mutating func push(contentsOf items: UnsafeBufferPointer<Element>) -> Int {
            guard let source = items.baseAddress, items.count > 0 else { return 0 }
            let n = min(items.count, self.freeSlots(wanted: items.count))
            guard n > 0 else { return 0 }
            let start = self.tail & self.mask
            let first = min(n, self.capacity &- start)
            (self.slots + start).update(from: source, count: first)
            if first < n { self.slots.update(from: source + first, count: n &- first) }
            self.tail &+= n
            self.ring.tail.pointee.store(self.tail, ordering: .releasing)
            return n
        }
    }
}
