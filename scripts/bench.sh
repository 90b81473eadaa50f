#!/usr/bin/env bash
# Times `continuity` against Hugo and the cmark floor on generated corpora, and prints a Markdown report.
#
#   scripts/bench.sh [REPORT.md]        also writes the report to REPORT.md
#
# Settings (environment):
#   BENCH_SIZES        runbook counts of the corpora            (default: "1000 10000")
#   BENCH_RUNS         timed rounds per corpus                  (default: 5)
#   BENCH_DIR          work folder for corpora and outputs      (default: a new temporary folder, removed
#                      at the end; a folder you name is kept)
#   SWIFT_BUILD_FLAGS  extra flags for `swift build`, e.g. "--scratch-path .build-bench"
#
# Each round runs every command once, one after the other, so that a machine that drifts slows all of
# them alike. A full build starts from no output folder (hyperfine's --prepare removes it); the
# no-change rebuild writes into an output an earlier build of the same corpus made. Peak memory comes
# from one `/usr/bin/time -v` run of each command. The corpus generator lives in the repository's
# parent folder: ../shared/bench/gen_corpus.py.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
report=${1:-}
sizes=${BENCH_SIZES:-1000 10000}
runs=${BENCH_RUNS:-5}
generator="$repo/../shared/bench/gen_corpus.py"
# The corpus's "today" (2026-11-01): the generated review dates are fresh relative to it.
export SOURCE_DATE_EPOCH=1793491200

say() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

# --- what the benchmark needs ----------------------------------------------------------------------
[ -f "$generator" ] || die "the corpus generator is missing: expected $generator (the shared/ folder beside the repository)"
command -v python3 >/dev/null || die "python3 is needed to generate the corpora"
"$repo/scripts/install-deps.sh" build

missing=()
command -v hugo >/dev/null || missing+=(hugo)
command -v cmark >/dev/null || missing+=(cmark)
[ -x /usr/bin/time ] || missing+=(time)
command -v hyperfine >/dev/null || missing+=(hyperfine)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  say "installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The sources as they are when the binary is built.
commit="$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- Sources Package.swift || echo ' with uncommitted changes to Sources/')"
say "building the release binary"
# shellcheck disable=SC2086  # SWIFT_BUILD_FLAGS is a list of flags
(cd "$repo" && swift build -c release ${SWIFT_BUILD_FLAGS:-} >&2)
# shellcheck disable=SC2086
continuity="$(cd "$repo" && swift build -c release ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/continuity"
[ -x "$continuity" ] || die "no binary at $continuity"

if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/continuity-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
work=$(cd "$work" && pwd)

q() { printf '%q' "$1"; }   # quotes a path for hyperfine's own word splitting (-N)

# --- measurements ----------------------------------------------------------------------------------
for n in $sizes; do
  corpus="$work/corpus-$n"
  results="$work/results-$n"
  say "generating a corpus of $n runbooks"
  python3 "$generator" --n "$n" --out "$corpus" >/dev/null
  rm -rf "$results" && mkdir -p "$results"

  built="$work/out-continuity-$n"        # full builds, removed before each run
  rebuilt="$work/out-rebuild-$n"         # no-change rebuilds, built once here
  hugo_out="$work/out-hugo-$n"
  rm -rf "$built" "$rebuilt" "$hugo_out"
  "$continuity" build --quiet --content "$corpus/content" --output "$rebuilt"

  build_cmd="$(q "$continuity") build --quiet --content $(q "$corpus/content") --output $(q "$built")"
  rebuild_cmd="$(q "$continuity") build --quiet --content $(q "$corpus/content") --output $(q "$rebuilt")"
  check_cmd="$(q "$continuity") check --quiet --content $(q "$corpus/content")"
  hugo_cmd="hugo --quiet --noBuildLock -s $(q "$corpus/hugo") -d $(q "$hugo_out")"
  cmark_cmd="cmark $(q "$corpus/cmark/all-bodies.md")"

  # One round: every command once, in turn. hyperfine discards each command's output.
  round() {
    hyperfine -N --style none --runs 1 --export-json "$1" \
      -n build   --prepare "rm -rf $(q "$built")"    "$build_cmd" \
      -n rebuild --prepare "true"                    "$rebuild_cmd" \
      -n check   --prepare "true"                    "$check_cmd" \
      -n hugo    --prepare "rm -rf $(q "$hugo_out")" "$hugo_cmd" \
      -n cmark   --prepare "true"                    "$cmark_cmd" >&2
  }
  say "$n runbooks: warm-up round"
  round "$results/warmup.json"
  for i in $(seq 1 "$runs"); do
    say "$n runbooks: round $i of $runs"
    round "$results/round-$i.json"
  done

  say "$n runbooks: peak memory"
  peak() {  # name, command...
    local name=$1; shift
    /usr/bin/time -v -o "$results/time-$name.txt" "$@" >/dev/null
  }
  rm -rf "$built" "$hugo_out"
  peak build "$continuity" build --quiet --content "$corpus/content" --output "$built"
  peak rebuild "$continuity" build --quiet --content "$corpus/content" --output "$rebuilt"
  peak check "$continuity" check --quiet --content "$corpus/content"
  peak hugo hugo --quiet --noBuildLock -s "$corpus/hugo" -d "$hugo_out"
  peak cmark cmark "$corpus/cmark/all-bodies.md"
  rm -rf "$built" "$rebuilt" "$hugo_out"
done

# --- report ----------------------------------------------------------------------------------------
{
  echo "commit: $commit"
  echo "hugo: $(hugo version)"
  echo "cmark: $(cmark --version | head -n 1)"
  echo "swift: $(swift --version 2>&1 | head -n 1)"
  echo "cpu: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB total, " $7 " GiB available" }')"
  echo "kernel: $(uname -sr); work folder on $(df -T "$work" | awk 'NR == 2 { print $2 }')"
} >"$work/machine.txt"
python3 "$repo/scripts/bench_report.py" "$work" "$runs" $sizes >"$work/report.md"
cat "$work/report.md"
if [ -n "$report" ]; then cp "$work/report.md" "$report"; say "report written to $report"; fi
