"""`boilerplate` rules: watermark and advertising blocks left by document-sharing sites.

Each line is scored by `signals` (weights from the YAML), lines are grouped into blocks by
`layout`, and a block's fix deletes it: safe at the head or tail above `safe_threshold`,
unsafe elsewhere. With a `corpus` key the same type learns from the corpus instead
(`learned`): a line repeated verbatim at the head or tail of at least `min_docs` different
documents is a site's residue even if no signal fires.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from speechlint.model import Applicability, Finding, RuleMeta
from speechlint.ruletypes.accel import LiteralIndex, find_all
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
from speechlint.ruletypes.boilerplate.layout import (
    Analysis,
    Block,
    Language,
    Params,
    analyse,
    excerpt,
    find_blocks,
    inline_residue,
)
from speechlint.ruletypes.boilerplate.learned import (
    CorpusParams,
    DocSummary,
    consecutive,
    group_span,
    learn,
    numbers,
    summarize,
)
from speechlint.ruletypes.boilerplate.signals import LineScorer

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}

SPEC_SCHEMA: dict[str, Any] = {
    "properties": {
        "phrases": {"type": "object", "additionalProperties": {"type": "number"}},
        "patterns": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "pattern": {"type": "string", "minLength": 1},
                    "weight": {"type": "number"},
                    "needs": _STRINGS,
                },
                "required": ["pattern", "weight"],
                "additionalProperties": False,
            },
        },
        "structure": {
            "type": "object",
            "properties": {
                "ascii_junk": {"type": "number"},
                "rare_chars": {"type": "number"},
                "rare_run": {"type": "integer", "minimum": 2},
                "coverage": {"type": "number"},
                "latin_line": {"type": "number"},
                "extra_sentence": {"type": "number"},
                "watermark_shape": {"type": "number"},
                "numbered_line": {"type": "number"},
                "clause_break": {"type": "number"},
                "strong_signal": {"type": "number"},
            },
            "additionalProperties": False,
        },
        "page_suffix": {"type": "string"},
        "gate_chars": {"type": "string"},
        "fold_chars": {"type": "object", "additionalProperties": {"type": "string"}},
        "document_kinds": _STRINGS,
        "document_lines": _STRINGS,
        "numbered_lines": {"type": "string"},
        "decoration_words": _STRINGS,
        "title_suffixes": _STRINGS,
        "sentence_end": {"type": "string"},
        "known_lines": {
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {
                        "type": "object",
                        "properties": {"line": {"type": "string", "minLength": 1}, "docs": {"type": "integer"}},
                        "required": ["line"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "known_weight": {"type": "number"},
        "threshold": {"type": "number"},
        "weak_threshold": {"type": "number"},
        "safe_threshold": {"type": "number"},
        "position_factor": {"type": "number", "minimum": 1},
        "max_line_chars": {"type": "integer", "minimum": 10},
        "body_min_chars": {"type": "integer", "minimum": 1},
        "max_bridge_lines": {"type": "integer", "minimum": 0},
        "inline_threshold": {"type": "number", "minimum": 0},
        "inline_anchor": {"type": "number", "minimum": 0},
        "corpus": {
            "type": "object",
            "properties": {
                "min_docs": {"type": "integer", "minimum": 2},
                "head_lines": {"type": "integer", "minimum": 0},
                "tail_lines": {"type": "integer", "minimum": 0},
                "min_chars": {"type": "integer", "minimum": 1},
            },
            "additionalProperties": False,
        },
    },
    "anyOf": [{"required": ["phrases"]}, {"required": ["patterns"]}, {"required": ["known_lines"]}],
}

# Keys that do not change how a document is analysed: rules differing only in these share
# one scorer and one analysis per document.
_NOT_ANALYSIS = {"id", "type", "category", "severity", "message", "description", "source", "enabled", "fix"}
_NOT_ANALYSIS |= {"examples", "corpus"}
_SCORERS: dict[str, LineScorer] = {}  # one scorer per distinct set of signals, per process


class _Boilerplate(Rule):
    """What the block and the learned engines share: the scorer, the numbers, the analysis."""

    spec_schema: ClassVar[dict[str, Any]] = SPEC_SCHEMA

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.params = Params.from_spec({**spec, **numbers(ctx.options, Params.__dataclass_fields__)})
        if self.params.weak_threshold > self.params.threshold:
            raise RuleSpecError("weak_threshold 不能大于 threshold", "weak_threshold")
        self.language = Language(spec, lazy=ctx.trusted)
        # Rules built from the same signals and numbers analyse a document identically (the
        # default pack's block and learned rules share YAML anchors): share the scorer, whose
        # compilation is most of this type's start-up, and each document's analysis.
        analysis_spec = {
            k: v for k, v in spec.items() if k not in _NOT_ANALYSIS and k not in Params.__dataclass_fields__
        }
        signals_key = json.dumps(analysis_spec, sort_keys=True, default=str)
        self.scorer = _SCORERS.get(signals_key) or _SCORERS.setdefault(
            signals_key, LineScorer(spec, lazy=ctx.trusted, large_run=ctx.large_run)
        )
        self.analysis_key = ("boilerplate", signals_key, repr(self.params))

    literal_index: tuple[LiteralIndex, int] | None = None  # the run's shared scan, when built in a rule set

    def literal_needs(self) -> tuple[str, ...]:
        """The phrases that start a signal: the run's one literal scan finds them for this rule too."""
        return self.scorer.trigger_literals

    def use_literal_index(self, index: LiteralIndex, number: int) -> None:
        self.literal_index = (index, number)

    def phrase_hits(self, doc: LintInput) -> list[int] | None:
        """Where the signal phrases start in the document, if the shared scan knows (else None)."""
        if self.literal_index is None:
            return None
        index, number = self.literal_index
        return index.hits(doc).positions(number)

    def analysis(self, doc: LintInput) -> Analysis:
        return doc.memo(
            self.analysis_key,
            lambda: analyse(doc.text, self.scorer, self.params, self.language, doc.kinds, self.phrase_hits(doc)),
        )

    def make(self, start: int, end: int, match: str, safe: bool, fields: dict[str, str]) -> Finding:
        """A deletion: safe when the engine says so and the rule's YAML allows it (`fix: safe`)."""
        return self.finding(
            start,
            end,
            match,
            "删除",
            replacement="",
            applicability=Applicability.SAFE if safe else Applicability.UNSAFE,
            fields=fields,
            extra={k: v for k, v in fields.items() if k != "lines"},
        )


@register("boilerplate")
class BoilerplateRule(_Boilerplate, DocumentRule):
    """Scored lines grouped into blocks, in one document."""

    @classmethod
    def create(cls, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> Rule:
        if spec.get("corpus") is not None:
            return LearnedBoilerplateRule(meta, spec, ctx)
        return cls(meta, spec, ctx)

    def check(self, doc: LintInput) -> Iterator[Finding]:
        analysis = self.analysis(doc)
        blocks = find_blocks(analysis, self.params, self.language)
        for block in blocks:
            yield self._block_finding(analysis, block)
        inside = {i for b in blocks for i in range(b.first, b.last + 1)}
        glued = [*self._suffix_findings(analysis, inside), *self._title_decorations(analysis, inside)]
        yield from glued
        for finding in self._inline_findings(doc, analysis, inside):
            if not any(g.offset < finding.end_offset and finding.offset < g.end_offset for g in glued):
                yield finding  # a page number or title decoration is reported as that

    def _block_finding(self, analysis: Analysis, block: Block) -> Finding:
        start, end = analysis.span(block.first, block.last)
        rows = f"第{block.first + 1}行" if block.first == block.last else f"第{block.first + 1}–{block.last + 1}行"
        safe = block.edge and block.score >= self.params.safe_threshold
        fields = {"signals": "、".join(block.signals) or "重复出现", "lines": rows, "score": f"{block.score:g}"}
        return self.make(start, end, excerpt(analysis.line(block.first)), safe, fields)

    def _suffix_findings(self, analysis: Analysis, inside: set[int]) -> Iterator[Finding]:
        """Page numbers or junk glued to the end of a line outside any block: delete only the suffix."""
        for index in analysis.tails:
            if analysis.blank[index] or index in inside:
                continue
            line = analysis.line(index)
            glued = self.scorer.glued_suffix(line)
            if glued is None:
                continue
            offset, label = glued
            start = analysis.starts[index] + offset
            end = analysis.starts[index] + len(line)
            fields = {"signals": label, "lines": f"第{index + 1}行行尾"}
            yield self.make(start, end, excerpt(line[offset:]), False, fields)

    def _inline_findings(self, doc: LintInput, analysis: Analysis, inside: set[int]) -> Iterator[Finding]:
        """A residue sentence glued into prose (…取得新成效。（来源：第一范文网））: delete only it."""
        if not self.params.inline_threshold or not self.scorer.trigger_literals:
            return
        hits = self._anchors(doc)
        for start, end, index, score in inline_residue(analysis, self.scorer, self.params, hits, inside):
            fields = {"signals": "、".join(score.signals), "lines": f"第{index + 1}行句中", "score": f"{score.score:g}"}
            yield self.make(start, end, excerpt(doc.text[start:end]), False, fields)

    def _anchors(self, doc: LintInput) -> list[int]:
        """Where the phrases strong enough to anchor a residue sentence (`inline_anchor`) start."""
        weights, least = self.scorer.trigger_weights, self.params.inline_anchor
        if self.literal_index is None:
            literals = self.scorer.trigger_literals
            # overlapping, as the shared scan: a weak phrase (本文) must not hide a strong one (本文来源)
            found = find_all(self.scorer.triggers, doc.text, overlapping=True) if self.scorer.triggers else []
            return [start for literal, start, _ in found if weights[literals[literal]] >= least]
        index, number = self.literal_index
        hits = index.hits(doc)
        strong = [literal for literal in hits.by_set.get(number, ()) if weights.get(literal, 0.0) >= least]
        return sorted(at for literal in strong for at in hits.starts[literal])

    def _title_decorations(self, analysis: Analysis, inside: set[int]) -> Iterator[Finding]:
        """【精品文档】 before a title, （完整版） or word版 after it: delete the decoration, keep the title."""
        decoration = self.language.decoration
        if decoration is None:
            return
        for index in range(min(analysis.first_body, analysis.count)):
            if index in inside or not analysis.is_title(index, self.language):
                continue
            line = analysis.line(index)
            for match in decoration.finditer(line):
                start = analysis.starts[index] + match.start()
                end = analysis.starts[index] + match.end()
                fields = {"signals": "标题装饰", "lines": f"第{index + 1}行"}
                yield self.make(start, end, match.group().strip(), True, fields)


class LearnedBoilerplateRule(_Boilerplate, CorpusRule[DocSummary]):
    """Lines repeated at the head or tail of many documents of the run."""

    type_name: ClassVar[str] = "boilerplate"

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.corpus = CorpusParams.from_spec(spec.get("corpus") or {}, ctx.options)

    def summarize(self, doc: LintInput) -> DocSummary:
        return summarize(self.analysis(doc), self.params, self.corpus, self.language)

    def corpus_findings(self, summaries: Sequence[tuple[str, DocSummary]]) -> Iterator[CorpusFinding]:
        learned = learn(summaries, self.corpus.min_docs)
        for path, summary in summaries:
            hits = [c for c in summary.candidates if c.key in learned and not c.flagged]
            for group in consecutive(hits):
                start, end = group_span(group, summary.length)
                first = group[0]
                rows = f"第{first.index + 1}行" if len(group) == 1 else f"第{first.index + 1}–{group[-1].index + 1}行"
                where = "开头" if first.head else "结尾"
                fields = {
                    "signals": f"在 {learned[first.key]} 篇文档的{where}重复出现",
                    "lines": rows,
                    "docs": str(learned[first.key]),
                }
                yield CorpusFinding(path, self.make(start, end, excerpt(first.text), False, fields))
