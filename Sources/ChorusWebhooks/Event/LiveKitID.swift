/// LiveKit-style ids: a prefix plus 12 random base57 characters (`utils/guid/id.go`), e.g. `EV_eugWmGhovZmm`.
public enum LiveKitID {
    /// The base57 alphabet of shortuuid: digits and letters without `0 1 I O l`.
    public static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")

    /// A fresh id: `prefix` (`EV_`, `RM_`, `PA_`, `TR_`, `EG_`, `IN_`) plus 12 base57 characters from the
    /// system's cryptographic random source.
    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var id = prefix
        for _ in 0..<12 {
            id.append(Self.alphabet[Int(generator.next(upperBound: UInt64(Self.alphabet.count)))])
        }
        return id
    }
}
