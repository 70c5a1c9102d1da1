#!/usr/bin/env python3
"""The duplicate rules stage by stage, in-process, batched as `speechlint check` batches them (issue #8).

Over a corpus (default: the 10 MB / 1,000-file one), best CPU time of `--repeat` rounds, in one process
after a warm-up round (NumPy imported, tables filled), next to reading and decoding the same files:

- prepare   — `prepare_many`: normalised characters, offsets, k-gram hashes (shared by both rules);
- within    — `duplicate.within` on every document, its batch's repeated runs included;
- summarize — `duplicate.across` fingerprints (winnowing, set-phrase exclusion);
- corpus    — `duplicate.across` corpus findings over the fingerprints.

What it leaves out is the same in every checkout: NumPy's import (~60 ms), the first round's page
faults, locating and reporting. For the whole process see `bench_pipeline.py`; to compare two checkouts,
run this script from each, alternately, and compare the ratios to read + decode.

    python benchmarks/bench_duplicate_stages.py --data .bench/data --repeat 5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _common
from _common import MachineInfo, corpus_files, ensure_corpus, pin_to_one_core

STAGES = ("prepare", "within", "summarize", "corpus")


def batches(texts: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The documents in the batches the pipeline lints together."""
    from speechlint.pipeline.run import BATCH_BYTES, BATCH_FILES

    out: list[list[tuple[str, str]]] = [[]]
    size = 0
    for path, text in texts:
        if out[-1] and (size >= BATCH_BYTES or len(out[-1]) >= BATCH_FILES):
            out.append([])
            size = 0
        out[-1].append((path, text))
        size += len(text)
    return out


def one_round(groups: list[list[tuple[str, str]]], within: Any, across: Any) -> tuple[dict[str, float], int]:
    """CPU seconds of each stage over every batch, and the number of findings."""
    from speechlint.pipeline.lint import release
    from speechlint.ruletypes.base import Batch, LintInput
    from speechlint.ruletypes.duplicate import prepared

    spent = dict.fromkeys(STAGES, 0.0)
    found = 0
    summaries = []

    def timed(stage: str, func: Callable[[], Any]) -> Any:
        start = time.process_time()
        result = func()
        spent[stage] += time.process_time() - start
        return result

    for group in groups:
        inputs = [LintInput(text, path) for path, text in group]
        Batch.of(inputs)
        timed("prepare", lambda inputs=inputs: prepared(inputs[0], within.k))
        found += timed("within", lambda inputs=inputs: sum(len(list(within.check(doc))) for doc in inputs))
        summaries.extend(timed("summarize", lambda inputs=inputs: [(d.path, across.summarize(d)) for d in inputs]))
        release(inputs)
    found += timed("corpus", lambda: len(list(across.corpus_findings(summaries))))
    return spent, found


def measure(corpus: Path, repeat: int) -> dict[str, Any]:
    from speechlint.config import Settings
    from speechlint.rulesets import build_ruleset

    files = corpus_files(corpus)
    size = sum(p.stat().st_size for p in files)
    start = time.process_time()
    texts = [(str(p), p.read_bytes().decode("utf-8")) for p in files]
    read = time.process_time() - start
    rules = build_ruleset(Settings(), expected_bytes=size)
    within = next(r for r in rules.document_rules if r.meta.id == "duplicate.within")
    across = next(r for r in rules.corpus_rules if r.meta.id == "duplicate.across")
    groups = batches(texts)
    one_round(groups, within, across)  # warm-up: NumPy, tables, automata
    best = dict.fromkeys(STAGES, float("inf"))
    found = 0
    for _ in range(repeat):
        start = time.process_time()
        for p in files:
            p.read_bytes().decode("utf-8")
        read = min(read, time.process_time() - start)
        spent, found = one_round(groups, within, across)
        best = {stage: min(best[stage], spent[stage]) for stage in STAGES}
    return {"mb": size / _common.MB, "read_s": read, "stages_s": best, "findings": found}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=_common.DATA_DIR, help="corpora directory (%(default)s)")
    parser.add_argument("--size", default="10M", choices=sorted(_common.SIZES))
    parser.add_argument("--generate", action="store_true", help="make the corpus with gen_corpus.py if missing")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--core", type=int, default=1, help="CPU to pin to (-1: leave the affinity alone)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pinned = pin_to_one_core(None if args.core < 0 else args.core)
    result = measure(ensure_corpus(args.size, args.data, args.generate), args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(MachineInfo.collect(pinned).line())
    read = result["read_s"]
    print(f"{result['mb']:.1f} MB, {result['findings']} duplicate findings; best CPU of {args.repeat} rounds:")
    print(f"  {'read + decode':14s} {read * 1000:7.1f} ms")
    for stage, seconds in result["stages_s"].items():
        print(f"  {stage:14s} {seconds * 1000:7.1f} ms  ({seconds / read:4.1f} × read + decode)")
    total = sum(result["stages_s"].values())
    print(f"  {'all four':14s} {total * 1000:7.1f} ms  ({total / read:4.1f} × read + decode)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
