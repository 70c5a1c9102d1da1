"""Applying edits to a source text: only the named characters change."""

from __future__ import annotations

Edit = tuple[int, int, str]  # (source start, source end, replacement)


def apply_edits(source: str, edits: list[Edit]) -> tuple[str, int]:
    """Apply non-overlapping edits (source offsets) back to front; return text and count applied.

    An edit overlapping an earlier one is skipped; the next round re-lints and retries it.
    """
    kept: list[Edit] = []
    last_end = -1
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < last_end or (kept and start == kept[-1][0] == end == kept[-1][1]):
            continue
        kept.append((start, end, replacement))
        last_end = end
    pieces: list[str] = []
    cursor = len(source)
    for start, end, replacement in reversed(kept):
        pieces.append(source[end:cursor])
        pieces.append(replacement)
        cursor = start
    pieces.append(source[:cursor])
    return "".join(reversed(pieces)), len(kept)
