"""Where a rare-looking character is right: names, places, organisations, numbers, titles, known words.

Why explicit guards: a character model of general prose cannot know that 鄠邑区 or 郝丽艳 are right,
and these are the main source of false alarms (see docs/spelling.md). Every list comes from the rule
pack (`Params`) or from the user's words; only the shapes of the patterns are code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

import ahocorasick_rs

from speechlint.spelling.params import Params

_LATIN_DIGIT = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")
_CLAUSE_END = re.compile(r"[\s\u3000，。、；：！？,;:!?]")
_SPACE_OR_PUNCT = re.compile(r"[\s\u3000，。、；：！？“”‘’（）《》【】,.;:!?()\[\]<>—…·]")


class Guards:
    """Decides, for a text, which positions may never be reported."""

    def __init__(self, params: Params, user_words: Iterable[str] = ()) -> None:
        self.params = params
        self.words = sorted({w for w in (*params.domain_words, *user_words) if w})

    @cached_property
    def _automaton(self) -> ahocorasick_rs.AhoCorasick | None:
        return ahocorasick_rs.AhoCorasick(self.words) if self.words else None

    @cached_property
    def _quote_re(self) -> re.Pattern[str] | None:
        parts = [f"{re.escape(q[0])}[^{re.escape(q[1])}\\n]{{0,80}}{re.escape(q[1])}" for q in self.params.quote_pairs]
        # a short quoted term is a coined name (“两微一端”, “放管服”), not prose
        n = self.params.term_length
        parts += [
            f"{re.escape(q[0])}[^{re.escape(q[1])}\\n]{{1,{n}}}{re.escape(q[1])}" for q in self.params.term_quotes
        ]
        return re.compile("|".join(parts)) if parts else None

    def blocked_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Spans covered by a user or domain word ("word"), or inside a quoted title or term ("quote")."""
        spans: list[tuple[int, int, str]] = []
        if self._automaton is not None:
            spans.extend((s, e, "word") for _, s, e in self._automaton.find_matches_as_indexes(text, overlapping=True))
        if self._quote_re is not None:
            spans.extend((*m.span(), "quote") for m in self._quote_re.finditer(text))
        return spans

    def blocks(self, text: str, i: int) -> str | None:
        """Why position `i` must not be reported, or None (the reason is for debugging and tests)."""
        p = self.params
        ch = text[i]
        if ch in p.skip_chars:
            return "skip"
        if self.params.parallel and any(
            (i >= gap and text[i - gap] == ch) or (i + gap < len(text) and text[i + gap] == ch)
            for gap in range(2, self.params.parallel_gap + 1)
        ):
            # 入脑入心, 不民主不公开, 懂科技懂产业, 贫中之贫、艰中之艰: the repeated character frames a parallel phrase
            return "parallel"
        near = text[max(0, i - 1) : i + 2]
        if _LATIN_DIGIT.search(near):
            return "latin-digit"
        if ch in p.numerals and (
            (i > 0 and text[i - 1] in p.numerals) or (i + 1 < len(text) and text[i + 1] in p.numerals)
        ):
            return "numeral"
        if self._before_suffix(text, i, p.place_suffixes, p.place_window):
            return "place"
        if self._before_suffix(text, i, p.org_suffixes, p.org_window):
            return "organisation"
        named = self._in_name(text, i)
        if named is not None:
            return named
        if self._after_title(text, i):
            return "name-after-title"
        if self._transliterated(text, i):
            return "foreign-name"
        return None

    @staticmethod
    def parallel_frame(text: str, i: int) -> list[int]:
        """Where `i` is the varied slot of parallel clauses (做好当家人，耕好责任田; 有奔头、有盼头), the
        neighbours of `i` that frame it: a clause next to its own, of the same length, repeats such a
        neighbour at the same offset while the character at `i` differs."""
        start = i
        while start > 0 and not _CLAUSE_END.match(text[start - 1]):
            start -= 1
        end = i + 1
        while end < len(text) and not _CLAUSE_END.match(text[end]):
            end += 1
        length, offset = end - start, i - start
        frame: list[int] = []
        if length < 2:
            return frame
        others = []
        if start >= length + 1 and _CLAUSE_END.match(text[start - 1]):
            others.append(start - length - 1)
        if end + 1 + length <= len(text) and _CLAUSE_END.match(text[end]):
            others.append(end + 1)
        for o in others:
            clause = text[o : o + length]
            if any(_CLAUSE_END.match(c) for c in clause):
                continue
            if o + length < len(text) and o + length != start - 1 and not _CLAUSE_END.match(text[o + length]):
                continue
            if o > 0 and o - 1 != end and not _CLAUSE_END.match(text[o - 1]):
                continue
            if clause[offset] == text[i]:
                continue
            if offset + 1 < length and clause[offset + 1] == text[i + 1]:
                frame.append(i + 1)
            if offset > 0 and clause[offset - 1] == text[i - 1]:
                frame.append(i - 1)
        return frame

    @staticmethod
    def _before_suffix(text: str, i: int, suffixes: tuple[str, ...], window: int) -> bool:
        """`i` lies in the 1..window characters right before a suffix, in one clause (马荃|镇, 一冶|集团)."""
        for k in range(1, window + 1):
            j = i + k
            if j >= len(text) or _SPACE_OR_PUNCT.match(text[j - 1]):
                return False
            if any(text.startswith(s, j) for s in suffixes):
                return True
        return False

    def _in_name(self, text: str, i: int) -> str | None:
        """A given name: a surname 1-2 characters before `i`, and a title right after the name
        (汤晔同志, 郦波教授: "name"), or the name standing alone between separators (刘　羽, 连丽如、刘延广:
        "name-alone"). Only the first gives way to a common word (党祖书记 → 党组): a title makes
        "surname + character" a name only by position, a name standing alone in a list is one."""
        p = self.params
        for s in range(max(0, i - p.name_window), i + 1):
            if text[s] not in p.surnames:
                continue
            for end in range(max(s + 2, i + 1), s + p.name_window + 2):
                if end > len(text):
                    break
                if any(text.startswith(t, end) for t in p.name_titles):
                    return "name"
                before_ok = s == 0 or _SPACE_OR_PUNCT.match(text[s - 1]) is not None
                after_ok = end == len(text) or _SPACE_OR_PUNCT.match(text[end]) is not None
                if before_ok and after_ok:
                    return "name-alone"
        return None

    def _after_title(self, text: str, i: int) -> bool:
        """A name right after a title that precedes names (大使南月明、, 主席罗思、): `i` lies in the 2-3
        characters between the title and the next separator, the first of them a surname."""
        p = self.params
        if not p.titles_before:
            return False
        for s in range(max(0, i - p.name_window), i + 1):
            if text[s] not in p.surnames or not any(text.endswith(t, 0, s) for t in p.titles_before):
                continue
            for end in range(max(s + 2, i + 1), s + p.name_window + 2):
                if end == len(text) or (end < len(text) and _SPACE_OR_PUNCT.match(text[end])):
                    return True
        return False

    def _transliterated(self, text: str, i: int) -> bool:
        """`i` is in a run of Han characters touching a name dot: a transliterated name (赫苏斯·皮雷斯)."""
        dots = self.params.name_dots
        if not dots:
            return False
        start, end = i, i + 1
        while start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        while end < len(text) and "\u4e00" <= text[end] <= "\u9fff":
            end += 1
        return (start > 0 and text[start - 1] in dots) or (end < len(text) and text[end] in dots)
