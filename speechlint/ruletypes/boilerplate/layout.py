"""A document seen line by line: which lines could be site residue, where its body starts and
ends, and how boilerplate lines group into blocks.

Lines at the head of a document (before the first paragraph of prose) or at its tail (after
the last one) weigh more, because that is where sites put their residue. Consecutive
boilerplate lines, the short unsigned lines between them (a site's slogan) and the blank
lines that belong to them become one block. What counts as the document's own lines
(titles, salutations, headings, sign-offs) is language data from the pack (`Language`).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from speechlint.documents.kinds import WATERMARK
from speechlint.resources import language_default
from speechlint.ruletypes.base import RuleSpecError
from speechlint.ruletypes.boilerplate.signals import NOTHING, LineScore, LineScorer


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
    # A sentence (or bracketed note) inside a line of prose that alone scores this much is site
    # residue glued into the text (…取得新成效。（来源：第一范文网）); 0 turns the search off.
    inline_threshold: float = 0.0
    # …looked for only around a phrase at least this strong (范文, 本站, 转载): prose is full of
    # weak ones (平台, 资料, 免费) whose sentences never score enough
    inline_anchor: float = 1.5

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Params:
        return cls(**{k: type(getattr(cls, k))(spec[k]) for k in cls.__dataclass_fields__ if k in spec})


def _compile(pattern: str, field: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RuleSpecError(f"文档结构的正则表达式无法编译：{exc}", field) from None


class Language:
    """What a document's own lines look like, compiled from the pack's language data.

    `document_kinds` end a title (在…上的讲话, 关于…的通知); `document_lines` are patterns of
    salutations, numbered headings, sign-offs, contact and attachment lines; decoration words
    are what download sites glue onto a title (【精品文档】, （完整版）, word版).
    """

    def __init__(self, spec: dict[str, Any], lazy: bool = False) -> None:
        def value(key: str, section: str | None = "boilerplate") -> Any:
            return language_default(spec, key, section) or []

        kinds = [str(k) for k in value("document_kinds")]
        self.sentence_end = frozenset(str(language_default(spec, "sentence_end") or ""))
        self._lines = [str(p) for p in value("document_lines")]
        self._words = "|".join(str(w) for w in value("decoration_words"))
        self._kinds_alt = "|".join(re.escape(k) for k in kinds)
        self._suffixes = "|".join(str(w) for w in value("title_suffixes"))
        self._numbered = str(language_default(spec, "numbered_lines", "boilerplate") or "")
        # A document with no suspect line never needs these (~5 ms of `re` compiling): a shipped,
        # tested pack compiles them on first use; anyone else's at once, to report a bad pattern.
        if not lazy:
            for name in ("document_line", "title", "decoration", "numbered"):
                getattr(self, name)

    @functools.cached_property
    def document_line(self) -> re.Pattern[str] | None:
        own = [rf"(?:{self._kinds_alt}|会议)[”\"）)]?\s*$"] if self._kinds_alt else []
        return _compile("|".join(own + self._lines), "document_lines") if own or self._lines else None

    @functools.cached_property
    def title(self) -> re.Pattern[str] | None:
        return _compile(rf"(?:{self._kinds_alt})[”\"》）)]?\s*$", "document_kinds") if self._kinds_alt else None

    @functools.cached_property
    def decoration(self) -> re.Pattern[str] | None:
        words, kinds_alt, suffixes = self._words, self._kinds_alt, self._suffixes
        decorations = []
        if words:
            decorations += [
                rf"^\s*【[^】\n]{{0,8}}(?:{words})[^】\n]{{0,8}}】",
                rf"[（(【\[][^）)】\]\n]{{0,8}}(?:{words})[^）)】\]\n]{{0,8}}[）)】\]]\s*$",
                r"\s*(?:word|doc)版\s*$",
            ]
        if suffixes and kinds_alt:
            decorations.append(rf"(?:(?<={kinds_alt}))(?:{suffixes})\s*$")
        return _compile("|".join(decorations), "decoration_words", re.IGNORECASE) if decorations else None

    @functools.cached_property
    def numbered(self) -> re.Pattern[str] | None:
        return _compile(self._numbered, "numbered_lines") if self._numbered else None

    def is_document_line(self, line: str) -> bool:
        return self.document_line is not None and self.document_line.search(line) is not None

    def ends_sentence(self, line: str) -> bool:
        stripped = line.rstrip()
        return bool(stripped) and stripped[-1] in self.sentence_end

    def undecorated(self, line: str) -> str:
        return self.decoration.sub("", line) if self.decoration is not None else line


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

    def is_title(self, index: int, language: Language) -> bool:
        """A short line before the body that ends by naming a kind of document (…的讲话,
        关于…的通知), once any download-site decoration is set aside."""
        if index >= self.first_body or language.title is None:
            return False
        line = language.undecorated(self.line(index))
        return len(line.strip()) <= 60 and language.title.search(line) is not None


def analyse(
    text: str,
    scorer: LineScorer,
    params: Params,
    language: Language,
    kinds: Sequence[str] | None = None,
    phrase_hits: Sequence[int] | None = None,
) -> Analysis:
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
    for k in _suspects(scorer, short_text, short, starts, phrase_hits):
        result = scorer.score(short_text[k])
        if (
            result.score
            and scorer.numbered_weight
            and result.strongest < scorer.strong_signal
            and language.numbered is not None
            and language.numbered.match(short_text[k])
        ):
            result = LineScore(round(result.score + scorer.numbered_weight, 2), result.signals, result.strongest)
        if result.score:
            scores[short[k]] = result
    if kinds is not None and scorer.watermark_weight:
        _score_watermarks(scores, kinds, blank, scorer.watermark_weight)
    for k, line in enumerate(short_text):
        i = short[k]
        if (len(line) >= body_min or language.ends_sentence(line)) and (i not in scores or scores[i].score < threshold):
            body.append(i)
    count = len(starts)
    return Analysis(text, starts, ends, scores, blank, min(body, default=count), max(body, default=-1), tails)


def _score_watermarks(scores: dict[int, LineScore], kinds: Sequence[str], blank: list[bool], weight: float) -> None:
    """A line that is a watermark shape's text (Word) carries that signal whatever its words."""
    for index, kind in enumerate(kinds[: len(blank)]):
        if kind == WATERMARK and not blank[index]:
            old = scores.get(index, NOTHING)
            scores[index] = LineScore(round(old.score + weight, 2), ("水印图形", *old.signals))


def _suspects(
    scorer: LineScorer,
    lines: list[str],
    indexes: list[int],
    starts: list[int],
    phrase_hits: Sequence[int] | None,
) -> list[int]:
    """Positions in `lines` (the short lines, `indexes` their line numbers) of those worth
    scoring, from one prefilter pass over them all. `phrase_hits`: where the signal phrases
    start in the whole text, when a shared scan found them (the pass then looks only for the
    gate and rare characters)."""
    if scorer.sees_every_line:
        return list(range(len(lines)))
    chosen = {k for k, line in enumerate(lines) if line.isascii()}
    if phrase_hits:
        position_of = {line: k for k, line in enumerate(indexes)}
        for hit in phrase_hits:
            k = position_of.get(bisect_right(starts, hit) - 1)
            if k is not None:
                chosen.add(k)
    hits = scorer.suspects("\n".join(lines), phrases=phrase_hits is None)
    if hits:
        offsets: list[int] = []
        position = 0
        for line in lines:
            offsets.append(position)
            position += len(line) + 1
        chosen.update(bisect_right(offsets, hit) - 1 for hit in hits)
    return sorted(chosen)


def find_blocks(analysis: Analysis, params: Params, language: Language) -> list[Block]:
    """Group boilerplate lines into blocks: neighbours separated only by blanks or weak lines
    merge, and at the head or tail a few unsigned short lines between two of them are bridged."""
    if not analysis.scores:
        return []
    strong = sorted(i for i in analysis.scores if analysis.positioned(i, params) >= params.threshold)
    blocks: list[Block] = []
    for index in strong:
        if blocks and _joinable(analysis, params, language, blocks[-1].last, index):
            blocks[-1].last = index
        else:
            blocks.append(Block(index, index, 0.0, [], False))
    for block in blocks:
        block.first = _grow(analysis, params, language, block.first, -1)
        block.last = _grow(analysis, params, language, block.last, +1)
        members = [i for i in range(block.first, block.last + 1) if i in analysis.scores]
        block.score = round(sum(max(0.0, analysis.positioned(i, params)) for i in members), 2)
        block.signals = _top_signals(analysis.scores[i] for i in members)
        block.edge = analysis.in_edge(block.first) and analysis.in_edge(block.last)
    # A title is never residue as a whole, however it scores: at most its decoration is.
    return [b for b in _merge_touching(blocks) if not (b.first == b.last and analysis.is_title(b.first, language))]


def _joinable(analysis: Analysis, params: Params, language: Language, last: int, index: int) -> bool:
    between = [i for i in range(last + 1, index) if not analysis.blank[i]]
    if all(analysis.positioned(i, params) >= params.weak_threshold for i in between):
        return True
    if len(between) > params.max_bridge_lines or (last < analysis.first_body) != (index < analysis.first_body):
        return False  # one at the head and one at the tail: the whole document lies between
    edge = analysis.in_edge(last) and analysis.in_edge(index)
    return all(_bridgeable(analysis.line(i), edge, language) for i in between)


def _bridgeable(line: str, edge: bool, language: Language) -> bool:
    """A site's slogan between two ad lines (自建平台、实时分享), not a title or heading.
    Inside the body only very short lines without a clause break qualify."""
    text = line.strip()
    if language.ends_sentence(text) or language.is_document_line(text):
        return False
    return len(text) <= 40 if edge else len(text) <= 20 and "，" not in text


def _grow(analysis: Analysis, params: Params, language: Language, index: int, step: int) -> int:
    """Extend a block over adjacent weak lines (blank lines may lie between)."""
    edge = index
    probe = index + step
    while 0 <= probe < analysis.count:
        if analysis.blank[probe]:
            probe += step
            continue
        if analysis.positioned(probe, params) >= params.weak_threshold and not language.is_document_line(
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


def excerpt(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_OPENING = "（(【[〔"
_CLOSING = "）)】]〕"
INLINE_MAX_CHARS = 80  # a residue sentence is short; a longer one is prose that mentions a site


def inline_residue(
    analysis: Analysis, scorer: LineScorer, params: Params, hits: Iterable[int], skip: set[int]
) -> list[tuple[int, int, int, LineScore]]:
    """Residue sentences glued into lines of prose: (start, end, line index, score) in the text.

    `hits` are offsets where a positive phrase starts. The sentence around each (or the
    bracketed note holding it) is scored alone, as a line would be; lines in `skip` (blocks) and
    sentences that are their whole line (already scored as lines) are left alone.
    """
    if not params.inline_threshold:
        return []
    found: dict[tuple[int, int], tuple[int, LineScore]] = {}
    seen: set[tuple[int, int]] = set()
    starts = analysis.starts
    for hit in sorted(hits):
        index = bisect_right(starts, hit) - 1
        if index < 0 or index in skip or analysis.blank[index]:
            continue
        line = analysis.line(index)
        span = _sentence_around(line, hit - starts[index])
        if span is None:
            continue
        lo, hi = span
        if not line[:lo].strip() and not line[hi:].strip():
            continue  # the whole line: scored as a line already
        key = (starts[index] + lo, starts[index] + hi)
        if key in seen:
            continue
        seen.add(key)
        score = scorer.score(line[lo:hi])
        if score.score >= params.inline_threshold:
            found[key] = (index, score)
    return [(start, end, index, score) for (start, end), (index, score) in sorted(found.items())]


_CLAUSE_END = "。！？!?；;"
_LEADING = " \t\u3000”’」』）)】〕]"


def _sentence_around(line: str, at: int) -> tuple[int, int] | None:
    """The bracketed note holding position `at`, else its sentence (ending punctuation kept);
    None when that is longer than INLINE_MAX_CHARS. Looked for only within that reach of `at`,
    so a long paragraph costs no more than a short line."""
    reach = INLINE_MAX_CHARS
    low, high = max(0, at - reach), min(len(line), at + reach)
    opened = max(line.rfind(ch, low, at + 1) for ch in _OPENING)
    if opened >= 0 and not any(ch in line[opened + 1 : at] for ch in _CLOSING):  # still open at `at`
        closes = [c for c in (line.find(ch, at, min(high, opened + reach)) for ch in _CLOSING) if c >= 0]
        if closes:
            closed = min(closes)
            pair = _CLOSING[_OPENING.index(line[opened])] if line[opened] in _OPENING else ""
            if line[closed] == pair and not any(ch in line[at:closed] for ch in _OPENING):  # one note
                return opened, closed + 1
    before = max(line.rfind(ch, low, at) for ch in _CLAUSE_END)
    if before < 0 and low > 0:
        return None  # no sentence end within reach: a long sentence of prose
    lo = before + 1
    afters = [e for e in (line.find(ch, at, high) for ch in _CLAUSE_END) if e >= 0]
    if not afters and high < len(line):
        return None
    hi = min(afters) + 1 if afters else len(line)
    while lo < hi and line[lo] in _LEADING:  # a quotation or note the last sentence closed stays
        lo += 1
    return (lo, hi) if hi - lo <= reach else None
