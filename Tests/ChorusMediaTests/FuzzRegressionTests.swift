import Foundation
import FuzzHarness
import Testing
import ChorusTestSupport

/// Replays every input the fuzzers kept (`make fuzz`) through the harness libFuzzer ran: the
/// corpus, and every input that ever crashed a target (Tests/Fuzz/crashes). Each must pass the
/// harness's checks, and none may trap.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func inputs(_ target: FuzzTarget) throws -> [(String, [UInt8])] {
        var all: [(String, [UInt8])] = []
        for folder in ["corpus", "crashes"] {
            let dir = Fixtures.packageRoot.appendingPathComponent("Tests/Fuzz/\(folder)/\(target.rawValue)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                all.append(("\(folder)/\(target.rawValue)/\(name)", [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))))
            }
        }
        return all
    }

    @Test("every kept input passes its target's checks", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 2, "the seed corpus of \(target.rawValue) is missing")
        for (name, bytes) in inputs {
            let findings = bytes.withUnsafeBytes { target.check($0) }
            #expect(findings.isEmpty, "\(name): \(findings.messages.joined(separator: "; "))")
        }
    }
}
