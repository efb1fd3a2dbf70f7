# Chorus: the two commands are `make demo` and `make test`; each installs what it needs first.
SWIFT ?= swift
CONFIG ?= release
BIN = .build/$(CONFIG)
SAMPLE = Samples/generated

.PHONY: deps build demo test bench eval tsan asan soak samples fuzz install clean help

help:
	@echo "make demo    build chorus and run detect and levels on a generated three-voice sample"
	@echo "make test    run the test suite, then the concurrency tests under TSan (installs what it needs first)"
	@echo "make bench   run chorus-bench (release build) and print the figures"
	@echo "make samples build the sample programs in Samples/ (SpeakerTimeline, AgentBargeIn, LevelMeter)"
	@echo "make eval    score active-speaker detection (Chorus vs LiveKit's algorithm) on generated rooms"
	@echo "make tsan    run the concurrency tests under ThreadSanitizer"
	@echo "make asan    run the whole suite under AddressSanitizer"
	@echo "make soak    SOAK_SECONDS (default 600) of 100 lossy RTP tracks and a flapping webhook receiver"
	@echo "make fuzz    run each libFuzzer target for FUZZ_SECONDS (default 60; FUZZ_TARGETS picks some)"
	@echo "make install install the chorus binary into PREFIX/bin (default /usr/local)"
	@echo "make deps    install build and test dependencies (idempotent)"

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build -c $(CONFIG) --product chorus

demo: build
	@scripts/make-sample.sh $(SAMPLE)
	@echo "== who is speaking (chorus detect --format text)"
	$(BIN)/chorus detect --format text \
		alice=$(SAMPLE)/alice.opus bob=$(SAMPLE)/bob.opus carol=$(SAMPLE)/carol.opus
	@echo "== levels, one row a second (chorus levels --interval 1000 --format text)"
	$(BIN)/chorus levels --interval 1000 --format text \
		alice=$(SAMPLE)/alice.opus bob=$(SAMPLE)/bob.opus carol=$(SAMPLE)/carol.opus

# The whole suite, then the concurrency tests again under ThreadSanitizer (CI runs both).
test: deps
	$(SWIFT) build --build-tests
	CHORUS_PYTHON=$(CURDIR)/.venv/bin/python $(SWIFT) test --skip-build
	$(MAKE) --no-print-directory tsan

samples: deps
	$(SWIFT) build --product SpeakerTimeline
	$(SWIFT) build --product AgentBargeIn
	$(SWIFT) build --product LevelMeter

# Benchmarks are built for the machine they run on (like -march=native): with AVX2 when it has it.
# The package itself stays portable (baseline x86-64) for anyone who depends on it.
NATIVE_CPU := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo haswell)
bench: deps
	CHORUS_TARGET_CPU=$(NATIVE_CPU) $(SWIFT) build -c release --product chorus-bench --build-path .build/native
	.build/native/release/chorus-bench

PREFIX ?= /usr/local
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN)/chorus $(DESTDIR)$(PREFIX)/bin/chorus
	@echo "installed $(DESTDIR)$(PREFIX)/bin/chorus"

soak: deps
	$(SWIFT) build -c release --product chorus
	scripts/soak.sh

fuzz: deps
	scripts/fuzz.sh

# Speaker-detection evaluation: two scripted rooms (odd and even seeds use different voice sets),
# scored for Chorus and for LiveKit's algorithm (see BENCHMARKS.md, "Speaker detection").
EVAL_SEEDS ?= 1 2
eval: deps
	$(SWIFT) build -c release --product chorus-speaker-eval
	@for seed in $(EVAL_SEEDS); do scripts/make-corpus.sh $$seed $(SAMPLE)/corpus-seed$$seed & done; wait
	$(BIN)/chorus-speaker-eval $(foreach seed,$(EVAL_SEEDS),$(SAMPLE)/corpus-seed$(seed))

# Leak detection is off: at exit it reports the Swift runtime's, XCTest's and FoundationNetworking's
# own never-freed allocations (URLSession handles), not Chorus's. Memory errors are all checked.
asan: deps
	ASAN_OPTIONS=detect_leaks=0 CHORUS_PYTHON=$(CURDIR)/.venv/bin/python $(SWIFT) test --sanitize=address --build-path .build/asan

tsan: deps
	CHORUS_PYTHON=$(CURDIR)/.venv/bin/python $(SWIFT) test --sanitize=thread --build-path .build/tsan --filter 'Ring|Pipeline|Event|RTPIngest'

clean:
	rm -rf .build $(SAMPLE)
