"""The entry point: `Detector(model, params, user_words).detect(text) -> list[Suspect]`.

How it decides (details in docs/spelling.md): every character that passes the screen is replaced by
each character that sounds or looks like it; a pair is scored by a linear function of its features
(how much more probable the trigram model finds the sentence, which dictionary words the candidate
makes and the original breaks, character frequencies, kind of similarity), with weights fitted on
training folds of ECSpell odw. The best candidate of a position is reported when its score passes the
threshold (a lower one when it completes a 成语 the original breaks), unless a guard covers the
position; of neighbouring positions only the best is kept, so one slip gives one suspect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from speechlint.spelling.features import Pairs, Scorer
from speechlint.spelling.guards import Guards
from speechlint.spelling.model import FIRST_HAN, IDIOM, NEAR, SAME, SHAPE, IntArray, Model
from speechlint.spelling.params import FEATURES, Params

_KIND_NAMES = ((SAME, "同音"), (NEAR, "近音"), (SHAPE, "形近"))
_COMMON_WORD = 10.0  # log2 frequency above which a word is called common in the explanation


@dataclass(frozen=True)
class Suspect:
    """One suspected slip. `start`/`end` cover the wrong character in the text; `word_*` the word
    around it (what the message shows and the fix replaces)."""

    start: int
    end: int
    wrong: str
    right: str
    score: float
    kind: str
    reason: str
    word_start: int
    word_end: int
    word_wrong: str
    word_right: str


def kind_name(bits: int) -> str:
    for bit, name in _KIND_NAMES:
        if bits & bit:
            return name
    return "易混"


class Detector:
    """Finds one-character slips in a text; building one reads nothing from the model."""

    def __init__(self, model: Model, params: Params, user_words: Iterable[str] = ()) -> None:
        self.model = model
        self.params = params
        self.guards = Guards(params, user_words)

    @cached_property
    def scorer(self) -> Scorer:
        return Scorer(self.model)

    @cached_property
    def _weights(self) -> np.ndarray:
        return np.array(self.params.weight_vector(), dtype=np.float64)

    @cached_property
    def _skip_pairs(self) -> set[tuple[int, int]]:
        index = self.model.char_index
        out = set()
        for pair in self.params.skip_pairs:
            if len(pair) == 2 and pair[0] in index and pair[1] in index:
                out.add((index[pair[0]], index[pair[1]]))
        return out

    # --- scoring --------------------------------------------------------------------------------
    def pairs(self, text: str) -> tuple[IntArray, Pairs]:
        """Character ids of `text` and every candidate pair that survives the screens, with features."""
        ids = self.model.encode(text)
        p = self.params
        positions = self.scorer.screen(ids)
        empty = Pairs(positions[:0], positions[:0], positions[:0], np.zeros((0, len(FEATURES))))
        if not len(positions):
            return ids, empty
        pos, cand, kind = self.scorer.bigram_pairs(ids, positions, p.screen_gain)
        if self._skip_pairs and len(pos):
            drop = np.array(
                [(int(a), int(b)) in self._skip_pairs for a, b in zip(ids[pos], cand, strict=False)], dtype=bool
            )
            pos, cand, kind = pos[~drop], cand[~drop], kind[~drop]
        if not len(pos):
            return ids, empty
        feats = self.scorer.features(ids, pos, cand, kind, p.rare_count, p.gain_knee)
        keep = feats[:, 0] >= p.min_gain
        return ids, Pairs(pos[keep], cand[keep], kind[keep], feats[keep])

    def scores(self, pairs: Pairs) -> np.ndarray:
        return np.asarray(pairs.features @ self._weights, dtype=np.float64)

    # --- the entry point ------------------------------------------------------------------------
    def detect(self, text: str) -> list[Suspect]:
        if not text:
            return []
        ids, pairs = self.pairs(text)
        if not len(pairs):
            return []
        return self.decide(text, ids, pairs, self.scores(pairs), self.params.threshold, self.params.idiom_threshold)

    def decide(
        self, text: str, ids: IntArray, pairs: Pairs, scores: np.ndarray, threshold: float, idiom_threshold: float
    ) -> list[Suspect]:
        """The suspects among scored pairs (separate from `detect` so that evaluation can try other
        weights and thresholds without recomputing features)."""
        idiom_col = FEATURES.index("idiom_cand")
        idiom_orig_col = FEATURES.index("idiom_orig")
        idiom = (pairs.features[:, idiom_col] > 0) & (pairs.features[:, idiom_orig_col] == 0)
        passed = (scores > threshold) | (idiom & (scores > idiom_threshold))
        # a common word that the original character is part of is taken as right (盼头, 滑雪)
        passed &= pairs.features[:, FEATURES.index("word_orig")] < self.params.protect_word
        if not passed.any():
            return []
        order = np.flatnonzero(passed)
        order = order[np.argsort(-scores[order], kind="stable")]
        blocked = self.guards.blocked_spans(text)
        chosen: list[int] = []
        taken: list[int] = []
        gap = self.params.merge_distance
        for k in order.tolist():
            i = int(pairs.pos[k])
            if any(abs(i - t) <= gap for t in taken):
                continue  # one suspect per slip: a better one nearby already explains it (a slip also
                # disturbs its neighbours' scores)
            if any(s <= i < e for s, e in blocked) or self.guards.blocks(text, i):
                continue
            chosen.append(k)
            taken.append(i)
        return sorted((self._suspect(text, ids, pairs, k, float(scores[k])) for k in chosen), key=lambda s: s.start)

    # --- the report -----------------------------------------------------------------------------
    def _suspect(self, text: str, ids: IntArray, pairs: Pairs, k: int, score: float) -> Suspect:
        i = int(pairs.pos[k])
        cand = int(pairs.cand[k])
        right_char = self.model.char(cand)
        start, end, right_freq, right_flags = self._best_word(ids, i, cand)
        word_wrong = text[start:end]
        word_right = word_wrong[: i - start] + right_char + word_wrong[i - start + 1 :]
        kind = kind_name(int(pairs.kind[k]))
        wrong_freq, _ = self.model.word([int(x) for x in ids[start:end]]) if end - start >= 2 else (-1.0, 0)
        parts = [kind]
        if right_flags & IDIOM:
            parts.append(f"“{word_right}”是成语")
        elif right_freq >= _COMMON_WORD:
            parts.append(f"“{word_right}”在公文中常见")
        elif right_freq >= 0:
            parts.append(f"“{word_right}”是常用词")
        else:
            parts.append(f"“{word_right}”更通顺")
        parts.append(f"“{word_wrong}”不成词" if wrong_freq < 0 else f"“{word_wrong}”在此处不通")
        reason = "；".join([parts[0], "，".join(parts[1:])])
        return Suspect(
            start=i,
            end=i + 1,
            wrong=text[i],
            right=right_char,
            score=score,
            kind=kind,
            reason=reason,
            word_start=start,
            word_end=end,
            word_wrong=word_wrong,
            word_right=word_right,
        )

    def _best_word(self, ids: IntArray, i: int, cand: int) -> tuple[int, int, float, int]:
        """The commonest 2-4 character word that covers `i` once `cand` is written there; failing
        that, the character and its Han neighbour (规化 rather than 化)."""
        n = len(ids)
        best: tuple[float, int, int, int] | None = None
        for length in (4, 3, 2):
            for start in range(i - length + 1, i + 1):
                end = start + length
                if start < 0 or end > n:
                    continue
                window = [int(x) for x in ids[start:end]]
                window[i - start] = cand
                if min(window) < FIRST_HAN:
                    continue
                freq, flags = self.model.word(window)
                if freq >= 0 and (best is None or (freq + length) > best[0]):
                    best = (freq + length, start, end, flags)
        if best is not None:
            return best[1], best[2], best[0] - (best[2] - best[1]), best[3]
        if i + 1 < n and ids[i + 1] >= FIRST_HAN:
            return i, i + 2, -1.0, 0
        if i > 0 and ids[i - 1] >= FIRST_HAN:
            return i - 1, i + 1, -1.0, 0
        return i, i + 1, -1.0, 0
