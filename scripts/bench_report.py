#!/usr/bin/env python3
"""Formats what scripts/bench.sh measured as a Markdown report.

    bench_report.py WORK --runs RUNS --sizes SIZE... [--linear N --linear-runs RUNS]

WORK holds machine.txt and, per corpus size N, results-N/ with hyperfine's round-*.json (one run of
every command per round) and /usr/bin/time -v's time-<command>.txt. The linearity corpus (--linear)
has only the `build` and `check` commands.

The layout does not depend on the figures: every section and every row of "Targets" is always
printed, with "–" and "not measured" where this run has no figure for it.
"""
import argparse
import json
import re
import statistics
from pathlib import Path

COMMANDS = [
    ("build", "`continuity build` (full)"),
    ("rebuild", "`continuity build` (no change)"),
    ("check", "`continuity check`"),
    ("hugo", "`hugo`"),
    ("cmark", "`cmark` (floor)"),
]
REFERENCE = 10000  # the corpus the targets are stated for


def rounds(results: Path) -> dict[str, list[dict]]:
    """Each command's runs over the rounds: wall and user+sys seconds."""
    runs: dict[str, list[dict]] = {}
    for path in sorted(results.glob("round-*.json")):
        for result in json.loads(path.read_text())["results"]:
            for wall in result["times"]:
                runs.setdefault(result["command"], []).append(
                    {"wall": wall, "cpu": result["user"] + result["system"]}
                )
    return runs


def peak_kib(results: Path, name: str) -> int | None:
    path = results / f"time-{name}.txt"
    if not path.exists():
        return None
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", path.read_text())
    return int(match.group(1)) if match else None


class Size:
    """The medians and peaks measured on one corpus."""

    def __init__(self, work: Path, n: int):
        self.n = n
        results = work / f"results-{n}"
        measured = rounds(results) if results.is_dir() else {}
        self.wall = {c: statistics.median(r["wall"] for r in runs) for c, runs in measured.items()}
        self.cpu = {c: statistics.median(r["cpu"] for r in runs) for c, runs in measured.items()}
        self.rss = {c: peak_kib(results, c) for c, _ in COMMANDS} if results.is_dir() else {}

    def ratio(self, table: dict, top: str, bottom: str) -> float | None:
        if table.get(top) and table.get(bottom):
            return table[top] / table[bottom]
        return None

    def table(self) -> list[str]:
        out = [
            "| command | median wall (s) | user+sys CPU (s) | peak RSS (MiB) |",
            "|---|---:|---:|---:|",
        ]
        for name, label in COMMANDS:
            if name not in self.wall:
                continue
            memory = f"{self.rss[name] / 1024:.0f}" if self.rss.get(name) else "–"
            out.append(f"| {label} | {self.wall[name]:.2f} | {self.cpu[name]:.2f} | {memory} |")
        return out


def figure(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("work", type=Path)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--sizes", type=int, nargs="+", required=True)
    parser.add_argument("--linear", type=int, default=0)
    parser.add_argument("--linear-runs", type=int, default=0)
    args = parser.parse_args()
    work = args.work

    out = ["# Benchmark", ""]
    out += [f"- {line}" for line in (work / "machine.txt").read_text().splitlines()]
    out += [
        f"- {args.runs} alternating rounds per corpus after one warm-up round; wall and CPU are medians "
        "over the rounds, peak memory is from one `/usr/bin/time -v` run",
        "- before each full build the previous output is renamed aside, not deleted, then `sync`; "
        "the set-aside outputs are removed after the last timed run",
        "",
    ]
    sizes = [Size(work, n) for n in args.sizes]
    for size in sizes:
        out += [f"## {size.n:,} runbooks", ""]
        out += size.table()
        out += [
            "",
            f"- hugo / continuity wall: **{figure(size.ratio(size.wall, 'hugo', 'build'), 2)}**",
            f"- continuity / cmark wall: **{figure(size.ratio(size.wall, 'build', 'cmark'), 1)}**",
            f"- continuity RSS / hugo RSS: **{figure(size.ratio(size.rss, 'build', 'hugo'), 2)}**",
            f"- no-change rebuild / full build wall: **{figure(size.ratio(size.wall, 'rebuild', 'build'), 2)}**",
            "",
        ]

    # The targets are stated for 10,000 runbooks; without that corpus, the largest one stands in.
    ref = next((s for s in sizes if s.n == REFERENCE), max(sizes, key=lambda s: s.n))
    linear = Size(work, args.linear) if args.linear else None
    big = linear.n if linear else 100000
    # Linear cost with 10% slack: 100,000 runbooks may take at most 11 times as long as 10,000.
    scale = 1.1 * (big / ref.n)

    def linear_ratio(command: str) -> float | None:
        if linear and linear.wall.get(command) and ref.wall.get(command):
            return linear.wall[command] / ref.wall[command]
        return None

    if linear:
        out += [
            f"## {linear.n:,} runbooks (linearity)",
            "",
            f"- {args.linear_runs} rounds of the full build and the check, no warm-up round; "
            "no Hugo or cmark at this size",
            "",
        ]
        out += linear.table()
        out += [
            "",
            f"- full build wall, {linear.n:,} / {ref.n:,}: **{figure(linear_ratio('build'), 2)}**",
            f"- check wall, {linear.n:,} / {ref.n:,}: **{figure(linear_ratio('check'), 2)}**",
            "",
        ]

    rows = [
        (f"full build at {ref.n:,}: hugo wall / continuity wall",
         ref.ratio(ref.wall, "hugo", "build"), 2, "≥ 5", lambda v: v >= 5),
        (f"full build at {ref.n:,}: continuity wall / cmark wall",
         ref.ratio(ref.wall, "build", "cmark"), 2, "≤ 2", lambda v: v <= 2),
        (f"peak RSS of the full build at {ref.n:,}: continuity / hugo",
         ref.ratio(ref.rss, "build", "hugo"), 3, "≤ 0.25", lambda v: v <= 0.25),
        (f"`continuity check` at {ref.n:,}: wall (s)",
         ref.wall.get("check"), 2, "< 1", lambda v: v < 1),
        (f"no-change rebuild / full build at {ref.n:,}: wall",
         ref.ratio(ref.wall, "rebuild", "build"), 3, "≤ 0.10", lambda v: v <= 0.10),
        (f"full build wall, {big:,} / {ref.n:,}",
         linear_ratio("build"), 2, f"≤ {scale:g}", lambda v: v <= scale),
        (f"`continuity check` wall, {big:,} / {ref.n:,}",
         linear_ratio("check"), 2, f"≤ {scale:g}", lambda v: v <= scale),
    ]
    out += [
        "## Targets",
        "",
        "All from this run's medians (peak RSS: one run each).",
        "",
        "| target | measured | limit | result |",
        "|---|---:|---:|---|",
    ]
    met = 0
    for label, value, digits, limit, ok in rows:
        if value is None:
            result = "not measured"
        elif ok(value):
            result, met = "met", met + 1
        else:
            result = "not met"
        out.append(f"| {label} | {figure(value, digits)} | {limit} | {result} |")
    out += ["", f"{met} of {len(rows)} targets met.", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
