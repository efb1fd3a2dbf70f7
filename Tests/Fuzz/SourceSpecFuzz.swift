// libFuzzer target: CLI SOURCE strings (`NAME=PATH.opus`, `rtp://HOST:PORT`, `mic:DEVICE`, `pcm:-`).
// Any string either parses to a source with sane fields or is a usage error; nothing traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func sourceSpecFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let spec = try? SourceSpec(parsing: text) else { return 0 }
    if case .rtp(_, let port) = spec.kind { precondition((1...65535).contains(port)) }
    if let identity = spec.explicitIdentity { precondition(!identity.isEmpty && !identity.contains("/")) }
    _ = spec.identity
    return 0
}
