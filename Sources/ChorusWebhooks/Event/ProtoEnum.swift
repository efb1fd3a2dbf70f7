/// A protobuf enum: an `Int32` raw value and the value name protojson writes.
protocol ProtoEnum: RawRepresentable, CaseIterable where RawValue == Int32 {
    /// The value's name in the `.proto` file, e.g. `"ACTIVE"`.
    var protoName: String { get }
}

extension ProtoEnum {
    /// The value named `name`, or whose number is `number`, as protojson accepts either.
    init?(protoJSON value: Any) {
        if let name = value as? String {
            guard let match = Self.allCases.first(where: { $0.protoName == name }) else { return nil }
            self = match
        } else if let number = ProtoJSONObject.integer(value), let raw = Int32(exactly: number) {
            self.init(rawValue: raw)
        } else {
            return nil
        }
    }
}
