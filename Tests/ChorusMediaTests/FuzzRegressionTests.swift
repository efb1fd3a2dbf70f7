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
