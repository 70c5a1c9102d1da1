"""Inline suppressions in Markdown: HTML comments a reader never sees.

    <!-- speechlint-disable-next-line placeholder.mou -->   the next line, these rules (all if none named)
    <!-- speechlint-disable typo -->  …  <!-- speechlint-enable -->   a region
    <!-- speechlint-disable-file -->                          the whole document

Rules are named as anywhere else: ids, id prefixes or categories. Plain-text speeches have
no comment syntax; they use a baseline file instead.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import regex

from speechlint.cache import cached_regex
from speechlint.config.settings import selector_matches
from speechlint.model import Located


@functools.cache
def _directive() -> regex.Pattern[str]:
    """Compiled on the first Markdown file that names speechlint (~2 ms, not every run's)."""
    return cached_regex(
        r"<!--\s*speechlint-(disable-next-line|disable-file|disable|enable)\b([^>]*?)-->", regex.IGNORECASE
    )


@dataclass(frozen=True)
class Suppression:
    """A span of a Markdown source where the named rules (all, if none) are silenced."""

    start: int  # source offsets covered, end exclusive
    end: int
    selectors: tuple[str, ...]  # empty: every rule

    def covers(self, item: Located) -> bool:
        if not (self.start <= item.offset < self.end):
            return False
        finding = item.finding
        return not self.selectors or any(selector_matches(s, finding.rule_id, finding.category) for s in self.selectors)


def parse_suppressions(text: str) -> list[Suppression]:
    """The suppressions a Markdown source declares (an unclosed region runs to the end)."""
    if "speechlint-" not in text:
        return []
    found: list[Suppression] = []
    open_regions: list[tuple[int, tuple[str, ...]]] = []
    for match in _directive().finditer(text):
        kind = match.group(1).lower()
        selectors = tuple(s for s in regex.split(r"[\s,]+", match.group(2).strip()) if s)
        if kind == "disable-file":
            found.append(Suppression(0, len(text), selectors))
        elif kind == "disable-next-line":
            line_start = text.find("\n", match.end())
            if line_start != -1:
                line_end = text.find("\n", line_start + 1)
                found.append(Suppression(line_start + 1, len(text) if line_end == -1 else line_end, selectors))
        elif kind == "disable":
            open_regions.append((match.end(), selectors))
        elif open_regions:  # enable closes the innermost open region
            begin, selectors_open = open_regions.pop()
            found.append(Suppression(begin, match.start(), selectors_open))
    found.extend(Suppression(begin, len(text), selectors) for begin, selectors in open_regions)
    return found


def apply_suppressions(items: list[Located], suppressions: list[Suppression]) -> list[Located]:
    if not suppressions:
        return items
    ordered = sorted(suppressions, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    kept = []
    for item in items:
        candidates = ordered[: bisect.bisect_right(starts, item.offset)]
        if not any(s.covers(item) for s in candidates):
            kept.append(item)
    return kept
