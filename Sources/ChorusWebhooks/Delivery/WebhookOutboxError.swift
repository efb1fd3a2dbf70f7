/// Why a ``WebhookNotifier`` could not open its durable outbox.
public enum WebhookOutboxError: Error, Equatable, Sendable {
    /// A file or directory of the outbox could not be created, opened, written or renamed (`errno`).
    case io(path: String, errno: Int32)
    /// Another notifier (in this or another process) holds the outbox's lock.
    case locked(path: String)
}
