/// Who was listed as an active speaker when: a step function built from list changes.
struct SpeakerTimeline {
    /// (time in seconds, identities listed from then on), in time order.
    private(set) var changes: [(time: Double, identities: [String])] = []
    /// How many times the list changed (membership or order).
    private(set) var changeCount = 0
    /// How many of those changes only reordered the same speakers.
    private(set) var reorderCount = 0

    /// Records the list at `time`; only a change (set or order) counts.
    mutating func record(_ identities: [String], at time: Double) {
        if let last = self.changes.last {
            if last.identities == identities { return }
            if Set(last.identities) == Set(identities) { self.reorderCount += 1 }
        }
        self.changes.append((time, identities))
        self.changeCount += 1
    }

    /// The half-open intervals [from, to) during which `identity` was listed, up to `end`.
    func intervals(of identity: String, until end: Double) -> [(from: Double, to: Double)] {
        var result: [(Double, Double)] = []
        var since: Double?
        for change in self.changes {
            let listed = change.identities.contains(identity)
            if listed, since == nil { since = change.time }
            if !listed, let from = since {
                result.append((from, change.time))
                since = nil
            }
        }
        if let from = since { result.append((from, max(from, end))) }
        return result
    }
}
