"""Documents made ready for duplicate detection, once, for both duplicate rules.

The within-document rule and the corpus rule need the same arrays: the text's characters
after normalisation with their offsets, the k-gram hashes, the line starts. They are
computed once per document — and for a batch of documents in one go (`prepare_many`): on
~10 KB speeches the overhead of each NumPy call costs more than its arithmetic, so the
batch's texts are joined, mapped and hashed as one array and each document gets its slices.
A k-gram hash depends only on its k characters, so a document's hashes are the same as if
it were hashed alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from speechlint.dupes.hashing import kgram_hashes
from speechlint.dupes.memory import steady_heap
from speechlint.dupes.normalise import code_points, map_codes, normalise_array

if TYPE_CHECKING:
    import numpy as np


@dataclass
class Prepared:
    """A document's text as the duplicate rules compare it: normalised characters, their offsets, line starts."""

    codes: np.ndarray  # normalised characters (uint32)
    offsets: np.ndarray  # text offset of each (int64)
    line_starts: np.ndarray  # text offset of each line's first character (uint32)
    _hashes: dict[int, np.ndarray] = field(default_factory=dict)

    def hashes(self, k: int) -> np.ndarray:
        """Unmixed k-gram hashes of the normalised characters (computed once per k)."""
        if k not in self._hashes:
            self._hashes[k] = kgram_hashes(self.codes, k, mix=False)
        return self._hashes[k]


def prepare(text: str) -> Prepared:
    """One document on its own."""
    import numpy as np

    raw = code_points(text)
    codes, offsets = normalise_array(text, raw)
    line_starts = np.concatenate(([0], np.flatnonzero(raw == 10) + 1)).astype(np.uint32)
    del raw
    return Prepared(codes, offsets.astype(np.uint32), line_starts)


# Texts joined for one array pass: enough to amortise the per-call overhead, small enough that
# the arrays stay in cache and their memory is reused rather than mapped afresh each time
# (10 MB of speeches: 50,000 characters ~40 ms, 200,000 ~48 ms, 400,000 ~57 ms).
GROUP_CHARS = 50_000


def prepare_many(texts: list[str], k: int) -> list[Prepared]:
    """Every document of a batch, in groups of about GROUP_CHARS characters (hashes for `k` included)."""
    steady_heap()  # the batch's arrays are freed and made again for the next batch: reuse them
    out: list[Prepared] = []
    group: list[str] = []
    size = 0
    for text in texts:
        group.append(text)
        size += len(text)
        if size >= GROUP_CHARS:
            out.extend(_prepare_group(group, k))
            group, size = [], 0
    out.extend(_prepare_group(group, k))
    return out


def _prepare_group(texts: list[str], k: int) -> list[Prepared]:
    """The documents of a group from one pass over their joined text."""
    import numpy as np

    if len(texts) < 2:
        return [prepare(text) for text in texts]
    raw = code_points("\n".join(texts))  # the separator is not a character that counts
    mapped = map_codes(raw)
    if mapped is None:  # a character that normalises to several: the per-document path handles it
        return [prepare(text) for text in texts]
    kept = np.flatnonzero(mapped != 0)  # (a boolean mask: ~2.5x faster than on the codes)
    codes = mapped[kept]
    hashes = kgram_hashes(codes, k, mix=False)
    count = len(texts)
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=count)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    first = np.searchsorted(kept, starts)
    # Each document's offsets and line starts as slices of one array for the group (a copy per
    # document cost more in NumPy calls than in copying).
    offsets = (kept - np.repeat(starts, np.diff(np.append(first, len(kept))))).astype(np.uint32)
    newlines = np.flatnonzero(raw == 10)
    line_from = np.searchsorted(newlines, starts)
    line_to = np.searchsorted(newlines, starts + lengths)  # the separator is not the document's
    own = line_to - line_from
    inside = newlines[np.repeat(line_to - own.cumsum(), own) + np.arange(int(own.sum()))]  # separators dropped
    relative = inside - np.repeat(starts - 1, own)  # the line after each line break
    line_bounds = np.concatenate(([0], np.cumsum(own + 1)))
    line_starts = np.insert(relative, line_bounds[:-1] - np.arange(count), 0).astype(np.uint32)
    empty = np.empty(0, dtype=np.uint64)
    first_list = first.tolist()
    last_list = [*first_list[1:], len(kept)]
    bounds = line_bounds.tolist()
    out: list[Prepared] = []
    for index in range(count):
        a, b = first_list[index], last_list[index]
        out.append(
            Prepared(
                codes[a:b],
                offsets[a:b],
                line_starts[bounds[index] : bounds[index + 1]],
                {k: hashes[a : b - k + 1] if b - a >= k else empty},
            )
        )
    return out
