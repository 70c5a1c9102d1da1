"""`canonical` rules: set formulations (规范提法) must be quoted exactly; near-misses are fixed.

How a near-miss is found, fast and without crying wolf:
- One Aho-Corasick automaton holds every phrase whole and d+1 disjoint *pieces* of each
  (d = edits allowed: 1, or 2 for phrases of 12+ characters). A text with at most d edits
  keeps at least one piece intact (pigeonhole), so a piece hit is where to look; a whole-phrase
  hit is correct text and uses up its span in one step. With hundreds of patterns the scan
  runs ~200 MB/s, so each hit must cost little: a hit is dropped unless the phrase's first and
  last characters sit where the piece says the phrase would start and end.
- The window between them is compared on its characters (punctuation and spaces ignored) by
  `textdist.near_miss`: at most d edits, at most one substituted and one inserted character
  (two changed or added characters usually make another correct term: 法治体系 / 法律体系,
  社会主义道路 / 社会主义法治道路), a dropped word of up to 4 characters in phrases of 16+.
- Not reported: text equal to any listed phrase, an `allow`ed variant, a window inside an
  exact occurrence of a longer listed phrase, or inside an `exceptions` string.
A fix is safe when exactly one formulation is within reach, unsafe when several are.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, ClassVar, NamedTuple

import ahocorasick_rs

from speechlint.model import Applicability, Finding, RuleMeta
from speechlint.resources import language_default
from speechlint.ruletypes.accel import Deferred, automaton, find_all
from speechlint.ruletypes.base import BuildContext, DocumentRule, LintInput, RuleSpecError, register
from speechlint.ruletypes.textdist import (
    PUNCTUATION,
    Edits,
    Limits,
    common_affixes,
    near_miss,
    strip_punctuation,
    substituted_pairs,
    transplant,
)


@dataclass(frozen=True)
class Reach:
    """How far from a formulation a near-miss may be (the pack's `reach:`)."""

    min_length: int = 6  # shorter formulations have too many correct neighbours to be checked fuzzily
    long_phrase: int = 12  # from this many characters on, two edits are allowed
    word_drop_from: int = 16  # from this many characters on, a missing word too
    max_dropped_word: int = 4

    def limits_for(self, length: int) -> Limits:
        """One edit for short phrases, two for long ones; adjacent characters may go missing
        together only in the longest, where what is left is no longer a correct shorter term."""
        if length >= self.word_drop_from:
            return Limits(total=2, word_drop=self.max_dropped_word, run=self.max_dropped_word)
        return Limits(total=2 if length >= self.long_phrase else 1)


@dataclass(frozen=True)
class Phrase:
    """One canonical formulation, prepared for matching."""

    text: str  # without leading/trailing punctuation: what replaces a near-miss
    display: str  # as written in the pack (closing quotes kept), shown in messages
    core: str  # characters only: what windows are compared with
    source: str
    limits: Limits
    allowed: frozenset[str]  # cores of accepted variants
    joints: frozenset[int]  # core offsets where the phrase has punctuation (、，) between words


class Candidate(NamedTuple):
    """A window that is a near-miss of one phrase (a named tuple: cheap to make)."""

    edits: Edits
    start: int
    end: int
    phrase: int


def split_pieces(text: str, count: int) -> list[tuple[str, int]]:
    """`count` disjoint pieces of `text` (with their offsets), as long and as even as possible.

    Pieces are cut from the text as written, punctuation included (a piece spanning 、 or a
    quotation mark is far rarer in prose than either word alone), but never start or end on it.
    """
    bounds = [round(i * len(text) / count) for i in range(count + 1)]
    pieces: list[tuple[str, int]] = []
    for lo, hi in pairwise(bounds):
        while lo < hi and text[lo] in PUNCTUATION:
            lo += 1
        while hi > lo and text[hi - 1] in PUNCTUATION:
            hi -= 1
        if hi - lo >= 2:
            pieces.append((text[lo:hi], lo))
    return pieces


# Writers type “ ” or " " (‘ ’ or ' '): a piece holding quotation marks is also sought with the other kind.
ASCII_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@register("canonical")
class CanonicalRule(DocumentRule):
    """Report near-misses of canonical formulations and fix them to the exact wording."""

    spec_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "phrases": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "minLength": 2},
                        "source": {"type": "string", "minLength": 1},
                        "allow": {"type": "array", "items": {"type": "string", "minLength": 1}},
                        "note": {"type": "string"},
                    },
                    "required": ["text", "source"],
                    "additionalProperties": False,
                },
            },
            "exceptions": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "accepted": {"type": "array", "items": {"type": "string", "minLength": 2}},
            "attested_file": {"type": "string"},
            "words_file": {"type": "string"},
            "confusions_file": {"type": "string"},
            "optional_chars": {"type": "string"},
            "sentence_end": {"type": "string"},
            "reach": {
                "type": "object",
                "properties": {name: {"type": "integer", "minimum": 1} for name in Reach.__dataclass_fields__},
                "additionalProperties": False,
            },
            "conjunctions": {"type": "string"},
        },
        "required": ["phrases"],
    }

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.reach = Reach(**spec.get("reach", {}))
        # Joining two parts of a formulation with one of these instead of its comma is prose.
        self.conjunctions = str(language_default(spec, "conjunctions") or "")
        self.phrases = [self._phrase(item, index) for index, item in enumerate(spec["phrases"])]
        self.cores = {p.core: i for i, p in enumerate(self.phrases)}
        if len(self.cores) != len(self.phrases):
            raise RuleSpecError("规范提法重复（忽略标点后相同）", "phrases")
        self.exceptions = [str(e) for e in spec.get("exceptions", [])]
        # Correct formulations near a listed one (中国特色社会主义道路 beside …法治道路) that are
        # never reported. Not phrases themselves: their pieces are so common that scanning for
        # their near-misses would cost more than the rest of the list.
        self.accepted = frozenset(strip_punctuation(str(a)) for a in spec.get("accepted", []))
        # Variants seen in correct official prose (tools/build_canonical_attested.py): right as they stand.
        self.attested = _read_lines(spec, ctx, "attested_file", "已证实写法表")
        # Substitutions are slips only between characters a writer confuses (same sound, similar
        # shape): 始命 for 使命 is a typo, 推动 for 推进 is another wording.
        self.confusions = _read_confusions(spec, ctx)
        # Common two-character words: a substitution that still forms one is likely another wording.
        self.words = Deferred.for_context(ctx, lambda: _read_words(spec, ctx))
        # Characters whose insertion or omission alone leaves a formulation as it was (的, 了, 走 …).
        self.optional = str(language_default(spec, "optional_chars") or "")
        self._drop_optional = str.maketrans("", "", self.optional)
        self.sentence_end = frozenset(str(language_default(spec, "sentence_end") or "")) - {"…"}
        self.known_shapes = self._shapes()
        self._build_automaton()

    def _phrase(self, item: dict[str, Any], index: int) -> Phrase:
        display = str(item["text"]).strip()
        text = display.strip(PUNCTUATION)
        core = strip_punctuation(text)
        if len(core) < self.reach.min_length:
            raise RuleSpecError(
                f"规范提法“{text}”太短：至少 {self.reach.min_length} 个字才能做近似匹配", f"phrases.{index}.text"
            )
        limits = self.reach.limits_for(len(core))
        joints = frozenset(len(strip_punctuation(text[:i])) for i, ch in enumerate(text) if ch in "、，；")
        return Phrase(
            text=text,
            display=display,
            core=core,
            source=str(item["source"]),
            limits=limits,
            allowed=frozenset(strip_punctuation(a) for a in item.get("allow", [])),
            joints=joints,
        )

    def _build_automaton(self) -> None:
        """Whole phrases and their pieces in one automaton; each pattern knows who it anchors.

        A piece that contains another pattern also anchors that pattern's phrases: the scan
        reports only the longest match starting at a position, so the shorter one is hidden.
        """
        patterns: dict[str, int] = {}
        anchors: list[list[tuple[int, int, int]]] = []  # per pattern: (phrase, offset in phrase text, length)
        whole: list[int] = []  # per pattern: phrase index if it is a whole phrase, else -1

        def add(text: str) -> int:
            if text not in patterns:
                patterns[text] = len(anchors)
                anchors.append([])
                whole.append(-1)
            return patterns[text]

        for index, phrase in enumerate(self.phrases):
            whole[add(phrase.text)] = index
            for piece, offset in split_pieces(phrase.text, phrase.limits.total + 1):
                anchors[add(piece)].append((index, offset, len(piece)))
                typed = piece.translate(ASCII_QUOTES)
                if typed != piece:
                    anchors[add(typed)].append((index, offset, len(piece)))
        texts = list(patterns)
        piece_ids = [i for i, a in enumerate(anchors) if a]
        pieces = [(texts[i], list(anchors[i])) for i in piece_ids]
        # Which pieces lie inside which patterns: one overlapping automaton scan per pattern
        # instead of testing every pair (quadratic: ~40 ms of start-up for 180 phrases).
        finder = ahocorasick_rs.AhoCorasick([piece for piece, _ in pieces]) if pieces else None
        for index, text in enumerate(texts):
            if whole[index] >= 0 or finder is None:
                continue
            inside = {p for p, _, _ in finder.find_matches_as_indexes(text, overlapping=True)}
            for p in sorted(inside):
                piece, owners = pieces[p]
                if piece != text:
                    shift = text.index(piece)
                    anchors[index].extend((phrase, offset - shift, size) for phrase, offset, size in owners)
        self.pattern_whole = whole
        self.pattern_anchors = [tuple(self._anchor(*a) for a in sorted(set(owners))) for owners in anchors]
        self.automaton = automaton(texts, self.ctx)

    def _anchor(self, index: int, offset: int, size: int) -> tuple[int, int, str, int, str, int, int]:
        """What a hit on a piece needs, precomputed: phrase, offset, first char and slack before
        the piece, last char, length and slack after it.

        Only edits and punctuation on one side of the piece can move the phrase's end on that
        side, so each side gets its own slack; the narrower the window, the fewer hits survive
        the first/last-character test.
        """
        phrase = self.phrases[index]
        before = phrase.text[: max(offset, 0)]
        after = phrase.text[max(offset, 0) + size :]
        edits = max(phrase.limits.total, phrase.limits.word_drop)
        slack_before = edits + len(before) - len(strip_punctuation(before))
        slack_after = edits + len(after) - len(strip_punctuation(after))
        return index, offset, phrase.core[0], slack_before, phrase.core[-1], len(phrase.text), slack_after

    # --- checking ---------------------------------------------------------------------------
    def check(self, doc: LintInput) -> Iterator[Finding]:
        text = doc.text
        hits = find_all(self.automaton, text)
        if not hits:
            return
        exact: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()
        found: list[Candidate] = []
        whole = self.pattern_whole
        anchors = self.pattern_anchors
        for pattern, start, end in hits:
            if whole[pattern] >= 0:
                exact.append((start, end))
            # A whole phrase may also be a piece of a longer one (全面从严治党 of 全面从严治党永远在路上):
            # the scan reports it once, so it anchors that phrase's near-misses too.
            for index, offset, first_char, before, last_char, end_offset, after in anchors[pattern]:
                guess = start - offset
                lo = guess - before
                hi = guess + before + 1
                first = text.find(first_char, lo if lo > 0 else 0, hi if hi <= start else start + 1)
                if first < 0 or text.find(last_char, guess + end_offset - after - 1, guess + end_offset + after) < 0:
                    edge = self._edge_substitution(text, index, guess) if self.confusions else None
                    if edge is not None and (index, edge.start) not in seen:
                        seen.add((index, edge.start))
                        found.append(edge)
                    continue
                key = (index, first)
                if key in seen:
                    continue
                seen.add(key)
                candidate = self._verify(text, index, first, guess + before, guess, after)
                if candidate is not None:
                    found.append(candidate)
        if found:
            yield from self._report(text, found, exact)

    def _verify(self, text: str, index: int, first: int, stop: int, guess: int, after: int) -> Candidate | None:
        """The best near-miss of phrase `index` starting in [first, stop], if any."""
        phrase = self.phrases[index]
        first_char, last_char = phrase.core[0], phrase.core[-1]
        end_lo = guess + len(phrase.text) - after
        end_hi = guess + len(phrase.text) + after
        best: Candidate | None = None
        start = first
        while 0 <= start <= stop:
            end = text.find(last_char, max(end_lo, start + 1) - 1, end_hi)
            while end >= 0:
                window = text[start : end + 1]
                if "\n" not in window:
                    core = strip_punctuation(window)
                    edits = None if self._legitimate(phrase, core) else near_miss(phrase.core, core, phrase.limits)
                    if edits is not None and _joined_by_conjunction(phrase, core, edits, self.conjunctions):
                        edits = None
                    if edits is not None and not self._plausible(phrase, window, core, edits):
                        edits = None
                    if edits is not None and (best is None or edits < best.edits):
                        best = Candidate(edits, start, end + 1, index)
                end = text.find(last_char, end + 1, end_hi)
            start = text.find(first_char, start + 1, stop + 1)
        return best

    def _edge_substitution(self, text: str, index: int, guess: int) -> Candidate | None:
        """The phrase with only its first or last character replaced by a known confusion of it
        (以人民为中心的发展思相, 人类命运共同休): the anchoring on first and last characters cannot
        see these, and a confusion table keeps them from matching ordinary different words."""
        phrase = self.phrases[index]
        core = phrase.core
        if phrase.text != core or guess < 0 or len(core) < self.reach.min_length:
            return None  # punctuated phrases are matched by the general path only
        if not text.startswith(core[1:-1], guess + 1):
            return None  # the usual case, decided without slicing
        window = text[guess : guess + len(core)]
        if len(window) != len(core) or window == core:
            return None
        if window[1:-1] != core[1:-1] or (window[0] != core[0]) == (window[-1] != core[-1]):
            return None  # exactly one of the two edge characters differs, the middle is exact
        at = 0 if window[0] != core[0] else len(core) - 1
        if window[at] not in self.confusions.get(core[at], ""):
            return None
        if self._legitimate(phrase, window):
            return None
        return Candidate(Edits(total=1, subs=1), guess, guess + len(core), index)

    def _shapes(self) -> frozenset[str]:
        """Every formulation this rule knows to be right, with its optional characters left out."""
        known = [*self.cores, *self.accepted, *self.attested, *(a for p in self.phrases for a in p.allowed)]
        return frozenset(text.translate(self._drop_optional) for text in known)

    def _legitimate(self, phrase: Phrase, core: str) -> bool:
        """Text that is right as it stands: another listed phrase, an allowed, accepted or attested
        variant, the phrase itself with more around it, or any of these give or take optional
        characters (坚持走中国特色社会主义道路, 节约资源和保护环境基本国策)."""
        if core in self.cores or core in self.accepted or core in phrase.allowed or phrase.core in core:
            return True
        if core in self.attested:
            return True
        if any(ch + ch in core and ch + ch not in phrase.core for ch in self.optional):
            return False  # a doubled character (的的) is a slip, not a variant
        return core.translate(self._drop_optional) in self.known_shapes

    def _plausible(self, phrase: Phrase, window: str, core: str, edits: Edits) -> bool:
        """Could this window be a slip for the phrase, rather than other correct wording?

        Not across the end of a sentence or a clause the phrase does not have. A substituted
        character is a slip when it is a known confusion of the right one (same sound, similar
        shape), or when it forms no word with its neighbours (为人民眼务); otherwise, in a phrase
        short enough to be paraphrased, it is another wording. Long formulations are quoted,
        never paraphrased: any substitution in them is reported."""
        if any(window.count(mark) > phrase.text.count(mark) for mark in self.sentence_end | {"，"}):
            return False
        if edits.subs and self.confusions and len(phrase.core) < self.reach.word_drop_from:
            words = self.words.get()
            for right, wrong, at in substituted_pairs(phrase.core, core):
                if wrong in self.confusions.get(right, ""):
                    continue  # a sound or shape slip
                if core[max(0, at - 1) : at + 1] in words or core[at : at + 2] in words:
                    return False  # still a word: another wording (坚定/坚持, 推动/推进), not a slip
        return True

    def _report(self, text: str, found: list[Candidate], exact: list[tuple[int, int]]) -> Iterator[Finding]:
        kept = [c for c in found if self._acceptable(text, c, exact)]
        if len(kept) > 1:
            kept.sort(key=lambda c: (c.start, c.edits, -len(self.phrases[c.phrase].core)))
        index = 0
        while index < len(kept):
            group = [kept[index]]
            group_end = kept[index].end
            index += 1
            while index < len(kept) and kept[index].start < group_end:
                group.append(kept[index])
                group_end = max(group_end, kept[index].end)
                index += 1
            yield self._finding(text, group)

    def _acceptable(self, text: str, candidate: Candidate, exact: list[tuple[int, int]]) -> bool:
        # `exact` is in text order and its spans do not overlap: only the last one starting at or
        # before the candidate can contain it.
        at = bisect_right(exact, (candidate.start, len(text) + 1)) - 1
        if at >= 0 and exact[at][1] >= candidate.end:
            return False
        for exception in self.exceptions:
            at = text.find(exception, max(0, candidate.end - len(exception)), candidate.start + len(exception))
            if at >= 0 and at <= candidate.start and candidate.end <= at + len(exception):
                return False
        return True

    def _closeness(self, candidate: Candidate) -> tuple[int, int]:
        """Fewest edits first; among equals the longer formulation (it contains the shorter)."""
        return candidate.edits.total, -len(self.phrases[candidate.phrase].core)

    def _finding(self, text: str, group: list[Candidate]) -> Finding:
        """One finding per place; the closest formulation wins, a rival within reach makes the fix unsafe."""
        best = group[0] if len(group) == 1 else min(group, key=self._closeness)
        phrase = self.phrases[best.phrase]
        rivals = [
            c
            for c in group
            if c.phrase != best.phrase
            and not (best.start <= c.start and c.end <= best.end and self.phrases[c.phrase].core in phrase.core)
        ]
        match = text[best.start : best.end]
        replacement = phrase.text if _same_punctuation(phrase.text, match) else transplant(phrase.text, match)
        extra: dict[str, Any] = {"source": phrase.source}
        if rivals:
            extra["alternatives"] = sorted({self.phrases[c.phrase].text for c in rivals})
        return self.finding(
            best.start,
            best.end,
            match,
            phrase.display,
            replacement=replacement,
            # Only a substituted character is a safe repair; an inserted or dropped one is a suggestion.
            applicability=Applicability.UNSAFE if rivals or best.edits.ins or best.edits.dels else None,
            fields={"source": phrase.source},
            extra=extra,
        )


def _read_words(spec: dict[str, Any], ctx: BuildContext) -> frozenset[str]:
    """The common words (`words_file`), as they are: words hold no punctuation to strip, and
    stripping 32,000 lines cost ~50 ms of a one-file run that met a near-miss."""
    name = spec.get("words_file")
    if not name:
        return frozenset()
    _, lines = ctx.read_data_lines(str(name), "words_file", "常用词表")
    return frozenset(line for line in lines if line and line[0] != "#")


def _read_lines(spec: dict[str, Any], ctx: BuildContext, field: str, what: str) -> frozenset[str]:
    """The entries of a one-per-line data file a rule names (`#` comments), compared without punctuation."""
    name = spec.get(field)
    if not name:
        return frozenset()
    _, lines = ctx.read_data_lines(str(name), field, what)
    return frozenset(strip_punctuation(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def _read_confusions(spec: dict[str, Any], ctx: BuildContext) -> dict[str, str]:
    """`char<TAB>confusable characters` rows (rules/data/confusable.tsv), if the rule names a file."""
    name = spec.get("confusions_file")
    if not name:
        return {}
    _, lines = ctx.read_data_lines(name, "confusions_file", "易混字表")
    table: dict[str, str] = {}
    for line in lines:
        if line and not line.startswith("#") and "\t" in line:
            char, others = line.split("\t", 1)
            table[char] = others
    return table


def _joined_by_conjunction(phrase: Phrase, core: str, edits: Edits, conjunctions: str) -> bool:
    """Is the only difference a conjunction where the phrase has 、 (…总体布局和协调推进…)?

    Joining two parts of a formulation with 和 instead of a comma is ordinary prose.
    """
    if edits.total != 1 or edits.ins != 1:
        return False
    at, _ = common_affixes(phrase.core, core)
    return core[at] in conjunctions and at in phrase.joints


def _same_punctuation(a: str, b: str) -> bool:
    """Do both use the same punctuation marks in the same order (then no transplant is needed)?"""
    return (strip_punctuation(a) == a and strip_punctuation(b) == b) or _marks(a) == _marks(b)


def _marks(text: str) -> str:
    return "".join(ch for ch in text if ch in PUNCTUATION)
