import Chorus

/// The `--name` options: `NAME` names the local participant (mic, stdin); `SSRC=NAME` names the
/// participant behind an RTP SSRC.
struct NameMapping {
    /// Identity for the local participant, if given.
    var local: String?
    /// Identities by SSRC.
    var bySSRC: [UInt32: String] = [:]

    init(_ values: [String]) throws(UsageError) {
        for value in values {
            if let eq = value.firstIndex(of: "=") {
                let key = value[..<eq]
                let name = String(value[value.index(after: eq)...])
                guard let ssrc = UInt32(key) ?? (key.hasPrefix("0x") ? UInt32(key.dropFirst(2), radix: 16) : nil), !name.isEmpty else {
                    throw UsageError("--name \(value): expected SSRC=NAME with a decimal or 0x-hex SSRC, e.g. --name 1234=alice")
                }
                self.bySSRC[ssrc] = name
            } else {
                guard !value.isEmpty else { throw UsageError("--name needs a non-empty NAME") }
                self.local = value
            }
        }
    }
}
