"""Duplicate detection at 1 / 10 / 100 MB: time, MB/s and peak memory, against a baseline.

For each corpus of gen_corpus.py (…/corpus_1M, corpus_10M, corpus_100M) this runs, each in
a fresh process so that peak RSS belongs to one measurement:

* baseline — read and decode every file (the floor any tool pays), timed in-process;
* within   — `duplicate.within` on every decoded document, one core, timed in-process
             (what `speechlint check` adds per document);
* dupes    — `speechlint dupes --format json` end to end, wall clock, all cores.

Usage: python benchmarks/bench_duplicates.py [--data .bench/data100] [--sizes 1M 10M 100M]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import _common

ROOT = _common.REPO_ROOT

_BASELINE = """
import pathlib, sys, time
start = time.perf_counter()
for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')):
    p.read_bytes().decode('utf-8')
print(time.perf_counter() - start)
"""

_WITHIN = """
import pathlib, sys
from speechlint.config import Settings
from speechlint.rulesets import build_ruleset
from speechlint.rulesets import default_rules_dir, read_pack
from speechlint.ruletypes.base import LintInput
import numpy
rules = build_ruleset(Settings(extends_default=False), ['duplicate.within'],
                      sources=read_pack(default_rules_dir() / 'duplicate.yaml'))
rule = rules.rules[0]
texts = [p.read_bytes().decode('utf-8') for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt'))]
list(rule.check(LintInput(texts[0])))
import time
start = time.perf_counter()
found = sum(len(list(rule.check(LintInput(t)))) for t in texts)
print(time.perf_counter() - start, found)
"""


def measure(argv: list[str]) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB) of the child, and its stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, text=True)
    _, _status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    return elapsed, usage.ru_maxrss / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(_common.BENCH_DIR / "data100"))
    parser.add_argument("--sizes", nargs="+", default=["1M", "10M", "100M"])
    args = parser.parse_args()
    print(f"{'corpus':<8}{'MB':>7}  {'what':<9}{'time s':>8}{'MB/s':>8}{'× base':>8}{'peak MB':>9}  note")
    for size in args.sizes:
        corpus = Path(args.data) / f"corpus_{size}"
        if not corpus.is_dir():
            print(f"{size}: {corpus} 不存在，先运行 gen_corpus.py", file=sys.stderr)
            continue
        mb = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6
        base_wall, base_rss, out = measure([sys.executable, "-c", _BASELINE, str(corpus)])
        base = float(out)
        rows = [("baseline", base, base_rss, f"read + decode in-process ({base_wall:.2f} s with start-up)")]
        _, within_rss, out = measure([sys.executable, "-c", _WITHIN, str(corpus)])
        within_time, within_found = out.split()
        rows.append(("within", float(within_time), within_rss, f"check() only, 1 core, {within_found} findings"))
        report = Path("/tmp") / f"bench_dupes_{size}.json"
        dupes, dupes_rss, _ = measure(
            [
                sys.executable,
                "-m",
                "speechlint",
                "dupes",
                "--isolated",
                "--format",
                "json",
                "-o",
                str(report),
                str(corpus),
            ]
        )
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
        rows.append(
            (
                "dupes",
                dupes,
                dupes_rss,
                f"end to end, {summary['passages']} passages, {summary['duplicated_places']} places",
            )
        )
        for what, seconds, rss, note in rows:
            print(
                f"{size:<8}{mb:>7.1f}  {what:<9}{seconds:>8.2f}{mb / seconds:>8.1f}{seconds / base:>8.1f}{rss:>9.0f}  {note}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
