"""Spreading a run's files over processes (`check -j N`).

Workers are forked after the rules are compiled, so they inherit them instead of building
their own; each lints a chunk of files and sends back located findings and the corpus rules'
summaries, which the parent merges before the corpus phase. Linux only (fork); elsewhere a
run stays in one process.
"""

from __future__ import annotations

from typing import Any

from speechlint.config import Settings
from speechlint.discover import Target
from speechlint.document import Document, DocumentError
from speechlint.linter import RuleSet, lint_input, lint_many
from speechlint.runner import RunOptions, RunResult, lint_targets, target_size

_FORKED: tuple[RuleSet, Settings, RunOptions] | None = None


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where there is one, as under taskset)."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    import sys

    return sys.platform.startswith("linux")


def _lint_chunk(chunk: list[Target]) -> tuple[RunResult, dict[str, list[tuple[str, Any]]]]:
    assert _FORKED is not None
    ruleset, settings, options = _FORKED
    state = lint_targets(chunk, ruleset, settings, options)
    return state.result, state.summaries


def run_parallel(
    targets: list[Target], ruleset: RuleSet, settings: Settings, options: RunOptions, jobs: int
) -> tuple[RunResult, dict[str, list[tuple[str, Any]]]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _FORKED
    chunks = _chunks(targets, jobs * 4)  # several chunks a worker: files differ in size
    merged = RunResult()
    summaries: dict[str, list[tuple[str, Any]]] = {r.meta.id: [] for r in ruleset.corpus_rules}
    _FORKED = (ruleset, settings, options)
    _warm_up(ruleset, chunks[0][0], settings)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for part, part_summaries in pool.map(_lint_chunk, chunks):
                merged.located.extend(part.located)
                merged.files += part.files
                merged.fixed_files += part.fixed_files
                merged.fixes_applied += part.fixes_applied
                merged.errors.extend(part.errors)
                merged.skipped.extend(part.skipped)
                merged.diffs.extend(part.diffs)
                for rule_id, kept in part_summaries.items():
                    summaries[rule_id].extend(kept)
    finally:
        _FORKED = None
    return merged, summaries


def _warm_up(ruleset: RuleSet, target: Target, settings: Settings) -> None:
    """Lint one document before forking, so that every worker inherits what rules build on
    first use (deferred regexes, NumPy for the duplicate rules) instead of each paying for it."""
    if any(rule.type_name == "duplicate" for rule in ruleset.rules):
        import numpy  # noqa: F401
    try:
        doc = Document.from_path(target.path, target.display, settings.encoding_fallback)
    except DocumentError:
        return
    lint_many(ruleset, [lint_input(doc.text, doc.path)], [[]])


def _chunks(targets: list[Target], count: int) -> list[list[Target]]:
    """Consecutive runs of targets of about equal total size (order kept, for stable output)."""
    sizes = [target_size(t) for t in targets]
    share = max(1, sum(sizes) // max(1, count))
    chunks: list[list[Target]] = [[]]
    filled = 0
    for target, size in zip(targets, sizes, strict=True):
        if filled >= share and chunks[-1]:
            chunks.append([])
            filled = 0
        chunks[-1].append(target)
        filled += size
    return chunks
