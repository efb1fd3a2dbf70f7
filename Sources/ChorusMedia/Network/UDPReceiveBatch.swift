#if canImport(Glibc)
import Glibc
#endif
import CNetShim

/// Preallocated buffers and headers for receiving many datagrams with one `recvmmsg` call.
///
/// Why: one system call per datagram is the ingest thread's largest cost at high packet rates; with
/// `recvmmsg` one call fills up to ``capacity`` datagrams. Everything is allocated once, in `init`.
/// Used by one thread at a time (the ingest thread); a final class because it owns raw memory that
/// the kernel writes into.
public final class UDPReceiveBatch {
    /// Datagrams one call can receive.
    public let capacity: Int
    /// Bytes per datagram buffer; longer datagrams are truncated and flagged (``isTruncated(_:)``).
    public let bufferSize: Int
    let storage: UnsafeMutableRawPointer
    let vectors: UnsafeMutablePointer<iovec>
    let headers: UnsafeMutablePointer<chorus_mmsghdr>
    /// Datagrams filled by the last ``UDPReceiver/receive(batch:)``.
    public internal(set) var count = 0

    /// Allocates `capacity` buffers of `bufferSize` bytes (defaults: 64 × 2048, enough for any RTP
    /// packet on a 1500-byte MTU).
    public init(capacity: Int = 64, bufferSize: Int = 2048) {
        self.capacity = max(1, min(capacity, 1024))
        self.bufferSize = max(64, bufferSize)
        self.storage = .allocate(byteCount: self.capacity * self.bufferSize, alignment: 64)
        self.vectors = .allocate(capacity: self.capacity)
        self.headers = .allocate(capacity: self.capacity)
        for i in 0..<self.capacity {
            self.vectors[i] = iovec(iov_base: self.storage + i * self.bufferSize, iov_len: self.bufferSize)
            var header = chorus_mmsghdr()
            header.msg_hdr.msg_iov = self.vectors + i
            header.msg_hdr.msg_iovlen = 1
            self.headers[i] = header
        }
    }

    deinit {
        self.storage.deallocate()
        self.vectors.deallocate()
        self.headers.deallocate()
    }

    /// The bytes of datagram `index` (0 ..< ``count``); empty when out of range.
    public func datagram(_ index: Int) -> UnsafeRawBufferPointer {
        guard index >= 0, index < self.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let length = min(Int(self.headers[index].msg_len), self.bufferSize)
        return UnsafeRawBufferPointer(start: self.storage + index * self.bufferSize, count: length)
    }

    /// Whether datagram `index` was longer than ``bufferSize`` (the kernel cut it).
    public func isTruncated(_ index: Int) -> Bool {
        guard index >= 0, index < self.count else { return false }
        return self.headers[index].msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0
    }
}
