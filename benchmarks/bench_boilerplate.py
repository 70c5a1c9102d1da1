"""Throughput of the per-document `boilerplate` check (target: ≥ 150 MB/s on one core).

Usage: taskset -c 1 python benchmarks/bench_boilerplate.py [DIR]   (default: the 10 MB bench corpus)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import _common  # puts the checkout on sys.path; knows where the bench corpus lives

from speechlint.config import Settings
from speechlint.rulesets import build_ruleset
from speechlint.ruletypes.base import LintInput

DEFAULT_DIR = _common.DATA_DIR / "corpus_10M"


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DEFAULT_DIR
    texts = [p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best = float("inf")
    findings = 0
    for _ in range(5):
        rule = build_ruleset(Settings(), ["boilerplate.block"]).rules[0]  # fresh: its line cache starts empty
        start = time.process_time()
        findings = sum(len(list(rule.check(LintInput(t)))) for t in texts)
        best = min(best, time.process_time() - start)
    print(f"{len(texts)} 篇，{megabytes:.1f} MB：{megabytes / best:.0f} MB/s，{findings} 处水印")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
