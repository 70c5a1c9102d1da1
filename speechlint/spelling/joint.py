"""Two adjacent characters typed for a word that sounds or looks like them (桂花 → 规划, 乖买 → 拐卖).

Why a pass of its own: an input method often writes a whole word wrongly (the right syllables, the wrong
word), so both characters are wrong. Replacing either one alone leaves a bigram the model has never seen,
or breaks one it has (衔接桂花: 接规 is fine but 规花 is not), so the one-character repair pass drops every
candidate: on ECSpell odw.train such word slips were a third of the sentences the detector missed.

Only the pairs of characters around a position that passed the screen are tried (the screen already says
that a bigram there is unseen and repairable), and only with candidates that make seen bigrams with the
outer neighbours and with each other, and a dictionary word together. The survivors get JOINT_FEATURES,
scored by a linear function fitted like the one-character weights (benchmarks/spelling_eval.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from speechlint.spelling.features import PAD, Scorer
from speechlint.spelling.model import FIRST_HAN, NEAR, SAME, USUAL, FloatArray, IntArray, Model

# the features of one (start, first candidate, second candidate) triple, in the order of the weights
JOINT_FEATURES = (
    "gain",
    "word_cand",
    "word_orig",
    "has_word_orig",
    "long_word",
    "seen_cand",
    "seen_orig",
    "quad_cand",
    "quad_orig",
    "log_count_orig",
    "log_count_cand",
    "both_sound",
    "inner_unseen",
    "outer_unseen",
    "word_outside",
    "has_word_outside",
    "bias",
)
# from this many character pairs on, the cut candidate table is built once and reused
_TABLE_AFTER = 2000
# 2-3 character spans that hold one of the two characters and reach outside them (泵以及: 以及)
_OUTSIDE_SPANS = ((-1, 2), (-2, 3), (1, 2), (1, 3))
# 3-4 character spans (start offset from the first character, length) that cover both characters
_LONG_SPANS = ((-1, 3), (0, 3), (-2, 4), (-1, 4), (0, 4))


@dataclass
class JointPairs:
    """Candidate word substitutions: `pos` is the first of the two characters, `cand` / `cand2` what is
    written at pos and pos + 1, `kind` / `kind2` their similarity bits, `features` JOINT_FEATURES rows."""

    pos: IntArray
    cand: IntArray
    cand2: IntArray
    kind: IntArray
    kind2: IntArray
    features: FloatArray

    def __len__(self) -> int:
        return len(self.pos)

    def select(self, keep: np.ndarray) -> JointPairs:
        return JointPairs(
            self.pos[keep], self.cand[keep], self.cand2[keep], self.kind[keep], self.kind2[keep], self.features[keep]
        )


def empty_joint() -> JointPairs:
    z = np.zeros(0, dtype=np.int64)
    return JointPairs(z, z, z, z, z, np.zeros((0, len(JOINT_FEATURES))))


def joint_pairs(
    scorer: Scorer, ids: IntArray, screened_pos: IntArray, min_word: float, same_sound: bool, usual: bool = False
) -> JointPairs:
    """Word substitutions over the character pairs (p − 1, p) and (p, p + 1) of every screened position p.
    `min_word`: the log2 frequency the new word needs; `same_sound`: both candidates must be homophones
    (an input method's slip; otherwise near sounds count too). Shapes never count: a whole word is
    mistyped by sound."""
    n = len(ids)
    starts = np.unique(np.concatenate([screened_pos - 1, screened_pos]))
    starts = starts[(starts >= 0) & (starts + 1 < n)]
    if len(starts):
        starts = starts[(ids[starts] >= FIRST_HAN) & (ids[starts + 1] >= FIRST_HAN)]
    if not len(starts):
        return empty_joint()
    m = scorer.model
    a, b = ids[starts], ids[starts + 1]
    left = np.where(starts > 0, ids[np.maximum(starts - 1, 0)], 0)
    right = np.where(starts + 2 < n, ids[np.minimum(starts + 2, n - 1)], 0)
    # the two bigrams beside and the one between: at least one is unseen (that is why p was screened)
    inner_seen = scorer.seen(a, b)
    keep_mask = SAME if same_sound else SAME | NEAR
    if usual:  # homophones in a reading people say: 给予 is no slip for 技术 (予 zhù, 术 zhú are rare readings)
        keep_mask = USUAL if same_sound else USUAL | NEAR

    common = int(m.meta["screen_chars"])

    long = len(starts) >= _TABLE_AFTER
    if long:
        pair_ok, begins, ends = _word_table(m, min_word)

    def side(chars: IntArray, other: IntArray, first: bool) -> tuple[IntArray, IntArray, IntArray]:
        if not long:  # a short text: cut only its own candidates (no table to build)
            rows, cand, kind = m.candidates(chars)
            ok = ((kind & keep_mask) > 0) & (cand < common)
            rows, cand, kind = rows[ok], cand[ok], kind[ok]
        else:
            ptr, table_ids, table_kind = _sound_table(m, keep_mask)
            start = ptr[chars]
            count = ptr[chars + 1] - start
            rows = np.repeat(np.arange(len(chars)), count)
            flat = start[rows] + (np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count))
            cand, kind = table_ids[flat], table_kind[flat]
            # only candidates that begin (end) some common word can make one
            ok = (begins if first else ends)[cand]
            rows, cand, kind = rows[ok], cand[ok], kind[ok]
        nb = other[rows]
        fine = nb < FIRST_HAN
        fine[~fine] = scorer.seen(nb[~fine], cand[~fine]) if first else scorer.seen(cand[~fine], nb[~fine])
        return rows[fine], cand[fine], kind[fine]

    ra, xa, ka = side(a, left, True)
    rb, xb, kb = side(b, right, False)
    if not len(ra) or not len(rb):
        return empty_joint()
    # cross product of the candidates of the same start
    cnt_b = np.bincount(rb, minlength=len(starts))
    first_b = np.cumsum(cnt_b) - cnt_b
    rep = cnt_b[ra]
    ia = np.repeat(np.arange(len(ra)), rep)
    ib = first_b[ra[ia]] + (np.arange(int(rep.sum())) - np.repeat(np.cumsum(rep) - rep, rep))
    row = ra[ia]
    x, y = xa[ia], xb[ib]
    if long:
        ok = pair_ok[x * common + y]
        ok[ok] = scorer.seen(x[ok], y[ok])
    else:
        ok = scorer.seen(x, y)
    row, x, y, kx, ky = row[ok], x[ok], y[ok], ka[ia][ok], kb[ib][ok]
    freq, _ = m.word_info((x.astype(np.uint64) << np.uint64(16)) | y.astype(np.uint64))
    ok = freq >= min_word
    row, x, y, kx, ky, freq = row[ok], x[ok], y[ok], kx[ok], ky[ok], freq[ok]
    if not len(row):
        return empty_joint()
    pos = starts[row]
    padded = np.concatenate([np.zeros(PAD + 1, np.int64), ids, np.zeros(PAD + 1, np.int64)])
    p = pos + PAD + 1
    orig = _window(scorer, padded, p, padded[p], padded[p + 1])
    cand = _window(scorer, padded, p, x, y)
    orig_word, _ = m.word_info((padded[p].astype(np.uint64) << np.uint64(16)) | padded[p + 1].astype(np.uint64))
    outside = _outside_words(scorer, padded, p)
    out_l = (padded[p - 1] >= FIRST_HAN) & ~scorer.seen(padded[p - 1], padded[p])
    out_r = (padded[p + 2] >= FIRST_HAN) & ~scorer.seen(padded[p + 1], padded[p + 2])
    cols = [
        cand["lp"] - orig["lp"],
        freq,
        np.maximum(orig_word, 0.0),
        orig_word >= 0,
        np.maximum(cand["long"], 0.0),
        cand["seen"],
        orig["seen"],
        cand["quads"],
        orig["quads"],
        np.log1p(m.unigram_count(padded[p])) + np.log1p(m.unigram_count(padded[p + 1])),
        np.log1p(m.unigram_count(x)) + np.log1p(m.unigram_count(y)),
        ((kx & SAME) > 0) & ((ky & SAME) > 0),
        ~inner_seen[row],
        out_l.astype(np.int64) + out_r,
        np.maximum(outside, 0.0),
        outside >= 0,
        np.ones(len(pos)),
    ]
    feats = np.stack([np.asarray(c, dtype=np.float64) for c in cols], axis=1)
    return JointPairs(pos, x, y, kx, ky, feats)


@lru_cache(maxsize=4)
def _sound_table(model: Model, mask: int) -> tuple[IntArray, IntArray, IntArray]:
    """The model's candidate table (CSR) cut to the candidates of kind `mask` among the characters of the
    screen's dense tables (the commonest): a word slip is made by sound, and writes a common word, so the
    cut table is a fraction of the whole and every bigram test is one gather."""
    ptr = np.asarray(model.arrays["cand_ptr"], dtype=np.int64)
    ids = np.asarray(model.arrays["cand_ids"])
    kind = np.asarray(model.arrays["cand_kind"])
    keep = ((kind & mask) > 0) & (ids < int(model.meta["screen_chars"]))
    kept = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    new_ptr = kept[ptr]
    return new_ptr, ids[keep].astype(np.int64), kind[keep].astype(np.int64)


@lru_cache(maxsize=4)
def _word_table(model: Model, min_word: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Over the screen's commonest characters: which pairs x y are a word of log2 frequency ≥ `min_word`
    (flat x * v + y), and which characters begin / end such a word. For long batches: one gather instead
    of a search per pair of the cross product."""
    v = int(model.meta["screen_chars"])
    keys = np.asarray(model.arrays["word_keys"], dtype=np.uint64)
    two = keys < np.uint64(1 << 32)
    x = (keys[two] >> np.uint64(16)).astype(np.int64)
    y = (keys[two] & np.uint64(0xFFFF)).astype(np.int64)
    freq = (np.asarray(model.arrays["word_info"], dtype=np.int64)[two] >> 2) / 4.0
    inside = (x < v) & (y < v) & (freq >= min_word)
    x, y = x[inside], y[inside]
    table = np.zeros(v * v, dtype=bool)
    table[x * v + y] = True
    begins = np.zeros(v, dtype=bool)
    ends = np.zeros(v, dtype=bool)
    begins[x] = True
    ends[y] = True
    return table, begins, ends


def _outside_words(scorer: Scorer, padded: IntArray, p: IntArray) -> FloatArray:
    """Best log2 frequency of a word that one of the two original characters makes with its outer
    neighbours (−1: none): such a pair straddles a word boundary (采样泵|以及, 光碟|时) rather than being
    one mistyped word."""
    keys = []
    for start, length in _OUTSIDE_SPANS:
        key = np.zeros(len(p), dtype=np.uint64)
        ok = np.ones(len(p), dtype=bool)
        for j in range(start, start + length):
            ch = padded[p + j]
            ok &= ch >= FIRST_HAN
            key = (key << np.uint64(16)) | ch.astype(np.uint64)
        keys.append(np.where(ok, key, np.uint64(0)))
    freq, _ = scorer.model.word_info(np.concatenate(keys))
    return np.asarray(freq.reshape(len(_OUTSIDE_SPANS), -1).max(axis=0), dtype=np.float64)


def _window(scorer: Scorer, padded: IntArray, p: IntArray, x: IntArray, y: IntArray) -> dict[str, FloatArray]:
    """What the model says about x y written at padded positions p, p + 1: trigram log-probability of the
    four trigrams through them, how many of those the corpus attests, 4-grams attested, longer words."""
    m = scorer.model
    l2, l1, r1, r2 = padded[p - 2], padded[p - 1], padded[p + 2], padded[p + 3]
    tri = ((l2, l1, x), (l1, x, y), (x, y, r1), (y, r1, r2))
    lp = sum(m.logp3(*t) for t in tri)
    seen = sum((m.trigram_count(*t) > 0).astype(np.float64) for t in tri)
    quads = m.quad_seen(l2, l1, x, y).astype(np.float64) + m.quad_seen(l1, x, y, r1) + m.quad_seen(x, y, r1, r2)
    keys = []
    for start, length in _LONG_SPANS:
        key = np.zeros(len(p), dtype=np.uint64)
        ok = np.ones(len(p), dtype=bool)
        for j in range(start, start + length):
            ch = x if j == 0 else y if j == 1 else padded[p + j]
            ok &= ch >= FIRST_HAN
            key = (key << np.uint64(16)) | ch.astype(np.uint64)
        keys.append(np.where(ok, key, np.uint64(0)))
    freq, _ = m.word_info(np.concatenate(keys))
    long = freq.reshape(len(_LONG_SPANS), -1).max(axis=0)
    return {"lp": np.asarray(lp, dtype=np.float64), "seen": np.asarray(seen), "quads": quads, "long": long}
