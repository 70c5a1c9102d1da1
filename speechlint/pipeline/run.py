"""One run, as its stages: read → per-document rules → corpus rules → filter → fix → report.

    targets ─► stage 4  read each document, run the per-document rules (batches, rule by
                        rule), locate the findings, keep each corpus rule's summary; the text
                        is dropped (documents that cannot be read again are kept)
            ─► stage 5  corpus rules over the summaries; their findings are located by
                        reading again only the documents they name
            ─► stage 6  ONE filter for every finding of a document (ignores, inline
                        suppressions, text another fix deletes, baseline)
            ─► stage 7  with --fix/--diff: per-document and corpus fixes applied together,
                        re-linted to a fixed point; the corpus stage runs again on the fixed
                        texts, so what is reported is located in the text as finally written
            ─► result   findings of every document, files written atomically once

Stages 4 and 7 are spread over the run's worker pool for large runs.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from speechlint.config.settings import Settings
from speechlint.documents import BinaryFileError, Document, DocumentError
from speechlint.model import Located
from speechlint.pipeline.corpus import corpus_stage
from speechlint.pipeline.discover import Target
from speechlint.pipeline.filter import Baseline, FilterContext, filter_located
from speechlint.pipeline.fix import MAX_ROUNDS, applicable, count_changes, fix_to_fixed_point, write_atomic
from speechlint.pipeline.lint import Summaries, lint_inputs, prepare, release, summarize_inputs
from speechlint.pipeline.locate import locate_all
from speechlint.pipeline.pool import WorkerPool
from speechlint.pipeline.tier import within_tier
from speechlint.rulesets import RuleSet

# Documents linted together, rule by rule. On 10 MB of speeches (whole process, one core) 1 MB and
# 3 MB batches cost the same user time, but 3 MB peaks at 256 MB against 186 MB and pays for the
# difference in page faults (0.2–0.4 s of system time against 0.13 s).
BATCH_BYTES = 1_000_000
BATCH_FILES = 1_000
CORPUS_ROUNDS = 3  # fix → corpus stage → fix again, at most this often


@dataclass
class RunOptions:
    """What a run does besides linting: fix, show a diff, keep excerpts, hide baselined findings."""

    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False  # compute fixes, show them, write nothing
    excerpts: bool = True  # keep each finding's source line (the text and HTML reports show it)
    baseline: set[tuple[str, str, str, int]] | None = None  # accepted findings (--baseline)

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff


@dataclass
class RunResult:
    """Everything a run produced, for the command to report: findings, counts, diffs, errors."""

    located: list[Located] = field(default_factory=list)
    files: int = 0
    fixed_files: int = 0
    fixes_applied: int = 0
    errors: list[str] = field(default_factory=list)  # inputs that failed (exit 2)
    skipped: list[str] = field(default_factory=list)  # binary files met in a walk (a warning)
    diffs: list[bytes] = field(default_factory=list)  # one per fixed file, in its own encoding
    fixed_stdin: bytes | None = None  # `-` with --fix: the fixed text goes to stdout
    baselined: int = 0
    documents: dict[str, Document] = field(default_factory=dict)  # final text of in-memory documents


@dataclass
class DocState:
    """What the run keeps of one document between stages: never its text, unless it cannot
    be read again (standard input, in-memory text) or it was fixed and not yet written."""

    target: Target
    path: str
    context: FilterContext
    digest: tuple[int, int] | None  # of the bytes read, to notice a file changed behind the run's back
    own: list[Located] = field(default_factory=list)  # per-document findings, unfiltered
    shared: list[Located] = field(default_factory=list)  # corpus findings, unfiltered
    reported: list[Located] = field(default_factory=list)  # after the filter
    baselined: int = 0
    kept: Document | None = None  # the current text, when it is not (or no longer) the file's
    original: Document | None = None  # the text as read, for documents that cannot be read again
    applied: int = 0  # edits applied by the fix stage


@dataclass
class _Shared:
    """What every stage (and every forked worker) needs: the run's fixed inputs."""

    ruleset: RuleSet
    settings: Settings
    options: RunOptions
    corpus: bool  # the corpus stage runs (corpus rules and two documents or more)
    stdin_reader: Callable[[], bytes] | None = None
    progress: Callable[[int], None] | None = None  # bytes read and linted so far, for a progress bar
    inline: bool = True  # stage 4 runs in this process: it reports progress per batch

    @property
    def trusted_corpus(self) -> frozenset[str]:
        """Corpus rules of the shipped packs: their fixes are held to the fix tier, as stage 4's are."""
        return frozenset(r.meta.id for r in self.ruleset.corpus_rules if r.ctx.trusted)


@dataclass
class _Chunk:
    """Stage 4's result for a chunk of targets."""

    states: list[DocState] = field(default_factory=list)
    summaries: Summaries = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stopped: set[str] = field(default_factory=set)  # rules that could not go on (a regex out of time)
    read: int = 0  # bytes of the documents read and linted


def run(
    targets: Iterable[Target],
    ruleset: RuleSet,
    settings: Settings,
    options: RunOptions,
    stdin_reader: Callable[[], bytes] | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> RunResult:
    """Check (or fix) every target; `jobs` > 1 spreads the work over forked processes.
    `progress` is told how many bytes each step of stage 4 got through."""
    targets = list(targets)
    parallel = jobs > 1 and len(targets) > 1 and not any(t.in_memory for t in targets)
    corpus = bool(ruleset.corpus_rules) and len(targets) > 1
    shared = _Shared(ruleset, settings, options, corpus, stdin_reader, progress, inline=not parallel)
    result = RunResult()
    if parallel:
        _warm_up(shared, targets[0])
    with WorkerPool(shared, jobs if parallel else 1) as pool:
        states, summaries = _read_and_lint(pool, targets, result)
        by_path = {state.path: state for state in states}
        if shared.corpus:
            _corpus(shared, summaries, by_path, result)
        for state in states:
            _refilter(state, options)
        if options.fixing:
            _fix_stage(pool, shared, states, summaries, by_path, result)
    for state in states:
        result.located.extend(state.reported)
        result.baselined += state.baselined
        if state.target.display == "-" and options.fix and not options.diff and result.fixed_stdin is None:
            unchanged = state.original
            if unchanged is not None:  # `--fix -` writes the document to stdout, fixed or not
                result.fixed_stdin = unchanged.raw if unchanged.raw is not None else unchanged.to_bytes()
        if state.target.content is not None:
            result.documents[state.path] = state.kept or state.original  # type: ignore[assignment]
    result.files = len(states)
    result.located.sort(key=lambda i: (i.path, i.offset, i.end_offset, i.finding.rule_id))
    return result


def check_texts(
    ruleset: RuleSet, texts: list[tuple[str, str]], options: RunOptions | None = None, settings: Settings | None = None
) -> RunResult:
    """Run the whole pipeline over texts held in memory (`(path, text)` pairs): rule examples,
    `lint_text`, tests. Fixed texts come back in `result.documents`, nothing is written."""
    targets = [Target(Path(path), path, True, content=text) for path, text in texts]
    return run(targets, ruleset, settings or Settings(), options or RunOptions())


def lint_text(ruleset: RuleSet, text: str, path: str = "<text>") -> list[Any]:
    """The findings on one text (offsets into the text as rules see it), through the full pipeline."""
    return [item.finding for item in check_texts(ruleset, [(path, text)]).located]


def read_summaries(
    targets: list[Target], ruleset: RuleSet, settings: Settings, jobs: int = 1
) -> tuple[Summaries, list[str], list[str]]:
    """Stage 4 alone: the corpus rules' summaries of every target (for `speechlint dupes`),
    with the inputs that failed and those skipped."""
    shared = _Shared(ruleset, settings, RunOptions(excerpts=False), corpus=True)
    result = RunResult()
    with WorkerPool(shared, jobs if len(targets) > 1 else 1) as pool:
        _, summaries = _read_and_lint(pool, targets, result)
    return summaries, result.errors, result.skipped


# --- stage 4 ---------------------------------------------------------------------------
def _read_and_lint(
    pool: WorkerPool[_Shared], targets: list[Target], result: RunResult
) -> tuple[list[DocState], Summaries]:
    states: list[DocState] = []
    summaries: Summaries = {}
    shared = pool.shared
    for chunk in pool.map(_lint_chunk, targets, _target_size):
        if shared.progress is not None and not shared.inline:
            shared.progress(chunk.read)
        states.extend(chunk.states)
        result.errors.extend(chunk.errors)
        result.skipped.extend(chunk.skipped)
        for rule_id, kept in chunk.summaries.items():
            summaries.setdefault(rule_id, []).extend(kept)
    return states, summaries


def _lint_chunk(shared: _Shared, targets: list[Target]) -> _Chunk:
    """Read, lint and locate a chunk of targets in batches of about BATCH_BYTES."""
    out = _Chunk()
    batch: list[tuple[Target, Document]] = []
    size = 0
    for target in targets:
        doc = _load(shared, target, out)
        if doc is None:
            continue
        batch.append((target, doc))
        size += len(doc.text)
        if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            _lint_batch(shared, batch, out)
            batch, size = [], 0
    _lint_batch(shared, batch, out)
    return out


def _lint_batch(shared: _Shared, batch: list[tuple[Target, Document]], out: _Chunk) -> None:
    if not batch:
        return
    size = sum(len(doc.raw) if doc.raw is not None else len(doc.text) for _, doc in batch)
    out.read += size
    if shared.progress is not None and shared.inline:
        shared.progress(size)
    inputs = [prepare(doc) for _, doc in batch]
    per_doc = lint_inputs(shared.ruleset, inputs, out.errors, out.stopped)
    if shared.corpus:
        summarize_inputs(shared.ruleset, inputs, out.summaries, out.errors)
    release(inputs)
    excerpts = shared.options.excerpts
    for (target, doc), findings in zip(batch, per_doc, strict=True):
        state = DocState(target, doc.path, FilterContext.of(doc, shared.settings), _digest(doc))
        state.own = locate_all(doc, findings, excerpts)
        if target.in_memory:
            state.original = doc
        out.states.append(state)


def _load(shared: _Shared, target: Target, out: _Chunk) -> Document | None:
    fallback = shared.settings.encoding_fallback
    try:
        if target.content is not None:
            return Document(target.display, target.content)
        if target.display == "-" and shared.stdin_reader is not None:
            return Document.from_bytes(shared.stdin_reader(), "-", fallback)
        return Document.from_path(target.path, target.display, fallback)
    except BinaryFileError as exc:
        (out.errors if target.explicit else out.skipped).append(str(exc))
    except DocumentError as exc:
        out.errors.append(str(exc))
    return None


def _reload(shared: _Shared, state: DocState) -> Document:
    """The document's current text: kept in memory, or read again (and checked unchanged)."""
    if state.kept is not None:
        return state.kept
    if state.original is not None:
        return state.original
    doc = Document.from_path(state.target.path, state.path, shared.settings.encoding_fallback)
    if _digest(doc) != state.digest:
        raise DocumentError(f"{state.path}: 文件在检查过程中被改动，未处理；请重新运行")
    return doc


def _digest(doc: Document) -> tuple[int, int] | None:
    """Length and CRC-32 of the bytes read: enough to notice an edit made during the run (not
    an adversary), at twice the speed of a cryptographic hash over every file."""
    return (len(doc.raw), zlib.crc32(doc.raw)) if doc.raw is not None else None


def _target_size(target: Target) -> int:
    return target_size(target)


def target_size(target: Target) -> int:
    """Bytes on disk (0 when unknown): how a run is sized and its work shared out."""
    try:
        return target.path.stat().st_size
    except OSError:
        return 0


def _warm_up(shared: _Shared, target: Target) -> None:
    """Lint one document before forking, so that every worker inherits what rules build on
    first use (deferred regexes, NumPy for the duplicate rules) instead of each paying for it."""
    if any(rule.type_name == "duplicate" for rule in shared.ruleset.rules):
        import numpy  # noqa: F401
    try:
        doc = Document.from_path(target.path, target.display, shared.settings.encoding_fallback)
    except DocumentError:
        return
    lint_inputs(shared.ruleset, [prepare(doc)], [])


# --- stage 5 ---------------------------------------------------------------------------
def _corpus(shared: _Shared, summaries: Summaries, by_path: dict[str, DocState], result: RunResult) -> None:
    """Corpus findings, located in the current text of the documents they name."""
    for state in by_path.values():
        state.shared = []
    trusted = shared.trusted_corpus
    for path, findings in corpus_stage(shared.ruleset, summaries, result.errors, shared.options.fixing).items():
        addressed = by_path.get(path)
        if addressed is None:
            continue
        state = addressed
        try:
            doc = _reload(shared, state)
        except DocumentError as exc:
            result.errors.append(str(exc))
            continue
        tiered = [
            within_tier(f, doc.text[f.offset : f.end_offset]) if f.fix and f.rule_id in trusted else f for f in findings
        ]
        state.shared = locate_all(doc, tiered, shared.options.excerpts)


# --- stage 6 ---------------------------------------------------------------------------
def _refilter(state: DocState, options: RunOptions) -> None:
    baseline = Baseline(options.baseline) if options.baseline is not None else None
    state.reported = filter_located([*state.own, *state.shared], state.context, baseline)
    state.baselined = baseline.hidden if baseline is not None else 0


# --- stage 7 ---------------------------------------------------------------------------
@dataclass
class _FixOutcome:
    """One document after the fix stage: its fixed text, findings left and fixes applied."""

    path: str
    document: Document | None = None  # the fixed text, when anything changed
    own: list[Located] = field(default_factory=list)
    applied: int = 0
    summaries: Summaries = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)  # fixes the format could not apply (a warning)


def _fix_stage(
    pool: WorkerPool[_Shared],
    shared: _Shared,
    states: list[DocState],
    summaries: Summaries,
    by_path: dict[str, DocState],
    result: RunResult,
) -> None:
    """Fix to a fixed point: every document with an applicable fix, then the corpus stage again
    on the fixed texts (which may offer more fixes), then write each changed document once."""
    unsafe = shared.options.unsafe_fixes
    if not shared.options.diff:  # a file --fix may not write is reported as it is, not fixed
        for state in states:
            refusal = _write_refusal(state.target)
            if refusal is not None and any(applicable(i.finding, unsafe) for i in state.reported):
                result.errors.append(f"{state.path}: {refusal}")
        states = [s for s in states if _write_refusal(s.target) is None]
    for _ in range(CORPUS_ROUNDS):
        todo = [s for s in states if any(applicable(i.finding, unsafe) for i in s.reported)]
        if not todo:
            break
        changed = False
        for chunk in pool.map(_fix_chunk, todo, lambda s: _target_size(s.target)):
            for outcome in chunk:
                state = by_path[outcome.path]
                result.skipped.extend(note for note in outcome.notes if note not in result.skipped)
                if outcome.error is not None:
                    result.errors.append(outcome.error)
                    state.reported = [i for i in state.reported if i.finding.fix is None]  # never half-fixed
                    continue
                if outcome.document is None:
                    continue
                changed = True
                state.kept, state.own, state.shared = outcome.document, outcome.own, []
                state.context = state.context.renewed(outcome.document)
                state.applied += outcome.applied
                _replace_summaries(summaries, outcome)
                _refilter(state, shared.options)
        if not (changed and shared.corpus):
            break
        _corpus(shared, summaries, by_path, result)
        for state in states:
            _refilter(state, shared.options)
    for state in states:
        if state.kept is not None and state.applied:
            _finish(shared, state, result)


def _fix_chunk(shared: _Shared, states: list[DocState]) -> list[_FixOutcome]:
    return [_fix_one(shared, state) for state in states]


def _fix_one(shared: _Shared, state: DocState) -> _FixOutcome:
    outcome = _FixOutcome(state.path)
    try:
        doc = _reload(shared, state)
    except DocumentError as exc:
        outcome.error = str(exc)
        return outcome
    context = state.context
    options = shared.options

    def relint(fixed: Document) -> list[Located]:
        nonlocal context
        context = context.renewed(fixed)
        own = locate_all(fixed, lint_inputs(shared.ruleset, [prepare(fixed)])[0], options.excerpts)
        outcome.own = own
        baseline = Baseline(options.baseline) if options.baseline is not None else None
        return filter_located(list(own), context, baseline)

    try:
        fixed = fix_to_fixed_point(doc, state.reported, relint, options.unsafe_fixes)
    except DocumentError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.notes = list(dict.fromkeys(fixed.notes))
    if not fixed.changed:
        return outcome
    outcome.document = fixed.document
    outcome.applied = fixed.applied
    if shared.corpus:
        summarize_inputs(shared.ruleset, [prepare(fixed.document)], outcome.summaries, [])
    return outcome


def _replace_summaries(summaries: Summaries, outcome: _FixOutcome) -> None:
    for rule_id, fresh in outcome.summaries.items():
        kept = summaries.get(rule_id, [])
        for index, (path, _) in enumerate(kept):
            if path == outcome.path:
                kept[index] = fresh[0]
                break


def _finish(shared: _Shared, state: DocState, result: RunResult) -> None:
    """Write (or diff) one fixed document: once, atomically, only if the file is still as read."""
    assert state.kept is not None
    fixed = state.kept
    original = state.original
    if original is None:
        try:
            original = Document.from_path(state.target.path, state.path, shared.settings.encoding_fallback)
        except DocumentError as exc:
            result.errors.append(str(exc))
            return
        if _digest(original) != state.digest:
            result.errors.append(f"{state.path}: 文件在检查过程中被改动，未写入修复；请重新运行")
            return
    if shared.options.diff:
        from speechlint.pipeline.diff import file_diff

        data, note = file_diff(original, fixed)
        result.diffs.append(data)
        if note is not None:
            result.skipped.append(note)
        return
    result.fixed_files += 1
    result.fixes_applied += count_changes(original.source, fixed.source)
    if state.target.content is not None:
        return
    data = fixed.to_bytes()
    if state.target.display == "-":
        result.fixed_stdin = data
        return
    try:
        write_atomic(state.target.path, data)
    except OSError as exc:
        result.fixed_files -= 1
        result.fixes_applied -= count_changes(original.source, fixed.source)
        result.errors.append(f"{state.path}: 无法写入修复（{exc.strerror}）")


def _write_refusal(target: Target) -> str | None:
    """Why `--fix` must not write this file, if it must not: a link out of the tree the user named,
    or a file marked read-only (even for a user, such as root, whom the mark does not stop)."""
    import os
    import stat

    if target.in_memory:
        return None
    if not target.writable:
        return "是指向所查目录之外的符号链接，未写入修复（要修复它，请直接指定该文件）"
    try:
        mode = os.stat(target.path).st_mode
    except OSError as exc:
        return f"无法写入修复（{exc.strerror}）"
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target.path, os.W_OK):
        return "文件是只读的，未写入修复"
    return None


__all__ = ["MAX_ROUNDS", "RunOptions", "RunResult", "check_texts", "lint_text", "read_summaries", "run", "target_size"]


def fix_document(doc: Document, ruleset: RuleSet, unsafe: bool = False, settings: Settings | None = None) -> Any:
    """Fix one document with the per-document rules to a fixed point (no corpus, nothing written):
    the `Fixed` result holds the final document, what is left on it and the edits applied."""
    from speechlint.pipeline.fix import fix_to_fixed_point

    settings = settings or Settings()

    def relint(current: Document) -> list[Located]:
        located = locate_all(current, lint_inputs(ruleset, [prepare(current)])[0])
        return filter_located(located, FilterContext.of(current, settings))

    return fix_to_fixed_point(doc, relint(doc), relint, unsafe)
