// The libFuzzer entry point for every Chorus fuzz target. `make fuzz` links this once and names a
// copy after each target (.build/fuzz/rtp, .build/fuzz/ogg, ...); the binary picks its harness from
// its own name, or from CHORUS_FUZZ_TARGET. A finding traps, so libFuzzer keeps the input.
import FuzzHarness

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var selectedTarget: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    let program = argv.pointee[0].map { String(cString: $0) } ?? ""
    let name = getenv("CHORUS_FUZZ_TARGET").map { String(cString: $0) } ?? String(program.split(separator: "/").last ?? "")
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fputs("chorus-fuzz: no target named \(name.debugDescription); name the binary or set CHORUS_FUZZ_TARGET to one of: \(names)\n", stderr)
        exit(2)
    }
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let findings = selectedTarget.unsafelyUnwrapped.check(UnsafeRawBufferPointer(start: data, count: size))
    if !findings.isEmpty {
        for message in findings.messages { fputs("finding: \(message)\n", stderr) }
        fatalError("fuzz target \(selectedTarget.unsafelyUnwrapped.rawValue) found a fault")
    }
    return 0
}
