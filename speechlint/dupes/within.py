"""Repeated passages inside one document, found exactly from every character k-gram.

Every k-gram is compared with the first earlier occurrence of the same k-gram; consecutive
matching k-grams with the same distance form runs, and runs close to each other (a
character or two changed, one inserted or dropped) merge into one passage. A passage is
reported at its later copy, with the earliest copy as the place it repeats.

The pure-Python path (a dict of k-gram strings) and the NumPy path (hashes, bucketed with
`bincount` so that only the few candidates are sorted) find the same runs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechlint.dupes.hashing import mixed
from speechlint.dupes.normalise import normalise, to_str
from speechlint.dupes.prepared import Prepared, prepare

if TYPE_CHECKING:
    import numpy as np

_BUCKET_BITS = 16  # measured fastest: fewer chance candidates outweigh a larger count table
MAX_SHIFT = 2  # characters inserted or dropped between two runs of one passage

Run = tuple[int, int, int]  # (later start, earlier start, number of matching k-grams)


@dataclass(frozen=True)
class Repeat:
    """A passage whose copy at `later` repeats the text at `earlier` (text offsets)."""

    later: tuple[int, int]
    earlier: tuple[int, int]
    chars: int  # length of the later copy in normalised characters
    exact: bool  # the two copies are the same after normalisation


def _runs(positions: Iterable[int], keys: Iterable[Hashable]) -> list[Run]:
    """Runs of consecutive positions whose key (k-gram) occurred before at the same distance."""
    first: dict[Hashable, int] = {}
    runs: list[list[int]] = []
    last_pos, last_delta = -2, 0
    setdefault = first.setdefault
    for pos, key in zip(positions, keys, strict=True):
        seen = setdefault(key, pos)
        if seen != pos:
            delta = pos - seen
            if last_pos == pos - 1 and last_delta == delta:
                runs[-1][2] += 1
            else:
                runs.append([pos, seen, 1])
            last_pos, last_delta = pos, delta
    return [(a, b, c) for a, b, c in runs]


def runs_python(chars: str, k: int) -> list[Run]:
    """Runs from the k-gram strings themselves: no NumPy, for a short single document."""
    count = len(chars) - k + 1
    return _runs(range(count), (chars[i : i + k] for i in range(count)))


def runs_numpy(hashes: np.ndarray) -> list[Run]:
    """The same runs from k-gram hashes, without a Python loop over positions.

    A `bincount` over the top bits of the hashes leaves the positions whose bucket holds two
    or more k-grams (about 5 % of a 10 KB speech). Sorting those groups equal hashes; in each
    group the first position is the first occurrence, and every other position is a repeat at
    a distance `delta` from it. Consecutive repeats with the same distance form one run. On a
    large text with much repetition this keeps memory in arrays, not in Python objects.
    """
    import numpy as np

    n = len(hashes)
    if n < 2:
        return []
    buckets = (hashes >> np.uint64(64 - _BUCKET_BITS)).astype(np.intp)
    candidates = np.flatnonzero(np.bincount(buckets, minlength=1 << _BUCKET_BITS)[buckets] > 1).astype(np.uint32)
    del buckets
    if len(candidates) < 2:
        return []
    # Equal hashes together, in position order, by one plain sort: the candidate's number is
    # packed into the low bits of its hash (the few hash bits given up make rare false
    # repeats, which `merge_runs` drops when it compares the characters).
    bits = max(1, int(len(candidates) - 1).bit_length())
    mask = np.uint64((1 << bits) - 1)
    # (mixed first: k-grams differing in one character have unmixed hashes that differ only in low bits)
    packed = (mixed(hashes[candidates], copy=False) & ~mask) | np.arange(len(candidates), dtype=np.uint64)
    packed.sort()
    number = (packed & mask).astype(np.uint32)
    new_group = np.empty(len(packed), dtype=bool)
    new_group[0] = True
    packed &= ~mask
    np.not_equal(packed[1:], packed[:-1], out=new_group[1:])
    del packed
    group_first = np.where(new_group, np.arange(len(number), dtype=np.uint32), np.uint32(0))
    np.maximum.accumulate(group_first, out=group_first)
    repeat = ~new_group
    del new_group
    if not repeat.any():
        return []
    # Each repeat and its first occurrence, in position order, again by one plain sort.
    pairs = candidates[number[repeat]].astype(np.uint64) << np.uint64(32)
    pairs |= candidates[number[group_first[repeat]]]
    del number, group_first, repeat, candidates
    pairs.sort()
    positions = (pairs >> np.uint64(32)).astype(np.int64)
    firsts = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
    del pairs
    deltas = positions - firsts
    starts = np.ones(len(positions), dtype=bool)
    starts[1:] = (positions[1:] != positions[:-1] + 1) | (deltas[1:] != deltas[:-1])
    run_starts = np.flatnonzero(starts)
    lengths = np.diff(np.append(run_starts, len(positions)))
    return list(
        zip(
            positions[run_starts].tolist(),
            firsts[run_starts].tolist(),
            lengths.tolist(),
            strict=True,
        )
    )


# K-grams whose runs are found in one pass: enough documents to amortise the per-call overhead
# of NumPy (a dozen calls per pass, ~60 µs a document when done one by one), few enough that
# the count table of the pass stays in cache. A larger document is done on its own.
GROUP_KGRAMS = 1 << 15


def runs_many(hashes: list[np.ndarray]) -> list[list[Run]]:
    """`runs_numpy` of each document's k-gram hashes, for many documents in a few passes.

    Consecutive documents are done together: each bucket of the candidate count is a bucket of
    one document (its number in the high bits), and equal hashes group only within a document
    (the group breaks where the document changes), so a k-gram that other documents share is
    no repeat; runs are then handed back to their documents in their own positions.
    """
    out: list[list[Run]] = []
    group: list[np.ndarray] = []
    size = 0
    for doc_hashes in hashes:
        if len(doc_hashes) >= GROUP_KGRAMS:
            out.extend(_runs_group(group))
            out.append(runs_numpy(doc_hashes))
            group, size = [], 0
            continue
        group.append(doc_hashes)
        size += len(doc_hashes)
        if size >= GROUP_KGRAMS:
            out.extend(_runs_group(group))
            group, size = [], 0
    out.extend(_runs_group(group))
    return out


def _runs_group(hashes: list[np.ndarray]) -> list[list[Run]]:
    """The runs of a few documents from one pass over their joined hashes (see `runs_many`)."""
    import numpy as np

    if len(hashes) < 2:
        return [runs_numpy(doc_hashes) for doc_hashes in hashes]
    counts = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=len(hashes))
    starts = np.concatenate(([0], np.cumsum(counts)))
    none: list[list[Run]] = [[] for _ in hashes]
    joined = np.concatenate(hashes)
    # Candidates: k-grams that share their bucket with another of their document, in two rounds
    # (other bits of the hash) of four or more buckets a k-gram of the largest document. Tables
    # that small stay in cache: one round of a dozen buckets a k-gram was ~1.2x slower.
    bits = max(8, int(counts.max()).bit_length() + 2)
    doc_base = np.repeat(np.arange(len(hashes), dtype=np.intp) << bits, counts)
    buckets = (joined >> np.uint64(64 - bits)).astype(np.intp)
    buckets |= doc_base
    candidates = np.flatnonzero(np.bincount(buckets, minlength=len(hashes) << bits)[buckets] > 1)
    del buckets
    buckets = (joined[candidates] >> np.uint64(64 - 2 * bits)).astype(np.intp) & ((1 << bits) - 1)
    buckets |= doc_base[candidates]
    candidates = candidates[np.bincount(buckets, minlength=len(hashes) << bits)[buckets] > 1]
    del buckets
    if len(candidates) < 2:
        return none
    # Equal hashes together, in position order, by one plain sort (see `runs_numpy`).
    number_bits = max(1, int(len(candidates) - 1).bit_length())
    mask = np.uint64((1 << number_bits) - 1)
    packed = (mixed(joined[candidates], copy=False) & ~mask) | np.arange(len(candidates), dtype=np.uint64)
    packed.sort()
    at = candidates[(packed & mask).astype(np.intp)]  # positions in `joined`, grouped
    doc = doc_base[at] >> bits
    del doc_base
    packed &= ~mask
    new_group = np.empty(len(packed), dtype=bool)
    new_group[0] = True
    np.not_equal(packed[1:], packed[:-1], out=new_group[1:])
    new_group[1:] |= doc[1:] != doc[:-1]  # the same k-gram in another document: not a repeat
    del packed, doc
    group_first = np.where(new_group, np.arange(len(at), dtype=np.intp), 0)
    np.maximum.accumulate(group_first, out=group_first)
    repeat = ~new_group
    if not repeat.any():
        return none
    pairs = at[repeat].astype(np.uint64) << np.uint64(32)
    pairs |= at[group_first[repeat]].astype(np.uint64)
    del at, group_first, repeat
    pairs.sort()
    positions = (pairs >> np.uint64(32)).astype(np.int64)
    firsts = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
    del pairs
    deltas = positions - firsts
    run_start = np.ones(len(positions), dtype=bool)
    # (a run never reaches into the next document: its earlier copy would have to lie there too)
    run_start[1:] = (positions[1:] != positions[:-1] + 1) | (deltas[1:] != deltas[:-1])
    heads = np.flatnonzero(run_start)
    lengths = np.diff(np.append(heads, len(positions)))
    later, earlier = positions[heads], firsts[heads]
    owner = np.searchsorted(starts, later, side="right") - 1
    later -= starts[owner]
    earlier -= starts[owner]
    cuts = np.searchsorted(owner, np.arange(len(hashes) + 1)).tolist()
    runs = list(zip(later.tolist(), earlier.tolist(), lengths.tolist(), strict=True))
    return [runs[cuts[i] : cuts[i + 1]] for i in range(len(hashes))]


def merge_runs(runs: list[Run], chars: str, k: int, max_gap: int) -> list[tuple[int, int, int, int]]:
    """Runs → passages `(later start, later end, earlier start, earlier end)` in characters.

    A run joins an open passage when it starts at most `max_gap` characters after it and its
    distance to the earlier copy differs by at most MAX_SHIFT; runs whose characters differ
    (a hash collision) are dropped first.
    """
    open_: list[list[int]] = []  # [later start, later end, earlier start, earlier end, delta]
    done: list[list[int]] = []
    for later, earlier, grams in runs:
        length = grams + k - 1
        if chars[later : later + length] != chars[earlier : earlier + length]:
            continue
        delta = later - earlier
        still_open = []
        joined = False
        for passage in open_:
            if later > passage[1] + max_gap:
                done.append(passage)
                continue
            if not joined and abs(delta - passage[4]) <= MAX_SHIFT and earlier >= passage[2]:
                passage[1] = max(passage[1], later + length)
                passage[3] = max(passage[3], earlier + length)
                passage[4] = delta
                joined = True
            still_open.append(passage)
        if not joined:
            still_open.append([later, later + length, earlier, earlier + length, delta])
        open_ = still_open
    done.extend(open_)
    passages = []
    for ls, le, es, ee, _ in sorted(done):
        if ee > ls:  # the copies overlap (a periodic run such as 哈哈哈…): keep what does not
            overlap = ee - ls
            le, ee = le - overlap, ee - overlap
        if le > ls:
            passages.append((ls, le, es, ee))
    return passages


def find_repeats(
    text: str,
    k: int,
    min_chars: int,
    max_gap: int,
    use_numpy: bool,
    keep: Callable[[str], bool] | None = None,
    prepared: Callable[[], Prepared] | None = None,
    runs: Callable[[], list[Run]] | None = None,
) -> list[Repeat]:
    """Repeated passages of at least `min_chars` normalised characters in `text`.

    `keep(passage_chars)` may veto a passage (set phrases); it sees normalised characters.
    `prepared()` may supply the document's arrays computed once for several rules, and
    `runs()` its runs found with other documents' (`runs_many`).
    """
    offsets: Sequence[int] | np.ndarray
    if use_numpy:
        ready = prepared() if prepared is not None else prepare(text)
        codes, offsets_array = ready.codes, ready.offsets
        if len(codes) < min_chars + k:
            return []
        found_runs = runs() if runs is not None else runs_numpy(ready.hashes(k))
        longest = sum(grams for _, _, grams in found_runs) + len(found_runs) * (k - 1) + (len(found_runs) - 1) * max_gap
        if longest < min_chars:
            return []  # the usual case: a set phrase or two said twice, nothing long enough
        chars = to_str(codes)
        offsets = offsets_array
    else:
        chars, offsets = normalise(text)
        if len(chars) < min_chars + k:
            return []
        found_runs = runs_python(chars, k)
    found: list[Repeat] = []
    for ls, le, es, ee in merge_runs(found_runs, chars, k, max_gap):
        if le - ls < min_chars:
            continue
        if keep is not None and not keep(chars[ls:le]):
            continue
        found.append(
            Repeat(
                later=(int(offsets[ls]), int(offsets[le - 1]) + 1),
                earlier=(int(offsets[es]), int(offsets[ee - 1]) + 1),
                chars=le - ls,
                exact=chars[ls:le] == chars[es:ee],
            )
        )
    return found
