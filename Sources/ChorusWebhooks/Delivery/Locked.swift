import Foundation

/// A value behind an `NSLock`: the delivery state's lock.
///
/// Used instead of `Synchronization.Mutex` because ThreadSanitizer on Linux does not see `Mutex`'s
/// futex-based locking and reports every access under it as a race (checked with Swift 6.3.1); `NSLock` is a
/// `pthread_mutex`, which it understands, so `make tsan` stays meaningful for this module.
///
/// `@unchecked Sendable`: `state` is only touched inside ``withLock(_:)``, under `lock`.
final class Locked<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    /// Wraps `state`.
    init(_ state: State) { self.state = state }

    /// Runs `body` with exclusive access to the state.
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.state)
    }
}
