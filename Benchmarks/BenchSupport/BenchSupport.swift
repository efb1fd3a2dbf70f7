#if canImport(Glibc)
import Glibc
#endif

/// Returns its argument through a call the optimizer cannot see through, so that benchmarked work
/// is neither hoisted out of its loop nor deleted.
///
/// `@_optimize(none)` matters: a plain `@inline(never)` function in the same module was seen to be
/// analysed as pure, and the measured kernels were hoisted (every result read 0 ns).
@_optimize(none) @inline(never)
public func identity<T>(_ value: T) -> T { value }

/// Consumes a value through an opaque call, for the same reason as ``identity(_:)``.
@_optimize(none) @inline(never)
public func blackHole<T>(_ value: T) {}

/// Monotonic time in nanoseconds.
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Times `body` `runs` times after one warm-up run and returns the samples in nanoseconds.
///
/// Each run's result is passed to ``blackHole(_:)`` so that its work cannot be removed.
public func measureRuns(runs: Int, _ body: () -> Int) -> [Double] {
    blackHole(body())
    var samples: [Double] = []
    samples.reserveCapacity(runs)
    for _ in 0..<runs {
        let start = monotonicNanoseconds()
        let result = body()
        let end = monotonicNanoseconds()
        blackHole(result)
        samples.append(Double(end - start))
    }
    return samples
}

/// The median of `values` (which must not be empty).
public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// True when this binary was built without optimization; its figures would mean nothing.
public var isDebugBuild: Bool {
    var debug = false
    assert({ debug = true; return true }())
    return debug
}
