#!/usr/bin/env bash
# make soak: many RTP tracks with loss, duplicates, reordering and garbage into one `chorus detect`
# for SOAK_SECONDS (default 600); five tracks leave and rejoin all along (so webhooks flow all the
# time), while the webhook receiver (LiveKit's SDK) goes down for 5 s of every 30 s. Samples the process's RSS and open descriptors every 5 s, then checks: no crash, RSS
# growth after the first minute under 5 %, no descriptor growth, every webhook delivered.
# Loopback only; everything stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${SOAK_SECONDS:-600}"
tracks="${SOAK_TRACKS:-100}"
work=$(mktemp -d /tmp/chorus-soak.XXXXXX)
py=.venv/bin/python
key=APIsoak; secret=chorus-soak-secret-0123456789abcdef0123456789
echo "soak: ${tracks} tracks for ${seconds} s in $work"

espeak-ng -w "$work/talk.wav" "Soak testing the pipeline with many tracks, loss, duplicates and garbage."
sox -V1 "$work/talk.wav" -r 48000 -c 1 "$work/talk48.wav"
opusenc --quiet --framesize 20 "$work/talk48.wav" "$work/talk.opus"

rtp_port=$(( 20000 + RANDOM % 20000 )); hook_port=$(( rtp_port + 1 ))
receiver() { "$py" Tests/ChorusWebhooksTests/Resources/webhook_receiver.py serve --key $key --secret $secret \
               --port $hook_port --log "$work/webhooks.jsonl" > /dev/null 2>&1 & echo $!; }
rpid=$(receiver)
sleep 1

.build/release/chorus detect "rtp://127.0.0.1:$rtp_port" --format jsonl --stats --duration "$seconds" \
  --webhook "http://127.0.0.1:$hook_port/webhook" --api-key $key --api-secret $secret \
  --webhook-queue "$work/outbox" --webhook-drain-timeout 30 --max-tracks $((tracks + 10)) --idle-timeout 3 \
  > "$work/events.jsonl" 2> "$work/stderr.txt" &
cpid=$!
sleep 0.5
"$py" scripts/soak_sender.py --port $rtp_port --opus "$work/talk.opus" --tracks "$tracks" --seconds "$((seconds - 5))" &
spid=$!

echo "t,rss_kb,fds" > "$work/samples.csv"
t=0
while kill -0 $cpid 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' /proc/$cpid/status 2>/dev/null || echo 0)
  fds=$(ls /proc/$cpid/fd 2>/dev/null | wc -l)
  echo "$t,$rss,$fds" >> "$work/samples.csv"
  # The webhook receiver flaps: down for 5 s every 30 s.
  if (( t % 30 == 20 )); then kill -9 $rpid 2>/dev/null || true; fi
  if (( t % 30 == 25 )); then rpid=$(receiver); fi
  sleep 5; t=$((t + 5))
done
wait $cpid; status=$?
wait $spid || true
kill -0 $rpid 2>/dev/null || rpid=$(receiver)
sleep 1; kill -9 $rpid 2>/dev/null || true

"$py" - "$work" "$status" <<'PY'
import csv, json, sys
work, status = sys.argv[1], int(sys.argv[2])
rows = [r for r in csv.DictReader(open(f"{work}/samples.csv")) if int(r["rss_kb"] or 0) > 0]
warm = [r for r in rows if int(r["t"]) >= 60] or rows
first = int(warm[0]["rss_kb"]); peak = max(int(r["rss_kb"]) for r in warm)
fds = sorted({int(r["fds"]) for r in warm})
growth = (peak - first) / first * 100
stderr = open(f"{work}/stderr.txt").read()
hooks = [json.loads(l) for l in open(f"{work}/webhooks.jsonl")] if True else []
accepted = {h["id"] for h in hooks if h.get("kind") == "accepted"}
stats = [json.loads(l) for l in open(f"{work}/events.jsonl") if '"track_stats"' in l]
print(f"soak: exit {status}; RSS after warm-up {first} kB -> peak {peak} kB ({growth:+.2f} %); fds {fds}")
print(f"soak: {len(stats)} tracks; received {sum(s.get('received',0) for s in stats)}, lost {sum(s.get('lost',0) for s in stats)}, "
      f"duplicates {sum(s.get('duplicates',0) for s in stats)}, concealed {sum(s.get('concealed',0) for s in stats)}")
print(f"soak: webhooks accepted by the SDK: {len(accepted)} distinct ids; chorus said: "
      + [l for l in stderr.splitlines() if "webhooks:" in l][-1:][0] if "webhooks:" in stderr else "soak: no webhook summary")
import re
match = re.search(r"(\d+) retried", stderr)
retried = bool(match) and int(match.group(1)) > 0
print(f"soak: the receiver's outages made Chorus retry: {retried}")
# Descriptors move by the webhook connections in flight; growth would show as a trend, not a jitter.
ok = status == 0 and growth < 5 and max(fds) - min(fds) <= 4 and "0 undelivered" in stderr
print("soak: PASS" if ok else "soak: FAIL")
sys.exit(0 if ok else 1)
PY
