#!/usr/bin/env bash
# Times `continuity` against Hugo and the cmark floor on generated corpora, and prints a Markdown report.
#
#   scripts/bench.sh [REPORT.md]        also writes the report to REPORT.md
#
# Settings (environment):
#   BENCH_SIZES        runbook counts of the corpora compared with Hugo and cmark (default: "1000 10000")
#   BENCH_RUNS         timed rounds per corpus                  (default: 5, after one warm-up round)
#   BENCH_LINEAR       runbook count of the linearity corpus    (default: 100000; 0 skips it)
#   BENCH_LINEAR_RUNS  timed rounds on the linearity corpus     (default: 3)
#   BENCH_DIR          work folder for corpora and outputs      (default: a new temporary folder, removed
#                      at the end; a folder you name is kept, its set-aside outputs are removed)
#   SWIFT_BUILD_FLAGS  extra flags for `swift build`, e.g. "--scratch-path .build-bench"
#   RELEASE_FLAGS      how the release binary is linked (default, as `make release`: --static-swift-stdlib)
#
# Per corpus of BENCH_SIZES, each round runs every command once, one after the other, so that a
# machine that drifts slows all of them alike: a full build, a no-change rebuild, `continuity check`,
# `hugo` and `cmark`. Then the linearity corpus (BENCH_LINEAR runbooks) is timed the same way with
# only the full build and the check. Peak memory comes from one `/usr/bin/time -v` run of each command.
# The corpus generator lives in the repository's parent folder: ../shared/bench/gen_corpus.py.
#
# The file system. A full build (continuity's and Hugo's) starts without an output folder, but the
# previous output is not deleted before it: on ext4 without a journal, creating thousands of files
# within about 30 s after thousands were deleted costs 0.3–5 s of kernel time (`recently_deleted()`,
# docs/BENCHMARKS.md "The file system") whatever the program. So hyperfine's --prepare runs
# scripts/bench-set-aside.sh, which renames the previous output to OUT.aside.<unique> (a rename frees
# no inode) and runs `sync`; every other command's --prepare runs `sync` alone, so that no run pays
# for writing back pages an earlier one left dirty. hyperfine -N runs --prepare commands without a
# shell, hence a script. Nothing is deleted while anything is still to be timed: the set-aside
# folders are removed once, at the very end (the linearity corpus is the last timed step). The no-change
# rebuild writes into an output an earlier build of the same corpus made; it writes nothing there.
#
# Disk: the outputs of every full build are kept until the end. With the linearity corpus (each of its
# outputs is about 3 GB) the script wants 25 GB free in the work folder, otherwise 8 GB, and stops
# before doing anything when there is less.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
report=${1:-}
sizes=${BENCH_SIZES:-1000 10000}
runs=${BENCH_RUNS:-5}
linear=${BENCH_LINEAR:-100000}
linear_runs=${BENCH_LINEAR_RUNS:-3}
generator="$repo/../shared/bench/gen_corpus.py"
set_aside="$repo/scripts/bench-set-aside.sh"
# The corpus's "today" (2026-11-01): the generated review dates are fresh relative to it.
export SOURCE_DATE_EPOCH=1793491200

say() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

for setting in "$runs" "$linear" "$linear_runs" $sizes; do
  [[ $setting =~ ^[0-9]+$ ]] || die "BENCH_SIZES, BENCH_RUNS, BENCH_LINEAR and BENCH_LINEAR_RUNS take whole numbers, not '$setting'"
done
[ "$linear" = 0 ] || [ "$linear_runs" -ge 1 ] || die "BENCH_LINEAR_RUNS must be at least 1"
for n in $sizes; do
  [ "$n" != "$linear" ] || die "BENCH_LINEAR ($linear) is also in BENCH_SIZES; choose another size or BENCH_LINEAR=0"
done

# --- what the benchmark needs ----------------------------------------------------------------------
[ -f "$generator" ] || die "the corpus generator is missing: expected $generator (the shared/ folder beside the repository)"
command -v python3 >/dev/null || die "python3 is needed to generate the corpora"

if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/continuity-bench.XXXXXX")
fi
work=$(cd "$work" && pwd)
# ext4 without a journal avoids inodes deleted in the last 60 s, or 360 s while their inode-table block
# is dirty, which creating files in the same block makes it again; a program creating thousands of files
# in that time pays seconds of kernel time for it ("The file system" in docs/BENCHMARKS.md). The
# deletion at the end is recorded beside the work folder, and a run that starts within 6 minutes of
# it waits before timing anything.
deleted_stamp="$(dirname "$work")/.continuity-bench-deleted"
stamp_deletion() { date +%s >"$deleted_stamp" 2>/dev/null || true; }
remove_set_aside() {
  local removed
  removed=$(find "$work" -mindepth 1 -maxdepth 1 -name 'out-*.aside.*' -print -exec rm -rf {} + | wc -l)
  [ "$removed" -eq 0 ] || stamp_deletion
}
remove_work() {
  local outputs
  outputs=$(find "$work" -mindepth 1 -maxdepth 1 -name 'out-*' | wc -l)
  rm -rf "$work"
  [ "$outputs" -eq 0 ] || stamp_deletion
}
if [ -n "${BENCH_DIR:-}" ]; then trap remove_set_aside EXIT; else trap remove_work EXIT; fi

need_gb=8
[ "$linear" = 0 ] || need_gb=25
free_gb=$(df -Pk "$work" | awk 'NR == 2 { printf "%d", $4 / 1048576 }')
[ "$free_gb" -ge "$need_gb" ] || die "$work has $free_gb GB free; the benchmark keeps every full build's output until the end and needs about $need_gb GB$([ "$linear" = 0 ] || echo " with the $linear-runbook corpus (BENCH_LINEAR=0 skips it)")"

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
release_flags="${RELEASE_FLAGS---static-swift-stdlib}"
# shellcheck disable=SC2086  # SWIFT_BUILD_FLAGS and RELEASE_FLAGS are lists of flags
(cd "$repo" && swift build -c release $release_flags ${SWIFT_BUILD_FLAGS:-} >&2)
# shellcheck disable=SC2086
continuity="$(cd "$repo" && swift build -c release $release_flags ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/continuity"
[ -x "$continuity" ] || die "no binary at $continuity"

# Only a stamp this user wrote counts, and only a number in it.
if [ -f "$deleted_stamp" ] && [ -O "$deleted_stamp" ]; then
  stamp=0
  read -r stamp <"$deleted_stamp" 2>/dev/null || stamp=0
  [[ $stamp =~ ^[0-9]+$ ]] || stamp=0
  since=$(( $(date +%s) - stamp ))
  if [ "$since" -ge 0 ] && [ "$since" -lt 360 ]; then
    say "an earlier run deleted its outputs $since s ago: waiting $(( 360 - since )) s until ext4 reuses those inodes freely"
    sleep $(( 360 - since ))
  fi
fi

q() { printf '%q' "$1"; }   # quotes a path for hyperfine's own word splitting (-N)

peak() {  # results folder, name, command...: one run under /usr/bin/time -v for the peak RSS
  local results=$1 name=$2; shift 2
  /usr/bin/time -v -o "$results/time-$name.txt" "$@" >/dev/null
}

# --- measurements: continuity, Hugo and cmark ------------------------------------------------------
for n in $sizes; do
  corpus="$work/corpus-$n"
  results="$work/results-$n"
  say "generating a corpus of $n runbooks"
  # A corpus left in a reused BENCH_DIR is set aside, not deleted: the generator would delete it right
  # before the timed runs.
  if [ -e "$corpus" ]; then mv -T -- "$corpus" "$work/out-corpus-$n.aside.$(date +%s%N)"; fi
  python3 "$generator" --n "$n" --out "$corpus" >/dev/null
  rm -rf "$results" && mkdir -p "$results"

  built="$work/out-continuity-$n"        # full builds, set aside before each run
  rebuilt="$work/out-rebuild-$n"         # no-change rebuilds, built once here
  hugo_out="$work/out-hugo-$n"
  for out in "$built" "$rebuilt" "$hugo_out"; do "$set_aside" "$out"; done
  "$continuity" build --quiet --content "$corpus/content" --output "$rebuilt"

  build_cmd="$(q "$continuity") build --quiet --content $(q "$corpus/content") --output $(q "$built")"
  rebuild_cmd="$(q "$continuity") build --quiet --content $(q "$corpus/content") --output $(q "$rebuilt")"
  check_cmd="$(q "$continuity") check --quiet --content $(q "$corpus/content")"
  hugo_cmd="hugo --quiet --noBuildLock -s $(q "$corpus/hugo") -d $(q "$hugo_out")"
  cmark_cmd="cmark $(q "$corpus/cmark/all-bodies.md")"

  # One round: every command once, in turn. hyperfine discards each command's output.
  round() {
    hyperfine -N --style none --runs 1 --export-json "$1" \
      -n build   --prepare "$(q "$set_aside") $(q "$built")"    "$build_cmd" \
      -n rebuild --prepare "sync"                               "$rebuild_cmd" \
      -n check   --prepare "sync"                               "$check_cmd" \
      -n hugo    --prepare "$(q "$set_aside") $(q "$hugo_out")" "$hugo_cmd" \
      -n cmark   --prepare "sync"                               "$cmark_cmd" >&2
  }
  say "$n runbooks: warm-up round"
  round "$results/warmup.json"
  for i in $(seq 1 "$runs"); do
    say "$n runbooks: round $i of $runs"
    round "$results/round-$i.json"
  done

  say "$n runbooks: peak memory"
  "$set_aside" "$built"
  peak "$results" build "$continuity" build --quiet --content "$corpus/content" --output "$built"
  peak "$results" rebuild "$continuity" build --quiet --content "$corpus/content" --output "$rebuilt"
  peak "$results" check "$continuity" check --quiet --content "$corpus/content"
  "$set_aside" "$hugo_out"
  peak "$results" hugo hugo --quiet --noBuildLock -s "$corpus/hugo" -d "$hugo_out"
  peak "$results" cmark cmark "$corpus/cmark/all-bodies.md"
done

# --- measurements: linearity (continuity alone) ----------------------------------------------------
if [ "$linear" != 0 ]; then
  n=$linear
  corpus="$work/corpus-$n"
  results="$work/results-$n"
  say "generating a corpus of $n runbooks (linearity)"
  if [ -e "$corpus" ]; then mv -T -- "$corpus" "$work/out-corpus-$n.aside.$(date +%s%N)"; fi
  python3 "$generator" --n "$n" --out "$corpus" >/dev/null
  rm -rf "$results" && mkdir -p "$results"
  built="$work/out-continuity-$n"
  "$set_aside" "$built"
  build_cmd="$(q "$continuity") build --quiet --content $(q "$corpus/content") --output $(q "$built")"
  check_cmd="$(q "$continuity") check --quiet --content $(q "$corpus/content")"
  # No warm-up round: the corpus was just written, so its files are in the page cache already.
  for i in $(seq 1 "$linear_runs"); do
    say "$n runbooks: round $i of $linear_runs"
    hyperfine -N --style none --runs 1 --export-json "$results/round-$i.json" \
      -n build --prepare "$(q "$set_aside") $(q "$built")" "$build_cmd" \
      -n check --prepare "sync"                            "$check_cmd" >&2
  done
  say "$n runbooks: peak memory"
  "$set_aside" "$built"
  peak "$results" build "$continuity" build --quiet --content "$corpus/content" --output "$built"
fi

# Nothing is timed any more: remove what was set aside (each 100,000-runbook output is ~3 GB).
say "removing the set-aside outputs"
remove_set_aside

# --- report ----------------------------------------------------------------------------------------
{
  echo "commit: $commit"
  echo "hugo: $(hugo version)"
  echo "cmark: $(cmark --version | head -n 1)"
  echo "swift: $(swift --version 2>&1 | head -n 1); release flags: ${release_flags:-none}"
  echo "cpu: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB total, " $7 " GiB available" }')"
  echo "kernel: $(uname -sr); work folder on $(df -T "$work" | awk 'NR == 2 { print $2 }')"
} >"$work/machine.txt"
python3 "$repo/scripts/bench_report.py" "$work" --runs "$runs" --sizes $sizes \
  --linear "$linear" --linear-runs "$linear_runs" >"$work/report.md"
cat "$work/report.md"
if [ -n "$report" ]; then cp "$work/report.md" "$report"; say "report written to $report"; fi
