#!/usr/bin/env bash
# Sets a benchmark's previous output folder aside instead of deleting it, then flushes dirty pages.
#
#   scripts/bench-set-aside.sh DIR      renames DIR to DIR.aside.<unique> if DIR exists, then runs `sync`
#
# scripts/bench.sh runs this before every full build (hyperfine's --prepare), for continuity and Hugo
# alike. Deleting thousands of files and creating thousands of others within the next half minute
# costs 0.3–5 s of kernel time on ext4 without a journal (`recently_deleted()` in the inode
# allocator; docs/BENCHMARKS.md, "The file system"), for any program. A rename frees no inode, so the
# timed build starts from a missing output folder without paying for a deletion. `sync` writes back the
# pages earlier runs left dirty, so the next timed run does not pay for flushing them.
#
# The set-aside folders are removed by scripts/bench.sh once nothing is timed any more.
# hyperfine -N runs --prepare commands without a shell, which is why this is a script of its own.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=${1%/}
if [ -e "$dir" ]; then
  aside="$dir.aside.$(date +%s%N).$$"
  mv -T -- "$dir" "$aside"
fi
sync
