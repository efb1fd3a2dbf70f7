import Chorus
import ChorusCore
import ChorusWebhooks
import Foundation

/// `--webhook URL ...`: LiveKit-compatible webhooks for `chorus detect`.
enum WebhookSetup {
    static let options: [OptionSpec] = [
        OptionSpec(name: "--webhook", value: "URL", help: "post LiveKit-compatible webhooks to URL (repeatable)", repeatable: true),
        OptionSpec(name: "--api-key", value: "KEY", help: "webhook signing key (default $LIVEKIT_API_KEY)"),
        OptionSpec(name: "--api-secret", value: "SECRET", help: "webhook signing secret (default $LIVEKIT_API_SECRET)"),
        OptionSpec(name: "--webhook-queue", value: "DIR", help: "durable outbox: events survive a crash and are sent on the next run"),
        OptionSpec(name: "--webhook-drain-timeout", value: "SECONDS", help: "at exit, wait this long for delivery (default 10)"),
        OptionSpec(name: "--departure-timeout", value: "SECONDS", help: "room_finished after the room has been empty this long (default 20)"),
    ]

    /// The notifier for `--webhook` options, or nil when none was given. Call it before opening any
    /// source, so that a mistake in these options is reported first.
    static func notifier(_ parsed: ParsedArguments) throws -> WebhookNotifier? {
        let urls = parsed.all("--webhook")
        guard !urls.isEmpty else { return nil }
        var endpoints: [WebhookEndpoint] = []
        for text in urls {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw UsageError("--webhook \(text): expected an http:// or https:// URL, e.g. --webhook http://127.0.0.1:8080/webhook")
            }
            endpoints.append(WebhookEndpoint(url: url))
        }
        let environment = ProcessInfo.processInfo.environment
        guard let key = parsed.value("--api-key") ?? environment["LIVEKIT_API_KEY"],
            let secret = parsed.value("--api-secret") ?? environment["LIVEKIT_API_SECRET"], !key.isEmpty, !secret.isEmpty
        else {
            throw UsageError("--webhook needs a signing key: --api-key K --api-secret S, or LIVEKIT_API_KEY and LIVEKIT_API_SECRET")
        }
        let queue = parsed.value("--webhook-queue").map { URL(fileURLWithPath: $0, isDirectory: true) }
        let notifier: WebhookNotifier
        do {
            notifier = try WebhookNotifier(configuration: .init(
                endpoints: endpoints, signer: WebhookSigner(apiKey: key, apiSecret: secret), queueDirectory: queue))
        } catch {
            throw RuntimeError( "--webhook-queue \(queue?.path ?? ""): \(error); use a writable directory that no other chorus is using")
        }
        _ = try parsed.seconds("--departure-timeout")
        _ = try parsed.seconds("--webhook-drain-timeout")
        return notifier
    }

    /// Attaches a bridge from `room` to `notifier`: `room_started` is sent now.
    static func attach(_ notifier: WebhookNotifier?, to room: Room, parsed: ParsedArguments) throws -> RoomWebhookBridge? {
        guard let notifier else { return nil }
        let departure = try parsed.seconds("--departure-timeout") ?? 20
        let bridge = RoomWebhookBridge(notifier: notifier, roomName: room.name, departureTimeout: .seconds(departure))
        room.addObserver { bridge.handle($0) }
        return bridge
    }

    /// Closes the room's webhooks, waits for delivery and says on stderr what could not be delivered.
    ///
    /// - Returns: 1 if events were neither delivered nor kept in a durable outbox, else 0.
    static func finish(_ bridge: RoomWebhookBridge?, parsed: ParsedArguments) throws -> Int32 {
        guard let bridge else { return 0 }
        bridge.finish()
        let timeout = try parsed.seconds("--webhook-drain-timeout") ?? 10
        let report = bridge.notifier.drain(timeout: timeout)
        let c = report.counters
        Terminal.note("chorus detect: webhooks: \(c.sent) sent, \(c.retried) retried, \(c.failed) failed, \(c.deadLettered) dead-lettered, \(report.undelivered.count) undelivered")
        for item in report.undelivered.prefix(20) {
            Terminal.error("chorus detect: webhook \(item.event) \(item.id) to \(item.url) not delivered after \(item.attempts) attempt(s)")
        }
        if !report.isComplete {
            Terminal.error(report.persisted
                ? "chorus detect: the undelivered webhooks are kept in the --webhook-queue outbox and will be sent on the next run"
                : "chorus detect: the undelivered webhooks are lost; use --webhook-queue DIR to keep them across runs")
        }
        return report.isComplete || report.persisted ? (c.failed > 0 ? 1 : 0) : 1
    }
}

