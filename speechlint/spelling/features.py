"""From a text to scored (position, candidate) pairs, vectorised with NumPy.

Three passes, each on fewer positions than the one before, so that plain text costs a few NumPy
operations per character and only a handful of pairs per page reach the full score:

1. screen: two bit tables (built with the model) say where a character's neighbour forms a common
   bigram with one of its confusable characters but a rare one with the character itself (规|化 beside
   规|划). Characters outside the tables (rare ones) always pass.
2. bigram gain: for the screened positions, every candidate is tried with a dense table of bigram
   log-probability bonuses; pairs that gain at least `screen_gain` nats go on.
3. features: trigram language-model gain, dictionary words the candidate makes and the original
   breaks (成语 included), character frequencies and the kind of similarity; `FEATURES` in params.py
   names them in order. A linear score with the pack's weights ranks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from speechlint.spelling.model import FIRST_HAN, IDIOM, NEAR, SAME, SHAPE, TABLE, FloatArray, IntArray, Model

PAD = 3
# (start offset, length) of every 2-4 character word that can cover a position
SPANS = tuple((start, length) for length in (2, 3, 4) for start in range(-(length - 1), 1))


@dataclass
class Pairs:
    """Candidate substitutions: text index, candidate id, kind bits and feature rows (see FEATURES)."""

    pos: IntArray
    cand: IntArray
    kind: IntArray
    features: FloatArray

    def __len__(self) -> int:
        return len(self.pos)


class Scorer:
    """The vectorised passes over one model; the dense tables are built on first use."""

    def __init__(self, model: Model) -> None:
        self.model = model

    @cached_property
    def _screen(self) -> tuple[int, np.ndarray, np.ndarray]:
        v = int(self.model.meta["screen_chars"])
        left = np.unpackbits(np.asarray(self.model.arrays["screen_l"]))[: v * v].view(bool)
        right = np.unpackbits(np.asarray(self.model.arrays["screen_r"]))[: v * v].view(bool)
        return v, left, right

    @cached_property
    def _dense(self) -> tuple[int, npt.NDArray[np.float32], FloatArray]:
        """log P2(b|a) = base[a] + log P1(b) + bonus[a, b] for a, b < v (bonus 0 for unseen bigrams)."""
        m = self.model
        v = int(m.meta["screen_chars"])
        keys = np.asarray(m.arrays["bi_keys"], dtype=np.int64)
        a, b = keys >> 16, keys & 0xFFFF
        inside = (a < v) & (b < v)
        a, b = a[inside], b[inside]
        cnt = np.asarray(m.arrays["bi_cnt"], dtype=np.float64)[inside]
        d = float(m.meta["discount"])
        uni = m.unigram_count(a)
        lam = m._uni_lambda[a]
        bonus = np.log1p(np.maximum(cnt - d, 0.0) / (np.maximum(uni, 1.0) * lam * m._p1[b]))
        table = np.zeros(v * v, dtype=np.float32)
        table[a * v + b] = bonus
        # per character: log λ(c) + log P1(c), the part of a bigram score that does not depend on the pair
        own = np.log(m._uni_lambda) + np.log(m._p1)
        return v, table, own

    # --- pass 1 ---------------------------------------------------------------------------------
    def screen(self, ids: IntArray) -> IntArray:
        """Indexes of Han characters worth scoring."""
        v, left, right = self._screen
        n = len(ids)
        prev = np.empty(n, dtype=np.int64)
        nxt = np.empty(n, dtype=np.int64)
        prev[0] = 0
        prev[1:] = ids[:-1]
        nxt[-1:] = 0
        nxt[:-1] = ids[1:]
        han = ids >= FIRST_HAN
        rare = han & (ids >= v)
        common = han & ~rare
        c = np.where(common, ids, 0)
        lp = np.where(prev < v, prev, 0)
        rn = np.where(nxt < v, nxt, 0)
        hit = left[lp * v + c] | right[c * v + rn]
        # a rare neighbour is outside the tables: its side is decided by the bigram gain
        hit |= (prev >= v) | (nxt >= v)
        return np.flatnonzero((common & hit) | rare)

    # --- pass 2 ---------------------------------------------------------------------------------
    def bigram_pairs(self, ids: IntArray, positions: IntArray, min_gain: float) -> tuple[IntArray, IntArray, IntArray]:
        """(position, candidate, kind) whose bigram gain reaches `min_gain`."""
        m = self.model
        rows, cand, kind = m.candidates(ids[positions])
        if not len(rows):
            return rows, cand, kind
        pos = positions[rows]
        n = len(ids)
        c = ids[pos]
        left = np.where(pos > 0, ids[np.maximum(pos - 1, 0)], 0)
        right = np.where(pos < n - 1, ids[np.minimum(pos + 1, n - 1)], 0)
        v, table, own = self._dense
        inside = (left < v) & (right < v) & (c < v) & (cand < v)
        gain = np.full(len(pos), np.inf)
        if inside.any():
            li, ri, ci, xi = left[inside], right[inside], c[inside], cand[inside]
            gain[inside] = (
                own[xi] - own[ci] + table[li * v + xi] - table[li * v + ci] + table[xi * v + ri] - table[ci * v + ri]
            )
        if (~inside).any():  # rare characters: the exact bigram model
            lo, ro, co, xo = left[~inside], right[~inside], c[~inside], cand[~inside]
            gain[~inside] = m.logp2(lo, xo) + m.logp2(xo, ro) - m.logp2(lo, co) - m.logp2(co, ro)
        keep = gain >= min_gain
        return pos[keep], cand[keep], kind[keep]

    # --- pass 3 ---------------------------------------------------------------------------------
    def features(
        self, ids: IntArray, pos: IntArray, cand: IntArray, kind: IntArray, rare_count: float, gain_knee: float
    ) -> FloatArray:
        """One row of FEATURES per pair."""
        m = self.model
        padded = np.concatenate([np.zeros(PAD, np.int64), ids, np.zeros(PAD, np.int64)])
        p = pos + PAD
        ll, lc, c, r, rr = padded[p - 2], padded[p - 1], padded[p], padded[p + 1], padded[p + 2]

        def tri(x: IntArray) -> FloatArray:
            return m.logp3(ll, lc, x) + m.logp3(lc, x, r) + m.logp3(x, r, rr)

        def bi(x: IntArray) -> FloatArray:
            return m.logp2(lc, x) + m.logp2(x, r)

        def seen(x: IntArray) -> FloatArray:
            """How many of the five n-grams through the position the corpus attests."""
            return (
                (m.trigram_count(ll, lc, x) > 0).astype(np.float64)
                + (m.trigram_count(lc, x, r) > 0)
                + (m.trigram_count(x, r, rr) > 0)
                + (m.bigram_count(lc, x)[0] > 0)
                + (m.bigram_count(x, r)[0] > 0)
            )

        gain = tri(cand) - tri(c)
        gain2 = bi(cand) - bi(c)
        word_c, idiom_c, span_c = self.word_support(padded, p, cand)
        word_o, idiom_o, span_o = self.word_support(padded, p, c)
        # the same span read both ways: 规划 is a word where 规化 is none (化工 nearby does not count)
        span_repair = np.where(span_c >= 0, span_c - np.maximum(span_o, 0.0), -1.0).max(axis=0)
        count_o = m.unigram_count(c)
        cols = [
            gain,
            gain2,
            np.maximum(word_c, 0.0),
            np.maximum(word_o, 0.0),
            word_c >= 0,
            word_o >= 0,
            idiom_c,
            idiom_o,
            np.log1p(count_o),
            np.log1p(m.unigram_count(cand)),
            count_o < rare_count,
            (word_c >= 0) & (word_o < 0),
            np.maximum(span_repair, 0.0),
            np.maximum(gain - gain_knee, 0.0),
            seen(c),
            seen(cand),
            (kind & SAME) > 0,
            (kind & NEAR) > 0,
            (kind & SHAPE) > 0,
            (kind & TABLE) > 0,
            np.ones(len(pos)),
        ]
        return np.stack([np.asarray(col, dtype=np.float64) for col in cols], axis=1)

    def word_support(self, padded: IntArray, p: IntArray, x: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Best log2 frequency of a 2-4 character word covering p with x written there (−1: none),
        whether one of those words is a 成语, and the frequency of every span (rows: SPANS)."""
        keys = []
        valid = []
        for start, length in SPANS:
            key = np.zeros(len(p), dtype=np.uint64)
            ok = np.ones(len(p), dtype=bool)
            for j in range(length):
                q = p + start + j
                ch = x if start + j == 0 else padded[q]
                ok &= ch >= FIRST_HAN
                key = (key << np.uint64(16)) | ch.astype(np.uint64)
            keys.append(key)
            valid.append(ok)
        freq, flags = self.model.word_info(np.concatenate(keys))
        ok_all = np.concatenate(valid)
        freq = np.where(ok_all, freq, -1.0).reshape(len(SPANS), -1)
        idiom = (np.where(ok_all, flags, 0) & IDIOM).reshape(len(SPANS), -1)
        return freq.max(axis=0), idiom.max(axis=0).astype(np.float64), freq
