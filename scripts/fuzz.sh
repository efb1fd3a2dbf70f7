#!/usr/bin/env bash
# Builds each libFuzzer target with its own swiftc line (SwiftPM renames `main`, so fuzz drivers
# cannot be SwiftPM executables) and runs it for FUZZ_SECONDS (default 60) on its corpus in
# Tests/Fuzz/corpus/NAME. Crashing inputs are kept in Tests/Fuzz/crashes/NAME, where `make test`
# replays them (FuzzRegressionTests). Prints executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
out=.build/fuzz
mkdir -p "$out"

build() { # name sources...
  local name=$1; shift
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ChorusFuzz "$@" -o "$out/$name"
}
build rtp Sources/ChorusMedia/RTP/*.swift Tests/Fuzz/RTPPacketFuzz.swift
build source-spec Sources/Chorus/Sources/SourceSpec.swift Tests/Fuzz/SourceSpecFuzz.swift
# The jitter buffer needs ChorusCore as a module of its own and libopus.
mkdir -p "$out/core"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ChorusCore -emit-module \
  -emit-module-path "$out/core/ChorusCore.swiftmodule" -emit-library -static -o "$out/core/libChorusCore.a" \
  $(find Sources/ChorusCore -name '*.swift')
build jitter -I "$out/core" -I Sources/COpus $(pkg-config --cflags-only-I opus | sed 's/-I/-Xcc -I/g') \
  -L "$out/core" -lChorusCore -lopus \
  Sources/ChorusMedia/Jitter/*.swift Sources/ChorusMedia/Opus/*.swift Sources/ChorusMedia/RTP/RTPAudioLevel.swift \
  Tests/Fuzz/JitterBufferFuzz.swift

# Swift's own crash handler and ASan fight over a crashing process; let ASan and libFuzzer report.
export SWIFT_BACKTRACE=enable=no
status=0
for name in rtp source-spec jitter; do
  mkdir -p "Tests/Fuzz/corpus/$name" "Tests/Fuzz/crashes/$name"
  echo "fuzz $name for ${seconds}s"
  if ! "$out/$name" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="Tests/Fuzz/crashes/$name/" \
      "Tests/Fuzz/corpus/$name" 2> "$out/$name.log"; then
    echo "fuzz $name: CRASH, input kept in Tests/Fuzz/crashes/$name/ (see $out/$name.log)"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "$out/$name.log" | sed "s/^/  $name /"
done
exit $status
