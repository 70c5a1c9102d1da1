"""Learning a site's residue from a corpus: lines repeated verbatim at the head or tail of
many documents.

`summarize` keeps only each document's short head and tail lines with their offsets (never
the text); `learn` counts them over the corpus. Repetition alone is not enough (drafts of one
speech repeat their titles): a line is learned when at least one of its copies shows some
boilerplate evidence — a faint signal of its own, or membership of a block in another
document — which catches a site's slogan where it stands alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from speechlint.ruletypes.boilerplate.layout import Analysis, Language, Params, find_blocks
from speechlint.ruletypes.boilerplate.signals import NOTHING


@dataclass
class CorpusParams:
    """How many documents must share a line, and where in a document it is looked for."""

    min_docs: int = 3
    head_lines: int = 12  # non-blank lines looked at before the first body line
    tail_lines: int = 8  # and after the last one
    min_chars: int = 2

    @classmethod
    def from_spec(cls, spec: dict[str, Any], options: dict[str, Any]) -> CorpusParams:
        merged = {**spec, **numbers(options, ("min_docs", "head_lines", "tail_lines", "min_chars"))}
        return cls(**{k: int(merged[k]) for k in cls.__dataclass_fields__ if k in merged})


def numbers(options: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Run-wide `options: {boilerplate: {...}}` that override this type's numeric settings."""
    return {k: v for k, v in options.items() if k in names and isinstance(v, (int, float))}


@dataclass(frozen=True)
class Candidate:
    """A short head or tail line of one document, with what is needed to delete it later."""

    key: str  # the line, stripped, inner spaces collapsed
    text: str
    index: int
    start: int
    end: int
    gap_start: int  # where the blank lines before it begin (0 at the start of the text)
    next_start: int  # start of the next non-blank line (the text's length when none)
    head: bool
    flagged: bool  # already inside a block the scorer found
    evidence: bool  # flagged, or a weak signal of its own


@dataclass
class DocSummary:
    """What the corpus stage keeps of one document: a digest and a few short lines."""

    digest: int  # two copies of one file count once
    length: int
    candidates: list[Candidate]


def summarize(analysis: Analysis, params: Params, corpus: CorpusParams, language: Language) -> DocSummary:
    flagged = {i for b in find_blocks(analysis, params, language) for i in range(b.first, b.last + 1)}
    head = [i for i in range(min(analysis.first_body, analysis.count)) if not analysis.blank[i]]
    tail = [i for i in range(analysis.last_body + 1, analysis.count) if not analysis.blank[i]]
    if analysis.last_body < analysis.first_body:  # no body: the whole text is head
        tail = []
    chosen = [(i, True) for i in head[: corpus.head_lines]]
    chosen += [(i, False) for i in tail[-corpus.tail_lines :] if corpus.tail_lines]
    candidates = []
    for index, is_head in chosen:
        line = analysis.line(index)
        key = " ".join(line.split())
        if len(key) < corpus.min_chars or len(key) > params.max_line_chars or language.is_document_line(key):
            continue
        before = analysis.prev_content(index)
        after = analysis.next_content(index)
        candidates.append(
            Candidate(
                key=key,
                text=line,
                index=index,
                start=analysis.starts[index],
                end=analysis.starts[index] + len(line),
                gap_start=0 if before < 0 else analysis.starts[before + 1],
                next_start=analysis.starts[after] if after < analysis.count else len(analysis.text),
                head=is_head,
                flagged=index in flagged,
                evidence=index in flagged or analysis.scores.get(index, NOTHING).score >= params.weak_threshold,
            )
        )
    return DocSummary(hash(analysis.text), len(analysis.text), candidates)


def learn(
    summaries: Iterable[tuple[str, DocSummary | None]], min_docs: int, require_evidence: bool = True
) -> dict[str, int]:
    """Lines found at the head or tail of at least `min_docs` different documents, with that
    count, if at least one of them shows some boilerplate evidence there (unless
    `require_evidence` is false: a pack a person reviews may list bare repetitions too)."""
    seen: dict[str, set[int]] = {}
    evidence: set[str] = set()
    for _path, summary in summaries:
        if summary is None:
            continue
        for candidate in summary.candidates:
            seen.setdefault(candidate.key, set()).add(summary.digest)
            if candidate.evidence:
                evidence.add(candidate.key)
    return {
        key: len(docs)
        for key, docs in seen.items()
        if len(docs) >= min_docs and (key in evidence or not require_evidence)
    }


def consecutive(candidates: list[Candidate]) -> Iterator[list[Candidate]]:
    """Runs of candidates with nothing but blank lines between them."""
    group: list[Candidate] = []
    for candidate in candidates:
        if group and group[-1].next_start != candidate.start:
            yield group
            group = []
        group.append(candidate)
    if group:
        yield group


def group_span(group: list[Candidate], length: int) -> tuple[int, int]:
    """Same rule as `Analysis.span`: following blanks go with the block, or the preceding
    ones when the block ends the text."""
    first, last = group[0], group[-1]
    if last.next_start >= length:
        return first.gap_start, length
    return (0 if first.gap_start == 0 else first.start), last.next_start
