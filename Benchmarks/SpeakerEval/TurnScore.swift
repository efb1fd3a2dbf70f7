/// How well a detector's speaker list followed the scheduled turns of one or more corpora.
///
/// Per turn (start s, end e):
/// - onset latency: from s to the first moment in [s − 0.3 s, e] the speaker is listed (0 if
///   already listed); a turn never listed in that span is **missed**;
/// - release latency: from e to the moment the speaker is dropped (negative if dropped early); not
///   measured when the speaker's own next turn starts within 1.0 s (bridging that gap is right);
/// - coverage: the share of [s + 0.5 s, e] during which the speaker is listed (summed over turns);
/// - flaps: drop-outs inside the turn: the speaker is dropped after s and after the first listing, and listed
///   again before e, or dropped for good more than 0.3 s before e (a final drop closer to e shows
///   as a slightly negative release latency instead).
/// Per listed interval of any participant: a **false activation** when it starts outside every
/// [s − 0.3 s, e + 1.0 s] of that participant's turns (bleed, fan and keys count); false seconds
/// are listed time outside those spans.
struct TurnScore {
    static let earlyTolerance = 0.3
    static let lateTolerance = 1.0
    static let coverageSkip = 0.5

    var turns = 0
    var onsets: [Double] = []
    var releases: [Double] = []
    var covered = 0.0
    var coverable = 0.0
    var missed = 0
    var flaps = 0
    var falseActivations = 0
    var falseSeconds = 0.0
    var listChanges = 0
    var reorders = 0
    var seconds = 0.0
    /// Lines describing every miss, flap, false activation, onset slower than 0.2 s and release
    /// slower than 0.6 s, for tuning.
    var notes: [String] = []

    /// Scores `timeline` against `truth` over a room of `length` seconds, adding to this score.
    mutating func add(_ timeline: SpeakerTimeline, truth: GroundTruth, length: Double) {
        self.listChanges += timeline.changeCount
        self.reorders += timeline.reorderCount
        self.seconds += length
        for (identity, _) in truth.participants {
            let listed = timeline.intervals(of: identity, until: length)
            let turns = truth.turns.filter { $0.identity == identity }
            for (index, turn) in turns.enumerated() {
                self.score(turn, listed: listed, nextOwnStart: index + 1 < turns.count ? turns[index + 1].start : nil)
            }
            let windows = turns.map { ($0.start - Self.earlyTolerance, $0.end + Self.lateTolerance) }
            for (from, to) in listed {
                if !windows.contains(where: { from >= $0.0 && from <= $0.1 }) {
                    self.falseActivations += 1
                    self.notes.append("false activation: \(identity) listed \(fmt(from))-\(fmt(to)) s")
                }
                var outside = to - from
                for window in windows { outside -= max(0, min(to, window.1) - max(from, window.0)) }
                self.falseSeconds += max(0, outside)
            }
        }
    }

    private mutating func score(_ turn: Turn, listed: [(from: Double, to: Double)], nextOwnStart: Double?) {
        self.turns += 1
        let early = turn.start - Self.earlyTolerance
        guard let first = listed.first(where: { $0.to > early && $0.from <= turn.end }) else {
            self.missed += 1
            self.notes.append("missed: \(turn.identity) \(fmt(turn.start))-\(fmt(turn.end)) s")
            return
        }
        let onset = max(first.from, early)
        self.onsets.append(max(0, onset - turn.start))
        if onset - turn.start > 0.2 {
            self.notes.append("slow onset: \(turn.identity) \(fmt(turn.start))-\(fmt(turn.end)) s listed at \(fmt(onset)) s")
        }
        if let next = nextOwnStart, next - turn.end < Self.lateTolerance {
            // The speaker's own next turn follows within the tolerance: staying listed through the
            // gap is right, so this turn has no release of its own.
        } else if let holding = listed.first(where: { $0.from <= turn.end && $0.to > turn.end }) {
            self.releases.append(holding.to - turn.end)
            if holding.to - turn.end > 0.6 {
                self.notes.append("slow release: \(turn.identity) \(fmt(turn.start))-\(fmt(turn.end)) s dropped at \(fmt(holding.to)) s")
            }
        } else if let last = listed.last(where: { $0.to > onset && $0.to <= turn.end }) {
            self.releases.append(last.to - turn.end)
        }
        for interval in listed where interval.to > max(onset, turn.start) && interval.to < turn.end {
            let relisted = listed.contains { $0.from > interval.to && $0.from < turn.end }
            guard relisted || interval.to < turn.end - Self.earlyTolerance else { continue }
            self.flaps += 1
            self.notes.append("flap: \(turn.identity) dropped at \(fmt(interval.to)) s inside \(fmt(turn.start))-\(fmt(turn.end)) s")
        }
        let from = turn.start + Self.coverageSkip
        if turn.end > from {
            self.coverable += turn.end - from
            for interval in listed { self.covered += max(0, min(interval.to, turn.end) - max(interval.from, from)) }
        }
    }

    /// Covered share of the coverable time.
    var coverage: Double { self.coverable > 0 ? self.covered / self.coverable : 1 }

    /// Nearest-rank percentile `p` (0...100) of `values` in milliseconds; NaN when empty.
    static func percentileMs(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = max(1, Int((p / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(sorted.count, rank) - 1] * 1000
    }
}

func fmt(_ value: Double) -> String {
    let scaled = Int((value * 100).rounded())
    let sign = scaled < 0 ? "-" : ""
    let magnitude = abs(scaled)
    let fraction = magnitude % 100
    return sign + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
}
