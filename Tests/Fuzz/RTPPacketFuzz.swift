// libFuzzer target: RTP header, RFC 8285 extensions and RFC 6464 level parsing on arbitrary bytes.
// Built by `make fuzz` with the parser's own sources (SwiftPM renames `main`, so fuzz drivers have
// their own build line): nothing may trap, and every range the parser returns must lie inside the
// datagram.
@_cdecl("LLVMFuzzerTestOneInput")
public func rtpPacketFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let packet = try? RTPPacket(parsing: bytes) else { return 0 }
    precondition(packet.payloadRange.lowerBound >= 12 && packet.payloadRange.upperBound <= size)
    precondition(packet.extensionRange.upperBound <= size)
    for id in UInt8(1)...UInt8(14) { _ = packet.audioLevel(extensionID: id, in: bytes) }
    var count = 0
    var extensions = packet.extensions(in: bytes)
    while let element = extensions.next() {
        precondition(element.range.upperBound <= size)
        count += 1
        precondition(count <= size, "the extension walk must end")
    }
    for index in 0..<packet.csrcCount { _ = packet.csrc(at: index, in: bytes) }
    return CInt(count & 0)
}
