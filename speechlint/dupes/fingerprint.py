"""A document's compact summary for the corpus: winnowed k-gram fingerprints and positions.

This is all that is kept of a document once it has been read, so that cross-document
work grows with the fingerprints (about 2 / (w + 1) of the characters), not with the text.
K-grams that touch a set phrase are never fingerprints: a passage made only of set
phrases then has nothing to be matched by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechlint.dupes.hashing import kgram_hashes, winnow
from speechlint.dupes.normalise import normalise_array, to_str
from speechlint.dupes.phrases import SetPhrases

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


def line_starts(text: str) -> np.ndarray:
    import numpy as np

    raw = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.concatenate(([0], np.flatnonzero(raw == 10) + 1)).astype(np.uint32)


def fingerprint(
    text: str,
    k: int,
    w: int,
    phrases: SetPhrases | None = None,
    normalised: tuple[np.ndarray, np.ndarray] | None = None,
) -> DocPrints:
    """Winnowed fingerprints of `text` (k-gram length `k`, window `w`); `normalised` may be
    `normalise_array(text)` already computed by another rule."""
    import numpy as np

    codes, offsets = normalised if normalised is not None else normalise_array(text)
    hashes = kgram_hashes(codes, k)
    if phrases and len(hashes):
        for low, high in phrases.kgram_ranges(to_str(codes), k):
            hashes[low:high] = _EXCLUDED
    picked = winnow(hashes, w)
    picked = picked[hashes[picked] != _EXCLUDED]
    return DocPrints(
        hashes=hashes[picked],
        positions=picked.astype(np.uint32),
        starts=offsets[picked].astype(np.uint32),
        ends=(offsets[picked + k - 1] + 1).astype(np.uint32),
        chars=len(codes),
        line_starts=line_starts(text),
    )
