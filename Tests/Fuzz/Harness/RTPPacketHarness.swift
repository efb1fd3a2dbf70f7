import ChorusMedia

/// RTP parsing on arbitrary datagrams: nothing traps, every range the parser returns lies inside
/// the datagram, and the extension walk ends.
enum RTPPacketHarness {
    static func run(_ bytes: UnsafeRawBufferPointer, _ findings: inout FuzzFindings) {
        guard let packet = try? RTPPacket(parsing: bytes) else { return }
        findings.expect(packet.payloadRange.lowerBound >= 12 && packet.payloadRange.upperBound <= bytes.count,
                        "payload \(packet.payloadRange) outside a \(bytes.count)-byte datagram")
        findings.expect(packet.extensionRange.upperBound <= bytes.count, "extension block past the datagram's end")
        for id in UInt8(1)...UInt8(14) { _ = packet.audioLevel(extensionID: id, in: bytes) }
        var extensions = packet.extensions(in: bytes)
        var count = 0
        while let element = extensions.next() {
            findings.expect(element.range.upperBound <= bytes.count, "extension \(element.range) past the datagram's end")
            count += 1
            if count > bytes.count {
                findings.expect(false, "the extension walk does not end")
                break
            }
        }
        for index in 0..<packet.csrcCount { _ = packet.csrc(at: index, in: bytes) }
    }
}
