import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Delivers one endpoint's events: a FIFO per ordering key with one request in flight per key, retries with
/// backoff, dead-lettering, and the endpoint's durable outbox.
///
/// All state is behind one lock, held only for bookkeeping: the journal's `write(2)` and creating a request's
/// task happen under it, but no network I/O and no `fsync` (except the rare compaction of an idle journal).
/// Requests start on a Dispatch global queue, never on the enqueuing thread.
final class EndpointDelivery: Sendable {
    /// The endpoint.
    let endpoint: WebhookEndpoint
    private let signer: WebhookSigner
    private let retry: WebhookRetryPolicy
    private let maximumAge: TimeInterval
    private let attemptTimeout: TimeInterval
    private let onDeadLetter: (@Sendable (WebhookDeadLetter) -> Void)?
    private let outboxDirectory: URL?
    private let session: URLSession
    private let state: Locked<State>

    /// Compact the journal once it has grown past this many bytes and at most this many events are pending:
    /// the rewrite (with its `fsync`) happens under the lock, so it is kept small and rare.
    static let compactionPendingLimit = 256

    /// Opens the endpoint's outbox (if any) and loads what it holds; call ``start()`` to send it.
    init(endpoint: WebhookEndpoint, configuration: WebhookNotifier.Configuration, session: URLSession)
        throws(WebhookOutboxError)
    {
        self.endpoint = endpoint
        self.signer = endpoint.signer ?? configuration.signer
        self.retry = configuration.retry
        self.maximumAge = configuration.maximumAge
        self.attemptTimeout = configuration.attemptTimeout
        self.onDeadLetter = configuration.onDeadLetter
        self.session = session
        var state = State()
        state.compactionThreshold = configuration.compactionThreshold
        if let root = configuration.queueDirectory {
            let directory = root.appendingPathComponent(endpoint.outboxDirectoryName)
            let journal = try OutboxJournal(directory: directory)
            try? endpoint.url.absoluteString.write(
                to: directory.appendingPathComponent("url"), atomically: true, encoding: .utf8)
            state.sequences = journal.recoveredSequences
            for record in journal.recovered {
                state.queues[record.key, default: KeyQueue()].items.append(
                    Pending(record: record, bodyHash: WebhookSigner.bodyHash(record.body)))
            }
            state.counters.recovered = journal.recovered.count
            state.counters.pending = journal.recovered.count
            state.journal = journal
            self.outboxDirectory = directory
        } else {
            self.outboxDirectory = nil
        }
        self.state = Locked(state)
    }

    // MARK: - Enqueueing

    /// Starts sending the events recovered from the outbox.
    func start() {
        let keys = self.state.withLock { state in
            state.queues.keys.filter { key in
                guard state.queues[key]!.busy == false else { return false }
                state.queues[key]!.busy = true
                return true
            }
        }
        for key in keys { self.scheduleHead(key) }
    }

    /// Appends an event to its key's queue (and the outbox) and returns; sending happens elsewhere.
    ///
    /// - Returns: false if the endpoint was stopped.
    func enqueue(id: String, event: WebhookEvent.Name, key: String, body: Data, bodyHash: String, now: Date) -> Bool {
        let start: Bool? = self.state.withLock { state in
            guard !state.stopped else { return nil }
            let number = state.journal?.takeNumber() ?? state.takeNumber()
            let sequence = (state.sequences[key] ?? 0) + 1
            state.sequences[key] = event == .roomFinished ? nil : sequence
            let record = OutboxRecord(
                number: number, enqueuedAtMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()),
                sequence: sequence, key: key, id: id, event: event.rawValue, body: body)
            if let journal = state.journal {
                do { try journal.append(record) } catch { state.counters.outboxErrors += 1 }
            }
            state.queues[key, default: KeyQueue()].items.append(Pending(record: record, bodyHash: bodyHash))
            state.counters.enqueued += 1
            state.counters.pending += 1
            guard state.queues[key]!.busy == false else { return false }
            state.queues[key]!.busy = true
            return true
        }
        if start == true { self.scheduleHead(key) }
        return start != nil
    }

    /// Queues again every event of this endpoint's dead-letter file (same id, same body), after renaming the
    /// file to `dead-letter.replayed-<unix ms>.jsonl`, which is kept as a record.
    ///
    /// - Returns: How many events were queued again.
    func replayDeadLetters(now: Date) -> Int {
        guard let directory = self.outboxDirectory else { return 0 }
        let path = directory.appendingPathComponent("dead-letter.jsonl").path
        let replayed = directory.appendingPathComponent(
            "dead-letter.replayed-\(Int64(now.timeIntervalSince1970 * 1000)).jsonl")
        guard rename(path, replayed.path) == 0, let data = try? Data(contentsOf: replayed) else { return 0 }
        var count = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let letter = WebhookDeadLetter(jsonLine: line) else { continue }
            let queued = self.enqueue(
                id: letter.id, event: WebhookEvent.Name(rawValue: letter.event), key: letter.key, body: letter.body,
                bodyHash: WebhookSigner.bodyHash(letter.body), now: now)
            if queued { count += 1 }
        }
        return count
    }

    // MARK: - Sending

    private func scheduleHead(_ key: String, after delay: TimeInterval = 0) {
        if delay > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) { self.attemptHead(key) }
        } else {
            DispatchQueue.global().async { self.attemptHead(key) }
        }
    }

    /// Sends the head of `key`'s queue, or gives it up if it is too old; marks the queue idle when empty.
    private func attemptHead(_ key: String) {
        let now = Date()
        enum Step {
            case idle
            case send(Pending, syncDescriptor: Int32?)
            case giveUp(Pending, WebhookDeadLetter.Reason)
        }
        let step: Step = self.state.withLock { state in
            guard !state.stopped, let pending = state.queues[key]?.first else {
                if !state.stopped { state.finishQueue(key) }
                return .idle
            }
            if Self.age(of: pending.record, now: now) > self.maximumAge { return .giveUp(pending, .expired) }
            state.queues[key]!.incrementHeadAttempts()
            return .send(state.queues[key]!.first!, syncDescriptor: state.journal?.takeDirtyDescriptor())
        }
        switch step {
        case .idle:
            return
        case .giveUp(let pending, let reason):
            self.giveUp(pending, key: key, reason: reason)
        case .send(let pending, let descriptor):
            if let descriptor { fsync(descriptor) }
            self.send(pending, key: key)
        }
    }

    private func send(_ pending: Pending, key: String) {
        var request = URLRequest(url: self.endpoint.url)
        request.httpMethod = "POST"
        request.httpBody = pending.record.body
        // swift-corelibs-foundation truncates this to whole seconds (0.5 s becomes an immediate timeout), so
        // it is only a coarse bound; the timer below enforces the per-attempt timeout exactly.
        request.timeoutInterval = Self.coarseTimeout(self.attemptTimeout)
        request.setValue("application/webhook+json", forHTTPHeaderField: "Content-Type")
        request.setValue(self.signer.authorization(bodyHash: pending.bodyHash), forHTTPHeaderField: "Authorization")
        request.setValue(pending.record.id, forHTTPHeaderField: "Webhook-Id")
        request.setValue(String(pending.record.sequence), forHTTPHeaderField: "Webhook-Sequence")
        request.setValue(String(pending.attempts), forHTTPHeaderField: "Webhook-Attempt")
        request.setValue("LiveKit", forHTTPHeaderField: "User-Agent")
        let number = pending.record.number
        // The task is created under the lock, after checking that the endpoint is not stopped: the notifier
        // invalidates the session right after stopping, and creating a task on an invalidated session traps.
        let task: URLSessionDataTask? = self.state.withLock { state in
            guard !state.stopped else { return nil }
            let task = self.session.dataTask(with: request) { _, response, error in
                self.complete(key: key, number: number, response: response as? HTTPURLResponse, error: error)
            }
            state.inFlight[number] = task
            return task
        }
        guard let task else { return }
        // A backstop for the per-attempt timeout: URLRequest's timeout is an idle timeout in some Foundations.
        DispatchQueue.global().asyncAfter(deadline: .now() + self.attemptTimeout) { [weak task] in task?.cancel() }
        task.resume()
    }

    private func complete(key: String, number: UInt64, response: HTTPURLResponse?, error: (any Error)?) {
        let outcome = DeliveryOutcome(response: response, error: error)
        let now = Date()
        enum Step {
            case none
            case next
            case retry(after: TimeInterval)
            case giveUp(Pending, WebhookDeadLetter.Reason)
        }
        let step: Step = self.state.withLock { state in
            state.inFlight[number] = nil
            guard !state.stopped, let pending = state.queues[key]?.first, pending.record.number == number else {
                return .none
            }
            switch outcome {
            case .delivered:
                state.acknowledgeHead(key, delivered: true)
                state.counters.sent += 1
                return .next
            case .rejected(let status):
                state.counters.failed += 1
                return .giveUp(pending, .rejected(status: status))
            case .retry(let retryAfter):
                if let limit = self.retry.maximumAttempts, pending.attempts >= limit {
                    return .giveUp(pending, .attemptsExhausted)
                }
                let delay = self.retry.delay(afterFailedAttempts: pending.attempts, retryAfter: retryAfter)
                if Self.age(of: pending.record, now: now) + delay > self.maximumAge {
                    return .giveUp(pending, .expired)
                }
                state.counters.retried += 1
                return .retry(after: delay)
            }
        }
        switch step {
        case .none: return
        case .next: self.attemptHead(key)
        case .retry(let delay): self.scheduleHead(key, after: delay)
        case .giveUp(let pending, let reason): self.giveUp(pending, key: key, reason: reason)
        }
    }

    /// Writes the head event to the dead-letter file (flushed), then acknowledges it and moves on.
    private func giveUp(_ pending: Pending, key: String, reason: WebhookDeadLetter.Reason) {
        let letter = WebhookDeadLetter(
            url: self.endpoint.url, id: pending.record.id, event: pending.record.event, key: key, reason: reason,
            attempts: pending.attempts, body: pending.record.body)
        if let directory = self.outboxDirectory {
            do {
                try OutboxJournal.appendDeadLetter(letter.jsonLine, directory: directory)
            } catch {
                self.state.withLock { $0.counters.outboxErrors += 1 }
            }
        }
        let done = self.state.withLock { state in
            guard !state.stopped, state.queues[key]?.first?.record.number == pending.record.number else { return false }
            state.acknowledgeHead(key, delivered: false)
            state.counters.deadLettered += 1
            return true
        }
        guard done else { return }
        self.onDeadLetter?(letter)
        self.scheduleHead(key)
    }

    /// `timeout` rounded up to whole seconds plus one, for Foundation's own (truncating) timeouts.
    static func coarseTimeout(_ timeout: TimeInterval) -> TimeInterval { timeout.rounded(.up) + 1 }

    private static func age(of record: OutboxRecord, now: Date) -> TimeInterval {
        now.timeIntervalSince1970 - Double(record.enqueuedAtMillis) / 1000
    }

    // MARK: - Reading and stopping

    /// The endpoint's counters now.
    var counters: WebhookDeliveryCounters { self.state.withLock { $0.counters } }

    /// True when every event enqueued or recovered has been delivered or given up.
    var isIdle: Bool { self.state.withLock { $0.counters.pending == 0 } }

    /// Stops at once: cancels requests in flight, schedules nothing more and closes the outbox, leaving what is
    /// pending in it for the next notifier. Returns what was pending.
    func stop() -> [WebhookDrainReport.Undelivered] {
        let (undelivered, tasks) = self.state.withLock { state in
            state.stopped = true
            let undelivered = state.queues.values.flatMap { queue in
                queue.items[queue.head...].map {
                    WebhookDrainReport.Undelivered(
                        url: self.endpoint.url, id: $0.record.id, event: $0.record.event, key: $0.record.key,
                        attempts: $0.attempts)
                }
            }
            let tasks = Array(state.inFlight.values)
            state.inFlight = [:]
            state.journal?.close()
            state.journal = nil
            return (undelivered, tasks)
        }
        for task in tasks { task.cancel() }
        return undelivered
    }

    // MARK: - State

    /// An event waiting in a key's queue.
    struct Pending {
        var record: OutboxRecord
        var bodyHash: String
        var attempts = 0
    }

    /// One ordering key's FIFO.
    struct KeyQueue {
        var items: [Pending] = []
        var head = 0
        /// True while an attempt of the head is in flight or scheduled.
        var busy = false

        var first: Pending? { self.head < self.items.count ? self.items[self.head] : nil }

        mutating func incrementHeadAttempts() { self.items[self.head].attempts += 1 }

        mutating func removeFirst() {
            self.head += 1
            if self.head >= 32 && self.head * 2 >= self.items.count {
                self.items.removeFirst(self.head)
                self.head = 0
            }
        }
    }

    struct State {
        var journal: OutboxJournal?
        var nextNumber: UInt64 = 1
        var queues: [String: KeyQueue] = [:]
        var sequences: [String: UInt64] = [:]
        var counters = WebhookDeliveryCounters()
        var inFlight: [UInt64: URLSessionTask] = [:]
        var stopped = false
        var compactionThreshold = 1 << 20

        /// A number for an event when there is no outbox.
        mutating func takeNumber() -> UInt64 {
            defer { self.nextNumber += 1 }
            return self.nextNumber
        }

        /// Journals that the head of `key` is done and removes it; compacts the journal when it has grown.
        mutating func acknowledgeHead(_ key: String, delivered: Bool) {
            guard let head = self.queues[key]?.first else { return }
            if let journal = self.journal {
                do { try journal.acknowledge(head.record.number, delivered: delivered) } catch {
                    self.counters.outboxErrors += 1
                }
            }
            self.queues[key]!.removeFirst()
            self.counters.pending -= 1
            self.compactIfLarge()
        }

        /// Forgets `key`'s empty queue.
        mutating func finishQueue(_ key: String) {
            self.queues[key] = nil
        }

        /// Rewrites the journal with only the pending events once it has grown past the threshold, if few
        /// enough are pending.
        mutating func compactIfLarge() {
            guard let journal = self.journal, journal.bytesSinceCompaction > self.compactionThreshold,
                self.counters.pending <= EndpointDelivery.compactionPendingLimit
            else { return }
            let pending = self.queues.values.flatMap { $0.items[$0.head...].map(\.record) }
                .sorted { $0.number < $1.number }
            do { try journal.compact(pending: pending, sequences: self.sequences) } catch {
                self.counters.outboxErrors += 1
            }
        }
    }
}
