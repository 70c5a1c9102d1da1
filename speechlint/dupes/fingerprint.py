"""A document's compact summary for the corpus: winnowed k-gram fingerprints and positions.

This is all that is kept of a document once it has been read, so that cross-document
work grows with the fingerprints (about 2 / (w + 1) of the characters), not with the text.
K-grams that touch a set phrase are never fingerprints: a passage made only of set
phrases then has nothing to be matched by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechlint.dupes.hashing import mixed, winnow
from speechlint.dupes.normalise import to_str
from speechlint.dupes.phrases import SetPhrases
from speechlint.dupes.prepared import Prepared, prepare

if TYPE_CHECKING:
    import numpy as np

_EXCLUDED = 0xFFFFFFFFFFFFFFFF  # a hash no window picks while an own k-gram is near


@dataclass
class DocPrints:
    """Fingerprints of one document, in position order."""

    hashes: np.ndarray  # uint64
    positions: np.ndarray  # uint32: index of the k-gram in the normalised characters
    starts: np.ndarray  # uint32: text offset where the k-gram starts
    ends: np.ndarray  # uint32: text offset just after it
    chars: int  # normalised characters in the document
    line_starts: np.ndarray  # uint32: text offset of each line's first character

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a text offset."""
        import numpy as np

        line = int(np.searchsorted(self.line_starts, offset, side="right"))
        return line, offset - int(self.line_starts[line - 1]) + 1


def fingerprint(
    text: str, k: int, w: int, phrases: SetPhrases | None = None, prepared: Prepared | None = None
) -> DocPrints:
    """Winnowed fingerprints of `text` (k-gram length `k`, window `w`); `prepared` may be
    `prepare(text)` already computed by another rule."""
    import numpy as np

    if prepared is None:
        prepared = prepare(text)
    codes, offsets = prepared.codes, prepared.offsets
    hashes = mixed(prepared.hashes(k))
    if phrases and len(hashes):
        ranges = phrases.kgram_ranges(to_str(codes), k)
        if ranges:  # every k-gram start inside one of the ranges, marked in one pass
            bounds = np.array(ranges, dtype=np.int64).clip(0, len(hashes))
            depth = np.bincount(bounds[:, 0], minlength=len(hashes) + 1)
            depth -= np.bincount(bounds[:, 1], minlength=len(hashes) + 1)
            hashes[np.cumsum(depth[: len(hashes)]) > 0] = _EXCLUDED
    picked = winnow(hashes, w)
    picked = picked[hashes[picked] != _EXCLUDED]
    return DocPrints(
        hashes=hashes[picked],
        positions=picked.astype(np.uint32),
        starts=offsets[picked].astype(np.uint32),
        ends=(offsets[picked + k - 1] + 1).astype(np.uint32),
        chars=len(codes),
        line_starts=prepared.line_starts,
    )
