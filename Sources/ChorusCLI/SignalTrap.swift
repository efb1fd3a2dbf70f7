import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a call on a background queue, so a live run can stop its sources,
/// finish the window in progress, flush what it printed and exit cleanly, instead of dying mid-line.
final class SignalTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    /// Routes SIGINT and SIGTERM to `handler` until the trap is released.
    init(_ handler: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            self.sources.append(source)
        }
    }

    deinit {
        for source in self.sources { source.cancel() }
    }
}
