import Foundation

/// One scheduled turn of the evaluation corpus: who speaks, from when to when (seconds).
struct Turn: Sendable {
    var identity: String
    var start: Double
    var end: Double
}

/// The ground truth written by `scripts/make-corpus.sh`: `schedule.csv` and the participants'
/// `*.opus` files in one directory.
struct GroundTruth {
    var directory: String
    var turns: [Turn]
    /// Participant identities (file stems), sorted, with their files.
    var participants: [(identity: String, path: String)]

    /// Reads `directory/schedule.csv` (`identity,start,end,...`) and lists `directory/*.opus`.
    init(directory: String) throws {
        self.directory = directory
        let text = try String(contentsOfFile: directory + "/schedule.csv", encoding: .utf8)
        var turns: [Turn] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, let start = Double(fields[1]), let end = Double(fields[2]) else {
                throw EvalError("\(directory)/schedule.csv: bad line '\(line)'")
            }
            turns.append(Turn(identity: String(fields[0]), start: start, end: end))
        }
        self.turns = turns
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".opus") }.sorted()
        self.participants = files.map { (String($0.dropLast(5)), directory + "/" + $0) }
        if self.participants.isEmpty { throw EvalError("\(directory): no .opus files; make one with scripts/make-corpus.sh SEED \(directory)") }
    }
}

/// A problem with the evaluation's input.
struct EvalError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
