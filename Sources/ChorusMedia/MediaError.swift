/// Why a media source or decoder could not go on, with a message that says what to do.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for code that reacts to it.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist or cannot be opened.
        case cannotOpen
        /// The input is not in the expected format (not Ogg Opus, bad header).
        case notSupported
        /// The input is damaged beyond what can be skipped.
        case corrupt
        /// A read from the underlying file or pipe failed.
        case io
        /// The decoder rejected a call (bad packet, bad argument).
        case decoder
    }

    /// The kind of failure.
    public var kind: Kind
    /// One line for a person: what failed, and what to try.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { self.message }
}
