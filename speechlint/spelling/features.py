"""From a text to scored (position, candidate) pairs, vectorised with NumPy.

Four passes, each on fewer pairs than the one before, so that plain text costs a few NumPy operations
per character and only a handful of pairs per page reach the full score (docs/spelling.md):

1. screen: a Han character that forms a bigram the model has never seen with a Han neighbour (数|局),
   where the build's bit table says a confusable character would form a common one (数|据);
2. repair: of their candidates, those that turn an unseen bigram into a seen one and break none;
3. prescreen (detector.py): a linear score on PRE_FEATURES, read from dense tables and the 4-gram filter;
4. features: language-model gain, dictionary words on both sides of the repaired junction, the gain of
   the best word segmentation around the position, attested n-grams and 4-grams, character frequencies
   and the kind of similarity; `FEATURES` in params.py names them in order. A linear score with the
   pack's weights ranks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from speechlint.spelling.model import FIRST_HAN, IDIOM, NEAR, SAME, SHAPE, TABLE, FloatArray, IntArray, Model

if TYPE_CHECKING:
    from speechlint.spelling.joint import JointPairs

PAD = 3
_LOG_STEPS = 16.0
# the features of the prescreen (Scorer.prefeatures), in the order of its weight vector
PRE_FEATURES = (
    "quad_cand",
    "quad_orig",
    "same_sound",
    "near_sound",
    "shape",
    "table",
    "both_unseen",
    "bigram_left_cand",
    "bigram_right_cand",
    "bigram_left_orig",
    "bigram_right_orig",
    "unigram_cand",
    "unigram_orig",
    "left_rel_cand",
    "right_rel_cand",
    "bigram_gain",
    "bias",
)
HALF = 3  # the word segmentation looks at this many characters on each side
_WORD_LOG2_TOTAL = 26.0  # dictionary frequencies are counts out of about 2**26 words
# (start offset, length) of every 2-4 character word that can cover a position
SPANS = tuple((start, length) for length in (2, 3, 4) for start in range(-(length - 1), 1))


@dataclass
class Pairs:
    """Candidate substitutions: text index, candidate id, kind bits and feature rows (see FEATURES)."""

    pos: IntArray
    cand: IntArray
    kind: IntArray
    features: FloatArray
    pre: FloatArray | None = None  # PRE_FEATURES rows (kept by the evaluation, which fits the prescreen)
    joint: JointPairs | None = None  # two-character word substitutions (joint.py), when enabled

    def __len__(self) -> int:
        return len(self.pos)


@dataclass
class Screened:
    """Positions that pass the screen, with their neighbours and which adjacent bigram is unseen."""

    pos: IntArray
    prev: IntArray
    next: IntArray
    bad_l: npt.NDArray[np.bool_]
    bad_r: npt.NDArray[np.bool_]


@dataclass
class Repairs:
    """(position, candidate, kind) pairs and which unseen bigram of the original each repairs."""

    pos: IntArray
    cand: IntArray
    kind: IntArray
    bad_l: npt.NDArray[np.bool_]
    bad_r: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.pos)

    def select(self, keep: npt.NDArray[np.bool_]) -> Repairs:
        return Repairs(self.pos[keep], self.cand[keep], self.kind[keep], self.bad_l[keep], self.bad_r[keep])


class Scorer:
    """The vectorised passes over one model; the dense tables are built on first use."""

    def __init__(self, model: Model) -> None:
        self.model = model

    @cached_property
    def _tables(self) -> tuple[int, npt.NDArray[np.uint8], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Dense tables over the `v` commonest characters (ids < v), flat index a * v + b:
        `seen` — log(1 + count) of the bigram a b in steps of 1/16 (0: not in the model); `fix_l` / `fix_r` — from the build: some confusable
        character x of b (of a) makes a common bigram a x (x b) (model.py, `screen_l` / `screen_r`)."""
        m = self.model
        v = int(m.meta["screen_chars"])
        keys = np.asarray(m.arrays["bi_keys"], dtype=np.int64)
        a, b = keys >> 16, keys & 0xFFFF
        inside = (a < v) & (b < v)
        seen = np.zeros(v * v, dtype=np.uint8)
        cnt = np.asarray(m.arrays["bi_cnt"], dtype=np.float64)[inside]
        seen[a[inside] * v + b[inside]] = np.clip(np.round(np.log1p(cnt) * _LOG_STEPS), 1, 255).astype(np.uint8)
        fix_l = np.unpackbits(np.asarray(m.arrays["screen_l"]))[: v * v].view(bool)
        fix_r = np.unpackbits(np.asarray(m.arrays["screen_r"]))[: v * v].view(bool)
        return v, seen, fix_l, fix_r

    def seen(self, a: IntArray, b: IntArray) -> npt.NDArray[np.bool_]:
        """Whether the model has the bigram a b."""
        v, seen, _, _ = self._tables
        inside = (a < v) & (b < v)
        if inside.all():
            return seen[a * v + b] > 0
        out = np.zeros(len(a), dtype=bool)
        out[inside] = seen[a[inside] * v + b[inside]] > 0
        out[~inside] = self.model.bigram_count(a[~inside], b[~inside])[2]
        return out

    def log_bigram(self, a: IntArray, b: IntArray) -> FloatArray:
        """log(1 + count) of the bigram a b, 0 when not in the model (a dense table for the common
        characters, in steps of 1/16; a search otherwise)."""
        v, seen, _, _ = self._tables
        inside = (a < v) & (b < v)
        if inside.all():
            return seen[a * v + b] / _LOG_STEPS
        out = np.zeros(len(a))
        out[inside] = seen[a[inside] * v + b[inside]] / _LOG_STEPS
        out[~inside] = np.log1p(self.model.bigram_count(a[~inside], b[~inside])[0])
        return out

    def prefeatures(self, ids: IntArray, rep: Repairs) -> FloatArray:
        """One row of PRE_FEATURES per pair: what the dense tables and the 4-gram filter say, cheap
        enough for every pair; a linear prescreen on them drops the pairs that cannot pass."""
        m = self.model
        padded = np.concatenate([np.zeros(PAD, np.int64), ids, np.zeros(PAD, np.int64)])
        p = rep.pos + PAD
        l3, ll, lc, c, r, rr, r3 = (padded[p + k] for k in range(-3, 4))
        x = rep.cand
        bl_x, br_x = self.log_bigram(lc, x), self.log_bigram(x, r)
        bl_c, br_c = self.log_bigram(lc, c), self.log_bigram(c, r)
        u_x, u_c = np.log1p(m.unigram_count(x)), np.log1p(m.unigram_count(c))

        def quads(y: IntArray) -> FloatArray:
            return (
                m.quad_seen(l3, ll, lc, y).astype(np.float64)
                + m.quad_seen(ll, lc, y, r)
                + m.quad_seen(lc, y, r, rr)
                + m.quad_seen(y, r, rr, r3)
            )

        cols = [
            quads(x),
            quads(c),
            (rep.kind & SAME) > 0,
            (rep.kind & NEAR) > 0,
            (rep.kind & SHAPE) > 0,
            (rep.kind & TABLE) > 0,
            rep.bad_l & rep.bad_r,
            bl_x,
            br_x,
            bl_c,
            br_c,
            u_x,
            u_c,
            bl_x - u_x,
            br_x - u_x,
            bl_x + br_x - bl_c - br_c,
            np.ones(len(p)),
        ]
        return np.stack([np.asarray(col, dtype=np.float64) for col in cols], axis=1)

    # --- pass 1 ---------------------------------------------------------------------------------
    def screen(self, ids: IntArray) -> Screened:
        """Han characters next to a Han neighbour with which they form a bigram the model has never
        seen, where a confusable character would form a common one (大数局: 数局 unseen, 数据 common)."""
        v, _, fix_l, fix_r = self._tables
        n = len(ids)
        prev = np.zeros(n, dtype=ids.dtype)
        nxt = np.zeros(n, dtype=ids.dtype)
        prev[1:] = ids[:-1]
        nxt[:-1] = ids[1:]
        han = ids >= FIRST_HAN
        bad_l = han & (prev >= FIRST_HAN)
        bad_l[bad_l] = ~self.seen(prev[bad_l], ids[bad_l])
        bad_r = np.zeros(n, dtype=bool)
        bad_r[:-1] = bad_l[1:]  # the right bigram of i is the left bigram of i + 1
        # is the unseen bigram repairable from this side?
        common = ids < v
        fl = bad_l.copy()
        sel = fl & common & (prev < v)
        fl[sel] = fix_l[prev[sel] * v + ids[sel]]
        fr = bad_r.copy()
        sel = fr & common & (nxt < v)
        fr[sel] = fix_r[ids[sel] * v + nxt[sel]]
        pos = np.flatnonzero(fl | fr)
        return Screened(pos, prev[pos], nxt[pos], bad_l[pos], bad_r[pos])

    # --- pass 2 ---------------------------------------------------------------------------------
    def repair_pairs(self, ids: IntArray, s: Screened) -> Repairs:
        """(position, candidate, kind) where the candidate leaves fewer unseen bigrams around the
        position than the original (数局 → 数据), and breaks none that was seen."""
        rows, cand, kind = self.model.candidates(ids[s.pos])
        if not len(rows):
            return Repairs(rows, cand, kind, s.bad_l[rows], s.bad_r[rows])
        a, b = s.prev[rows], s.next[rows]
        bl, br = s.bad_l[rows], s.bad_r[rows]
        ok_l = a < FIRST_HAN
        ok_l[~ok_l] = self.seen(a[~ok_l], cand[~ok_l])
        ok_r = b < FIRST_HAN
        ok_r[~ok_r] = self.seen(cand[~ok_r], b[~ok_r])
        keep = (ok_l | bl) & (ok_r | br) & ((bl & ok_l) | (br & ok_r))
        return Repairs(s.pos[rows[keep]], cand[keep], kind[keep], bl[keep], br[keep])

    # --- pass 3 ---------------------------------------------------------------------------------
    def features(self, ids: IntArray, rep: Repairs, rare_count: float, gain_knee: float) -> FloatArray:
        """One row of FEATURES per pair. What depends on the original alone is computed once per
        position (a position has a few candidates)."""
        m = self.model
        pos, cand, kind = rep.pos, rep.cand, rep.kind
        padded = np.concatenate([np.zeros(PAD, np.int64), ids, np.zeros(PAD, np.int64)])
        uniq, inv = np.unique(pos, return_inverse=True)
        o = {k: v[..., inv] for k, v in self._side(padded, uniq + PAD, padded[uniq + PAD]).items()}
        x = self._side(padded, pos + PAD, cand)
        p = pos + PAD
        lc, r = padded[p - 1], padded[p + 1]
        c = padded[p]
        gain = x["tri"] - o["tri"]
        word_c, word_o = x["word"], o["word"]
        span_c, span_o = x["spans"], o["spans"]
        # the same span read both ways: 规划 is a word where 规化 is none (化工 nearby does not count)
        span_repair = np.where(span_c >= 0, span_c - np.maximum(span_o, 0.0), -1.0).max(axis=0)
        count_o = m.unigram_count(c)
        # spans that cross an unseen bigram of the original (its left or right junction)
        cross_l = np.array([start <= -1 for start, _ in SPANS])[:, None] & rep.bad_l[None, :]
        cross_r = np.array([start + length - 1 >= 1 for start, length in SPANS])[:, None] & rep.bad_r[None, :]
        crossing = cross_l | cross_r
        # the candidate's best word across the repaired junction (数据 in 大数局); the original's best word
        # that stays on one side of its unseen junctions (a junction between two words is no slip)
        through = np.where(crossing, span_c, -1.0).max(axis=0)
        inner = np.where(~crossing, span_o, -1.0).max(axis=0)
        b_l = np.where(rep.bad_l, x["log_left"], np.inf)
        b_r = np.where(rep.bad_r, x["log_right"], np.inf)
        # the side that was fine: does the candidate keep it as good (淤积 → 于积 does not)?
        keep_l = np.where(~rep.bad_l & (lc >= FIRST_HAN), x["log_left"] - o["log_left"], 0.0)
        keep_r = np.where(~rep.bad_r & (r >= FIRST_HAN), x["log_right"] - o["log_right"], 0.0)
        seg = self.segment_gain(padded, uniq + PAD, inv, c, cand, span_o, span_c)
        cols = [
            gain,
            x["bi"] - o["bi"],
            np.maximum(word_c, 0.0),
            np.maximum(word_o, 0.0),
            word_c >= 0,
            word_o >= 0,
            x["idiom"],
            o["idiom"],
            np.log1p(count_o),
            np.log1p(m.unigram_count(cand)),
            count_o < rare_count,
            (word_c >= 0) & (word_o < 0),
            np.maximum(span_repair, 0.0),
            np.maximum(gain - gain_knee, 0.0),
            o["seen"],
            x["seen"],
            (kind & SAME) > 0,
            (kind & NEAR) > 0,
            (kind & SHAPE) > 0,
            (kind & TABLE) > 0,
            rep.bad_l & rep.bad_r,
            np.minimum(b_l, b_r),
            x["log_tri"],
            np.maximum(through, 0.0),
            through >= 0,
            np.maximum(inner, 0.0),
            inner >= 0,
            np.minimum(keep_l, keep_r),
            seg,
            o["quads"],
            x["quads"],
            np.ones(len(pos)),
        ]
        return np.stack([np.asarray(col, dtype=np.float64) for col in cols], axis=1)

    def _side(self, padded: IntArray, p: IntArray, x: IntArray) -> dict[str, FloatArray]:
        """What the model says about character x written at padded positions p."""
        m = self.model
        l3, ll, lc, r, rr, r3 = (padded[p + k] for k in (-3, -2, -1, 1, 2, 3))
        t1, t2, t3 = m.trigram_count(ll, lc, x), m.trigram_count(lc, x, r), m.trigram_count(x, r, rr)
        b1, b2 = m.bigram_count(lc, x)[0], m.bigram_count(x, r)[0]
        word, idiom, spans = self.word_support(padded, p, x)
        return {
            "tri": m.logp3(ll, lc, x) + m.logp3(lc, x, r) + m.logp3(x, r, rr),
            "bi": m.logp2(lc, x) + m.logp2(x, r),
            # how many of the five n-grams through the position the corpus attests
            "seen": (t1 > 0).astype(np.float64) + (t2 > 0) + (t3 > 0) + (b1 > 0) + (b2 > 0),
            "log_tri": np.log1p(np.maximum.reduce([t1, t2, t3])),
            "log_left": np.log1p(b1),
            "log_right": np.log1p(b2),
            "word": word,
            "idiom": idiom,
            "spans": spans,
            # how many of the four 4-grams through the position the corpus attests (4-gram filter)
            "quads": (
                m.quad_seen(l3, ll, lc, x).astype(np.float64)
                + m.quad_seen(ll, lc, x, r)
                + m.quad_seen(lc, x, r, rr)
                + m.quad_seen(x, r, rr, r3)
            ),
        }

    def segment_gain(
        self,
        padded: IntArray,
        uniq: IntArray,
        inv: IntArray,
        c: IntArray,
        x: IntArray,
        span_o: FloatArray,
        span_c: FloatArray,
    ) -> FloatArray:
        """Log-probability gain of the best word segmentation of the seven characters around each pair's
        position when x replaces c (对淤积严重: 对/淤积/严重 beats 对于/积/严重), words from the dictionary,
        single characters from the corpus. `uniq` are the padded positions, `inv` maps pairs to them."""
        m = self.model
        n = len(inv)
        ln2 = float(np.log(2.0))

        def char_lp(ids: IntArray) -> FloatArray:
            return np.where(ids >= FIRST_HAN, np.log(m._p1[ids]), 0.0)

        # spans that do not cover the centre are the same for both readings: looked up once per position
        shared: dict[tuple[int, int], FloatArray] = {}
        keys, where = [], []
        for start in range(2 * HALF + 1):
            for length in (2, 3, 4):
                if start + length > 2 * HALF + 1 or start <= HALF < start + length:
                    continue
                key = np.zeros(len(uniq), dtype=np.uint64)
                ok = np.ones(len(uniq), dtype=bool)
                for j in range(length):
                    ch = padded[uniq + start + j - HALF]
                    ok &= ch >= FIRST_HAN
                    key = (key << np.uint64(16)) | ch.astype(np.uint64)
                keys.append(np.where(ok, key, np.uint64(0)))
                where.append((start, length))
        freq, _ = m.word_info(np.concatenate(keys))
        for k, span in enumerate(where):
            shared[span] = freq[k * len(uniq) : (k + 1) * len(uniq)][inv]
        around = [char_lp(padded[uniq + k - HALF])[inv] for k in range(2 * HALF + 1)]
        out = []
        for centre, spans in ((c, span_o), (x, span_c)):
            chars = list(around)
            chars[HALF] = char_lp(centre)
            words = dict(shared)
            for row, (start, length) in enumerate(SPANS):
                words[(start + HALF, length)] = spans[row]
            best = [np.zeros(n)]
            for j in range(1, 2 * HALF + 2):
                b = best[j - 1] + chars[j - 1]
                for length in (2, 3, 4):
                    if j - length >= 0:
                        f = words[(j - length, length)]
                        b = np.maximum(b, np.where(f >= 0, best[j - length] + (f - _WORD_LOG2_TOTAL) * ln2, -np.inf))
                best.append(b)
            out.append(best[-1])
        return np.asarray(out[1] - out[0], dtype=np.float64)

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
