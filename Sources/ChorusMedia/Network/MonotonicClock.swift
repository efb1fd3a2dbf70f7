#if canImport(Glibc)
import Glibc
#endif

/// The clock packet arrivals are stamped with and jitter buffers are driven by: `CLOCK_MONOTONIC` in
/// nanoseconds.
///
/// Why: the reorder window is measured in arrival time, so the worker's `now` must come from the same
/// clock as the ingest thread's stamps; wall-clock jumps (NTP) must not release or hold packets.
public enum MonotonicClock {
    /// Now, in nanoseconds since an arbitrary fixed point (vDSO: no real system call on Linux).
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
