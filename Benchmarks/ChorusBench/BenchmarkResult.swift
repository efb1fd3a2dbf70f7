import Chorus

/// One benchmark figure, with its baseline when it has one.
struct BenchmarkResult {
    /// Dotted name, e.g. `levels.simd_vs_scalar`.
    var name: String
    /// The measured figure.
    var value: Double
    /// Its unit, e.g. `ns/frame`.
    var unit: String
    /// The baseline measured in the same run, in the same unit, if any.
    var baseline: Double? = nil
    /// How many times better than the baseline (always "higher is better"), if any.
    var ratio: Double? = nil
    /// The goal for the ratio or the value, for the table.
    var goal: String? = nil
    /// Extra figures for the JSON line.
    var extra: [(String, Double)] = []

    var jsonLine: String {
        var json = JSONLine(event: "benchmark")
        json.string("name", self.name)
        json.number("value", self.value, decimals: 3)
        json.string("unit", self.unit)
        if let baseline { json.number("baseline", baseline, decimals: 3) }
        if let ratio { json.number("ratio", ratio, decimals: 2) }
        if let goal { json.string("goal", goal) }
        for (key, value) in self.extra { json.number(key, value, decimals: 3) }
        return json.line
    }
}
