import Synchronization

/// The events of a ``Room`` as an `AsyncSequence`, for consumers on other tasks or threads.
///
/// **Buffer policy.** The room never waits for a consumer. Each stream buffers up to
/// ``bufferLimit`` undelivered events; a consumer that falls further behind loses the *newest*
/// events beyond that bound (the ones it has are a gap-free prefix), and the loss is never silent:
/// ``droppedCount`` counts every dropped event (readable from any thread), and as soon as the
/// buffer has room again the stream delivers a ``RoomEvent/eventsDropped(count:time:)`` event
/// before the next event, carrying how many were lost. The stream finishes when the room is closed
/// (``Room/close(at:)``) or deinitialized.
///
/// For the lowest latency and no buffering at all, use ``Room/addObserver(_:)`` instead.
public struct RoomEventStream: AsyncSequence, Sendable {
    /// The element type: room events in order.
    public typealias Element = RoomEvent

    /// Most events held for a slow consumer before newer ones are dropped (and counted).
    public let bufferLimit: Int
    let stream: AsyncStream<RoomEvent>
    let counter: DropCounter

    /// Events dropped so far because the consumer was ``bufferLimit`` events behind.
    /// Safe to read from any thread.
    public var droppedCount: Int { self.counter.value.load(ordering: .relaxed) }

    /// Iterates over the events.
    public func makeAsyncIterator() -> AsyncStream<RoomEvent>.Iterator { self.stream.makeAsyncIterator() }

    /// The events of one participant, as ``ParticipantEvent``s (other events are skipped).
    public func participantEvents(for identity: String) -> AsyncCompactMapSequence<RoomEventStream, ParticipantEvent> {
        self.compactMap { $0.participantEvent(for: identity) }
    }

    /// Shared count of dropped events.
    final class DropCounter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The room's side of a stream: the continuation and the drops not yet reported.
    struct Feed {
        let continuation: AsyncStream<RoomEvent>.Continuation
        let counter: DropCounter
        var unreported = 0
        var terminated = false

        /// Delivers `event`, reporting earlier drops first if there is room now.
        mutating func send(_ event: RoomEvent) {
            if self.unreported > 0 {
                if case .enqueued = self.continuation.yield(.eventsDropped(count: self.unreported, time: event.time)) {
                    self.unreported = 0
                }
            }
            switch self.continuation.yield(event) {
            case .enqueued: break
            case .dropped:
                self.unreported += 1
                self.counter.value.add(1, ordering: .relaxed)
            case .terminated: self.terminated = true
            @unknown default: break
            }
        }
    }

    /// Makes a stream and the room's feed for it.
    static func make(bufferLimit: Int) -> (RoomEventStream, Feed) {
        let limit = Swift.max(1, bufferLimit)
        let (stream, continuation) = AsyncStream<RoomEvent>.makeStream(bufferingPolicy: .bufferingOldest(limit))
        let counter = DropCounter()
        return (RoomEventStream(bufferLimit: limit, stream: stream, counter: counter), Feed(continuation: continuation, counter: counter))
    }
}
