"""`boilerplate` rules: watermark and advertising blocks left by document-sharing sites.

Each line is scored by `speechlint.boilerplate_signals` (weights from the YAML); lines at
the head of a document (before the first paragraph of prose) or at its tail (after the
last one) weigh more, because that is where sites put their residue. Consecutive
boilerplate lines, the short unsigned lines between them (a site's slogan) and the blank
lines that belong to them become one finding whose fix deletes the block: safe at the head
or tail above `safe_threshold`, unsafe elsewhere.

With a `corpus` key the same type learns from the corpus instead: a line repeated verbatim
at the head or tail of at least `min_docs` different documents is a site's residue even if
no signal fires. Such a rule is corpus-aware: `summarize` keeps only each document's short
head and tail lines with their offsets, and `corpus_findings` reports them afterwards.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from speechlint.boilerplate_signals import NOTHING, LineScore, LineScorer
from speechlint.model import Applicability, Finding, Fix, RuleMeta
from speechlint.ruletypes.base import BuildContext, CorpusFinding, LintInput, Rule, RuleSpecError, register

# Lines that are the document's own text even when short and unpunctuated: never bridged
# into a block and never learned. Titles, salutations, numbered headings, sign-offs.
# Words that end a document's title: 在…上的讲话, 关于…的通知, …工作总结.
DOCUMENT_KINDS = [
    "讲话",
    "发言",
    "致辞",
    "讲稿",
    "报告",
    "汇报",
    "通知",
    "意见",
    "方案",
    "决定",
    "总结",
    "要点",
    "提纲",
    "办法",
    "规定",
    "细则",
    "纪要",
    "的函",
    "请示",
    "批复",
]
_KINDS = "|".join(DOCUMENT_KINDS)

DOCUMENT_LINE = re.compile(
    rf"(?:{_KINDS}|会议)[”\"）)]?\s*$"
    r"|^\s*(?:——|—|在.{2,40}[上中]|关于)"
    r"|^\s*(?:同志们|各位|尊敬的|亲爱的|大家好)"
    r"|^\s*(?:联系人|联系电话|联系方式|附件|抄送|主送|[（(]此件)"
    r"|^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|\d+[、.．](?!\d))"
    r"|(?:人民政府|委员会|办公室|办公厅|党委|党组|支部|工作组|领导小组|组织部|宣传部|统战部|纪委|监委|[局厅])\s*$"
)
SENTENCE_END = frozenset("。！？；…")

# What download sites glue onto a speech's title: 【精品文档】 in front, （完整版） / 【精选】 / word版 / 范文 behind.
_DECORATION_WORDS = r"(?:精品|精选|推荐|最新|热门|优秀|完整版?|范文|模板|word版?|doc版?|可编辑|免费|下载|收藏|原创|必备|大全|合集|\d{4}(?:年)?(?:最新|新版))"
TITLE_DECORATION = re.compile(
    rf"^\s*【[^】\n]{{0,8}}{_DECORATION_WORDS}[^】\n]{{0,8}}】"
    rf"|[（(【\[][^）)】\]\n]{{0,8}}{_DECORATION_WORDS}[^）)】\]\n]{{0,8}}[）)】\]]\s*$"
    r"|\s*(?:word|Word|WORD|doc|DOC)版\s*$"
    rf"|(?<={_KINDS})(?:范文|模板|大全|合集|精选)\s*$",  # every kind is two characters: a fixed look-behind
    re.IGNORECASE,
)
_TITLE = re.compile(rf"(?:{_KINDS})[”\"》）)]?\s*$")


def _is_title(analysis: Analysis, index: int) -> bool:
    """A short line before the body that ends by naming a kind of document (…的讲话, 关于…的通知),
    once any download-site decoration is set aside."""
    if index >= analysis.first_body:
        return False
    line = TITLE_DECORATION.sub("", analysis.line(index))
    return len(line.strip()) <= 60 and _TITLE.search(line) is not None


@dataclass
class Params:
    """The numbers that turn line scores into blocks (all tunable in the YAML)."""

    threshold: float = 3.0  # a line at or above this (after position) is boilerplate
    weak_threshold: float = 1.0  # a line at or above this joins an adjacent block
    safe_threshold: float = 6.0  # a head/tail block scoring this much gets a safe fix
    position_factor: float = 1.5  # head and tail lines weigh this much more
    max_line_chars: int = 200  # longer lines are prose: never scored (the hot path)
    body_min_chars: int = 40  # a line this long (or ending a sentence), below threshold, is body text
    max_bridge_lines: int = 3  # unsigned lines between two boilerplate lines at head/tail

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Params:
        return cls(**{k: type(getattr(cls, k))(spec[k]) for k in cls.__dataclass_fields__ if k in spec})


@dataclass
class Block:
    """Lines `first`..`last` (indexes) form one boilerplate block."""

    first: int
    last: int
    score: float
    signals: list[str]
    edge: bool  # entirely before the first or after the last body line


@dataclass
class Analysis:
    """One document seen line by line; only lines that are not plain prose keep a score.

    Lines are kept as offsets, not strings: most of a speech is long paragraphs that are
    never looked at, and slicing them all out cost more than the whole check.
    """

    text: str
    starts: list[int]
    ends: list[int]  # end of each line's content (its newline excluded)
    scores: dict[int, LineScore]  # index → raw score, for scored lines with a signal
    blank: list[bool]
    first_body: int  # index of the first body line (the number of lines when there is none)
    last_body: int  # index of the last body line (-1 when there is none)
    tails: list[int]  # lines whose last character could end a glued page number or junk

    @property
    def count(self) -> int:
        return len(self.starts)

    def line(self, index: int) -> str:
        return self.text[self.starts[index] : self.ends[index]]

    def in_edge(self, index: int) -> bool:
        return index < self.first_body or index > self.last_body

    def positioned(self, index: int, params: Params) -> float:
        raw = self.scores.get(index, NOTHING).score
        return raw * params.position_factor if raw > 0 and self.in_edge(index) else raw

    def prev_content(self, index: int) -> int:
        """Index of the nearest non-blank line before `index`, or -1."""
        i = index - 1
        while i >= 0 and self.blank[i]:
            i -= 1
        return i

    def next_content(self, index: int) -> int:
        """Index of the nearest non-blank line after `index`, or `count`."""
        i = index + 1
        while i < self.count and self.blank[i]:
            i += 1
        return i

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets that delete lines first..last with the blank lines that belong to them:
        the following blanks; at the very end of the text the preceding blanks instead."""
        after = self.next_content(last)
        before = self.prev_content(first)
        if after >= self.count:
            return (0 if before < 0 else self.starts[before + 1]), len(self.text)
        return (0 if before < 0 else self.starts[first]), self.starts[after]


def analyse(text: str, scorer: LineScorer, params: Params) -> Analysis:
    """Score the lines that could be boilerplate.

    The hot path: a long line costs one `find` and one length test. The short lines are
    handed to the scorer's prefilter in one pass; only those where it saw a possible
    signal (and ASCII-only lines) are scored.
    """
    starts: list[int] = []
    ends: list[int] = []
    blank: list[bool] = []
    short: list[int] = []  # indexes of the short non-blank lines
    short_text: list[str] = []
    first_long, last_long = -1, -1
    tails: list[int] = []
    could_end = scorer.could_end_suffix
    max_chars = params.max_line_chars
    find = text.find
    position, length, index = 0, len(text), 0
    while True:
        end = find("\n", position)
        if end < 0:
            end = length
        starts.append(position)
        ends.append(end)
        if end > position and could_end(text[end - 1]):
            tails.append(index)
        if end - position > max_chars:
            blank.append(False)
            if first_long < 0:
                first_long = index
            last_long = index
        else:
            line = text[position:end]
            if not line or line.isspace():
                blank.append(True)
            else:
                blank.append(False)
                short.append(index)
                short_text.append(line)
        if end == length:
            break
        position = end + 1
        index += 1
    scores: dict[int, LineScore] = {}
    body: list[int] = [first_long, last_long] if first_long >= 0 else []
    body_min, threshold = params.body_min_chars, params.threshold
    for k in _suspects(scorer, short_text):
        result = scorer.score(short_text[k])
        if result.score:
            scores[short[k]] = result
    for k, line in enumerate(short_text):
        i = short[k]
        if (len(line) >= body_min or line.rstrip()[-1] in SENTENCE_END) and (
            i not in scores or scores[i].score < threshold
        ):
            body.append(i)
    count = len(starts)
    return Analysis(text, starts, ends, scores, blank, min(body, default=count), max(body, default=-1), tails)


def _suspects(scorer: LineScorer, lines: list[str]) -> list[int]:
    """Positions in `lines` of those worth scoring, from one prefilter pass over them all."""
    if scorer.sees_every_line:
        return list(range(len(lines)))
    chosen = {k for k, line in enumerate(lines) if line.isascii()}
    hits = scorer.suspects("\n".join(lines))
    if hits:
        offsets: list[int] = []
        position = 0
        for line in lines:
            offsets.append(position)
            position += len(line) + 1
        chosen.update(bisect_right(offsets, hit) - 1 for hit in hits)
    return sorted(chosen)


def find_blocks(analysis: Analysis, params: Params) -> list[Block]:
    """Group boilerplate lines into blocks: neighbours separated only by blanks or weak lines
    merge, and at the head or tail a few unsigned short lines between two of them are bridged."""
    if not analysis.scores:
        return []
    strong = sorted(i for i in analysis.scores if analysis.positioned(i, params) >= params.threshold)
    blocks: list[Block] = []
    for index in strong:
        if blocks and _joinable(analysis, params, blocks[-1].last, index):
            blocks[-1].last = index
        else:
            blocks.append(Block(index, index, 0.0, [], False))
    for block in blocks:
        block.first = _grow(analysis, params, block.first, -1)
        block.last = _grow(analysis, params, block.last, +1)
        members = [i for i in range(block.first, block.last + 1) if i in analysis.scores]
        block.score = round(sum(max(0.0, analysis.positioned(i, params)) for i in members), 2)
        block.signals = _top_signals(analysis.scores[i] for i in members)
        block.edge = analysis.in_edge(block.first) and analysis.in_edge(block.last)
    # A title is never residue as a whole, however it scores: at most its decoration is
    # (see `_title_decorations`).
    return [b for b in _merge_touching(blocks) if not (b.first == b.last and _is_title(analysis, b.first))]


def _joinable(analysis: Analysis, params: Params, last: int, index: int) -> bool:
    between = [i for i in range(last + 1, index) if not analysis.blank[i]]
    if all(analysis.positioned(i, params) >= params.weak_threshold for i in between):
        return True
    if len(between) > params.max_bridge_lines or (last < analysis.first_body) != (index < analysis.first_body):
        return False  # one at the head and one at the tail: the whole document lies between
    edge = analysis.in_edge(last) and analysis.in_edge(index)
    return all(_bridgeable(analysis.line(i), edge) for i in between)


def _bridgeable(line: str, edge: bool) -> bool:
    """A site's slogan between two ad lines (自建平台、实时分享), not a title or heading.
    Inside the body only very short lines without a clause break qualify."""
    text = line.strip()
    if text[-1] in SENTENCE_END or DOCUMENT_LINE.search(text):
        return False
    return len(text) <= 40 if edge else len(text) <= 20 and "，" not in text


def _grow(analysis: Analysis, params: Params, index: int, step: int) -> int:
    """Extend a block over adjacent weak lines (blank lines may lie between)."""
    edge = index
    probe = index + step
    while 0 <= probe < analysis.count:
        if analysis.blank[probe]:
            probe += step
            continue
        if analysis.positioned(probe, params) >= params.weak_threshold and not DOCUMENT_LINE.search(
            analysis.line(probe)
        ):
            edge = probe
            probe += step
            continue
        break
    return edge


def _merge_touching(blocks: list[Block]) -> list[Block]:
    merged: list[Block] = []
    for block in blocks:
        if merged and block.first <= merged[-1].last:
            last = merged[-1]
            last.last = max(last.last, block.last)
            last.score = max(last.score, block.score)
            last.edge = last.edge and block.edge
        else:
            merged.append(block)
    return merged


def _top_signals(scores: Iterable[LineScore], limit: int = 4) -> list[str]:
    seen: list[str] = []
    for score in scores:
        for name in score.signals:
            if name not in seen:
                seen.append(name)
    return seen[:limit]


def _excerpt(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
                    "needs": {"type": "array", "items": {"type": "string", "minLength": 1}},
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
            },
            "additionalProperties": False,
        },
        "page_suffix": {"type": "string"},
        "gate_chars": {"type": "string"},
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


_SCORERS: dict[str, LineScorer] = {}  # one scorer per distinct set of signals, per process
_NOT_ANALYSIS = {
    "id",
    "type",
    "category",
    "severity",
    "message",
    "description",
    "source",
    "enabled",
    "fix",
    "examples",
    "corpus",
}


@register("boilerplate")
class BoilerplateRule(Rule):
    """Scored lines grouped into blocks; with `corpus:`, lines learned from the whole corpus."""

    spec_schema: dict[str, Any] = SPEC_SCHEMA

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.params = Params.from_spec({**spec, **_numbers(ctx.options, Params.__dataclass_fields__)})
        if self.params.weak_threshold > self.params.threshold:
            raise RuleSpecError("weak_threshold 不能大于 threshold", "weak_threshold")
        # Rules built from the same signals and numbers analyse a document identically
        # (the default pack's block and learned rules share YAML anchors): share the scorer,
        # whose compilation is most of this type's start-up, and each document's analysis.
        analysis_spec = {
            k: v for k, v in spec.items() if k not in _NOT_ANALYSIS and k not in Params.__dataclass_fields__
        }
        signals_key = json.dumps(analysis_spec, sort_keys=True, default=str)
        self.scorer = _SCORERS.get(signals_key) or _SCORERS.setdefault(
            signals_key, LineScorer(spec, lazy=ctx.trusted, large_run=ctx.large_run)
        )
        self.analysis_key = ("boilerplate", signals_key, repr(self.params))
        corpus = spec.get("corpus")
        # One type, two phases: the corpus mode runs after every document has been seen.
        self.corpus_aware = corpus is not None  # type: ignore[misc]
        self.corpus = CorpusParams.from_spec(corpus or {}, ctx.options)

    # --- one document ----------------------------------------------------------------
    def check(self, doc: LintInput) -> Iterator[Finding]:
        analysis = self._analysis(doc)
        blocks = find_blocks(analysis, self.params)
        for block in blocks:
            yield self._block_finding(analysis, block)
        yield from self._suffix_findings(analysis, blocks)
        yield from self._title_decorations(analysis, blocks)

    def _title_decorations(self, analysis: Analysis, blocks: list[Block]) -> Iterator[Finding]:
        """【精品文档】 before a title, （完整版） or word版 after it: delete the decoration, keep the title."""
        inside = {i for b in blocks for i in range(b.first, b.last + 1)}
        for index in range(min(analysis.first_body, analysis.count)):
            if index in inside or not _is_title(analysis, index):
                continue
            line = analysis.line(index)
            for match in TITLE_DECORATION.finditer(line):
                start = analysis.starts[index] + match.start()
                end = analysis.starts[index] + match.end()
                label = match.group().strip()
                yield self._finding(start, end, label, True, signals="标题装饰", lines=f"第{index + 1}行")

    def _block_finding(self, analysis: Analysis, block: Block) -> Finding:
        start, end = analysis.span(block.first, block.last)
        first_text = analysis.line(block.first)
        rows = f"第{block.first + 1}行" if block.first == block.last else f"第{block.first + 1}–{block.last + 1}行"
        safe = block.edge and block.score >= self.params.safe_threshold
        return self._finding(
            start,
            end,
            _excerpt(first_text),
            safe,
            signals="、".join(block.signals) or "重复出现",
            lines=rows,
            score=f"{block.score:g}",
        )

    def _suffix_findings(self, analysis: Analysis, blocks: list[Block]) -> Iterator[Finding]:
        """Page numbers or junk glued to the end of a line outside any block: delete only the suffix."""
        inside = {i for b in blocks for i in range(b.first, b.last + 1)}
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
            yield self._finding(start, end, _excerpt(line[offset:]), False, signals=label, lines=f"第{index + 1}行行尾")

    def _finding(self, start: int, end: int, match: str, safe: bool, **fields: str) -> Finding:
        default = self.meta.applicability
        fix = None
        if default is not None:
            fix = Fix("", Applicability.SAFE if safe else default)
        return Finding(
            rule_id=self.meta.id,
            category=self.meta.category,
            severity=self.meta.severity,
            message=self.meta.render_message(match, "删除", **fields),
            offset=start,
            end_offset=end,
            fix=fix,
            extra={k: v for k, v in fields.items() if k != "lines"},
        )

    # --- the corpus ------------------------------------------------------------------
    def summarize(self, doc: LintInput) -> DocSummary:
        return summarize(doc.text, self.scorer, self.params, self.corpus, self._analysis(doc))

    def _analysis(self, doc: LintInput) -> Analysis:
        return doc.memo(self.analysis_key, lambda: analyse(doc.text, self.scorer, self.params))

    def corpus_findings(self, summaries: list[tuple[str, Any]]) -> Iterator[CorpusFinding]:
        learned = learn(summaries, self.corpus.min_docs)
        for path, summary in summaries:
            if summary is None:
                continue
            hits = [c for c in summary.candidates if c.key in learned and not c.flagged]
            for group in _consecutive(hits):
                start, end = _group_span(group, summary.length)
                first = group[0]
                rows = f"第{first.index + 1}行" if len(group) == 1 else f"第{first.index + 1}–{group[-1].index + 1}行"
                finding = self._finding(
                    start,
                    end,
                    _excerpt(first.text),
                    False,
                    signals=f"在 {learned[first.key]} 篇文档的{'开头' if first.head else '结尾'}重复出现",
                    lines=rows,
                    docs=str(learned[first.key]),
                )
                yield CorpusFinding(path, finding)


def _numbers(options: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Run-wide `options: {boilerplate: {...}}` that override this type's numeric settings."""
    return {k: v for k, v in options.items() if k in names and isinstance(v, (int, float))}


# --- learning from the corpus ---------------------------------------------------------


@dataclass
class CorpusParams:
    min_docs: int = 3
    head_lines: int = 12  # non-blank lines looked at before the first body line
    tail_lines: int = 8  # and after the last one
    min_chars: int = 2

    @classmethod
    def from_spec(cls, spec: dict[str, Any], options: dict[str, Any]) -> CorpusParams:
        merged = {**spec, **_numbers(options, ("min_docs", "head_lines", "tail_lines", "min_chars"))}
        return cls(**{k: int(merged[k]) for k in cls.__dataclass_fields__ if k in merged})


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
    """What the corpus phase keeps of one document: a digest and a few short lines."""

    digest: int  # two copies of one file count once
    length: int
    candidates: list[Candidate]


def summarize(
    text: str, scorer: LineScorer, params: Params, corpus: CorpusParams, analysis: Analysis | None = None
) -> DocSummary:
    analysis = analysis if analysis is not None else analyse(text, scorer, params)
    flagged = {i for b in find_blocks(analysis, params) for i in range(b.first, b.last + 1)}
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
        if len(key) < corpus.min_chars or len(key) > params.max_line_chars or DOCUMENT_LINE.search(key):
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
                next_start=analysis.starts[after] if after < analysis.count else len(text),
                head=is_head,
                flagged=index in flagged,
                evidence=index in flagged or analysis.scores.get(index, NOTHING).score >= params.weak_threshold,
            )
        )
    return DocSummary(hash(text), len(text), candidates)


def learn(summaries: Iterable[tuple[str, Any]], min_docs: int, require_evidence: bool = True) -> dict[str, int]:
    """Lines found at the head or tail of at least `min_docs` different documents, with that
    count, if at least one of them shows some boilerplate evidence there (unless
    `require_evidence` is false: a pack a person reviews may list bare repetitions too).

    Repetition alone is not enough: drafts of one speech, or a generated corpus, repeat their
    titles verbatim. Repetition confirms weak evidence (a faint signal, or membership of a
    block in another document) and so catches a site's slogan where it stands alone.
    """
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


def _consecutive(candidates: list[Candidate]) -> Iterator[list[Candidate]]:
    """Runs of candidates with nothing but blank lines between them."""
    group: list[Candidate] = []
    for candidate in candidates:
        if group and group[-1].next_start != candidate.start:
            yield group
            group = []
        group.append(candidate)
    if group:
        yield group


def _group_span(group: list[Candidate], length: int) -> tuple[int, int]:
    """Same rule as `Analysis.span`: following blanks go with the block, or the preceding
    ones when the block ends the text."""
    first, last = group[0], group[-1]
    if last.next_start >= length:
        return first.gap_start, length
    return (0 if first.gap_start == 0 else first.start), last.next_start
