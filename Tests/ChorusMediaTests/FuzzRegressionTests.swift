import Testing
import Foundation
import Chorus
import ChorusMedia
import ChorusTestSupport

/// Replays every input the fuzzers kept (`make fuzz`): the corpus, and every input that ever crashed
/// a target (Tests/Fuzz/crashes). Each must go through the same checks as in the fuzz driver.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func inputs(_ target: String) throws -> [(String, [UInt8])] {
        var all: [(String, [UInt8])] = []
        for folder in ["corpus", "crashes"] {
            let dir = Fixtures.packageRoot.appendingPathComponent("Tests/Fuzz/\(folder)/\(target)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                all.append(("\(folder)/\(name)", [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))))
            }
        }
        return all
    }

    @Test("RTP parser: every kept input parses or is refused, with every range inside the datagram")
    func rtp() throws {
        let inputs = try Self.inputs("rtp")
        #expect(inputs.count >= 3, "the seeds at least")
        for (name, bytes) in inputs {
            bytes.withUnsafeBytes { raw in
                guard let packet = try? RTPPacket(parsing: raw) else { return }
                #expect(packet.payloadRange.lowerBound >= 12 && packet.payloadRange.upperBound <= raw.count, "\(name)")
                #expect(packet.extensionRange.upperBound <= raw.count, "\(name)")
                var extensions = packet.extensions(in: raw)
                var count = 0
                while let element = extensions.next() {
                    #expect(element.range.upperBound <= raw.count, "\(name)")
                    count += 1
                    if count > raw.count { Issue.record("\(name): the extension walk does not end"); break }
                }
            }
        }
    }

    @Test("SOURCE strings: every kept input parses to a sane source or is a usage error")
    func sourceSpec() throws {
        let inputs = try Self.inputs("source-spec")
        #expect(inputs.count >= 4)
        for (name, bytes) in inputs {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let spec = try? SourceSpec(parsing: text) else { continue }
            if case .rtp(_, let port) = spec.kind { #expect((1...65535).contains(port), "\(name)") }
            if let identity = spec.explicitIdentity { #expect(!identity.isEmpty && !identity.contains("/"), "\(name)") }
        }
    }
}

extension FuzzRegressionTests {
    @Test("jitter buffer: every kept input decodes without a trap, frames tile media time, samples stay in full scale")
    func jitterBuffer() throws {
        let inputs = try Self.inputs("jitter")
        #expect(inputs.count >= 1)
        for (name, bytes) in inputs {
            let jitter = try JitterBuffer()
            var index = 0
            var sequence: UInt16 = 100
            var timestamp: UInt32 = 5000
            var arrival: UInt64 = 1_000_000_000
            var expectedStart: Int64?
            func next() -> UInt8? {
                guard index < bytes.count else { return nil }
                defer { index += 1 }
                return bytes[index]
            }
            func release(flush: Bool) {
                while let frame = jitter.nextFrame(now: arrival &+ 200_000_000, flush: flush) {
                    if let start = expectedStart { #expect(frame.mediaTime == start, "\(name)") }
                    expectedStart = frame.mediaTime + Int64(frame.frameCount)
                    #expect(frame.samples.allSatisfy { $0 >= -1 && $0 <= 1 }, "\(name)")
                }
            }
            while let step = next(), let tsStep = next(), let arrivalStep = next(), let length = next() {
                sequence &+= UInt16(bitPattern: Int16(Int8(bitPattern: step)))
                timestamp &+= UInt32(truncatingIfNeeded: Int32(Int8(bitPattern: tsStep)) * 120)
                arrival &+= UInt64(arrivalStep) * 1_000_000
                let count = min(Int(length), bytes.count - index)
                let payload = Array(bytes[index..<(index + count)])
                index += count
                _ = payload.withUnsafeBytes { jitter.insert(sequence: sequence, timestamp: timestamp, ssrc: 42, payload: $0, arrival: arrival) }
                release(flush: false)
            }
            release(flush: true)
        }
    }
}
