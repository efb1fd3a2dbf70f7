#if canImport(Glibc)
import Glibc
#endif
import CNetShim

/// A UDP socket bound to an IPv4 address and port, read without blocking, with a wait that another
/// thread can interrupt.
///
/// Why: the ingest thread must sleep until a datagram arrives yet stop promptly when asked. The socket
/// is non-blocking; ``wait(timeoutMilliseconds:)`` polls it together with the read end of a pipe, and
/// ``wakeUp()`` (from any thread) writes one byte to the pipe. ``receive(batch:)`` reads up to a whole
/// batch of datagrams with one `recvmmsg` call into preallocated buffers.
/// A final class because it owns file descriptors.
public final class UDPReceiver: @unchecked Sendable {
    /// What ``wait(timeoutMilliseconds:)`` saw.
    public enum WaitResult: Sendable, Equatable {
        /// At least one datagram can be read.
        case readable
        /// ``wakeUp()`` was called.
        case wokenUp
        /// The timeout passed with nothing to read.
        case timedOut
    }

    /// The bound address, as given.
    public let host: String
    /// The bound port (the one the kernel chose, when 0 was asked for).
    public let port: Int
    private let socket: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Binds a socket to `host:port` (IPv4 dotted quad or `localhost`; port 0 lets the kernel choose).
    ///
    /// - Parameter receiveBufferBytes: the `SO_RCVBUF` to ask for (the kernel may cap it), so that
    ///   bursts survive a short stall of the ingest thread.
    /// - Throws: ``MediaError`` (`.cannotOpen`) with the reason, e.g. the port is in use.
    public init(host: String, port: Int, receiveBufferBytes: Int = 4 << 20) throws(MediaError) {
        guard (0...65535).contains(port) else { throw MediaError(.cannotOpen, "udp port \(port) is out of range 0-65535") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let numeric = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, numeric, &address.sin_addr) == 1 else {
            throw MediaError(.cannotOpen, "'\(host)' is not an IPv4 address; use e.g. 127.0.0.1 or 0.0.0.0")
        }
        let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw MediaError(.cannotOpen, "cannot create a UDP socket: \(Self.errorText())") }
        var size = Int32(receiveBufferBytes)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let reason = Self.errorText()
            close(fd)
            throw MediaError(.cannotOpen, "cannot listen on udp \(host):\(port): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(fd)
            throw MediaError(.cannotOpen, "cannot create a wake-up pipe: \(Self.errorText())")
        }
        for f in [fd, fds[0], fds[1]] {
            _ = fcntl(f, F_SETFL, fcntl(f, F_GETFL) | O_NONBLOCK)
            _ = fcntl(f, F_SETFD, FD_CLOEXEC)
        }
        self.socket = fd
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
        self.host = host
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    deinit {
        close(self.socket)
        close(self.wakeRead)
        close(self.wakeWrite)
    }

    /// Sleeps until a datagram is readable, ``wakeUp()`` is called, or the timeout passes.
    ///
    /// - Parameter timeoutMilliseconds: -1 waits without a timeout.
    public func wait(timeoutMilliseconds: Int32) -> WaitResult {
        var fds = (
            pollfd(fd: self.socket, events: Int16(POLLIN), revents: 0),
            pollfd(fd: self.wakeRead, events: Int16(POLLIN), revents: 0)
        )
        let n = withUnsafeMutablePointer(to: &fds) {
            $0.withMemoryRebound(to: pollfd.self, capacity: 2) { poll($0, 2, timeoutMilliseconds) }
        }
        if n <= 0 { return .timedOut }  // timeout, or EINTR: the caller loops
        if fds.1.revents != 0 {
            var byte: UInt8 = 0
            while read(self.wakeRead, &byte, 1) > 0 {}
            return .wokenUp
        }
        return .readable
    }

    /// Reads as many waiting datagrams as fit in `batch` with one `recvmmsg` call, without blocking.
    ///
    /// - Returns: datagrams received (also in `batch.count`); 0 when none is waiting or on an error.
    /// - Complexity: one system call; no allocation.
    @discardableResult
    public func receive(batch: UDPReceiveBatch) -> Int {
        let n = chorus_recvmmsg(self.socket, batch.headers, UInt32(batch.capacity), Int32(MSG_DONTWAIT), nil)
        batch.count = n > 0 ? Int(n) : 0
        return batch.count
    }

    /// Interrupts a ``wait(timeoutMilliseconds:)`` in progress (or the next one), from any thread.
    public func wakeUp() {
        var byte: UInt8 = 1
        _ = write(self.wakeWrite, &byte, 1)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
