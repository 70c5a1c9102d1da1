"""A document's compact summary for the corpus: winnowed k-gram fingerprints and positions.

This is all that is kept of a document once it has been read, so that cross-document
work grows with the fingerprints (about 2 / (w + 1) of the characters), not with the text.
K-grams that touch a set phrase are never fingerprints: a passage made only of set
phrases then has nothing to be matched by.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from speechlint.dupes.hashing import mixed, winnow_many
from speechlint.dupes.phrases import SetPhrases
from speechlint.dupes.prepared import Prepared, prepare

if TYPE_CHECKING:
    import numpy as np

_EXCLUDED = 0xFFFFFFFFFFFFFFFF  # a hash no window picks while an own k-gram is near


@dataclass
class PrintStore:
    """The fingerprints and line starts of a batch of documents, in five arrays.

    Documents of a batch share one store: a corpus's fingerprints are then a few large
    arrays per batch (sent between processes in one piece, freed back to the system in one
    piece), not five small arrays per document. A fingerprint takes 18 bytes: a 100 MB
    corpus has about 7 million of them, all held until the corpus stage.
    """

    hashes: np.ndarray  # uint64
    positions: np.ndarray  # uint32: index of the k-gram in the normalised characters
    starts: np.ndarray  # uint32: text offset where the k-gram starts
    lengths: np.ndarray  # uint16 (uint32 in a batch where one is longer): text characters it spans
    line_starts: np.ndarray  # uint32: text offset of each line's first character


@dataclass
class DocPrints:
    """Fingerprints of one document, in position order: its slice of a batch's store."""

    store: PrintStore | None
    low: int  # its fingerprints are store rows low:high
    high: int
    chars: int  # normalised characters in the document
    lines: np.ndarray | tuple[int, int]  # its line starts: the store's rows (low, high), or its own array
    _line_list: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def hashes(self) -> np.ndarray:
        return self._store().hashes[self.low : self.high]

    @property
    def positions(self) -> np.ndarray:
        return self._store().positions[self.low : self.high]

    @property
    def starts(self) -> np.ndarray:
        return self._store().starts[self.low : self.high]

    @property
    def lengths(self) -> np.ndarray:
        return self._store().lengths[self.low : self.high]

    @property
    def ends(self) -> np.ndarray:
        """Text offset just after each k-gram (uint32)."""
        import numpy as np

        return self.starts + self.lengths.astype(np.uint32)

    @property
    def line_starts(self) -> np.ndarray:
        if isinstance(self.lines, tuple):
            low, high = self.lines
            return self._store().line_starts[low:high]
        return self.lines

    def _store(self) -> PrintStore:
        if self.store is None:
            raise ValueError("fingerprints already released")
        return self.store

    def release(self, line_starts: np.ndarray | None = None) -> None:
        """Let go of the batch's store once the fingerprints are in the corpus's columns; the
        document's line starts stay, for placing passages: `line_starts` if given (a slice of
        one array for the whole corpus, see `Columns.of`), else a copy of its own."""
        self.lines = self.line_starts.copy() if line_starts is None else line_starts
        self.store = None

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a text offset (the line starts as a list, made on first use:
        a passage's places are placed one by one, and a NumPy call each costs ten bisections)."""
        if self._line_list is None:
            self._line_list = self.line_starts.tolist()
        line = bisect_right(self._line_list, offset)
        return line, offset - self._line_list[line - 1] + 1


def fingerprint(
    text: str, k: int, w: int, phrases: SetPhrases | None = None, prepared: Prepared | None = None
) -> DocPrints:
    """Winnowed fingerprints of `text` (k-gram length `k`, window `w`); `prepared` may be
    `prepare(text)` already computed by another rule."""
    return fingerprint_many([prepared if prepared is not None else prepare(text)], k, w, phrases)[0]


# Normalised characters fingerprinted in one pass: enough documents to amortise the NumPy calls,
# few enough that the arrays stay in cache (1,000 speeches at once: 95 ms, in parts: 60 ms).
PART_CHARS = 200_000


def fingerprint_many(prepared: list[Prepared], k: int, w: int, phrases: SetPhrases | None = None) -> list[DocPrints]:
    """The fingerprints of several documents, each exactly as if alone, in parts of about
    PART_CHARS characters (each part's documents share one store)."""
    out: list[DocPrints] = []
    part: list[Prepared] = []
    size = 0
    for ready in prepared:
        part.append(ready)
        size += len(ready.codes)
        if size >= PART_CHARS:
            out.extend(_fingerprint_part(part, k, w, phrases))
            part, size = [], 0
    if part:
        out.extend(_fingerprint_part(part, k, w, phrases))
    return out


def _fingerprint_part(prepared: list[Prepared], k: int, w: int, phrases: SetPhrases | None) -> list[DocPrints]:
    """The fingerprints of a few documents from their joined arrays.

    A few NumPy operations for all of them rather than a dozen per document: the hashes are
    mixed, the k-grams touching a set phrase excluded (one phrase scan), and the part winnowed
    with every window that straddles two documents left out, which is what winnowing each
    document alone gives.
    """
    import numpy as np

    counts = np.array([len(p.hashes(k)) for p in prepared], dtype=np.int64)
    hash_starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    hashes = mixed(np.concatenate([np.empty(0, dtype=np.uint64), *(p.hashes(k) for p in prepared)]), copy=False)
    if phrases and len(hashes):
        _exclude_phrases(hashes, hash_starts, prepared, k, phrases)
    picks = winnow_many(hashes, hash_starts, w)
    picks = picks[hashes[picks] != _EXCLUDED]
    rows = np.searchsorted(picks, hash_starts)  # each document's picks begin here (picks are sorted)
    docs = np.repeat(np.arange(len(prepared), dtype=np.intp), np.diff(rows))
    local = picks - hash_starts[docs]
    code_counts = np.array([len(p.codes) for p in prepared], dtype=np.int64)
    code_starts = np.concatenate(([0], np.cumsum(code_counts))).astype(np.int64)
    offsets = np.concatenate([np.empty(0, dtype=np.uint32), *(p.offsets for p in prepared)])
    at = code_starts[docs] + local
    line_counts = [len(ready.line_starts) for ready in prepared]
    line_rows = np.concatenate(([0], np.cumsum(line_counts))).astype(np.int64)
    starts = offsets[at]
    lengths = offsets[at + k - 1] + 1 - starts
    store = PrintStore(
        hashes=hashes[picks],
        positions=local.astype(np.uint32),
        starts=starts.astype(np.uint32),
        lengths=lengths.astype(np.uint16 if int(lengths.max(initial=0)) <= 0xFFFF else np.uint32),
        line_starts=np.concatenate([np.empty(0, dtype=np.uint32), *(ready.line_starts for ready in prepared)]),
    )
    bounds = rows.tolist()
    return [
        DocPrints(store, bounds[i], bounds[i + 1], len(ready.codes), (int(line_rows[i]), int(line_rows[i + 1])))
        for i, ready in enumerate(prepared)
    ]


def _exclude_phrases(
    hashes: np.ndarray, hash_starts: np.ndarray, prepared: list[Prepared], k: int, phrases: SetPhrases
) -> None:
    """Mark with _EXCLUDED every k-gram that touches a set phrase of its own document."""
    import numpy as np

    code_starts = np.concatenate(([0], np.cumsum([len(p.codes) for p in prepared]))).astype(np.int64)
    joined = np.concatenate([np.empty(0, dtype=np.uint32), *(p.codes for p in prepared)])
    bounds = phrases.code_spans(joined)
    del joined
    if not len(bounds):
        return
    doc = np.searchsorted(code_starts, bounds[:, 0], side="right") - 1
    inside = bounds[:, 1] <= code_starts[doc + 1]  # a match across two documents belongs to neither
    bounds, doc = bounds[inside], doc[inside]
    if not len(bounds):
        return
    local = bounds - code_starts[doc][:, None]
    counts = hash_starts[doc + 1] - hash_starts[doc]
    low = np.clip(local[:, 0] - k + 1, 0, counts) + hash_starts[doc]
    high = np.clip(local[:, 1], 0, counts) + hash_starts[doc]
    # Every k-gram in low:high of each match (a few per cent of the text): the ranges laid end
    # to end, each shifted to where it starts.
    lengths = high - low
    before = np.cumsum(lengths) - lengths
    hashes[np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(low - before, lengths)] = _EXCLUDED
