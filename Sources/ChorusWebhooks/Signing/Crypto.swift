import CCrypto
import Foundation

/// SHA-256, HMAC-SHA256 and constant-time comparison from OpenSSL's libcrypto.
///
/// Nothing here is hand-written cryptography: each function is a thin call into libcrypto through the
/// `CCrypto` system-library target.
enum Crypto {
    /// The length in bytes of a SHA-256 digest and of an HMAC-SHA256 tag.
    static let digestLength = 32

    /// The SHA-256 digest of `bytes`.
    static func sha256(_ bytes: some ContiguousBytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.digestLength)
        let ok = bytes.withUnsafeBytes { data in
            out.withUnsafeMutableBufferPointer { digest in
                Self.withNonNullBase(data) { chorus_sha256($0, data.count, digest.baseAddress) }
            }
        }
        precondition(ok == 1, "libcrypto SHA256 failed")
        return out
    }

    /// The HMAC-SHA256 tag of `message` under `key`.
    static func hmacSHA256(key: some ContiguousBytes, message: some ContiguousBytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.digestLength)
        let ok = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { data in
                out.withUnsafeMutableBufferPointer { tag in
                    Self.withNonNullBase(keyBytes) { keyBase in
                        Self.withNonNullBase(data) { dataBase in
                            chorus_hmac_sha256(keyBase, keyBytes.count, dataBase, data.count, tag.baseAddress)
                        }
                    }
                }
            }
        }
        precondition(ok == 1, "libcrypto HMAC-SHA256 failed")
        return out
    }

    /// True when `a` and `b` hold the same bytes; the time taken depends only on their lengths.
    static func constantTimeEqual(_ a: some ContiguousBytes, _ b: some ContiguousBytes) -> Bool {
        a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                guard left.count == right.count else { return false }
                guard left.count > 0 else { return true }
                return chorus_memcmp_constant_time(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }

    /// Calls `body` with the buffer's base address, or with the address of a dummy byte when the buffer is empty
    /// (an empty `Data` or array may have no base address; libcrypto wants a valid pointer).
    private static func withNonNullBase<R>(_ buffer: UnsafeRawBufferPointer, _ body: (UnsafeRawPointer) -> R) -> R {
        if let base = buffer.baseAddress { return body(base) }
        var dummy: UInt8 = 0
        return withUnsafeBytes(of: &dummy) { body($0.baseAddress!) }
    }
}
