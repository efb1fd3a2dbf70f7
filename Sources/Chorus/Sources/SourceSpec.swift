/// A source named on the command line or by a library caller, parsed but not yet opened.
///
/// The grammar is the CLI contract in DESIGN.md:
/// `PATH.opus`, `NAME=PATH.opus`, `rtp://HOST:PORT`, `mic`, `mic:DEVICE`, `pcm:-`, `pcm:PATH`;
/// any of them may carry a `NAME=` prefix that sets the participant's identity.
public struct SourceSpec: Sendable, Equatable, CustomStringConvertible {
    /// What kind of source, with its address.
    public enum Kind: Sendable, Equatable {
        /// An Ogg Opus file.
        case oggOpus(path: String)
        /// Raw interleaved s16le PCM; path "-" is standard input.
        case pcm(path: String)
        /// RTP/Opus on UDP, one participant per SSRC.
        case rtp(host: String, port: Int)
        /// An ALSA capture device.
        case mic(device: String)
    }

    /// The kind and address.
    public var kind: Kind
    /// The participant identity given with `NAME=`, or nil for the default.
    public var explicitIdentity: String?
    /// The text this was parsed from, for messages.
    public var text: String

    /// The identity the participant gets: `NAME=` if given, else the file stem, `local` for a mic
    /// or stdin, and nil for RTP (whose identities come from SSRCs).
    public var identity: String? {
        if let explicitIdentity { return explicitIdentity }
        switch self.kind {
        case .oggOpus(let path): return Self.stem(of: path)
        case .pcm(let path): return path == "-" ? "local" : Self.stem(of: path)
        case .mic: return "local"
        case .rtp: return nil
        }
    }

    public var description: String { self.text }

    /// Parses one SOURCE argument.
    ///
    /// - Throws: ``UsageError`` naming the argument and the accepted forms.
    public init(parsing text: String) throws(UsageError) {
        self.text = text
        var rest = Substring(text)
        self.explicitIdentity = nil
        if let eq = rest.firstIndex(of: "="), !rest.hasPrefix("rtp://") {
            let name = rest[..<eq]
            if !name.isEmpty && !name.contains("/") && !name.contains(":") {
                self.explicitIdentity = String(name)
                rest = rest[rest.index(after: eq)...]
            }
        }
        if rest.isEmpty { throw UsageError("source '\(text)' is empty; \(Self.forms)") }
        if rest.hasPrefix("rtp://") {
            let address = rest.dropFirst("rtp://".count)
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
                (1...65535).contains(port)
            else {
                throw UsageError("source '\(text)': expected rtp://HOST:PORT with a port 1-65535, e.g. rtp://127.0.0.1:5004")
            }
            let host = String(address[..<colon])
            self.kind = .rtp(host: host.isEmpty ? "0.0.0.0" : host, port: port)
        } else if rest == "mic" {
            self.kind = .mic(device: "default")
        } else if rest.hasPrefix("mic:") {
            let device = rest.dropFirst(4)
            if device.isEmpty { throw UsageError("source '\(text)': name the ALSA device after mic:, e.g. mic:hw:0 (see `chorus devices`)") }
            self.kind = .mic(device: String(device))
        } else if rest.hasPrefix("pcm:") {
            let path = rest.dropFirst(4)
            if path.isEmpty { throw UsageError("source '\(text)': give a path after pcm:, or pcm:- for standard input") }
            self.kind = .pcm(path: String(path))
        } else if rest.contains("://") {
            throw UsageError("source '\(text)': unknown scheme; \(Self.forms)")
        } else {
            self.kind = .oggOpus(path: String(rest))
        }
    }

    /// The accepted forms, for error messages.
    public static let forms = "use PATH.opus, NAME=PATH.opus, rtp://127.0.0.1:PORT, mic, mic:DEVICE, pcm:- or pcm:PATH"

    static func stem(of path: String) -> String {
        let file = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file
    }
}

/// A mistake in how Chorus was called: exit status 2, with one line that says what to do.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line shown to the user.
    public var message: String
    /// Creates a usage error.
    public init(_ message: String) { self.message = message }
    public var description: String { self.message }
}
