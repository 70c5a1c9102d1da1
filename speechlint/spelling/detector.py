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
import numpy.typing as npt

from speechlint.spelling.features import PRE_FEATURES, Pairs, Scorer
from speechlint.spelling.guards import Guards
from speechlint.spelling.joint import JOINT_FEATURES, JointPairs, empty_joint, joint_pairs
from speechlint.spelling.model import FIRST_HAN, IDIOM, NEAR, SAME, SHAPE, IntArray, Model
from speechlint.spelling.params import FEATURES, Params

_KIND_NAMES = ((SAME, "同音"), (NEAR, "近音"), (SHAPE, "形近"))
_COMMON_WORD = 10.0
_IDIOM_CAND, _IDIOM_ORIG, _WORD_ORIG, _WORD_CAND, _HAS_WORD_ORIG = (
    FEATURES.index(n) for n in ("idiom_cand", "idiom_orig", "word_orig", "word_cand", "has_word_orig")
)  # log2 frequency above which a word is called common in the explanation


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
    @cached_property
    def _pre_weights(self) -> np.ndarray | None:
        w = self.params.prescreen_weights
        return np.array([w[name] for name in PRE_FEATURES], dtype=np.float64) if w else None

    @cached_property
    def _skip_keys(self) -> IntArray:
        return np.array(sorted((a << 16) | b for a, b in self._skip_pairs), dtype=np.int64)

    def pairs(self, text: str, keep_pre: bool = False) -> tuple[IntArray, Pairs]:
        """Character ids of `text` and every candidate pair that survives the screens, with features, and
        the word substitutions (`Pairs.joint`) when the pack has joint weights.
        `keep_pre`: skip the prescreen and keep its features in the pairs (for fitting it); the word
        substitutions are then always computed."""
        ids = self.model.encode(text)
        p = self.params
        screened = self.scorer.screen(ids)
        positions = screened.pos
        want_joint = keep_pre or bool(p.joint_weights)
        none = positions[:0]
        if not len(positions):
            return ids, Pairs(
                none, none, none, np.zeros((0, len(FEATURES))), joint=empty_joint() if want_joint else None
            )
        rep = self.scorer.repair_pairs(ids, screened)
        if len(self._skip_keys) and len(rep):
            rep = rep.select(~np.isin((ids[rep.pos] << 16) | rep.cand, self._skip_keys))
        pre = self.scorer.prefeatures(ids, rep) if len(rep) else np.zeros((0, len(PRE_FEATURES)))
        passed = (
            pre @ self._pre_weights >= p.prescreen_cut if self._pre_weights is not None else np.ones(len(rep), bool)
        )
        joint = None
        if want_joint:
            # a word substitution is tried where no one-character repair got past the prescreen
            explained = np.unique(rep.pos[passed]) if p.joint_unexplained else none
            joint = self._joint(ids, np.setdiff1d(positions, explained, assume_unique=True))
        if not keep_pre and self._pre_weights is not None:
            rep, pre = rep.select(passed), pre[passed]
        if not len(rep):
            return ids, Pairs(none, none, none, np.zeros((0, len(FEATURES))), joint=joint)
        feats = self.scorer.features(ids, rep, p.rare_count, p.gain_knee)
        keep = feats[:, 0] >= p.min_gain
        pairs = Pairs(
            rep.pos[keep], rep.cand[keep], rep.kind[keep], feats[keep], pre[keep] if keep_pre else None, joint
        )
        return ids, pairs

    def _joint(self, ids: IntArray, positions: IntArray) -> JointPairs:
        if not len(positions):
            return empty_joint()
        p = self.params
        return joint_pairs(self.scorer, ids, positions, p.joint_min_word, p.joint_same_sound, p.joint_usual_reading)

    @cached_property
    def _joint_weights(self) -> np.ndarray | None:
        w = self.params.joint_weights
        return np.array([w[name] for name in JOINT_FEATURES], dtype=np.float64) if w else None

    def joint_scores(self, joint: JointPairs | None) -> np.ndarray:
        """Scores of the word substitutions with the pack's joint weights (none without weights)."""
        if joint is None or self._joint_weights is None or not len(joint):
            return np.zeros(0)
        return np.asarray((joint.features * self._joint_weights).sum(axis=1), dtype=np.float64)

    def scores(self, pairs: Pairs) -> np.ndarray:
        # row by row (not a matrix product), so that a pair scores the same in any batch
        return np.asarray((pairs.features * self._weights).sum(axis=1), dtype=np.float64)

    # --- the entry point ------------------------------------------------------------------------
    def detect(self, text: str) -> list[Suspect]:
        return self.detect_many([text])[0]

    def detect_many(self, texts: list[str]) -> list[list[Suspect]]:
        """The suspects of each text. The texts are scored together, joined by line breaks (a boundary
        for every n-gram), so that a batch of short documents costs a few array passes, not a few per
        document; only the documents with a pair above the threshold are looked at one by one."""
        out: list[list[Suspect]] = [[] for _ in texts]
        if not any(texts):
            return out
        joined = "\n".join(texts)
        ids, pairs = self.pairs(joined)
        joint = pairs.joint
        jscores = self.joint_scores(joint)
        p = self.params
        scores = self.scores(pairs) if len(pairs) else np.zeros(0)
        passed = self._passing(pairs, scores, p.threshold, p.idiom_threshold) if len(pairs) else np.zeros(0, bool)
        jpassed = jscores > p.joint_threshold
        if not passed.any() and not jpassed.any():
            return out
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        doc_of = np.searchsorted(starts, pairs.pos, side="right") - 1
        jdoc_of = np.searchsorted(starts, joint.pos, side="right") - 1 if joint is not None else np.zeros(0, int)
        docs = np.unique(np.concatenate([doc_of[passed], jdoc_of[jpassed]]))
        for d in docs.tolist():
            sel = np.flatnonzero(doc_of == d)
            lo = int(starts[d])
            local_joint = None
            jlocal = np.zeros(0)
            if joint is not None and len(jscores):
                jsel = np.flatnonzero(jdoc_of == d)
                local_joint = joint.select(jsel)
                local_joint.pos = local_joint.pos - lo
                jlocal = jscores[jsel]
            local = Pairs(pairs.pos[sel] - lo, pairs.cand[sel], pairs.kind[sel], pairs.features[sel], joint=local_joint)
            text = texts[d]
            out[d] = self.decide(
                text, ids[lo : lo + len(text)], local, scores[sel], p.threshold, p.idiom_threshold, jlocal
            )
        return out

    def _passing(self, pairs: Pairs, scores: np.ndarray, threshold: float, idiom_threshold: float) -> np.ndarray:
        idiom = (pairs.features[:, _IDIOM_CAND] > 0) & (pairs.features[:, _IDIOM_ORIG] == 0)
        passed = (scores > threshold) | (idiom & (scores > idiom_threshold))
        # a common word that the original character is part of is taken as right (盼头, 滑雪)
        return np.asarray(passed & (pairs.features[:, _WORD_ORIG] < self.params.protect_word))

    def decide(
        self,
        text: str,
        ids: IntArray,
        pairs: Pairs,
        scores: np.ndarray,
        threshold: float,
        idiom_threshold: float,
        joint_scores: np.ndarray | None = None,
        joint_threshold: float | None = None,
    ) -> list[Suspect]:
        """The suspects among scored pairs (separate from `detect` so that evaluation can try other
        weights and thresholds without recomputing features). Word substitutions (`pairs.joint`, scored
        by `joint_scores`) compete with the one-character suspects on their score."""
        gap = self.params.merge_distance
        joint = pairs.joint
        if joint_scores is None:
            joint_scores = self.joint_scores(joint)
        jth = self.params.joint_threshold if joint_threshold is None else joint_threshold
        # (score, is a word substitution, index): both scores are log-odds, so the likelier explanation of a
        # slip comes first, and its neighbours within `merge_distance` give way
        queue: list[tuple[float, bool, int]] = []
        passed = self._passing(pairs, scores, threshold, idiom_threshold) if len(pairs) else np.zeros(0, bool)
        order = np.flatnonzero(passed)
        blocked = self.blocked(text, pairs, order) if len(order) else np.zeros(len(pairs), bool)
        queue += [(float(scores[k]), False, k) for k in order.tolist() if not blocked[k]]
        if joint is not None and len(joint_scores):
            jorder = np.flatnonzero(joint_scores > jth)
            jblocked = self.blocked_joint(text, joint, jorder)
            queue += [(float(joint_scores[k]), True, k) for k in jorder.tolist() if not jblocked[k]]
        queue.sort(key=lambda item: -item[0])
        chosen: list[Suspect] = []
        taken: list[int] = []
        for score, is_joint, k in queue:
            assert joint is not None or not is_joint
            covered = (
                [int(joint.pos[k]), int(joint.pos[k]) + 1] if is_joint and joint is not None else [int(pairs.pos[k])]
            )
            if any(abs(i - t) <= gap for i in covered for t in taken):
                continue  # one suspect per slip: a better one nearby already explains it (a slip also
                # disturbs its neighbours' scores)
            if is_joint and joint is not None:
                suspect = self._joint_suspect(text, joint, k, score)
            else:
                suspect = self._suspect(text, ids, pairs, k, score)
            taken += covered
            if self._echoes(text, ids, suspect) or self._breaks_frame(text, suspect):
                continue
            chosen.append(suspect)
        return sorted(chosen, key=lambda s: s.start)

    def blocked_joint(self, text: str, joint: JointPairs, which: IntArray | None = None) -> npt.NDArray[np.bool_]:
        """Per word substitution (only those `which`, when given): a guard covers either character. The
        guards never give way here: a name is two characters as often as one."""
        out = np.zeros(len(joint), dtype=bool)
        idx = np.arange(len(joint)) if which is None else which
        if not len(idx):
            return out
        spans = self.guards.blocked_spans(text)
        for k in idx.tolist():
            i = int(joint.pos[k])
            out[k] = any(
                self.guards.blocks(text, j) is not None or any(s <= j < e for s, e, _ in spans) for j in (i, i + 1)
            )
        return out

    def _joint_suspect(self, text: str, joint: JointPairs, k: int, score: float) -> Suspect:
        i = int(joint.pos[k])
        right = self.model.char(int(joint.cand[k])) + self.model.char(int(joint.cand2[k]))
        kind = kind_name(int(joint.kind[k]) & int(joint.kind2[k]) or int(joint.kind[k]))
        wrong = text[i : i + 2]
        freq = float(joint.features[k, JOINT_FEATURES.index("word_cand")])
        common = "在公文中常见" if freq >= _COMMON_WORD else "是常用词"
        orig_is_word = joint.features[k, JOINT_FEATURES.index("has_word_orig")] > 0
        reason = f"{kind}；“{right}”{common}，“{wrong}”{'在此处不通' if orig_is_word else '不成词'}"
        return Suspect(i, i + 2, wrong, right, score, kind, reason, i, i + 2, wrong, right)

    def blocked(self, text: str, pairs: Pairs, which: IntArray | None = None) -> npt.NDArray[np.bool_]:
        """Per pair (only the pairs `which`, when given): a guard covers its position. A name, place,
        organisation or quoted-term guard gives way when the original character makes no dictionary
        word at all and the candidate makes a common one (党祖书记 → 党组, 边江地区 → 边疆, 自冶区 → 自治区):
        the 'surname' or 'suffix' is then part of an ordinary word, not of a name."""
        out = np.zeros(len(pairs), dtype=bool)
        idx = np.arange(len(pairs)) if which is None else which
        if not len(idx):
            return out
        spans = self.guards.blocked_spans(text)
        waive = self.params.guard_waive
        f = pairs.features
        for k in idx.tolist():
            i = int(pairs.pos[k])
            why = self.guards.blocks(text, i)
            if why is None:
                why = next((kind for s, e, kind in spans if s <= i < e), None)
            if why is None:
                continue
            strong = bool(f[k, _HAS_WORD_ORIG] == 0 and f[k, _WORD_CAND] >= self.params.waive_word)
            out[k] = not (why in waive and strong)
        return out

    def _breaks_frame(self, text: str, s: Suspect) -> bool:
        """The suggested word swallows the frame of parallel clauses (做好当家人，耕好责任田 → 更好: the
        frame is X好 + noun, and 耕 is its varied slot): parallelism varies the slot on purpose."""
        if not self.params.parallel:
            return False
        return any(s.word_start <= j < s.word_end for j in self.guards.parallel_frame(text, s.start))

    def _echoes(self, text: str, ids: IntArray, s: Suspect) -> bool:
        """The suggested word already stands right next to the original, and the original is a word
        too: a parallel list (有奔头、有盼头) varies its words on purpose, and the suggestion would only
        repeat the neighbour. An original that is no word (环境监管……实施监菅) is rather a slip of the
        word standing nearby."""
        window = self.params.echo_window
        if window <= 0 or len(s.word_right) < 2:
            return False
        if self.model.word([int(x) for x in ids[s.word_start : s.word_end]])[0] < 0:
            return False
        before = text[max(0, s.word_start - window) : s.word_start]
        after = text[s.word_end : s.word_end + window]
        return s.word_right in before or s.word_right in after

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
        spans: list[tuple[int, int]] = []
        keys: list[int] = []
        for length in (4, 3, 2):
            for start in range(i - length + 1, i + 1):
                end = start + length
                if start < 0 or end > n:
                    continue
                window = [int(x) for x in ids[start:end]]
                window[i - start] = cand
                if min(window) < FIRST_HAN:
                    continue
                key = 0
                for c in window:
                    key = (key << 16) | c
                spans.append((start, end))
                keys.append(key)
        best: tuple[float, int, int, int] | None = None
        if keys:
            freqs, flags = self.model.word_info(np.array(keys, dtype=np.uint64))
            for (start, end), freq, flag in zip(spans, freqs.tolist(), flags.tolist(), strict=True):
                if freq >= 0 and (best is None or (freq + end - start) > best[0]):
                    best = (freq + end - start, start, end, int(flag))
        if best is not None:
            return best[1], best[2], best[0] - (best[2] - best[1]), best[3]
        if i + 1 < n and ids[i + 1] >= FIRST_HAN:
            return i, i + 2, -1.0, 0
        if i > 0 and ids[i - 1] >= FIRST_HAN:
            return i - 1, i + 1, -1.0, 0
        return i, i + 1, -1.0, 0
