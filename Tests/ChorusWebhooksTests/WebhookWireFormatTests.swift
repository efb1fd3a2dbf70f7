import Foundation
import Testing

@testable import ChorusWebhooks

/// The body and the token, byte by byte, against published test vectors and the rules of protojson and JWT.
@Suite struct WebhookWireFormatTests {
    @Test func sha256AndHMACMatchPublishedVectors() {
        // FIPS 180-2 "abc"; RFC 4231 test case 2 ("Jefe").
        #expect(hex(Crypto.sha256(Array("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Crypto.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(hex(Crypto.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Crypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    @Test func bodyIsCompactProtoJSONInDeclarationOrder() throws {
        let room = WebhookEvent.Room(sid: "RM_abc", name: "Demo Room", emptyTimeout: 300, creationTime: 1692627281)
        let participant = WebhookEvent.Participant(
            sid: "PA_x", identity: "alice", state: .active, joinedAt: 1692627282, attributes: ["b": "2", "a": "1"])
        let event = WebhookEvent.participantJoined(
            room: room, participant: participant, id: "EV_eugWmGhovZmm", createdAt: 1692985556)
        let text = event.jsonString()
        #expect(!text.replacingOccurrences(of: "Demo Room", with: "").contains(" "))
        #expect(!text.contains("\n"))
        // int64 quoted, uint32 a number, enum by name, zero values (kind STANDARD, disconnectReason) left out.
        #expect(text.contains("\"creationTime\":\"1692627281\""))
        #expect(text.contains("\"emptyTimeout\":300"))
        #expect(text.contains("\"state\":\"ACTIVE\""))
        #expect(text.contains("\"createdAt\":\"1692985556\""))
        #expect(text.contains("\"attributes\":{\"a\":\"1\",\"b\":\"2\"}"))
        for absent in ["kind", "disconnectReason", "numParticipants", "track", "egressInfo", "roomEndReason"] {
            #expect(!text.contains("\"\(absent)\""), "\(absent) should be omitted")
        }
        // Declaration order of WebhookEvent: event, room, participant, …, id, createdAt.
        let order = ["\"event\"", "\"room\"", "\"participant\"", "\"id\"", "\"createdAt\""].map {
            text.range(of: $0)!.lowerBound
        }
        #expect(order == order.sorted())
        #expect(text.hasPrefix("{\"event\":\"participant_joined\",\"room\":{\"sid\":\"RM_abc\",\"name\":\"Demo Room\""))
        // Parsing it back gives the same event.
        #expect(try WebhookEvent(jsonData: event.jsonData()) == event)
    }

    @Test func everyScriptedEventSurvivesARoundTrip() throws {
        for event in RoomScript.lifecycle(room: "round trip") + RoomScript.ingress(room: "round trip") {
            let again = try WebhookEvent(jsonData: event.jsonData())
            #expect(again == event)
            #expect(again.jsonString() == event.jsonString())
        }
    }

    @Test func trackEventsCarryTheMinimalRoomAndParticipant() {
        let room = WebhookEvent.Room(sid: "RM_r", name: "r", emptyTimeout: 300, numParticipants: 2)
        let participant = WebhookEvent.Participant(sid: "PA_p", identity: "p", state: .active, name: "P")
        let track = WebhookEvent.Track(sid: "TR_t", name: "mic")
        let event = WebhookEvent.trackPublished(room: room, participant: participant, track: track)
        #expect(event.room == WebhookEvent.Room(sid: "RM_r", name: "r"))
        #expect(event.participant == WebhookEvent.Participant(sid: "PA_p", identity: "p"))
        // type AUDIO is the zero value and is omitted; source MICROPHONE is written.
        #expect(event.jsonString().contains("\"track\":{\"sid\":\"TR_t\",\"name\":\"mic\",\"source\":\"MICROPHONE\"}"))
    }

    @Test func idsAreThePrefixAndTwelveBase57Characters() {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = LiveKitID.make(prefix: "EV_")
            #expect(id.hasPrefix("EV_") && id.count == 15)
            #expect(id.dropFirst(3).allSatisfy { LiveKitID.alphabet.contains($0) })
            seen.insert(id)
        }
        #expect(seen.count == 1000)
        let event = WebhookEvent.roomStarted(room: .init(name: "x"))
        #expect(abs(event.createdAt - Int64(Date().timeIntervalSince1970)) <= 1)
    }

    @Test func tokenHasLiveKitsHeaderAndClaims() throws {
        let body = WebhookEvent.roomStarted(room: .init(name: "r")).jsonData()
        let now = Date(timeIntervalSince1970: 1_800_000_000.7)
        let token = WebhookSigner(apiKey: "key\"1", apiSecret: "s3cret").authorization(for: body, now: now)
        #expect(!token.hasPrefix("Bearer"))
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { !$0.contains("=") && !$0.contains("+") && !$0.contains("/") })
        #expect(String(decoding: Base64URL.decode(parts[0])!, as: UTF8.self) == "{\"alg\":\"HS256\",\"typ\":\"JWT\"}")
        let claims = try #require(
            try JSONSerialization.jsonObject(with: Base64URL.decode(parts[1])!) as? [String: Any])
        #expect(Set(claims.keys) == ["exp", "iat", "iss", "nbf", "sha256"])
        #expect(claims["iss"] as? String == "key\"1")
        #expect(claims["nbf"] as? Int == 1_800_000_000 && claims["iat"] as? Int == 1_800_000_000)
        #expect(claims["exp"] as? Int == 1_800_000_300)
        let sha = try #require(claims["sha256"] as? String)
        #expect(sha.count == 44 && sha.hasSuffix("=") && Data(base64Encoded: sha) == Data(Crypto.sha256(body)))
        let signature = Crypto.hmacSHA256(
            key: Array("s3cret".utf8), message: Array(token.utf8.prefix(parts[0].count + 1 + parts[1].count)))
        #expect(Base64URL.decode(parts[2]) == Data(signature))
    }

    @Test func signerReadsLiveKitsEnvironmentVariables() {
        #expect(WebhookSigner(environment: ["LIVEKIT_API_KEY": "k", "LIVEKIT_API_SECRET": "s"])
            == WebhookSigner(apiKey: "k", apiSecret: "s"))
        #expect(WebhookSigner(environment: ["LIVEKIT_API_KEY": "k"]) == nil)
        #expect(WebhookSigner(environment: ["LIVEKIT_API_KEY": "k", "LIVEKIT_API_SECRET": ""]) == nil)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
