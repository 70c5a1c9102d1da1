"""Performance switches shared by every rule type, so that no type decides them on its own.

Two trade-offs recur: an Aho-Corasick DFA scans ~1.5x faster than the contiguous NFA but
takes ~4x longer to build (worth it only when much text follows), and compiling a shipped
rule's regexes or tables costs start-up time that a one-file run may never need. Both are
decided here from the run's `BuildContext`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, NamedTuple, TypeVar

import ahocorasick_rs

from speechlint.ruletypes.base import BuildContext, LintInput, Rule

T = TypeVar("T")


def automaton(
    patterns: Iterable[str], ctx: BuildContext | None = None, *, longest: bool = True
) -> ahocorasick_rs.AhoCorasick:
    """One Aho-Corasick automaton over `patterns`.

    `longest`: leftmost-longest matching (a longer guard such as 工会会员 wins over 会员);
    otherwise standard matching, which also allows overlapping searches.
    """
    large = ctx is None or ctx.large_run
    implementation = ahocorasick_rs.Implementation.DFA if large else ahocorasick_rs.Implementation.ContiguousNFA
    kind = ahocorasick_rs.MatchKind.LeftmostLongest if longest else ahocorasick_rs.MatchKind.Standard
    return ahocorasick_rs.AhoCorasick(list(patterns), matchkind=kind, implementation=implementation)


class Deferred(Generic[T]):
    """A value built on first use, or at once.

    A shipped pack is tested, so its compilation may wait until a document needs it: a
    one-file run then compiles only the rules it uses. A user's rule is built at once, so
    that a mistake (a regex that does not compile) is reported at load time with its line.
    """

    __slots__ = ("_build", "_value")

    def __init__(self, build: Callable[[], T], *, defer: bool = True) -> None:
        self._build: Callable[[], T] | None = build
        self._value: T | None = None
        if not defer:
            self.get()

    @classmethod
    def for_context(cls, ctx: BuildContext, build: Callable[[], T]) -> Deferred[T]:
        """Deferred for trusted (shipped) packs, built now for everyone else's."""
        return cls(build, defer=ctx.trusted)

    @property
    def built(self) -> bool:
        return self._build is None

    def get(self) -> T:
        if self._build is not None:
            self._value = self._build()
            self._build = None
        return self._value  # type: ignore[return-value]

    def replace(self, value: T) -> None:
        """Use `value` instead (a type's `combine` sharing one structure between rules)."""
        self._value = value
        self._build = None


class LiteralIndex:
    """Where the literals of several rules occur in a text, from one scan.

    Each rule that needs literals found (a pattern rule's `prefilter`, the boilerplate
    phrases that start a signal) gives a set; one automaton over every set answers for all
    of them in one overlapping pass per document, instead of a pass per rule.
    """

    def __init__(self, literal_sets: list[tuple[str, ...]], ctx: BuildContext | None = None) -> None:
        index: dict[str, int] = {}
        self.owners: list[list[int]] = []  # literal → set numbers
        for number, literals in enumerate(literal_sets):
            for literal in literals:
                at = index.setdefault(literal, len(index))
                if at == len(self.owners):
                    self.owners.append([])
                if number not in self.owners[at]:
                    self.owners[at].append(number)
        self.literals = list(index)
        self.longest = max((len(literal) for literal in index), default=1)
        self.automaton = automaton(index, ctx, longest=False) if index else None
        self.key = ("accel.literals", id(self))

    def hits(self, doc: LintInput) -> LiteralHits:
        """`present(doc.text)`, once per document whichever rule asks first."""
        result: LiteralHits = doc.memo(self.key, lambda: self.present(doc.text))
        return result

    def present(self, text: str) -> LiteralHits:
        """The literals that occur in `text`, by set number (a set none of whose literals occurs
        is absent), and where each occurs: the scan found them, so no rule looks for them again."""
        found: dict[int, list[str]] = {}
        if self.automaton is None:
            return LiteralHits(found, {})
        by_literal: dict[int, list[int]] = {}
        for literal, start, _ in find_all(self.automaton, text, overlapping=True, longest=self.longest):
            by_literal.setdefault(literal, []).append(start)
        for literal in sorted(by_literal):
            for number in self.owners[literal]:
                found.setdefault(number, []).append(self.literals[literal])
        return LiteralHits(found, {self.literals[k]: v for k, v in by_literal.items()})


class LiteralHits(NamedTuple):
    """What one scan of a text found: the literals present by set number, start offsets by literal."""

    by_set: dict[int, list[str]]
    starts: dict[str, list[int]]

    def positions(self, number: int) -> list[int]:
        """Every start of any literal of set `number`, in text order."""
        found = [at for literal in self.by_set.get(number, ()) for at in self.starts[literal]]
        found.sort()
        return found


def share_literal_scan(rules: Sequence[Rule]) -> None:
    """Give every rule that names literals (`Rule.literal_needs`) one shared `LiteralIndex`."""
    wanting = [(rule, needs) for rule in rules if (needs := rule.literal_needs())]
    if not wanting:
        return
    index = LiteralIndex([needs for _, needs in wanting], wanting[0][0].ctx)
    for number, (rule, _) in enumerate(wanting):
        rule.use_literal_index(index, number)


def line_windows(
    text: str, literals: list[str], limit: float, most: int = 64, starts: Mapping[str, list[int]] | None = None
) -> list[tuple[int, int]] | None:
    """The lines holding one of `literals`, merged, each as (start, end) with `end` just past
    its line break.

    A rule whose matches never cross a line and always contain one of its literals needs to be
    run only there. None when the lines cover more than `limit` of the text, or the literals
    occur more than `most` times: a whole scan is then as cheap and makes fewer calls.
    `starts`: where each literal occurs, when a scan already found that (`LiteralIndex`).
    """
    spans: list[tuple[int, int]] = []
    if starts is not None:
        if sum(len(starts.get(literal, ())) for literal in literals) > most:
            return None
        for literal in literals:
            spans.extend((at, at + len(literal)) for at in starts.get(literal, ()))
    else:
        if sum(text.count(literal) for literal in literals) > most:
            return None
        for literal in literals:
            at = text.find(literal)
            while at >= 0:
                spans.append((at, at + len(literal)))
                at = text.find(literal, at + 1)
    windows: list[tuple[int, int]] = []
    budget = limit * len(text)
    covered = 0
    size = len(text)
    for start, end in sorted(spans):
        if windows and end <= windows[-1][1]:
            continue  # on a line already taken
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = size if line_end < 0 else line_end + 1
        if windows and line_start <= windows[-1][1]:
            covered += line_end - windows[-1][1]
            windows[-1] = (windows[-1][0], line_end)
        else:
            covered += line_end - line_start
            windows.append((line_start, line_end))
        if covered > budget:
            return None
    return windows


SCAN_CHUNK = 1 << 20  # characters handed to an automaton at once


def find_all(
    automaton: ahocorasick_rs.AhoCorasick, text: str, *, overlapping: bool = False, longest: int = 64
) -> list[tuple[int, int, int]]:
    """`automaton.find_matches_as_indexes(text)`, for a long text one piece at a time.

    The automaton copies the whole text (to UTF-8, with an offset map) before it scans: on a
    50 MB document that is hundreds of megabytes for a moment. Pieces end at a line break
    (no pattern holds one, so no match is cut), or, on a text without line breaks, overlap
    by `longest` − 1 characters (overlapping searches only; matches are kept once).
    """
    size = len(text)
    if size <= SCAN_CHUNK:
        return automaton.find_matches_as_indexes(text, overlapping=overlapping)
    found: list[tuple[int, int, int]] = []
    start = 0
    while start < size:
        end = min(size, start + SCAN_CHUNK)
        overlap = 0
        if end < size:
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
            elif overlapping:
                overlap = max(0, longest - 1)
        piece = text[start : min(size, end + overlap)]
        for pattern, s, e in automaton.find_matches_as_indexes(piece, overlapping=overlapping):
            if s + start < end:  # a match starting in the overlap belongs to the next piece
                found.append((pattern, s + start, e + start))
        start = end
    return found
