import ChorusMedia
import Testing

/// Builds RTP datagrams byte by byte, for tests that must control every field.
struct RTPBuilder {
    var marker = false
    var payloadType: UInt8 = 111
    var sequence: UInt16 = 1
    var timestamp: UInt32 = 0
    var ssrc: UInt32 = 0x1122_3344
    var csrcs: [UInt32] = []
    /// (profile, data) for the X bit; data must be a multiple of 4 bytes unless testing errors.
    var headerExtension: (UInt16, [UInt8])?
    var payload: [UInt8] = [0xF8, 0xFF, 0xFE]
    var padding = 0

    var bytes: [UInt8] {
        var b: [UInt8] = []
        b.append(0x80 | (padding > 0 ? 0x20 : 0) | (headerExtension != nil ? 0x10 : 0) | UInt8(csrcs.count & 0x0F))
        b.append((marker ? 0x80 : 0) | payloadType)
        b += [UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        b += be32(timestamp) + be32(ssrc)
        for c in csrcs { b += be32(c) }
        if let (profile, data) = headerExtension {
            let words = (data.count + 3) / 4
            b += [UInt8(profile >> 8), UInt8(profile & 0xFF), UInt8(words >> 8), UInt8(words & 0xFF)]
            b += data + [UInt8](repeating: 0, count: words * 4 - data.count)
        }
        b += payload
        if padding > 0 {
            b += [UInt8](repeating: 0, count: padding - 1) + [UInt8(padding)]
        }
        return b
    }

    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}

fileprivate func parse(_ bytes: [UInt8]) -> Result<RTPPacket, RTPParseError> {
    bytes.withUnsafeBytes { raw in Result { () throws(RTPParseError) in try RTPPacket(parsing: raw) } }
}

fileprivate func level(_ bytes: [UInt8], id: UInt8) -> RTPAudioLevel? {
    bytes.withUnsafeBytes { raw in
        guard let p = try? RTPPacket(parsing: raw) else { return nil }
        return p.audioLevel(extensionID: id, in: raw)
    }
}

@Suite("RTPPacket")
struct RTPPacketTests {
    @Test("fixed header fields and payload range")
    func fixedHeader() throws {
        var b = RTPBuilder()
        b.marker = true
        b.sequence = 0xABCD
        b.timestamp = 0xDEAD_BEEF
        b.ssrc = 0x0102_0304
        b.payload = [1, 2, 3, 4, 5]
        let p = try parse(b.bytes).get()
        #expect(p.marker)
        #expect(p.payloadType == 111)
        #expect(p.sequenceNumber == 0xABCD)
        #expect(p.timestamp == 0xDEAD_BEEF)
        #expect(p.ssrc == 0x0102_0304)
        #expect(p.payloadRange == 12..<17)
        #expect(p.extensionProfile == nil)
        #expect(p.paddingCount == 0)
    }

    @Test("too short, wrong version")
    func rejectsShortAndVersion() {
        #expect(parse([]) == .failure(.tooShort))
        #expect(parse(Array(RTPBuilder().bytes.prefix(11))) == .failure(.tooShort))
        var bytes = RTPBuilder().bytes
        bytes[0] = (bytes[0] & 0x3F) | 0x40  // V=1
        #expect(parse(bytes) == .failure(.badVersion))
        bytes[0] = bytes[0] & 0x3F  // V=0
        #expect(parse(bytes) == .failure(.badVersion))
    }

    @Test("header only (12 bytes) parses with an empty payload")
    func headerOnly() throws {
        var b = RTPBuilder()
        b.payload = []
        let p = try parse(b.bytes).get()
        #expect(p.payloadRange == 12..<12)
    }

    @Test("CSRC list: read, and truncated list rejected")
    func csrcs() throws {
        var b = RTPBuilder()
        b.csrcs = [7, 8, 9]
        b.payload = [0xAA]
        let bytes = b.bytes
        let p = try parse(bytes).get()
        #expect(p.csrcCount == 3)
        #expect(p.payloadRange == 24..<25)
        bytes.withUnsafeBytes { raw in
            #expect(p.csrc(at: 0, in: raw) == 7)
            #expect(p.csrc(at: 2, in: raw) == 9)
            #expect(p.csrc(at: 3, in: raw) == nil)
        }
        // CC=15 with only 3 CSRCs present.
        var bad = bytes
        bad[0] = 0x8F
        #expect(parse(bad) == .failure(.truncatedCSRCList))
        // Exactly the CSRC bytes and nothing else is fine.
        b.payload = []
        #expect(try parse(b.bytes).get().payloadRange == 24..<24)
    }

    @Test("extension length counts 32-bit words; truncated header or data rejected")
    func extensionLength() throws {
        var b = RTPBuilder()
        b.headerExtension = (0xBEDE, [0x10, 0x55, 0, 0, 0x21, 1, 2, 0])
        b.payload = [9, 9]
        let bytes = b.bytes
        let p = try parse(bytes).get()
        #expect(p.extensionProfile == 0xBEDE)
        #expect(p.extensionRange == 16..<24)
        #expect(p.payloadRange == 24..<26)
        // Declared 3 words, only 2 present.
        var bad = bytes
        bad[15] = 3
        #expect(parse(Array(bad.prefix(24))) == .failure(.truncatedExtension))
        // X set but not even the 4-byte extension header.
        var noHeader = RTPBuilder()
        noHeader.payload = [1, 2]
        var nb = noHeader.bytes
        nb[0] |= 0x10
        #expect(parse(nb) == .failure(.truncatedExtension))
        // Maximum declared length (0xFFFF words) with a short packet.
        bad[14] = 0xFF
        bad[15] = 0xFF
        #expect(parse(bad) == .failure(.truncatedExtension))
    }

    @Test("padding: count removed from the payload; zero or oversized counts rejected")
    func padding() throws {
        var b = RTPBuilder()
        b.payload = [1, 2, 3, 4]
        b.padding = 4
        let p = try parse(b.bytes).get()
        #expect(p.paddingCount == 4)
        #expect(p.payloadRange == 12..<16)
        var zero = b.bytes
        zero[zero.count - 1] = 0
        #expect(parse(zero) == .failure(.badPadding))
        var huge = b.bytes
        huge[huge.count - 1] = 9  // 8 bytes after the header
        #expect(parse(huge) == .failure(.badPadding))
        huge[huge.count - 1] = 8  // padding may consume the whole payload
        #expect(try parse(huge).get().payloadRange == 12..<12)
        // Padding may not reach back into the extension.
        var e = RTPBuilder()
        e.headerExtension = (0xBEDE, [0x10, 0x55, 0, 0])
        e.payload = [1]
        e.padding = 1
        var eb = e.bytes
        eb[eb.count - 1] = 3
        #expect(parse(eb) == .failure(.badPadding))
    }

    @Test("one-byte extensions: padding skipped, lengths L+1, ID 15 stops, level from the negotiated ID")
    func oneByte() throws {
        var b = RTPBuilder()
        // ID 3 len 2 [AA BB], padding, ID 1 len 1 [0x89 = V + level 9], ID 5 len 1
        b.headerExtension = (0xBEDE, [0x31, 0xAA, 0xBB, 0x00, 0x00, 0x10, 0x89, 0x50, 0x07])
        let bytes = b.bytes
        let p = try parse(bytes).get()
        let elements: [RTPHeaderExtensions.Element] = bytes.withUnsafeBytes { raw in
            var it = p.extensions(in: raw)
            var out: [RTPHeaderExtensions.Element] = []
            while let e = it.next() { out.append(e) }
            #expect(!it.isMalformed)
            return out
        }
        #expect(elements.map(\.id) == [3, 1, 5])
        #expect(elements.map(\.range.count) == [2, 1, 1])
        #expect(level(bytes, id: 1) == RTPAudioLevel(level: 9, voiceActivity: true))
        #expect(level(bytes, id: 5) == RTPAudioLevel(level: 7, voiceActivity: false))
        #expect(level(bytes, id: 2) == nil)
        #expect(level(bytes, id: 0) == nil)

        // ID 15 stops: nothing after it is reported.
        var stop = RTPBuilder()
        stop.headerExtension = (0xBEDE, [0xF0, 0x10, 0x09, 0])
        #expect(level(stop.bytes, id: 1) == nil)

        // An element whose length runs past the block is malformed and ends iteration.
        var over = RTPBuilder()
        over.headerExtension = (0xBEDE, [0x10, 0x09, 0x2F, 0x01])
        let ob = over.bytes
        #expect(level(ob, id: 1) == RTPAudioLevel(level: 9, voiceActivity: false))
        ob.withUnsafeBytes { raw in
            let p = try! RTPPacket(parsing: raw)
            var it = p.extensions(in: raw)
            #expect(it.next()?.id == 1)
            #expect(it.next() == nil)
            #expect(it.isMalformed)
        }
    }

    @Test("two-byte extensions: profile 0x1000-0x100F, ID 0 padding, zero-length elements")
    func twoByte() throws {
        var b = RTPBuilder()
        // padding, ID 7 len 0, ID 1 len 2 [0x08, 0x00] (GStreamer pads the level byte), ID 200 len 1
        b.headerExtension = (0x1003, [0x00, 0x07, 0x00, 0x01, 0x02, 0x08, 0x00, 0xC8, 0x01, 0x42])
        let bytes = b.bytes
        #expect(level(bytes, id: 1) == RTPAudioLevel(level: 8, voiceActivity: false))
        #expect(level(bytes, id: 200) == RTPAudioLevel(level: 0x42, voiceActivity: false))
        #expect(level(bytes, id: 7) == nil, "an empty element carries no level")
        // The same bytes under an unknown profile report nothing.
        b.headerExtension = (0x2000, [0x00, 0x07, 0x00, 0x01, 0x02, 0x08, 0x00, 0xC8, 0x01, 0x42])
        #expect(level(b.bytes, id: 1) == nil)
        // Truncated length byte at the very end of the block.
        b.headerExtension = (0x1000, [0x00, 0x00, 0x00, 0x05])
        let tb = b.bytes
        tb.withUnsafeBytes { raw in
            let p = try! RTPPacket(parsing: raw)
            var it = p.extensions(in: raw)
            #expect(it.next() == nil)
            #expect(it.isMalformed)
        }
    }

    @Test("fuzz: 200,000 random and mutated datagrams never trap, and ranges stay in bounds")
    func fuzz() {
        var rng = RTPTestRandom(seed: 0xC0FFEE)
        var templates: [[UInt8]] = []
        var b = RTPBuilder()
        b.headerExtension = (0xBEDE, [0x10, 0x89, 0x22, 1, 2, 3])
        b.csrcs = [1, 2]
        b.padding = 3
        b.payload = Array(repeating: 0x55, count: 40)
        templates.append(b.bytes)
        b.headerExtension = (0x1000, [0x01, 0x01, 0x30, 0x00, 0x02, 0x03, 1, 2, 3])
        templates.append(b.bytes)
        var parsed = 0
        var levels = 0
        for i in 0..<200_000 {
            var bytes: [UInt8]
            if i % 4 == 0 {
                bytes = (0..<Int(rng.next() % 80)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if !bytes.isEmpty { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            } else {
                bytes = templates[i % templates.count]
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.next() % 3 == 0 { bytes.removeLast(Int(rng.next() % UInt64(bytes.count))) }
            }
            bytes.withUnsafeBytes { raw in
                guard let p = try? RTPPacket(parsing: raw) else { return }
                parsed += 1
                let ok = p.payloadRange.lowerBound >= 12 && p.payloadRange.upperBound <= raw.count
                    && p.extensionRange.upperBound <= p.payloadRange.lowerBound
                if !ok { Issue.record("ranges out of bounds for \(bytes)") }
                var it = p.extensions(in: raw)
                while let e = it.next() {
                    if e.range.upperBound > p.extensionRange.upperBound || e.range.lowerBound < p.extensionRange.lowerBound {
                        Issue.record("element out of its block for \(bytes)")
                    }
                }
                for id in UInt8(1)...14 where p.audioLevel(extensionID: id, in: raw) != nil { levels += 1 }
            }
        }
        // The mutations leave many packets valid: the checks above really ran.
        #expect(parsed > 50_000)
        #expect(levels > 1_000)
    }
}

/// A small deterministic PRNG (RTPTestRandom) so that fuzz failures reproduce.
struct RTPTestRandom {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
