import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// One PCM that can capture, as ALSA's name hints describe it (what `arecord -L` lists).
public struct CaptureDeviceInfo: Sendable, Equatable {
    /// The name to open, e.g. `default`, `hw:CARD=PCH,DEV=0`, or a configured PCM.
    public var name: String
    /// ALSA's description, possibly several lines.
    public var description: String
}

/// Lists the PCMs that can capture, from ALSA's device name hints.
public enum CaptureDeviceList {
    /// Every PCM whose hint does not say it is output-only.
    ///
    /// - Note: "default" may be listed even when no card exists behind it; opening then fails with
    ///   ``CaptureError/Kind/noSuchDevice``.
    public static func all() -> [CaptureDeviceInfo] {
        chorus_alsa_silence_library_errors()
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) >= 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var devices: [CaptureDeviceInfo] = []
        var index = 0
        while let hint = hints[index] {
            index += 1
            let name = take(snd_device_name_get_hint(hint, "NAME"))
            let description = take(snd_device_name_get_hint(hint, "DESC"))
            let direction = take(snd_device_name_get_hint(hint, "IOID"))
            guard let name, direction != "Output" else { continue }
            devices.append(CaptureDeviceInfo(name: name, description: description ?? ""))
        }
        return devices
    }

    /// Converts and frees a string ALSA allocated.
    private static func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
