"""Passages shared between documents, from the fingerprints alone, in near-linear time.

Each fingerprint hash that occurs more than once is linked from every later occurrence to
its first occurrence (a star, not all pairs, so a passage in 3,000 documents costs 3,000
links, not 4.5 million). Links from one document to one earlier document that keep the
same distance (give or take MAX_SHIFT characters) and follow each other closely chain
into a copied segment; segments that land on overlapping text of the same first copy are
one passage, reported once with all its places. Everything is sorting and cumulative
sums over arrays; Python loops only over the passages found.

Boundaries come from fingerprints, so a passage can be reported up to w − 1 characters
shorter at each end than the copy really is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from speechlint.dupes.fingerprint import DocPrints
from speechlint.dupes.memory import give_back
from speechlint.dupes.within import MAX_SHIFT

if TYPE_CHECKING:
    import numpy as np

_CHUNK = 1 << 20  # rows worked on at once where a whole column would need a temporary copy
GIVE_BACK_ROWS = 2_000_000  # fingerprints copied (~36 MB) between two hand-backs of freed memory


@dataclass(frozen=True)
class Place:
    """One copy of a passage: document index, text offsets, normalised length."""

    doc: int
    start: int
    end: int
    chars: int


@dataclass
class SharedPassage:
    """One passage found in several documents, with every place it occurs."""

    places: list[Place]  # the first copy first, then the others in document order
    chars: int  # length of the first copy, in normalised characters
    docs: int  # number of distinct documents holding a copy
    score: int = field(init=False)

    def __post_init__(self) -> None:
        # length × documents, counting each copy at its own length: copies may hold only part
        self.score = sum(place.chars for place in self.places)


@dataclass
class Columns:
    """The fingerprints of a whole corpus as flat arrays, one row per fingerprint, the documents'
    rows one after another (a row's document is found from `bounds`, not stored: 18 bytes a row)."""

    hashes: np.ndarray  # uint64; used up (sorted in place) by `find_shared`
    positions: np.ndarray  # uint32 normalised position
    starts: np.ndarray  # uint32 text offsets
    lengths: np.ndarray  # uint16 or uint32: text characters of the k-gram
    bounds: np.ndarray  # int64: the row where each document's fingerprints begin, and the total
    first_doc: int = 0  # document index of the first document

    @classmethod
    def of(cls, prints: list[DocPrints], first_doc: int = 0, release: bool = False) -> Columns:
        """The prints as columns; with `release`, each document's store is let go as soon as it
        is copied (the documents' line starts move into one array) and, for a large corpus, the
        freed memory handed back to the system as the copy proceeds, so that its fingerprints
        are never held twice."""
        import numpy as np

        counts = np.array([p.high - p.low for p in prints], dtype=np.int64)
        bounds = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        total = int(bounds[-1])
        wide = any(p.lengths.dtype.itemsize > 2 for p in prints)
        columns = cls(
            np.empty(total, np.uint64),
            np.empty(total, np.uint32),
            np.empty(total, np.uint32),
            np.empty(total, np.uint32 if wide else np.uint16),
            bounds,
            first_doc,
        )
        lines = np.empty(sum(len(p.line_starts) for p in prints) if release else 0, dtype=np.uint32)
        # Handing memory back costs page faults when it is taken again: only worth it for a corpus
        # whose fingerprints weigh more than the hand-back step.
        trim = release and total >= GIVE_BACK_ROWS
        at = line_at = copied = 0
        for group in _by_store(prints):  # one copy per batch's store, not per document
            store, low, high = group[0]._store(), group[0].low, group[-1].high
            end = at + high - low
            columns.hashes[at:end] = store.hashes[low:high]
            columns.positions[at:end] = store.positions[low:high]
            columns.starts[at:end] = store.starts[low:high]
            columns.lengths[at:end] = store.lengths[low:high]
            if release:
                for doc in group:
                    line_end = line_at + len(doc.line_starts)
                    lines[line_at:line_end] = doc.line_starts
                    doc.release(lines[line_at:line_end])
                    line_at = line_end
                copied += end - at
                if trim and copied >= GIVE_BACK_ROWS:
                    give_back()
                    copied = 0
            at = end
        if trim:
            give_back()
        return columns

    def docs(self) -> np.ndarray:
        """The document index of every row (uint32; made when needed, not kept)."""
        import numpy as np

        indices = np.arange(self.first_doc, self.first_doc + len(self.bounds) - 1, dtype=np.uint32)
        return np.repeat(indices, np.diff(self.bounds))

    def ends(self, rows: np.ndarray) -> np.ndarray:
        """Text offset just after the k-gram of each row."""
        import numpy as np

        return self.starts[rows].astype(np.int64) + self.lengths[rows]

    def take_hashes(self) -> np.ndarray:
        """The hashes column, handed over (an empty one stays): `find_shared` sorts it in place."""
        import numpy as np

        hashes, self.hashes = self.hashes, np.empty(0, dtype=np.uint64)
        return hashes


def _by_store(prints: list[DocPrints]) -> Iterator[list[DocPrints]]:
    """Runs of consecutive documents whose fingerprints are consecutive rows of one store."""
    group: list[DocPrints] = []
    for doc in prints:
        if group and (doc.store is not group[-1].store or doc.low != group[-1].high):
            yield group
            group = []
        group.append(doc)
    if group:
        yield group


def _links(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(later occurrence, first occurrence) index pairs for every repeated hash.

    Indices follow document then position order. The index is packed into the low bits of
    the hash and the packed values sorted (a plain sort, much cheaper than `argsort`): equal
    hashes then sit together with their smallest index, the first occurrence, in front.
    The few hash bits given up make rare false links, which never chain into a passage.
    `hashes` is used up (sorted in place); beside it, only byte masks are the size of the
    corpus, and the rows of repeated hashes (about a third of a corpus of speeches).
    """
    import numpy as np

    n = len(hashes)
    if n < 2:
        return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.uint32)
    bits = max(1, int(n - 1).bit_length())
    mask = np.uint64((1 << bits) - 1)
    for low in range(0, n, _CHUNK):  # piece by piece: no corpus-sized temporaries
        part = hashes[low : low + _CHUNK]
        part &= ~mask
        part |= np.arange(low, low + len(part), dtype=np.uint64)
    hashes.sort()
    later = np.zeros(n, dtype=bool)  # the hash part equals the previous row's
    for low in range(1, n, _CHUNK):
        high = min(n, low + _CHUNK)
        np.less_equal(hashes[low:high] ^ hashes[low - 1 : high - 1], mask, out=later[low:high])
    grouped = later.copy()
    grouped[:-1] |= later[1:]  # first occurrences too
    rows = np.flatnonzero(grouped)
    del grouped
    index = (hashes[rows] & mask).astype(np.uint32)
    repeat = later[rows]
    del later, rows
    group_first = np.arange(len(index), dtype=np.uint32)
    group_first[repeat] = 0
    np.maximum.accumulate(group_first, out=group_first)
    return index[repeat], index[group_first[repeat]]


def _breaks(*columns: np.ndarray) -> np.ndarray:
    """True where any column changes from the previous row (and at row 0)."""
    import numpy as np

    n = len(columns[0])
    out = np.zeros(n, dtype=bool)
    if n:
        out[0] = True
        for column in columns:
            out[1:] |= column[1:] != column[:-1]
    return out


def find_shared(
    prints: list[DocPrints] | Columns,
    k: int,
    w: int,
    min_chars: int,
    min_docs: int = 2,
    max_gap: int | None = None,
) -> list[SharedPassage]:
    """Passages of about `min_chars` or more normalised characters held by `min_docs` documents.

    `max_gap` (default w + 2k) is how far apart two fingerprints of one copy may be: one
    changed character removes the k fingerprints around it.
    """
    import numpy as np

    if max_gap is None:
        max_gap = w + 2 * k
    columns = prints if isinstance(prints, Columns) else Columns.of(prints)
    pos, starts = columns.positions, columns.starts
    doc_count = columns.first_doc + len(columns.bounds) - 1
    hashes = columns.take_hashes()
    later, first = _links(hashes)
    del hashes
    if not len(later):
        return []
    # Chain links: same pair of documents, close positions, the same distance. Memory is kept
    # to a few narrow arrays of the links at a time: a dense corpus has millions of them.
    docs = columns.docs()
    d, d0 = docs[later], docs[first]
    del docs
    if doc_count < (1 << 21) and int(pos.max(initial=0)) < (1 << 21):
        key = d.astype(np.uint64) << np.uint64(42)
        key |= d0.astype(np.uint64) << np.uint64(21)
        key |= pos[later].astype(np.uint64)
        order = np.argsort(key)
        del key
    else:
        order = np.lexsort((pos[later], d0, d))
    later, first, d, d0 = later[order], first[order], d[order], d0[order]
    del order
    p, p0 = pos[later].astype(np.int64), pos[first].astype(np.int64)
    delta = p - p0
    new = _breaks(d, d0)
    if len(p) > 1:
        new[1:] |= (p[1:] - p[:-1] > max_gap) | (np.abs(delta[1:] - delta[:-1]) > MAX_SHIFT)
    seg = np.flatnonzero(new)
    seg_end = np.append(seg[1:], len(p)) - 1
    seg_chars = p[seg_end] + k - p[seg]
    slack = w - 1  # a copy may reach up to w − 1 characters beyond its outer fingerprints
    keep = seg_chars + slack >= min_chars
    seg, seg_end, seg_chars = seg[keep], seg_end[keep], seg_chars[keep]
    if not len(seg):
        return []
    # Segments that overlap on the same first copy by at least half a passage are one passage.
    s_doc0, s_p0, s_p0_end = d0[seg], p0[seg], p0[seg_end] + k
    by_target = np.lexsort((s_p0, s_doc0))
    key_start = (s_doc0[by_target].astype(np.int64) << 32) | s_p0[by_target]
    key_end = (s_doc0[by_target].astype(np.int64) << 32) | s_p0_end[by_target]
    reach = np.maximum.accumulate(key_end)
    cluster_new = np.ones(len(by_target), dtype=bool)
    cluster_new[1:] = key_start[1:] > reach[:-1] - min_chars // 2
    seg, seg_end = seg[by_target], seg_end[by_target]
    rows = _Segments(
        *(
            column.tolist()
            for column in (
                d[seg],
                starts[later[seg]],
                columns.ends(later[seg_end]),
                seg_chars[by_target],
                d0[seg],
                p0[seg],
                p0[seg_end] + k,
                starts[first[seg]],
                columns.ends(first[seg_end]),
            )
        )
    )
    bounds = np.flatnonzero(np.append(cluster_new[1:], True)).tolist()
    found: list[SharedPassage] = []
    begin = 0
    for last in bounds:
        passage = _passage(rows, range(begin, last + 1), min_docs, min_chars - slack)
        begin = last + 1
        if passage is not None and passage.chars + slack >= min_chars:
            found.append(passage)
    found.sort(key=lambda sp: (-sp.score, sp.places[0].doc, sp.places[0].start))
    return found


@dataclass
class _Segments:
    """Copied segments, one row each: the copy and the part of the first copy it repeats."""

    doc: list[int]
    start: list[int]
    end: list[int]
    chars: list[int]
    doc0: list[int]
    p0: list[int]
    p0_end: list[int]
    start0: list[int]
    end0: list[int]


def _passage(rows: _Segments, cluster: range, min_docs: int, min_chars: int) -> SharedPassage | None:
    """One passage from the segments of one cluster; a document's overlapping copies merge.

    A copy shorter than `min_chars` (it holds only a clause of the passage) is left out.
    """
    doc0 = rows.doc0[cluster[0]]
    first_copy = Place(
        doc0,
        min(rows.start0[i] for i in cluster),
        max(rows.end0[i] for i in cluster),
        max(rows.p0_end[i] for i in cluster) - min(rows.p0[i] for i in cluster),
    )
    spans: dict[int, list[list[int]]] = {}
    for i in cluster:
        spans.setdefault(rows.doc[i], []).append([rows.start[i], rows.end[i], rows.chars[i]])
    places = [first_copy]
    for doc in sorted(spans):
        merged: list[list[int]] = []
        for start, end, chars in sorted(spans[doc]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] = max(merged[-1][2], chars)
            else:
                merged.append([start, end, chars])
        for start, end, chars in merged:
            if doc == doc0 and start < first_copy.end and end > first_copy.start:
                continue  # overlaps the first copy itself: a periodic run
            if chars >= min_chars:
                places.append(Place(doc, start, end, chars))
    docs = len({place.doc for place in places})
    if len(places) < 2 or docs < min_docs:
        return None
    return SharedPassage(places, first_copy.chars, docs)
