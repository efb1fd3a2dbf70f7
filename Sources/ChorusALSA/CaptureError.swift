/// Why a capture device could not be opened or read, with the device's name and what to try.
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Equatable {
        /// No such device (or no sound card behind "default").
        case noSuchDevice
        /// Another program holds the device.
        case busy
        /// The device cannot capture in a format Chorus reads.
        case unsupportedFormat
        /// The device went away or failed mid-capture.
        case deviceLost
        /// Any other failure.
        case other
    }

    /// The kind of failure.
    public var kind: Kind
    /// One line for a person: which device, what happened, what to try.
    public var message: String
    /// The negative errno ALSA returned, if any.
    public var code: Int32

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, code: Int32 = 0) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String { self.message }
}
