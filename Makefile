# Continuity — common tasks. Each installs what it needs first.
SWIFT ?= swift
CONTENT ?= content
OUTPUT ?= _site
# Pages carry the date of the last commit, so the same commit always builds the same bytes.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
# The binary the browser tests and screenshots build the example plan with.
CONTINUITY_BIN ?= .build/debug/continuity
export CONTINUITY_BIN

.PHONY: all deps build release site check test instruction-budget browser-test screenshots bench clean

all: site

deps:
	@scripts/install-deps.sh build

build: deps
	$(SWIFT) build

# The release binary carries the Swift runtime and libraries in itself (it still needs libcmark, mimalloc
# and the C++ runtime from the system, not a Swift toolchain), and its calls into the runtime (reference
# counting, most of all) are direct instead of going through the dynamic linker's tables: 5-6% less wall
# time on a 10,000-runbook build (docs/BENCHMARKS.md, step 101).
RELEASE_FLAGS ?= --static-swift-stdlib
export RELEASE_FLAGS

release: deps
	$(SWIFT) build -c release $(RELEASE_FLAGS)

## site: build the example plan into _site/ (open _site/internal/index.html)
site: release
	.build/release/continuity build --content $(CONTENT) --output $(OUTPUT)

## check: check the example plan, writing nothing
check: release
	.build/release/continuity check --content $(CONTENT)

## test: run every test: the Swift tests, the instruction budget (Valgrind), then the browser tests
## (which install Chromium if missing)
test: deps
	@scripts/install-deps.sh test
	$(SWIFT) test
	scripts/instruction-budget.sh
	scripts/browser-tests.sh

## instruction-budget: count the instructions of build and check on a small corpus against the budget
## (scripts/instruction-budget.sh --update re-records tests/performance/instruction-budget.txt)
instruction-budget: build
	scripts/instruction-budget.sh

## browser-test: only the browser tests, in headless Chromium (tests/browser/)
browser-test: build
	scripts/browser-tests.sh

## screenshots: build the example plan and save screenshots of its pages in docs/screenshots/
screenshots: build
	scripts/screenshots.sh

## bench: time continuity against Hugo and cmark on generated corpora (minutes; BENCH_REPORT=FILE keeps the report)
bench:
	scripts/bench.sh $(BENCH_REPORT)

clean:
	rm -rf .build $(OUTPUT)
