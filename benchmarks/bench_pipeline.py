#!/usr/bin/env python3
"""The whole process, as a user runs it: throughput, memory and start-up of `speechlint check`.

Targets of issue #8, each measured against baselines taken in the same run (the machine is shared,
so absolute figures move; ratios are the finding):

- throughput: `speechlint check -j 1 --format json -o FILE` on the 10 MB / 1,000-file corpus of
  gen_corpus.py, one core, full default rule set → ≥ 10 MB/s, and faster than `autocorrect-py` linting
  the same files in the same run (its `lint_for` on each file; installed with `pip install autocorrect-py`);
  the floor is reading + decoding the files in a fresh interpreter;
- memory: peak RSS of one 50 MB file (the 100 MB corpus's concatenation, cut at a line end) ≤ 1 GB, and of
  `check` over the 100 MB / 10,000-file corpus ≤ 600 MB (largest process: the parent or a worker);
- start-up: `speechlint check FILE` on one ~10 KB file ≤ 150 ms, against `python -c pass`.

Each subprocess is timed by CPU (user + system) and wall clock; runs are interleaved and the best of
`--repeat` is kept (the run least disturbed by other load).

    python benchmarks/bench_pipeline.py --generate           # all three, corpora made if missing
    python benchmarks/bench_pipeline.py --skip-memory --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import _common
from _common import MB, MachineInfo, checkout_env, corpus_files, ensure_corpus, mb_per_s, pin_to_one_core

THROUGHPUT_TARGET = 10.0  # MB/s
BIG_FILE_TARGET_MB = 1000
CORPUS_100M_TARGET_MB = 600
STARTUP_TARGET_MS = 150

_READ = (
    "import pathlib, sys\nfor p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')): p.read_bytes().decode('utf-8')\n"
)
_AUTOCORRECT = (
    "import pathlib, sys, autocorrect_py as ac\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')): ac.lint_for(p.read_text(encoding='utf-8'), p.name)\n"
)


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float  # largest resident set of the process or of any of its children


def measure(cmd: list[str], cwd: Path | None = None) -> Run:
    """One subprocess: wall and CPU time, and the largest RSS among it and its children."""
    env = checkout_env()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    # ru_maxrss of a waited child covers only that process; its own children (the workers) report
    # through RUSAGE_CHILDREN of the child, which wait4 folds into ru_maxrss as the maximum.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def best(runs: list[Run]) -> Run:
    return Run(min(r.wall for r in runs), min(r.cpu for r in runs), max(r.peak_mb for r in runs))


@dataclass
class Report:
    machine: str
    corpus_mb: float = 0.0
    throughput: dict[str, dict[str, float]] = field(default_factory=dict)
    memory: dict[str, dict[str, float]] = field(default_factory=dict)
    startup: dict[str, float] = field(default_factory=dict)


def throughput(corpus: Path, repeat: int, report: Report, extend_select: str = "") -> None:
    files = corpus_files(corpus)
    size = sum(p.stat().st_size for p in files)
    report.corpus_mb = size / MB
    speechlint = [*_common.speechlint_command()[0], "check", "-j", "1", "--format", "json", "-o"]
    commands: dict[str, list[str]] = {
        "read + decode": [sys.executable, "-c", _READ, str(corpus)],
        "speechlint check": [],
    }
    has_autocorrect = (
        subprocess.run([sys.executable, "-c", "import autocorrect_py"], capture_output=True).returncode == 0
    )
    if has_autocorrect:
        commands["autocorrect-py"] = [sys.executable, "-c", _AUTOCORRECT, str(corpus)]
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as out:
        commands["speechlint check"] = [*speechlint, str(Path(out) / "report.json"), str(corpus)]
        if extend_select:
            # the default set plus rules that ship off (typo.context), timed in the same rounds
            config = Path(out) / "extend.yaml"
            config.write_text(f"extend-select: [{extend_select}]\n", encoding="utf-8")
            name = f"speechlint check + {extend_select}"
            commands[name] = [*speechlint, str(Path(out) / "report2.json"), "--config", str(config), str(corpus)]
            runs[name] = []
        for _ in range(repeat):  # interleaved: each round sees the same load
            for name, cmd in commands.items():
                runs[name].append(measure(cmd))
    for name, measured in runs.items():
        b = best(measured)
        report.throughput[name] = {
            "cpu_s": round(b.cpu, 3),
            "wall_s": round(b.wall, 3),
            "mb_per_s_cpu": round(mb_per_s(size, b.cpu), 2),
        }
    if not has_autocorrect:
        report.throughput["autocorrect-py"] = {"missing": 1.0}


def memory(data_dir: Path, generate: bool, report: Report) -> None:
    corpus = ensure_corpus("100M", data_dir, generate)
    joined = data_dir / "corpus_100M.txt"
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big50.txt"
        data = joined.read_bytes()
        big.write_bytes(data[: data.rfind(b"\n", 0, 52_000_000) + 1])
        del data
        out = str(Path(tmp) / "report.json")
        cmd = _common.speechlint_command()[0]
        single = measure([*cmd, "check", "--format", "json", "-o", out, str(big)])
        report.memory["one 50 MB file"] = {
            "peak_mb": round(single.peak_mb),
            "wall_s": round(single.wall, 1),
            "target_mb": BIG_FILE_TARGET_MB,
        }
        many = measure([*cmd, "check", "--format", "json", "-o", out, str(corpus)])
        report.memory["100 MB / 10,000 files"] = {
            "peak_mb": round(many.peak_mb),
            "wall_s": round(many.wall, 1),
            "target_mb": CORPUS_100M_TARGET_MB,
        }


def startup(sample: Path, runs: int, report: Report) -> None:
    cmd = [*_common.speechlint_command()[0], "check", str(sample)]
    base = [sys.executable, "-c", "pass"]
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(2):
        measure(cmd)  # warm the page cache and the pack cache
    for _ in range(runs):
        ours.append(measure(cmd).wall)
        bare.append(measure(base).wall)
    report.startup = {
        "speechlint_median_ms": round(statistics.median(ours) * 1000, 1),
        "speechlint_min_ms": round(min(ours) * 1000, 1),
        "python_pass_median_ms": round(statistics.median(bare) * 1000, 1),
        "target_ms": STARTUP_TARGET_MS,
    }


def print_report(report: Report) -> None:
    print(report.machine)
    if report.throughput:
        print(f"\nThroughput, one core, {report.corpus_mb:.1f} MB (best CPU time of the runs):")
        ours = report.throughput["speechlint check"]["cpu_s"]
        for name, figures in report.throughput.items():
            if "missing" in figures:
                print(f"  {name:18s} not installed (pip install autocorrect-py)")
                continue
            ratio = figures["cpu_s"] / ours
            print(
                f"  {name:18s} {figures['cpu_s']:7.2f} s CPU  {figures['mb_per_s_cpu']:7.1f} MB/s"
                f"  ({ratio:4.2f} × speechlint)"
            )
        verdict = "met" if report.throughput["speechlint check"]["mb_per_s_cpu"] >= THROUGHPUT_TARGET else "MISSED"
        print(f"  target ≥ {THROUGHPUT_TARGET} MB/s: {verdict}")
    for name, figures in report.memory.items():
        verdict = "met" if figures["peak_mb"] <= figures["target_mb"] else "MISSED"
        print(
            f"Memory, {name}: peak {figures['peak_mb']:.0f} MB in {figures['wall_s']} s (≤ {figures['target_mb']}: {verdict})"
        )
    if report.startup:
        s = report.startup
        verdict = "met" if s["speechlint_median_ms"] <= STARTUP_TARGET_MS else "MISSED"
        print(
            f"Start-up, 10 KB file: median {s['speechlint_median_ms']} ms (min {s['speechlint_min_ms']}); "
            f"python -c pass {s['python_pass_median_ms']} ms (≤ {STARTUP_TARGET_MS}: {verdict})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=_common.DATA_DIR, help="corpora directory (%(default)s)")
    parser.add_argument("--generate", action="store_true", help="make the corpora with gen_corpus.py if missing")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds of the throughput runs")
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--core", type=int, default=1, help="CPU to pin to (-1: leave the affinity alone)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--extend-select", default="", help="also time the default set plus these rules, e.g. typo.context"
    )
    args = parser.parse_args(argv)
    every_core = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    pinned = pin_to_one_core(None if args.core < 0 else args.core)
    report = Report(MachineInfo.collect(pinned).line())
    corpus = ensure_corpus("10M", args.data, args.generate)
    throughput(corpus, args.repeat, report, args.extend_select)
    startup(corpus_files(corpus)[0], args.startup_runs, report)
    if not args.skip_memory:
        if every_core is not None:
            os.sched_setaffinity(0, every_core)  # a large run uses every core, as users run it
        memory(args.data, args.generate, report)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
