"""Set phrases (规范提法) that a speech repeats on purpose and that must not count as copying.

A repeated passage is reported only when it holds at least one run of `k` characters that
lies outside every set phrase: "习近平新时代中国特色社会主义思想" said twice, or two set
phrases joined by a few connecting characters, is the language of the genre, not a paste.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from speechlint.dupes.normalise import normalise

MIN_PHRASE_CHARS = 4  # shorter entries would mark ordinary words as set phrases


def read_phrase_file(path: Path) -> list[str]:
    """Entries of a phrase file: one a line, `#` comments and blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class SetPhrases:
    """Normalised set phrases and one automaton to find them in normalised text."""

    def __init__(self, phrases: Iterable[str]) -> None:
        normalised = {normalise(p).chars for p in phrases}
        self.phrases = sorted(p for p in normalised if len(p) >= MIN_PHRASE_CHARS)
        self._automaton: Any = None

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def spans(self, chars: str) -> list[tuple[int, int]]:
        """Every occurrence (overlaps included) of a set phrase in normalised `chars`."""
        if not self.phrases:
            return []
        if self._automaton is None:
            import ahocorasick_rs

            self._automaton = ahocorasick_rs.AhoCorasick(self.phrases, implementation=ahocorasick_rs.Implementation.DFA)
        from speechlint.ruletypes.accel import find_all

        longest = max(len(p) for p in self.phrases)
        return [(start, end) for _, start, end in find_all(self._automaton, chars, overlapping=True, longest=longest)]

    def has_own_run(self, chars: str, k: int) -> bool:
        """Does `chars` hold a run of `k` characters that no set phrase covers?"""
        covered = bytearray(len(chars))
        for start, end in self.spans(chars):
            covered[start:end] = b"\x01" * (end - start)
        return b"\x00" * k in covered

    def kgram_ranges(self, chars: str, k: int) -> list[tuple[int, int]]:
        """Ranges of k-gram start positions whose k-gram touches a set phrase in `chars`."""
        return [(max(0, start - k + 1), end) for start, end in self.spans(chars)]
