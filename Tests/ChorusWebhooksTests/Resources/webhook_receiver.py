#!/usr/bin/env python3
"""A LiveKit webhook receiver for Chorus's tests: every request is checked by LiveKit's own Python server SDK.

Modes:

  serve   An HTTP server on 127.0.0.1 that verifies each POST with
          `api.WebhookReceiver(api.TokenVerifier(key, secret)).receive(body, authorization)` and appends one JSON
          line per request to --log:
            {"kind": "accepted", "n": <request number>, "id", "event", "room", "webhook_id", "sequence",
             "attempt", "content_type", "event_json": <the SDK's MessageToDict of the event>}
            {"kind": "rejected", "n", "error", ...}       the SDK refused it (answered 401)
            {"kind": "failed", "n", "status"}             failed on purpose (--fail-first)
            {"kind": "hung", "n"}                         held past the client's timeout (--hang-first/--hang-after)
          Prints "LISTENING <port>" once it accepts connections. Failure injection:
            --fail-first N       answer --fail-status (default 503) to the first N requests
            --retry-after S      with a Retry-After: S header on those answers
            --location URL       with a Location: URL header on those answers (e.g. --fail-status 307)
            --hang-first N       hold the first N requests --hang-seconds without answering
            --hang-after N       after letting N requests through, hold every request --hang-seconds
            --reject-status-for EVENT   answer 400 to events of that name (after verifying them)

  verify  Reads JSON lines {"body": str, "authorization": str} on stdin and writes, for each, a JSON line
          {"ok": true, "id": ..., "event": ...} or {"ok": false, "error": "<exception type>: <message>"}.

  sign    Prints a token made by the SDK's own signer, `api.AccessToken(key, secret).with_sha256(<b64 sha256 of
          the body>).to_jwt()`, for the body read from stdin (raw bytes).
"""
import argparse
import base64
import hashlib
import json
import sys
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

warnings.simplefilter("ignore")  # PyJWT warns about short HMAC keys; the tests choose their keys.

import jwt  # noqa: E402  (PyJWT, a dependency of livekit-api; used only to log the claims of each request)
from google.protobuf.json_format import MessageToDict  # noqa: E402
from livekit import api  # noqa: E402


def make_receiver(key, secret):
    return api.WebhookReceiver(api.TokenVerifier(key, secret))


def serve(args):
    receiver = make_receiver(args.key, args.secret)
    lock = threading.Lock()
    state = {"requests": 0, "admitted": 0}
    log = open(args.log, "a", buffering=1)

    def write(entry):
        with lock:
            log.write(json.dumps(entry, separators=(",", ":")) + "\n")
            log.flush()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):  # quiet
            pass

        def answer(self, status, extra_headers=()):
            self.send_response(status)
            for name, value in extra_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            token_claims = {}
            try:
                token_claims = jwt.decode(self.headers.get("Authorization") or "", options={"verify_signature": False})
            except Exception:
                pass
            with lock:
                state["requests"] += 1
                n = state["requests"]
                # --hang-after counts requests let through (decided here, atomically), so that concurrent
                # requests cannot both slip under the limit.
                hang_after = False
                if args.hang_after is not None and n > args.fail_first + args.hang_first:
                    hang_after = state["admitted"] >= args.hang_after
                    if not hang_after:
                        state["admitted"] += 1
            if n <= args.fail_first:
                write({"kind": "failed", "n": n, "status": args.fail_status, "iat": token_claims.get("iat"),
                       "webhook_id": self.headers.get("Webhook-Id"), "time": time.time()})
                headers = [("Retry-After", str(args.retry_after))] if args.retry_after is not None else []
                if args.location:
                    headers.append(("Location", args.location))
                self.answer(args.fail_status, headers)
                return
            if n <= args.fail_first + args.hang_first or hang_after:
                write({"kind": "hung", "n": n, "webhook_id": self.headers.get("Webhook-Id"), "time": time.time()})
                time.sleep(args.hang_seconds)
                self.close_connection = True
                return
            common = {
                "n": n,
                "webhook_id": self.headers.get("Webhook-Id"),
                "sequence": self.headers.get("Webhook-Sequence"),
                "attempt": self.headers.get("Webhook-Attempt"),
                "content_type": self.headers.get("Content-Type"),
                "iat": token_claims.get("iat"),
                "time": time.time(),
            }
            try:
                event = receiver.receive(raw.decode("utf-8"), self.headers.get("Authorization") or "")
            except Exception as error:  # the SDK's refusal, whatever its type
                write(dict(common, kind="rejected", error=f"{type(error).__name__}: {error}"))
                self.answer(401)
                return
            entry = dict(
                common,
                kind="accepted",
                id=event.id,
                event=event.event,
                room=event.room.name,
                event_json=MessageToDict(event),
            )
            if args.reject_status_for and event.event in args.reject_status_for:
                write(dict(entry, kind="refused_on_purpose"))
                self.answer(400)
                return
            write(entry)
            self.answer(200)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass


def verify(args):
    receiver = make_receiver(args.key, args.secret)
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        try:
            event = receiver.receive(case["body"], case["authorization"])
            result = {"ok": True, "id": event.id, "event": event.event}
        except Exception as error:
            result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(result), flush=True)


def sign(args):
    body = sys.stdin.buffer.read()
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    print(api.AccessToken(args.key, args.secret).with_sha256(digest).to_jwt())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["serve", "verify", "sign"])
    parser.add_argument("--key", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=503)
    parser.add_argument("--retry-after", type=int)
    parser.add_argument("--location", help="a Location header on the --fail-first answers (for redirects)")
    parser.add_argument("--hang-first", type=int, default=0)
    parser.add_argument("--hang-after", type=int)
    parser.add_argument("--hang-seconds", type=float, default=5.0)
    parser.add_argument("--reject-status-for", action="append")
    args = parser.parse_args()
    if args.mode == "serve":
        if not args.log:
            parser.error("serve needs --log")
        serve(args)
    elif args.mode == "verify":
        verify(args)
    else:
        sign(args)


if __name__ == "__main__":
    main()
