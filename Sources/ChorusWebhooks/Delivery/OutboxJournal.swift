import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The durable outbox of one endpoint: an append-only journal of events and of their acknowledgements.
///
/// Files in the endpoint's directory:
/// - `journal`: lines `E …` (an event, see ``OutboxRecord``), `A <number> <d|x>` (delivered or dead-lettered:
///   done either way) and `S <key> <sequence>` (the last sequence number used for a key, kept across
///   compactions). An event without an `A` line is pending and is sent again after a restart. A torn last
///   line (a crash mid-write) has no newline and is ignored.
/// - `dead-letter.jsonl`: one JSON object per event given up, with the reason and the body.
/// - `lock`: held with `flock` while a notifier uses the directory.
///
/// Writes are `write(2)` calls on an `O_APPEND` descriptor, so an event enqueued survives the process
/// crashing as soon as `append` returns; `fsync` (on the descriptor from ``takeDirtyDescriptor()``) makes it
/// survive a power loss, and is called by the sender before each attempt that follows a write, off the
/// enqueuing thread and outside the sender's lock. Opening compacts the journal (pending
/// events and sequence numbers only, written to a new file and renamed over the old one).
///
/// Not thread-safe: its owner serialises calls.
final class OutboxJournal {
    /// The endpoint's directory.
    let directory: URL
    /// Pending events found when opening, in order.
    private(set) var recovered: [OutboxRecord] = []
    /// The last sequence number used per key, found when opening.
    private(set) var recoveredSequences: [String: UInt64] = [:]
    /// The number for the next event.
    private(set) var nextNumber: UInt64 = 1
    /// True when something was written since the descriptor was last taken for `fsync`.
    private(set) var dirty = false
    /// Bytes appended since the journal was last compacted.
    private(set) var bytesSinceCompaction = 0

    private var journalFD: Int32 = -1
    private var lockFD: Int32 = -1
    private var journalPath: String { self.directory.appendingPathComponent("journal").path }

    /// Opens (creating if needed) the outbox in `directory`, reads what is pending and compacts it.
    init(directory: URL) throws(WebhookOutboxError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory.path, errno: EACCES)
        }
        let lockPath = directory.appendingPathComponent("lock").path
        self.lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard self.lockFD >= 0 else { throw .io(path: lockPath, errno: errno) }
        guard flock(self.lockFD, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(self.lockFD)
            throw .locked(path: lockPath)
        }
        do {
            try self.load()
            try self.rewrite(pending: self.recovered, sequences: self.recoveredSequences)
        } catch {
            self.close()
            throw error
        }
    }

    deinit { self.close() }

    /// Appends an event. The caller assigns `record.number` from ``takeNumber()``.
    func append(_ record: OutboxRecord) throws(WebhookOutboxError) {
        try self.write(record.journalLine)
    }

    /// Reserves the number of the next event.
    func takeNumber() -> UInt64 {
        defer { self.nextNumber += 1 }
        return self.nextNumber
    }

    /// Records that event `number` is done: delivered (`delivered == true`) or dead-lettered.
    func acknowledge(_ number: UInt64, delivered: Bool) throws(WebhookOutboxError) {
        try self.write("A\t\(number)\t\(delivered ? "d" : "x")\n")
    }

    /// Appends a line to `dead-letter.jsonl` in an endpoint's outbox `directory` and flushes it to disk.
    static func appendDeadLetter(_ line: String, directory: URL) throws(WebhookOutboxError) {
        let path = directory.appendingPathComponent("dead-letter.jsonl").path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        defer { Glibc.close(fd) }
        try Self.writeAll(fd, line, path: path)
        fsync(fd)
    }

    /// The descriptor to `fsync` when ``dirty``; clears the flag. The caller syncs outside its lock.
    func takeDirtyDescriptor() -> Int32? {
        guard self.dirty, self.journalFD >= 0 else { return nil }
        self.dirty = false
        return self.journalFD
    }

    /// Replaces the journal with one holding only `pending` events and the `sequences` lines: called when the
    /// journal has grown and few events are pending, so that it does not grow without bound.
    func compact(pending: [OutboxRecord], sequences: [String: UInt64]) throws(WebhookOutboxError) {
        try self.rewrite(pending: pending, sequences: sequences)
    }

    /// Closes the files and releases the lock. Further writes fail.
    func close() {
        if self.journalFD >= 0 {
            fsync(self.journalFD)
            Glibc.close(self.journalFD)
            self.journalFD = -1
        }
        if self.lockFD >= 0 {
            flock(self.lockFD, LOCK_UN)
            Glibc.close(self.lockFD)
            self.lockFD = -1
        }
    }

    // MARK: - Reading and rewriting

    private func load() throws(WebhookOutboxError) {
        guard FileManager.default.fileExists(atPath: self.journalPath) else { return }
        guard let data = FileManager.default.contents(atPath: self.journalPath) else {
            throw .io(path: self.journalPath, errno: errno)
        }
        var events: [UInt64: OutboxRecord] = [:]
        var sequences: [String: UInt64] = [:]
        var highest: UInt64 = 0
        var lineStart = data.startIndex
        while let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: data[lineStart..<newline], as: UTF8.self)
            lineStart = data.index(after: newline)
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let kind = fields.first else { continue }
            switch kind {
            case "E":
                guard let record = OutboxRecord(journalFields: Array(fields.dropFirst())) else { continue }
                events[record.number] = record
                highest = max(highest, record.number)
                // Sequence numbers restart after room_finished (as the notifier numbers them).
                sequences[record.key] = record.event == "room_finished" ? nil : max(sequences[record.key] ?? 0, record.sequence)
            case "A":
                guard fields.count >= 2, let number = UInt64(fields[1]) else { continue }
                events[number] = nil
                highest = max(highest, number)
            case "S":
                guard fields.count == 3, let keyData = Data(base64Encoded: String(fields[1])),
                    let key = String(data: keyData, encoding: .utf8), let sequence = UInt64(fields[2])
                else { continue }
                sequences[key] = max(sequences[key] ?? 0, sequence)
            default:
                continue
            }
        }
        self.recovered = events.values.sorted { $0.number < $1.number }
        self.recoveredSequences = sequences
        self.nextNumber = highest + 1
    }

    private func rewrite(pending: [OutboxRecord], sequences: [String: UInt64]) throws(WebhookOutboxError) {
        var text = ""
        for (key, sequence) in sequences.sorted(by: { $0.key < $1.key }) {
            text += "S\t\(Data(key.utf8).base64EncodedString())\t\(sequence)\n"
        }
        for record in pending { text += record.journalLine }
        let newPath = self.journalPath + ".new"
        let fd = open(newPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: newPath, errno: errno) }
        do {
            try Self.writeAll(fd, text, path: newPath)
        } catch {
            Glibc.close(fd)
            throw error
        }
        fsync(fd)
        Glibc.close(fd)
        guard rename(newPath, self.journalPath) == 0 else { throw .io(path: self.journalPath, errno: errno) }
        let directoryFD = open(self.directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            Glibc.close(directoryFD)
        }
        if self.journalFD >= 0 { Glibc.close(self.journalFD) }
        self.journalFD = open(self.journalPath, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard self.journalFD >= 0 else { throw .io(path: self.journalPath, errno: errno) }
        self.bytesSinceCompaction = 0
        self.dirty = false
    }

    private func write(_ line: String) throws(WebhookOutboxError) {
        guard self.journalFD >= 0 else { throw .io(path: self.journalPath, errno: EBADF) }
        try Self.writeAll(self.journalFD, line, path: self.journalPath)
        self.bytesSinceCompaction += line.utf8.count
        self.dirty = true
    }

    private static func writeAll(_ fd: Int32, _ text: String, path: String) throws(WebhookOutboxError) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, errno: errno)
            }
            offset += written
        }
    }
}
