#!/usr/bin/env bash
# Guards against performance regressions without timing anything: counts the instructions
# `continuity build` and `continuity check` execute on a small fixed corpus, under Valgrind, and
# compares them with the budgets in tests/performance/instruction-budget.txt. `make test` runs it
# after `swift test`.
#
#   scripts/instruction-budget.sh             measure, compare with the budgets; fails when one is exceeded
#   scripts/instruction-budget.sh --update    measure and rewrite the budget file (budget = measured × 1.15)
#   scripts/instruction-budget.sh --runs N    measure N times (the median counts), and print the spread
#
# Settings (environment):
#   CONTINUITY_BIN     the binary to measure (default: the debug binary `swift build` makes, built first
#                      when missing or out of date; `make test` sets it to the one `swift test` built)
#   SWIFT_BUILD_FLAGS  extra flags for `swift build`, e.g. "--scratch-path .build-bench"
#
# The corpus: ../shared/bench/gen_corpus.py --n 300 --seed 42 (the shared/ folder beside the
# repository), built with --today 2026-11-01 into an output folder that does not exist yet (a full
# build). The count is Valgrind's "I refs": every instruction the process executes, in every thread,
# including the C library and the Swift runtime. Valgrind runs one thread at a time, so the count
# depends on scheduling only through the work the threads do while they wait for each other; Swift's
# per-process random hash seed is fixed (SWIFT_DETERMINISTIC_HASHING=1) so that dictionaries and sets
# do the same work in every run. Identical runs differ by well under 1% (docs/bench-notes/guard.md).
#
# Cachegrind without its cache simulation counts the same instructions as Callgrind in a third of
# the time (no call graph). Valgrind 3.19 cannot read the debug information of the Swift binary
# ("Possibly corrupted debuginfo file"), so the measured binary is a copy with it stripped.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
budget_file="$repo/tests/performance/instruction-budget.txt"
generator="$repo/../shared/bench/gen_corpus.py"
corpus_n=300
corpus_seed=42
today=2026-11-01
margin=1.15   # budget = measured × margin

say() { echo "instruction-budget: $*" >&2; }
die() { echo "instruction-budget: error: $*" >&2; exit 2; }

update=false
runs=1
while [ $# -gt 0 ]; do
  case $1 in
    --update) update=true ;;
    --runs) runs=${2:-}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (--update, --runs N)" ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a whole number of at least 1"

[ -f "$generator" ] || die "the corpus generator is missing: expected $generator (the shared/ folder beside the repository)"
command -v valgrind >/dev/null || die "valgrind is missing; scripts/install-deps.sh test installs it"
command -v strip >/dev/null || die "strip (binutils) is missing; scripts/install-deps.sh test installs it"

if [ -n "${CONTINUITY_BIN:-}" ]; then
  binary=$CONTINUITY_BIN
  [[ $binary = /* ]] || binary="$repo/$binary"
  [ -x "$binary" ] || die "no binary at $CONTINUITY_BIN; run \`swift test\` or \`swift build\` first (or leave CONTINUITY_BIN unset)"
else
  # Build (or bring up to date) the debug binary, so that --update never measures stale code.
  # shellcheck disable=SC2086  # SWIFT_BUILD_FLAGS is a list of flags
  (cd "$repo" && swift build ${SWIFT_BUILD_FLAGS:-} --product continuity >&2)
  # shellcheck disable=SC2086
  binary="$(cd "$repo" && swift build ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/continuity"
  [ -x "$binary" ] || die "no binary at $binary"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/continuity-budget.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$binary" "$work/continuity"
strip --strip-debug "$work/continuity"
python3 "$generator" --n "$corpus_n" --seed "$corpus_seed" --today "$today" --out "$work/corpus" >/dev/null
content="$work/corpus/content"

# measure NAME RUN ARGS...: one run under Valgrind; writes the count to $work/NAME-RUN.count.
measure() {
  local name=$1 run=$2; shift 2
  local log="$work/$name-$run.valgrind"
  if ! SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=cachegrind --cache-sim=no \
      --cachegrind-out-file=/dev/null --log-file="$log" "$work/continuity" "$@" >"$work/$name-$run.out" 2>&1; then
    cat "$work/$name-$run.out" "$log" >&2
    return 1
  fi
  sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' "$log" | tr -d , >"$work/$name-$run.count"
  [ -s "$work/$name-$run.count" ] || { cat "$log" >&2; return 1; }
}

started=$(date +%s)
say "counting instructions of \`continuity build\` and \`continuity check\` on $corpus_n runbooks (Valgrind; about a minute)"
for run in $(seq 1 "$runs"); do
  # The two commands run side by side: each is one process under Valgrind, which uses one core.
  measure build "$run" build --quiet --content "$content" --output "$work/out-$run" --today "$today" &
  build_pid=$!
  measure check "$run" check --quiet --content "$content" --today "$today" &
  check_pid=$!
  wait "$build_pid" || die "\`continuity build\` failed under Valgrind (output above)"
  wait "$check_pid" || die "\`continuity check\` failed under Valgrind (output above)"
done
elapsed=$(( $(date +%s) - started ))

# The median of the runs, and the spread (max − min) / min in percent.
summary() {  # name → "median spread"
  cat "$work/$1"-*.count | sort -n | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.0f %.2f\n", m, (v[NR] - v[1]) * 100 / v[1] }'
}
group() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }   # 1234567 → 1,234,567

declare -A measured
for name in build check; do
  read -r median spread < <(summary "$name")
  measured[$name]=$median
  if [ "$runs" -gt 1 ]; then
    say "$name: $runs runs: $(tr '\n' ' ' < <(cat "$work/$name"-*.count))→ median $median, spread $spread%"
  fi
done

if $update; then
  commit="$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- Sources Package.swift || echo '+uncommitted')"
  day=$(date -u +%F)
  mkdir -p "$(dirname "$budget_file")"
  {
    echo "# Instruction budgets checked by scripts/instruction-budget.sh (make test)."
    echo "# Counts are Valgrind's \"I refs\" of the debug binary (swift test's), debug info stripped, on the"
    echo "# corpus gen_corpus.py --n $corpus_n --seed $corpus_seed, --today $today; build into a new output folder."
    echo "# Budget = measured × $margin (a margin of 15%). Re-record: scripts/instruction-budget.sh --update"
    echo "# Recorded with $(swift --version 2>&1 | head -n 1), $(valgrind --version), $(uname -m)."
    echo "# command  budget  measured  date  commit"
    for name in build check; do
      budget=$(awk -v m="${measured[$name]}" -v k="$margin" 'BEGIN { printf "%.0f", m * k }')
      echo "$name $budget ${measured[$name]} $day $commit"
    done
  } >"$budget_file"
  say "wrote $budget_file ($((elapsed)) s):"
  grep -v '^#' "$budget_file" >&2
  exit 0
fi

[ -f "$budget_file" ] || die "no budget file at $budget_file; record one with scripts/instruction-budget.sh --update"
failed=0
for name in build check; do
  line=$(awk -v n="$name" '$1 == n' "$budget_file")
  [ -n "$line" ] || die "$budget_file has no line for '$name'; re-record it with scripts/instruction-budget.sh --update"
  read -r _ budget recorded day commit <<<"$line"
  count=${measured[$name]}
  change=$(awk -v c="$count" -v r="$recorded" 'BEGIN { printf "%+.1f", (c - r) * 100 / r }')
  if [ "$count" -gt "$budget" ]; then
    failed=1
    say "FAIL $name: $(group "$count") instructions, over the budget of $(group "$budget") ($change% against the $(group "$recorded") recorded on $day at $commit)"
  else
    say "ok   $name: $(group "$count") instructions, budget $(group "$budget") ($change% against the $(group "$recorded") recorded on $day at $commit)"
    if [ "$count" -lt $(( recorded * 85 / 100 )) ]; then
      say "     $name is more than 15% below the recorded count: scripts/instruction-budget.sh --update tightens the budget"
    fi
  fi
done
say "measured in $elapsed s"
if [ "$failed" = 1 ]; then
  cat >&2 <<EOF
instruction-budget: a command now executes more instructions than its budget allows.
  The counts depend on the code and on the Swift toolchain; the budgets were recorded with:
    $(sed -n 's/^# Recorded with //p' "$budget_file")
  To see where the instructions go, profile the same run with Callgrind:
    python3 ../shared/bench/gen_corpus.py --n $corpus_n --seed $corpus_seed --out /tmp/budget-corpus
    cp $binary /tmp/continuity-nodebug && strip --strip-debug /tmp/continuity-nodebug
    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out /tmp/continuity-nodebug build --quiet \\
      --content /tmp/budget-corpus/content --output /tmp/budget-out --today $today
    callgrind_annotate /tmp/cg.out | head -40
  If the increase is intended, re-record the budgets and commit the file:
    scripts/instruction-budget.sh --update      # rewrites tests/performance/instruction-budget.txt
EOF
  exit 1
fi
