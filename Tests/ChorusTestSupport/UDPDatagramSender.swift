#if canImport(Glibc)
import Glibc
#endif

/// Sends raw UDP datagrams to a port on 127.0.0.1: hand-made RTP packets and garbage for tests.
public final class UDPDatagramSender {
    private let descriptor: Int32
    private var address = sockaddr_in()

    /// A socket aimed at 127.0.0.1:`port`.
    public init(port: Int) {
        self.descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.address.sin_family = sa_family_t(AF_INET)
        self.address.sin_addr.s_addr = inet_addr("127.0.0.1")
        self.address.sin_port = in_port_t(UInt16(port).bigEndian)
    }

    deinit { close(self.descriptor) }

    /// Sends one datagram.
    public func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &self.address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(self.descriptor, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// A UDP port on loopback that was free a moment ago (bound and released).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
