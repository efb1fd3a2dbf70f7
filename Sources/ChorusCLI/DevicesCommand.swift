import Chorus
import ChorusALSA

/// `chorus devices`: the ALSA capture devices a `mic:DEVICE` source can name, like `arecord -L`.
enum DevicesCommand {
    static let usage = "usage: chorus devices [--format jsonl|text]"

    static let options: [OptionSpec] = [
        OptionSpec(name: "--format", value: "jsonl|text", help: "jsonl: one JSON object a line; text: for people (default on a terminal)"),
        OptionSpec(name: "--help", help: "show this help"),
    ]

    static func run(_ args: [String]) throws -> Int32 {
        let summary = "Lists the ALSA PCMs that can capture; use one as mic:NAME (e.g. chorus levels mic:hw:0)."
        guard let parsed = try Help.parse(args, usage: usage, summary: summary, options: options) else { return 0 }
        guard parsed.operands.isEmpty else { throw UsageError("chorus devices takes no SOURCE") }
        let format = try OutputFormat.from(parsed)
        let devices = CaptureDeviceList.all()
        for device in devices {
            switch format {
            case .jsonl:
                var json = JSONLine(event: "capture_device")
                json.string("name", device.name)
                json.string("description", device.description)
                Terminal.line(json.line)
            case .text:
                Terminal.line(device.name)
                for line in device.description.split(separator: "\n") { Terminal.line("    " + line) }
            }
        }
        if devices.isEmpty && format == .text {
            Terminal.line("no capture devices found (no sound card, or no ALSA configuration)")
        }
        return 0
    }
}
