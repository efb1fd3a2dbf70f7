#!/usr/bin/env python3
"""Writes the seed inputs of the ogg, opus and webhook fuzz targets into Tests/Fuzz/corpus.

Seeds are real data, so the fuzzer starts past the formats' front doors:
  ogg      short Ogg Opus files made by sox and opusenc (mono, stereo, speech, one cut short)
  opus     the packets of those files, framed as the opus harness reads them
           (format byte, then per packet: operation byte, length byte, payload)
  webhook  LiveKit webhook bodies (mode 0) and bodies with an HS256 token signed with the
           harness's key and secret at its fixed clock (mode 1), as Tests/Fuzz/Harness/WebhookHarness.swift expects

Run from the package root: python3 scripts/fuzz_seeds.py (needs sox, opusenc, espeak-ng).
"""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import tempfile

from oggpackets import audio_packets

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "Tests", "Fuzz", "corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as handle:
        handle.write(data)


def make_ogg(tmp):
    files = {}
    recipes = {
        "sine-mono": ["sox", "-n", "-r", "48000", "-c", "1", "-b", "16", "{wav}", "synth", "0.3", "sine", "440", "vol", "0.5"],
        "noise-stereo": ["sox", "-n", "-r", "48000", "-c", "2", "-b", "16", "{wav}", "synth", "0.2", "pinknoise", "vol", "0.3"],
    }
    for name, command in recipes.items():
        wav = os.path.join(tmp, name + ".wav")
        subprocess.run([part.replace("{wav}", wav) for part in command], check=True)
        files[name] = wav
    speech = os.path.join(tmp, "speech.wav")
    subprocess.run(["espeak-ng", "-w", speech, "hi"], check=True)
    files["speech"] = speech
    out = {}
    for name, wav in files.items():
        for bitrate, frame in (("12", "20"), ("64", "10"), ("8", "60")):
            opus = os.path.join(tmp, f"{name}-{bitrate}.opus")
            subprocess.run(["opusenc", "--quiet", "--bitrate", bitrate, "--framesize", frame, wav, opus], check=True)
            with open(opus, "rb") as handle:
                out[f"{name}-{bitrate}k-{frame}ms"] = handle.read()
    return out


def sign(body, now, key="fuzz-key", secret="fuzz-secret-at-least-32-bytes-long!"):
    def b64(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=")
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = b64(json.dumps({
        "iss": key, "nbf": now - 10, "exp": now + 600,
        "sha256": base64.b64encode(hashlib.sha256(body).digest()).decode(),
    }, separators=(",", ":")).encode())
    signature = b64(hmac.new(secret.encode(), header + b"." + claims, hashlib.sha256).digest())
    return header + b"." + claims + b"." + signature


def webhook_bodies():
    room = {"sid": "RM_fuzz", "name": "standup", "emptyTimeout": 300, "creationTime": "1800000000"}
    participant = {"sid": "PA_alice", "identity": "alice", "name": "Alice", "state": "ACTIVE",
                   "joinedAt": "1800000001", "tracks": [{"sid": "TR_mic", "type": "AUDIO", "source": "MICROPHONE"}]}
    track = {"sid": "TR_mic", "type": "AUDIO", "name": "mic", "source": "MICROPHONE", "mimeType": "audio/opus"}
    return {
        "room-started": {"event": "room_started", "room": room, "id": "EV_1", "createdAt": "1800000000"},
        "participant-joined": {"event": "participant_joined", "room": room, "participant": participant,
                               "id": "EV_2", "createdAt": "1800000001"},
        "track-published": {"event": "track_published", "room": room, "participant": participant,
                            "track": track, "id": "EV_3", "createdAt": "1800000002"},
        "egress-ended": {"event": "egress_ended", "egressInfo": {"egressId": "EG_1", "roomId": "RM_fuzz",
                         "roomName": "standup", "status": "EGRESS_COMPLETE", "startedAt": "1", "endedAt": "2"},
                         "id": "EV_4", "createdAt": "1800000003"},
        "room-finished": {"event": "room_finished", "room": room, "id": "EV_5", "createdAt": "1800000009",
                          "roomEndReason": "ROOM_EMPTY"},
    }


def main():
    with tempfile.TemporaryDirectory() as tmp:
        oggs = make_ogg(tmp)
    for name, data in oggs.items():
        write("ogg", name, data)
    write("ogg", "speech-cut", oggs["speech-12k-20ms"][: len(oggs["speech-12k-20ms"]) * 2 // 3])
    for index, (name, data) in enumerate(oggs.items()):
        packets = audio_packets(data)[:24]
        stereo = 1 if "stereo" in name else 0
        record = bytes([stereo | (4 << 1)])  # 48 kHz
        for number, packet in enumerate(packets):
            operation = 0 if number % 7 else 2 | (8 << 2)  # now and then recover 20 ms (8 x 120) from FEC
            record += bytes([operation, min(len(packet), 255)]) + packet[:255]
        write("opus", name, record)
        if index == 0:
            write("opus", name + "-8k", bytes([(0 << 1)]) + record[1:])
    now = 1_800_000_000
    for name, event in webhook_bodies().items():
        body = json.dumps(event, separators=(",", ":")).encode()
        write("webhook", name, b"\x00" + body)
        write("webhook", name + "-signed", b"\x01" + sign(body, now) + b"\x00" + body)


if __name__ == "__main__":
    main()
