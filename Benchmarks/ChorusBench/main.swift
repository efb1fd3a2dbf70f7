import BenchSupport
import Chorus

#if canImport(Glibc)
import Glibc
#endif

/// chorus-bench: every figure is measured against a baseline in the same run.
///
/// usage: chorus-bench [--json] [--quick] [NAME-PREFIX...]
signal(SIGPIPE, SIG_IGN)  // benchmarks write to FIFOs and sockets whose readers may be gone
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
        usage: chorus-bench [--json] [--quick] [NAME-PREFIX...]

        Runs Chorus's benchmarks, each against a baseline measured in the same run, and prints a table
        (or, with --json, one JSON object a line: name, value, unit, baseline, ratio).
        NAME-PREFIX picks benchmarks by name, e.g. `chorus-bench levels`.
          --quick   fewer repetitions (for smoke tests; figures are noisier)
        Build optimized first: swift build -c release (make bench does both).
        """)
    exit(0)
}
let json = arguments.contains("--json")
let quick = arguments.contains("--quick")
let filters = arguments.filter { !$0.hasPrefix("--") }

if isDebugBuild {
    print("<<< DEBUG BUILD: figures are meaningless; use swift build -c release >>>")
}

let suites: [(String, (Bool) -> [BenchmarkResult])] = [
    ("levels", LevelsBenchmark.run),
    ("alsa", ALSABenchmark.run),
    ("ring", RingBenchmark.run),
    ("rtp", RTPBenchmark.runParsing),
    ("pipeline", PipelineBenchmark.run),
    ("speakers", SpeakersBenchmark.run),
    ("webhooks", WebhooksBenchmark.run),
]

func selected(_ name: String) -> Bool {
    filters.isEmpty || filters.contains { name.hasPrefix($0) || $0.hasPrefix(name) }
}

if !json {
    print("benchmark                          value           baseline        ratio    goal")
}
for (prefix, suite) in suites where selected(prefix) {
    for result in suite(quick) where selected(result.name) {
        if json {
            print(result.jsonLine)
        } else {
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
            let value = JSONLine.fixed(result.value, decimals: 2) + " " + result.unit
            let base = result.baseline.map { JSONLine.fixed($0, decimals: 2) + " " + result.unit } ?? "-"
            let ratio = result.ratio.map { JSONLine.fixed($0, decimals: 2) + "x" } ?? "-"
            print(pad(result.name, 35) + pad(value, 16) + pad(base, 16) + pad(ratio, 9) + (result.goal ?? ""))
        }
    }
}
