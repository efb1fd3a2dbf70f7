import BenchSupport
import Chorus
import ChorusALSA
import ChorusCore
import ChorusMedia
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `alsa.capture_cpu`: CPU share of one core while capturing a 48 kHz mono device in real time and
/// measuring every 10 ms period, against `arecord` capturing the same paced device in the same run.
///
/// The device is ALSA's `file` plugin reading a FIFO that a writer thread feeds in real time (10 ms
/// chunks on an absolute clock), so capture is paced like a microphone without a sound card.
enum ALSABenchmark {
    static func run(quick: Bool) -> [BenchmarkResult] {
        let seconds = quick ? 1.0 : 4.0
        guard let chorus = measureChorus(seconds: seconds), let arecord = measureArecord(seconds: seconds) else {
            print("alsa.capture_cpu: skipped (cannot make a FIFO or open the file PCM)")
            return []
        }
        return [BenchmarkResult(
            name: "alsa.capture_cpu", value: chorus * 100, unit: "% of a core", baseline: arecord * 100,
            ratio: arecord / max(chorus, 1e-9), goal: "value < 1 %")]
    }

    /// A FIFO fed with `seconds` of a tone in real time; returns its path and the writer thread's handle.
    static func pacedFIFO(seconds: Double) -> String? {
        let path = NSTemporaryDirectory() + "chorus-bench-\(getpid())-\(Int.random(in: 0..<1_000_000)).fifo"
        guard mkfifo(path, 0o600) == 0 else { return nil }
        Thread.detachNewThread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            defer { close(fd); unlink(path) }
            var chunk = [Int16](repeating: 0, count: 480)
            var start = timespec()
            clock_gettime(CLOCK_MONOTONIC, &start)
            let chunks = Int(seconds * 100) + 20
            for n in 0..<chunks {
                for i in 0..<480 { chunk[i] = Int16(8000 * sin(Double(n * 480 + i) * 2 * .pi * 440 / 48_000)) }
                _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                var due = start
                let ns = Int(due.tv_nsec) + (n + 1) * 10_000_000
                due.tv_sec += ns / 1_000_000_000
                due.tv_nsec = ns % 1_000_000_000
                while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nil) == EINTR {}
            }
        }
        return path
    }

    static func configuration(fifo: String) -> String {
        "pcm.bench_mic { type file slave { pcm { type null } } file \"/dev/null\" infile \"\(fifo)\" format \"raw\" }"
    }

    /// Thread CPU time of capturing and measuring, divided by the audio's duration.
    static func measureChorus(seconds: Double) -> Double? {
        guard let fifo = pacedFIFO(seconds: seconds) else { return nil }
        var capture = CaptureConfiguration()
        capture.maxFrames = Int(seconds * 48_000)
        guard let source = try? ALSACaptureSource(device: "bench_mic", configuration: capture,
                                                  configurationText: configuration(fifo: fifo)) else { return nil }
        var buffer = [Float](repeating: 0, count: 480)
        let cpuStart = threadCPUSeconds()
        var total = BlockMeasure()
        while true {
            let frames = (try? buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }) ?? 0
            if frames == 0 { break }
            total.merge(buffer.withUnsafeBufferPointer { LevelKernel.measure(UnsafeBufferPointer(rebasing: $0[0..<frames])) })
        }
        blackHole(total)
        return (threadCPUSeconds() - cpuStart) / seconds
    }

    /// `arecord` on the same kind of paced device: its CPU time (from the kernel's child accounting)
    /// divided by the audio's duration.
    static func measureArecord(seconds: Double) -> Double? {
        guard let fifo = pacedFIFO(seconds: seconds) else { return nil }
        let conf = NSTemporaryDirectory() + "chorus-bench-\(getpid()).asoundrc"
        guard (try? ("pcm.bench_mic { type file slave.pcm \"null\" file \"/dev/null\" infile \"\(fifo)\" format \"raw\" }\n")
            .write(toFile: conf, atomically: true, encoding: .utf8)) != nil else { return nil }
        defer { unlink(conf) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/arecord")
        process.arguments = ["-q", "-D", "bench_mic", "-f", "S16_LE", "-r", "48000", "-c", "1", "-t", "raw",
                             "-s", String(Int(seconds * 48_000)), "/dev/null"]
        process.environment = ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(conf)"]
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        func secondsOf(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let cpu = (secondsOf(after.ru_utime) + secondsOf(after.ru_stime)) - (secondsOf(before.ru_utime) + secondsOf(before.ru_stime))
        return cpu / seconds
    }

    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
