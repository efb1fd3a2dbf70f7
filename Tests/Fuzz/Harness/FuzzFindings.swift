/// What one fuzz input broke: each failed expectation, in the order it was found.
///
/// The same harness runs under libFuzzer (where any finding traps, so libFuzzer keeps the input)
/// and in `make test` (where each finding is a test failure naming the kept input), so the checks
/// are written once.
public struct FuzzFindings: Sendable {
    /// The failed expectations.
    public private(set) var messages: [String] = []

    /// No findings yet.
    public init() {}

    /// Whether the input passed every check.
    public var isEmpty: Bool { self.messages.isEmpty }

    /// Records `message` unless `condition` holds. Stops recording after 20 findings.
    public mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition && self.messages.count < 20 { self.messages.append(message()) }
    }
}
