"""The model of correct official Chinese: character n-gram counts, words and confusion candidates.

Why this shape: a character trigram model with interpolated absolute discounting is the cheapest model
that sees the two neighbours on each side of a character, and a typo breaks exactly those (规化 is rare,
规划 is everywhere); words of 2-4 characters add what three characters cannot see (成语, domain terms).
Everything is a NumPy array stored as `.npy` and memory-mapped on first use, so that importing this
module or building a rule reads nothing, and several processes share the pages. The arrays are written
by tools/build_spelling_model.py, whose docstring describes each one.
"""

from __future__ import annotations

import json
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

BOUNDARY, DIGIT, FIRST_HAN = 0, 1, 2
SAME, NEAR, SHAPE, TABLE = 1, 2, 4, 8
USUAL = 16  # with SAME: the shared reading is in common use for both characters (not 有 wěi, 位 lì)
IDIOM, DOMAIN = 1, 2
_FP_MULT = np.uint64(0x9E3779B97F4A7C15)
_ARRAYS = [
    "chars",
    "uni",
    "uni_bow",
    "bi_keys",
    "bi_cnt",
    "bi_bow",
    "tri_keys",
    "tri_cnt",
    "word_keys",
    "word_info",
    "cand_ptr",
    "cand_ids",
    "cand_kind",
    "screen_l",
    "screen_r",
    "quad_bits",
]
_QUAD_MULT = np.uint64(0xD6E8FEB86659FD93)


class Model:
    """Read-only access to one model directory; nothing is read before the first query."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @cached_property
    def meta(self) -> dict[str, Any]:
        return dict(json.loads((self.directory / "meta.json").read_text(encoding="utf-8")))

    @cached_property
    def arrays(self) -> dict[str, np.ndarray]:
        # plain ndarray views of the maps: indexing a np.memmap costs a Python call per access
        return {name: np.asarray(np.load(self.directory / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS}

    # --- characters -----------------------------------------------------------------------------
    @cached_property
    def lut(self) -> npt.NDArray[np.int64]:
        """Code point (BMP) -> character id; digits map to DIGIT, everything unknown to BOUNDARY."""
        lut = np.zeros(0x10000, dtype=np.int64)
        chars = np.asarray(self.arrays["chars"], dtype=np.int64)
        lut[chars[FIRST_HAN:]] = np.arange(FIRST_HAN, len(chars))
        for d in "0123456789０１２３４５６７８９":
            lut[ord(d)] = DIGIT
        return lut

    @cached_property
    def char_index(self) -> dict[str, int]:
        chars = self.arrays["chars"]
        return {chr(int(cp)): i for i, cp in enumerate(chars) if i >= FIRST_HAN}

    def char(self, i: int) -> str:
        return chr(int(self.arrays["chars"][i])) if i >= FIRST_HAN else ""

    def encode(self, text: str) -> IntArray:
        """Character ids of `text`, one per character (astral characters are boundaries)."""
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        return self.lut[np.minimum(cps, 0xFFFF)]

    @cached_property
    def _uni(self) -> FloatArray:
        return np.asarray(self.arrays["uni"], dtype=np.float64)

    @cached_property
    def _p1(self) -> FloatArray:
        """Unigram probabilities, add-half smoothed."""
        uni = self._uni
        return (uni + 0.5) / (uni.sum() + 0.5 * len(uni))

    @cached_property
    def _uni_lambda(self) -> FloatArray:
        return np.exp(np.asarray(self.arrays["uni_bow"], dtype=np.float64))

    def unigram_count(self, ids: IntArray) -> FloatArray:
        return self._uni[ids]

    # --- n-grams --------------------------------------------------------------------------------
    def bigram_count(self, a: IntArray, b: IntArray) -> tuple[FloatArray, npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
        """Counts of bigrams `a b` (0 when not shipped), with their row index and whether found."""
        keys = self.arrays["bi_keys"]
        q = ((a << 16) | b).astype(np.uint32)
        idx = np.searchsorted(keys, q)
        idx = np.minimum(idx, len(keys) - 1)
        hit = keys[idx] == q
        cnt = np.where(hit, self.arrays["bi_cnt"][idx], 0).astype(np.float64)
        return cnt, idx, hit

    def trigram_count(self, a: IntArray, b: IntArray, c: IntArray) -> FloatArray:
        keys = self.arrays["tri_keys"]
        with np.errstate(over="ignore"):
            full = ((a << 32) | (b << 16) | c).astype(np.uint64)
            q = ((full * _FP_MULT) >> np.uint64(32)).astype(np.uint32)
        idx = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
        hit = keys[idx] == q
        counts = np.exp2(np.asarray(self.arrays["tri_cnt"][idx], dtype=np.float64) / 8.0)
        return np.where(hit, counts, 0.0)

    def logp2(self, a: IntArray, b: IntArray) -> FloatArray:
        """log P(b | a), interpolated absolute discounting over unigrams."""
        d = float(self.meta["discount"])
        cnt, _, _ = self.bigram_count(a, b)
        ca = self._uni[a]
        safe = np.maximum(ca, 1.0)
        p = np.maximum(cnt - d, 0.0) / safe + np.where(ca > 0, self._uni_lambda[a], 1.0) * self._p1[b]
        return np.log(p)

    def logp3(self, a: IntArray, b: IntArray, c: IntArray) -> FloatArray:
        """log P(c | a b), interpolated with the bigram model (the back-off weight is stored per bigram)."""
        d = float(self.meta["discount"])
        cab, idx, hit = self.bigram_count(a, b)
        lam = np.where(hit, np.exp(-np.asarray(self.arrays["bi_bow"][idx], dtype=np.float64) / 16.0), 1.0)
        p2 = np.exp(self.logp2(b, c))
        cabc = self.trigram_count(a, b, c)
        p = np.where(cab > 0, np.maximum(cabc - d, 0.0) / np.maximum(cab, 1.0), 0.0) + lam * p2
        return np.log(p)

    def quad_seen(self, a: IntArray, b: IntArray, c: IntArray, d: IntArray) -> npt.NDArray[np.bool_]:
        """Whether the 4-gram a b c d (all Han) is in the 4-gram filter (a few % false positives)."""
        bits = int(self.meta["quad_bits"])
        table = self.arrays["quad_bits"]
        with np.errstate(over="ignore"):
            key = (
                (a.astype(np.uint64) << np.uint64(48))
                | (b.astype(np.uint64) << np.uint64(32))
                | (c.astype(np.uint64) << np.uint64(16))
                | d.astype(np.uint64)
            )
            h = ((key * _QUAD_MULT) >> np.uint64(64 - bits)).astype(np.int64)
        hit = (np.asarray(table[h >> 3]) >> (h & 7).astype(np.uint8)) & 1
        han = (a >= FIRST_HAN) & (b >= FIRST_HAN) & (c >= FIRST_HAN) & (d >= FIRST_HAN)
        return han & (hit > 0)

    # --- words ----------------------------------------------------------------------------------
    def word_info(self, keys: npt.NDArray[np.uint64]) -> tuple[FloatArray, npt.NDArray[np.int64]]:
        """(log2 frequency, flags) of packed word keys; frequency −1 for an unknown word."""
        table = self.arrays["word_keys"]
        idx = np.minimum(np.searchsorted(table, keys), len(table) - 1)
        hit = table[idx] == keys
        info = np.asarray(self.arrays["word_info"][idx], dtype=np.int64)
        freq = np.where(hit, (info >> 2) / 4.0, -1.0)
        flags = np.where(hit, info & 3, 0)
        return freq, flags

    def word(self, ids: list[int]) -> tuple[float, int]:
        """(log2 frequency, flags) of one word given by character ids; (−1, 0) if unknown."""
        if not 2 <= len(ids) <= 4 or min(ids) < FIRST_HAN:
            return -1.0, 0
        key = 0
        for i in ids:
            key = (key << 16) | i
        freq, flags = self.word_info(np.array([key], dtype=np.uint64))
        return float(freq[0]), int(flags[0])

    # --- candidates -----------------------------------------------------------------------------
    def candidates(self, ids: IntArray) -> tuple[npt.NDArray[np.intp], IntArray, IntArray]:
        """Every (row, candidate id, kind bits) for the characters `ids`, `row` indexing `ids`."""
        ptr = self.arrays["cand_ptr"]
        start = np.asarray(ptr[ids], dtype=np.int64)
        count = np.asarray(ptr[ids + 1], dtype=np.int64) - start
        rows = np.repeat(np.arange(len(ids)), count)
        offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        flat = start[rows] + offsets
        return (
            rows,
            np.asarray(self.arrays["cand_ids"][flat], dtype=np.int64),
            np.asarray(self.arrays["cand_kind"][flat], dtype=np.int64),
        )

    def size_bytes(self) -> int:
        return sum((self.directory / f"{name}.npy").stat().st_size for name in _ARRAYS)


_CACHE: dict[Path, Model] = {}
_LOCK = threading.Lock()


def load_model(directory: Path) -> Model:
    """One shared Model per directory (the arrays are still read only when first queried)."""
    key = Path(directory).resolve()
    with _LOCK:
        model = _CACHE.get(key)
        if model is None:
            model = _CACHE[key] = Model(key)
        return model
