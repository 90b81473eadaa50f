#!/usr/bin/env python3
"""Formats what scripts/bench.sh measured as a Markdown report.

    bench_report.py WORK RUNS SIZE...

WORK holds machine.txt and, per corpus size N, results-N/ with hyperfine's round-*.json (one run of
every command per round) and /usr/bin/time -v's time-<command>.txt.
"""
import json
import re
import statistics
import sys
from pathlib import Path

COMMANDS = [
    ("build", "`continuity build` (full)"),
    ("rebuild", "`continuity build` (no change)"),
    ("check", "`continuity check`"),
    ("hugo", "`hugo`"),
    ("cmark", "`cmark` (floor)"),
]


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


def main() -> None:
    work, runs, sizes = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    out = ["# Benchmark", ""]
    out += [f"- {line}" for line in (work / "machine.txt").read_text().splitlines()]
    out += [
        f"- {runs} alternating rounds per corpus after one warm-up round; wall and CPU are medians "
        "over the rounds, peak memory is from one `/usr/bin/time -v` run",
        "",
    ]
    for n in sizes:
        results = work / f"results-{n}"
        measured = rounds(results)
        wall = {name: statistics.median(r["wall"] for r in runs_) for name, runs_ in measured.items()}
        cpu = {name: statistics.median(r["cpu"] for r in runs_) for name, runs_ in measured.items()}
        rss = {name: peak_kib(results, name) for name, _ in COMMANDS}
        out += [
            f"## {int(n):,} runbooks",
            "",
            "| command | median wall (s) | user+sys CPU (s) | peak RSS (MiB) |",
            "|---|---:|---:|---:|",
        ]
        for name, label in COMMANDS:
            if name not in wall:
                continue
            memory = f"{rss[name] / 1024:.0f}" if rss[name] else "–"
            out.append(f"| {label} | {wall[name]:.2f} | {cpu[name]:.2f} | {memory} |")
        out += [
            "",
            f"- hugo / continuity wall: **{wall['hugo'] / wall['build']:.2f}**",
            f"- continuity / cmark wall: **{wall['build'] / wall['cmark']:.1f}**",
        ]
        if rss["build"] and rss["hugo"]:
            out.append(f"- continuity RSS / hugo RSS: **{rss['build'] / rss['hugo']:.2f}**")
        out.append(f"- no-change rebuild / full build wall: **{wall['rebuild'] / wall['build']:.2f}**")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
