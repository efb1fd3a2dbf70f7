#if canImport(Glibc)
import Glibc
#endif

/// Sleeps so that media time does not run ahead of the wall clock (`--realtime`).
final class RealtimePacer {
    private let start = RealtimePacer.now()

    /// Waits until `seconds` of wall time have passed since the pacer was made.
    func wait(untilMediaSeconds seconds: Double) {
        let ahead = seconds - (Self.now() - self.start)
        guard ahead > 0 else { return }
        var request = timespec(tv_sec: Int(ahead), tv_nsec: Int((ahead - Double(Int(ahead))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
