"""Character k-gram hashes and winnowing, vectorised with NumPy.

A k-gram hash is a polynomial hash modulo 2**64 computed from a prefix sum, so that every
position costs a handful of array operations whatever k is. Winnowing (Schleimer et al.,
2003) keeps the smallest hash of every window of `w` consecutive k-grams: two texts that
share a run of at least `w + k - 1` characters are guaranteed to share a fingerprint, and
only about 2 / (w + 1) of the positions are kept, which is what bounds corpus memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

CHUNK = 1 << 20  # characters hashed at once: bounds the power tables and temporaries of a long text
_BASE = 0x9E3779B97F4A7C15  # odd, so it has an inverse modulo 2**64
_powers: np.ndarray | None = None
_inverse_powers: np.ndarray | None = None


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < n, grown by doubling and kept."""
    import numpy as np

    global _powers, _inverse_powers
    if _powers is None or len(_powers) < n:
        size = max(n, 1 << 16, 0 if _powers is None else 2 * len(_powers))
        with np.errstate(over="ignore"):
            powers = np.cumprod(np.full(size, _BASE, dtype=np.uint64))
            inverse = np.cumprod(np.full(size, pow(_BASE, -1, 1 << 64), dtype=np.uint64))
        _powers = np.concatenate(([np.uint64(1)], powers[:-1]))
        _inverse_powers = np.concatenate(([np.uint64(1)], inverse[:-1]))
    assert _inverse_powers is not None
    return _powers, _inverse_powers


def kgram_hashes(chars: np.ndarray, k: int, mix: bool = True) -> np.ndarray:
    """Hash of `chars[i:i+k]` for every i (uint64); empty when there are fewer than k chars.

    `mix` spreads the bits for winnowing, which picks minima; finding equal k-grams needs no mixing.
    """
    import numpy as np

    n = len(chars)
    if n < k:
        return np.empty(0, dtype=np.uint64)
    if n > CHUNK + k - 1:  # a hash depends only on its k characters: hash long texts piece by piece
        out = np.empty(n - k + 1, dtype=np.uint64)
        for start in range(0, n - k + 1, CHUNK):
            piece = chars[start : min(n, start + CHUNK + k - 1)]
            out[start : start + len(piece) - k + 1] = kgram_hashes(piece, k, mix=False)
        return mixed(out, copy=False) if mix else out
    powers, inverse = _power_tables(n + 1)
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    with np.errstate(over="ignore"):
        np.cumsum(chars * powers[:n], out=prefix[1:])
        hashes = (prefix[k:] - prefix[:-k]) * inverse[: n - k + 1]
    return mixed(hashes, copy=False) if mix else hashes


def mixed(hashes: np.ndarray, copy: bool = True) -> np.ndarray:
    """The hashes with their bits spread (a splitmix step), for winnowing, which picks minima."""
    import numpy as np

    out = hashes.copy() if copy else hashes
    with np.errstate(over="ignore"):
        out ^= out >> np.uint64(31)
        out *= np.uint64(0xBF58476D1CE4E5B9)
        out ^= out >> np.uint64(29)
    return out


def _sliding(
    values: np.ndarray, width: int, func: Any, buffers: tuple[np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """func (np.minimum / np.maximum) over every window of `width` (a new array, or a view of
    one of `buffers`: two arrays at least as long as `values`, which may lie in one of them).

    By doubling spans, log2(width) passes, each written into the other buffer (the usual w = 8:
    3 passes instead of 7 shifted ones, measured 2.5x faster; doubling that allocated an array
    a step was slower than the shifted passes).
    """
    import numpy as np

    length = len(values)
    if width <= 1:
        return values.copy()
    if buffers is None:
        buffers = (np.empty(length, values.dtype), np.empty(length, values.dtype))
    source, span = values, 1
    turn = 1 if np.may_share_memory(values, buffers[0]) else 0
    while span < width:
        step = min(span, width - span)  # the last step may overlap the previous span
        length -= step
        out = buffers[turn][:length]
        func(source[:length], source[step : step + length], out=out)
        source, turn, span = out, 1 - turn, span + step
    return source


def _picks(hashes: np.ndarray, w: int, starts: np.ndarray | None = None) -> np.ndarray:
    """Positions whose hash is the largest of the minima of the windows holding them (≥ w hashes).

    With `starts` (where each document begins), a window straddling two documents counts as 0.
    Windows cut by either end count as 0 too: their positions are finished by running maxima.
    """
    import numpy as np

    n = len(hashes)
    buffers = (np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.uint64))
    minima = _sliding(hashes, w, np.minimum, buffers)  # minima[s] = min(hashes[s:s+w])
    if starts is not None:
        # A window straddles two documents when it starts in the w − 1 positions before one begins.
        straddling = (starts[1:-1, None] - np.arange(1, w, dtype=np.int64)).ravel()
        minima[straddling[(straddling >= 0) & (straddling < len(minima))]] = 0
    count = len(minima)
    if count < 2 * w:  # short: pad with the zeros of the missing windows
        zeros = np.zeros(w - 1, dtype=np.uint64)
        best = _sliding(np.concatenate((zeros, minima, zeros)), w, np.maximum)
        return np.flatnonzero(best == hashes)
    head = np.maximum.accumulate(minima[: w - 1])  # position i < w − 1: windows 0 … i
    tail = np.maximum.accumulate(minima[count - w + 1 :][::-1])[::-1]  # the last w − 1 positions
    middle = _sliding(minima, w, np.maximum, buffers)  # positions w − 1 … count − 1: w windows each
    return np.concatenate(
        (
            np.flatnonzero(head == hashes[: w - 1]),
            np.flatnonzero(middle == hashes[w - 1 : count]) + (w - 1),
            np.flatnonzero(tail == hashes[count:]) + count,
        )
    )


def winnow(hashes: np.ndarray, w: int) -> np.ndarray:
    """Positions whose hash is the minimum of at least one window of `w` hashes.

    A position is kept when the largest of the window minima over the windows that contain
    it equals its own hash; a text shorter than one window keeps its single minimum.
    """
    import numpy as np

    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if n <= w:
        return np.array([int(np.argmin(hashes))], dtype=np.int64)
    return _picks(hashes, w)


def winnow_many(hashes: np.ndarray, starts: np.ndarray, w: int) -> np.ndarray:
    """`winnow` of each document of a batch, on the batch's joined hashes (`starts`: where each
    document's hashes begin, and the total at the end); positions are in the joined array.

    Window minima are taken over the whole array, then every window that is not wholly inside
    one document counts as 0, the same as the zero padding of `winnow`; a document shorter than
    one window keeps its single minimum.
    """
    import numpy as np

    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    counts = np.diff(starts)
    picks: list[np.ndarray] = []
    if n >= w:
        picks.append(_picks(hashes, w, starts))
    for index in np.flatnonzero((counts > 0) & (counts <= w)).tolist():  # shorter than a window
        low = int(starts[index])
        picks.append(np.array([low + int(np.argmin(hashes[low : int(starts[index + 1])]))], dtype=np.int64))
    if not picks:
        return np.empty(0, dtype=np.int64)
    if len(picks) == 1:
        return picks[0]
    joined = np.sort(np.concatenate(picks))  # a document of exactly w hashes is picked by both paths
    keep = np.ones(len(joined), dtype=bool)
    keep[1:] = joined[1:] != joined[:-1]
    return joined[keep]
