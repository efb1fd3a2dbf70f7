/// A failure that is neither a usage mistake nor a media error (a plot that cannot be written, an
/// outbox that cannot be opened): exit status 1, with this one line on stderr.
struct RuntimeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
