"""`duplicate` rules: passages repeated inside a document (`scope: within`) or shared
between documents (`scope: across`), matched on characters after normalisation.

`within` is a document rule: exact k-gram matching, so a pasted paragraph is found whatever
its length beyond `min_chars`; a verbatim repeated paragraph gets an unsafe fix that deletes
the later copy. `across` is a corpus rule: it keeps winnowed fingerprints of each document
and reports each shared passage once, at its first copy, with every other copy as a related
location. `speechlint dupes` is a view of the same `across` rule (`shared_passages`), with
the same k, window and minimum length.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from speechlint.dupes.phrases import SetPhrases, read_phrase_file
from speechlint.dupes.within import Repeat, Run, find_repeats
from speechlint.model import Finding, RelatedLocation, RuleMeta
from speechlint.ruletypes.base import (
    BuildContext,
    CorpusFinding,
    CorpusRule,
    DocumentRule,
    LintInput,
    Rule,
    RuleSpecError,
    register,
)

if TYPE_CHECKING:
    from speechlint.dupes.corpus import SharedPassage
    from speechlint.dupes.fingerprint import DocPrints
    from speechlint.dupes.prepared import Prepared

# Below this many characters checked in a run, and while NumPy is not yet imported, the
# pure-Python path is used: importing NumPy (~70 ms) costs more than hashing a few speeches.
PURE_PYTHON_BUDGET = 60_000
EXCERPT = 16

SPEC_SCHEMA: dict[str, Any] = {
    "properties": {
        "scope": {"enum": ["within", "across"]},
        "k": {"type": "integer", "minimum": 4, "maximum": 64},
        "min_chars": {"type": "integer", "minimum": 8},
        "max_gap": {"type": "integer", "minimum": 0},
        "window": {"type": "integer", "minimum": 1, "maximum": 256},
        "min_docs": {"type": "integer", "minimum": 2},
        "max_related": {"type": "integer", "minimum": 1},
        "set_phrases": {"type": "array", "items": {"type": "string"}},
        "set_phrases_file": {"type": "string"},
        "min_sentence_share": {"type": "number", "minimum": 0, "maximum": 1},
        "sentence_end": {"type": "string"},
        "articles": {
            "type": "object",
            "properties": {
                "pattern": {"type": "string", "minLength": 1},
                "min_lines": {"type": "integer", "minimum": 1},
                "min_sentence_share": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "required": ["pattern"],
            "additionalProperties": False,
        },
    },
    "required": ["scope"],
}


class _Duplicates(Rule):
    """What both scopes share: k-gram length, minimum passage, set phrases."""

    spec_schema: ClassVar[dict[str, Any]] = SPEC_SCHEMA

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.k = int(spec.get("k", 13))
        self.min_chars = int(spec.get("min_chars", 40))
        if self.min_chars < self.k:
            raise RuleSpecError(f"min_chars（{self.min_chars}）不能小于 k（{self.k}）", "min_chars")
        self.max_gap = int(spec.get("max_gap", self.k))
        phrases = list(spec.get("set_phrases", []))
        if spec.get("set_phrases_file"):
            path = ctx.resolve(spec["set_phrases_file"])
            try:
                phrases.extend(read_phrase_file(path))
            except OSError as exc:
                raise RuleSpecError(f"无法读取规范提法列表 {path}：{exc.strerror}", "set_phrases_file") from None
        self.phrase_list = phrases
        self.phrases = SetPhrases(phrases)


@register("duplicate")
class DuplicateRule(_Duplicates, DocumentRule):
    """Repeated passages inside one document (`scope: within`)."""

    @classmethod
    def create(cls, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> Rule:
        if spec.get("scope") == "across":
            return AcrossDuplicateRule(meta, spec, ctx)
        return cls(meta, spec, ctx)

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        # NumPy for a run large enough to pay for importing it (decided once, for the run).
        expected = ctx.expected_bytes
        self.numpy_run = expected is None or expected > PURE_PYTHON_BUDGET
        # A pasted passage is whole sentences; a clause that recurs inside different sentences is
        # the document's own phrasing (legal penalty formulas, parallel provisions).
        self.min_share = float(spec.get("min_sentence_share", 0.0))
        self.sentence_end = str(spec.get("sentence_end", "。！？")) + "\n"
        articles = spec.get("articles") or {}
        try:
            self.article_line = re.compile(str(articles["pattern"]), re.MULTILINE) if articles else None
        except re.error as exc:
            raise RuleSpecError(f"正则表达式无法编译：{exc}", "articles.pattern") from None
        self.article_min_lines = int(articles.get("min_lines", 3))
        self.article_share = float(articles.get("min_sentence_share", 1.0))

    def _keep(self, chars: str) -> bool:
        return self.phrases.has_own_run(chars, self.k)

    def check(self, doc: LintInput) -> Iterator[Finding]:
        text = doc.text
        use_numpy = self.numpy_run or "numpy" in sys.modules or len(text) > PURE_PYTHON_BUDGET
        keep = self._keep if self.phrases else None
        repeats = find_repeats(
            text,
            self.k,
            self.min_chars,
            self.max_gap,
            use_numpy,
            keep,
            lambda: prepared(doc, self.k),
            lambda: _runs(doc, self.k),
        )
        if repeats:
            starts = _line_starts(text)
            share = self._share_needed(text)
            for repeat in repeats:
                if share and min(self._share(text, *repeat.later), self._share(text, *repeat.earlier)) < share:
                    continue
                yield self._finding(text, repeat, bisect_right(starts, repeat.earlier[0]))

    def _share_needed(self, text: str) -> float:
        """How much of its sentences a repeat must cover: more in a text laid out as articles
        (第一条 …), whose provisions repeat their clauses by design."""
        if self.article_line is not None:
            for count, _ in enumerate(self.article_line.finditer(text), 1):
                if count >= self.article_min_lines:
                    return max(self.min_share, self.article_share - 1e-9)
        return self.min_share

    def _share(self, text: str, start: int, end: int) -> float:
        """The share of the sentences holding text[start:end] that it covers (characters that count)."""
        from speechlint.dupes.normalise import kept_length

        ends = self.sentence_end
        # Within the paragraph (a line end ends a sentence too): a search never runs to the far
        # end of a long text, once per repeat.
        low = text.rfind("\n", 0, start) + 1
        high = text.find("\n", max(start, end - 1))
        high = len(text) if high < 0 else high
        first = max(text.rfind(mark, low, start) for mark in ends) + 1
        first = max(first, low)
        found = (text.find(mark, max(start, end - 1), high) for mark in ends)
        last = min((at for at in found if at >= 0), default=high)
        whole = kept_length(text[first:last])
        return kept_length(text[start:end]) / max(1, whole)

    def _finding(self, text: str, repeat: Repeat, line: int) -> Finding:
        start, end = repeat.later
        paragraph = _repeated_paragraph(text, repeat)
        related = [RelatedLocation(repeat.earlier[0], repeat.earlier[1], message="首次出现")]
        fields = {
            "chars": str(repeat.chars),
            "line": str(line),
            "how": "完全相同" if repeat.exact else "几乎相同",
            "excerpt": _excerpt(text[start:end]),
        }
        if paragraph is None:
            return self.finding(start, end, text[start:end], related=related, fields=fields)
        p_start, p_end = paragraph
        return self.finding(p_start, p_end, text[start:end], replacement="", related=related, fields=fields)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _repeated_paragraph(text: str, repeat: Repeat) -> tuple[int, int] | None:
    """The span to delete when the later copy is whole lines identical to the earlier ones.

    The span takes the line break after the copy (before it, at the end of the text), so
    deleting it leaves no empty line.
    """
    if not repeat.exact:
        return None
    line_start = text.rfind("\n", 0, repeat.later[0]) + 1
    line_end = text.find("\n", repeat.later[1])
    line_end = len(text) if line_end == -1 else line_end
    first_start = text.rfind("\n", 0, repeat.earlier[0]) + 1
    first_end = text.find("\n", repeat.earlier[1])
    if first_end == -1 or first_end >= line_start:
        return None
    later_block = text[line_start:line_end].strip()
    if later_block != text[first_start:first_end].strip():
        return None
    from speechlint.dupes.normalise import normalise

    if len(normalise(later_block).chars) != repeat.chars:
        return None  # the lines hold more than the repeated passage
    if line_end < len(text):
        return line_start, line_end + 1
    return line_start - 1, line_end


def _excerpt(passage: str) -> str:
    flat = "".join(passage.split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT] + "……"


def prepared(doc: LintInput, k: int) -> Prepared:
    """The document's arrays for duplicate detection, computed once for both duplicate rules
    and for the whole batch of documents being linted."""
    from speechlint.dupes.prepared import prepare_many

    result: Prepared = doc.batch_memo(("dupes.prepared", k), lambda docs: prepare_many([d.text for d in docs], k))
    return result


def _runs(doc: LintInput, k: int) -> list[Run]:
    """The document's repeated k-gram runs, found for the whole batch in a few passes."""
    from speechlint.dupes.within import runs_many

    def batch(docs: list[LintInput]) -> list[list[Run]]:
        return runs_many([prepared(d, k).hashes(k) for d in docs])

    result: list[Run] = doc.batch_memo(("dupes.runs", k), batch)
    return result


@dataclass
class Shared:
    """The passages a corpus shares, with the fingerprints that place them."""

    passages: list[SharedPassage]
    paths: list[str]
    prints: list[DocPrints]


class AcrossDuplicateRule(_Duplicates, CorpusRule["DocPrints"]):
    """Passages shared between documents (`scope: across`), from per-document fingerprints."""

    type_name: ClassVar[str] = "duplicate"

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.window = int(spec.get("window", 8))
        self.min_docs = int(spec.get("min_docs", 2))
        self.max_related = int(spec.get("max_related", 50))

    def summarize(self, doc: LintInput) -> DocPrints:
        """Winnowed fingerprints: all the corpus stage keeps of a document (computed for the
        whole batch at once)."""
        from speechlint.dupes.fingerprint import fingerprint_many

        def batch(docs: list[LintInput]) -> list[DocPrints]:
            return fingerprint_many([prepared(d, self.k) for d in docs], self.k, self.window, self.phrases)

        prints: DocPrints = doc.batch_memo(("dupes.prints", self.k, self.window), batch)
        return prints

    def shared_passages(self, summaries: Sequence[tuple[str, DocPrints]], min_docs: int | None = None) -> Shared:
        """Every passage of at least `min_chars` held by `min_docs` documents (the `dupes` report)."""
        from speechlint.dupes.corpus import Columns, find_shared

        paths = [path for path, _ in summaries]
        prints = [summary for _, summary in summaries]
        columns = Columns.of(prints, release=True)  # the summaries are the rule's to use up (see CorpusRule)
        passages = find_shared(columns, self.k, self.window, self.min_chars, min_docs or self.min_docs)
        return Shared(passages, paths, prints)

    def corpus_findings(self, summaries: Sequence[tuple[str, DocPrints]]) -> Iterator[CorpusFinding]:
        shared = self.shared_passages(summaries)
        for passage in shared.passages:
            first, others = passage.places[0], passage.places[1:]
            related = []
            for place in others[: self.max_related]:
                prints = shared.prints[place.doc]
                line, column = prints.line_col(place.start)
                end_line, end_column = prints.line_col(place.end)
                related.append(
                    RelatedLocation(
                        place.start,
                        place.end,
                        shared.paths[place.doc],
                        f"{place.chars} 字",
                        line,
                        column,
                        end_line,
                        end_column,
                    )
                )
            fields = {
                "chars": str(passage.chars),
                "docs": str(passage.docs),
                "places": str(len(passage.places)),
                "more": f"（另有 {len(others) - self.max_related} 处未列出）" if len(others) > self.max_related else "",
            }
            finding = self.finding(first.start, first.end, "", related=related, fields=fields)
            yield CorpusFinding(shared.paths[first.doc], finding)
