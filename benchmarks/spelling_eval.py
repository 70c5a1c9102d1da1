#!/usr/bin/env python3
"""Quality and speed of the context spelling detector (`typo.context`, rules/spelling.yaml). Issue #10.

What it measures (all figures are printed; `--write-doc` puts them into docs/spelling.md):

* **odw, k-fold cross-validation** (ECSpell odw.train, 1,720 公文 sentences `n<TAB>source<TAB>target`):
  the sentences are split into K folds; on the K−1 training folds the feature weights are fitted by
  L2-regularised logistic regression (a pair is positive when its position is a wrong character) and
  the threshold is chosen as the lowest one whose *training* precision reaches `--train-precision`;
  the held-out fold is then scored with those weights and that threshold. The model itself never saw
  odw text (tools/build_spelling_model.py --exclude drops every corpus sentence that overlaps it).
* **Detection criterion (sentence level)**: a source sentence is *flagged* when the detector reports
  anything in it. A flagged sentence is a true positive when the sentence has at least one wrong
  character (source != target) **and every suspect covers a wrong character** (its start..end span
  contains an index where source and target differ); otherwise it is a false positive. Precision =
  TP / flagged, recall = TP / sentences with errors.
* **Out of domain**: ECSpell law.train and med.train (never the *.test files), with the shipped weights.
* **False alarms on correct official prose**: share of the held-out sentences of the corpora split
  (`$SPEECHLINT_CORPORA/split/heldout/*.txt`, one sentence per line, never used to build the model)
  with any finding, per source.
* **Threshold curve**: pooled held-out-fold precision / recall as the threshold moves around the
  per-fold choice, the shipped default marked.
* **Speed** (pinned to one core): the detector alone over the held-out prose, cut into ~10 KB documents,
  in MB/s of UTF-8, against reading + decoding the same bytes in the same run; and one 10 KB speech end
  to end through the CLI (`speechlint check`), median of several runs.

`--fit` also refits the weights and threshold on all of odw.train and writes them into the pack
(`--write-pack`): that is how the shipped values are made. Nothing here is a unit test.

    python benchmarks/spelling_eval.py --fit --write-pack --write-doc
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _common
import numpy as np
import yaml

from speechlint.spelling import FEATURES, Detector, Params, load_model
from speechlint.spelling.features import PRE_FEATURES, Pairs
from speechlint.spelling.joint import JOINT_FEATURES

REPO = Path(__file__).resolve().parent.parent
PACK = REPO / "rules" / "spelling.yaml"
DOC = REPO / "docs" / "spelling.md"
SHARED = Path(os.environ.get("SPEECHLINT_SHARED_DATA", REPO.parent / "shared" / "data"))
CORPORA = os.environ.get("SPEECHLINT_CORPORA")
ECSPELL = os.environ.get("SPEECHLINT_ECSPELL")  # a directory holding law.train and med.train
RULE_ID = "typo.context"


# --- data ---------------------------------------------------------------------------------------
@dataclass
class Row:
    source: str
    target: str

    @property
    def wrong(self) -> set[int]:
        if len(self.source) == len(self.target):
            return {i for i, (a, b) in enumerate(zip(self.source, self.target, strict=False)) if a != b}
        import difflib

        out: set[int] = set()
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, self.source, self.target).get_opcodes():
            if tag != "equal":
                out.update(range(i1, max(i2, i1 + 1)))
        return out


def read_ecspell(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 3:
            rows.append(Row(cells[1], cells[2]))
    return rows


def pack_rule(pack: Path) -> dict[str, Any]:
    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    return next(r for r in data["rules"] if r["id"] == RULE_ID)


# --- scoring ------------------------------------------------------------------------------------
@dataclass
class Scored:
    text: str
    ids: np.ndarray
    pairs: Pairs
    wrong: set[int]
    blocked: np.ndarray  # per pair: a guard covers its position (does not depend on the weights)
    target: str | None = None  # the corrected sentence, when it aligns character by character
    jblocked: np.ndarray | None = None  # per word substitution (pairs.joint): a guard covers it


def featurise(detector: Detector, texts: list[tuple[str, set[int]]], targets: list[str] | None = None) -> list[Scored]:
    out = []
    for n, (text, wrong) in enumerate(texts):
        ids, pairs = detector.pairs(text, keep_pre=True)
        blocked = detector.blocked(text, pairs)
        target = targets[n] if targets is not None and len(targets[n]) == len(text) else None
        jblocked = detector.blocked_joint(text, pairs.joint) if pairs.joint is not None else None
        out.append(Scored(text, ids, pairs, wrong, blocked, target, jblocked))
    return out


@dataclass
class Scoring:
    """Weights of the score, and the prescreen (weights on PRE_FEATURES and a cut) that drops pairs
    before they are scored: a dropped pair never passes."""

    w: np.ndarray
    pre_w: np.ndarray | None = None
    cut: float = 0.0
    jw: np.ndarray | None = None  # weights of the word substitutions (JOINT_FEATURES)
    jth: float = 99.0  # their threshold

    def joint_scores(self, pairs: Pairs) -> np.ndarray:
        if self.jw is None or pairs.joint is None or not len(pairs.joint):
            return np.zeros(0)
        return np.asarray(pairs.joint.features @ self.jw, dtype=np.float64)

    def scores(self, pairs: Pairs) -> np.ndarray:
        out = np.asarray(pairs.features @ self.w, dtype=np.float64)
        if self.pre_w is not None and pairs.pre is not None:
            out = np.where(pairs.pre @ self.pre_w >= self.cut, out, -np.inf)
        return out


def top_scores(items: list[Scored], sc: Scoring, margin: float, protect: float) -> np.ndarray:
    """Per sentence, the highest score of an unguarded pair (an idiom pair counts `margin` more):
    the sentence is flagged exactly when this exceeds the threshold."""
    idiom = FEATURES.index("idiom_cand"), FEATURES.index("idiom_orig")
    out = np.full(len(items), -np.inf)
    for n, s in enumerate(items):
        if len(s.pairs):
            f = s.pairs.features
            eff = sc.scores(s.pairs) + margin * ((f[:, idiom[0]] > 0) & (f[:, idiom[1]] == 0))
            eff = eff[~s.blocked & (f[:, FEATURES.index("word_orig")] < protect)]
            if len(eff):
                out[n] = eff.max()
    return out


def joint_top(items: list[Scored], sc: Scoring) -> np.ndarray:
    """Per sentence, the highest score of an unguarded word substitution."""
    out = np.full(len(items), -np.inf)
    for n, s in enumerate(items):
        js = sc.joint_scores(s.pairs)
        if len(js) and s.jblocked is not None:
            js = js[~s.jblocked]
            if len(js):
                out[n] = js.max()
    return out


def joint_labels(s: Scored, index: dict[str, int]) -> np.ndarray:
    """1 for the substitution that writes the right word where both characters are wrong, 0 where both
    are right, −1 (left out) otherwise."""
    j = s.pairs.joint
    assert j is not None
    out = np.zeros(len(j))
    for k, (p, x, y) in enumerate(zip(j.pos.tolist(), j.cand.tolist(), j.cand2.tolist(), strict=True)):
        w1, w2 = p in s.wrong, p + 1 in s.wrong
        if w1 and w2 and s.target is not None and index.get(s.target[p]) == x and index.get(s.target[p + 1]) == y:
            out[k] = 1.0
        elif w1 or w2:
            out[k] = -1.0
    return out


def fit_joint(items: list[Scored], l2: float, index: dict[str, int]) -> np.ndarray | None:
    """Weights of the word substitutions: a logistic regression like `fit_weights`."""
    use = [s for s in items if s.pairs.joint is not None and len(s.pairs.joint) and s.jblocked is not None]
    if not use:
        return None
    x = np.concatenate([s.pairs.joint.features[~s.jblocked] for s in use if s.pairs.joint is not None])
    y = np.concatenate([joint_labels(s, index)[~s.jblocked] for s in use if s.jblocked is not None])
    if not (y == 1).any():
        return None
    return logistic(x[y >= 0], y[y >= 0], l2, JOINT_FEATURES.index("bias"))


def labels(s: Scored, index: dict[str, int]) -> np.ndarray:
    """1 for the pair that writes the right character at a wrong position, 0 for a pair at a right
    position, −1 (left out of the fit) for another candidate at a wrong position: the detection would
    count, but the pair does not describe the slip, and as a positive it would teach the weights that
    any candidate at a wrong position is good."""
    out = np.zeros(len(s.pairs))
    for k, (p, c) in enumerate(zip(s.pairs.pos.tolist(), s.pairs.cand.tolist(), strict=True)):
        if p in s.wrong:
            out[k] = 1.0 if s.target is None or index.get(s.target[p]) == c else -1.0
    return out


def fit_weights(items: list[Scored], l2: float, index: dict[str, int]) -> np.ndarray:
    """Weights of the score: a logistic regression on the features of the unguarded pairs, so that
    `features @ w` is the log-odds that the pair describes a slip."""
    xs = [s.pairs.features[~s.blocked] for s in items if len(s.pairs)]
    ys = [labels(s, index)[~s.blocked] for s in items if len(s.pairs)]
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    return logistic(x[y >= 0], y[y >= 0], l2, FEATURES.index("bias"))


def logistic(x: np.ndarray, y: np.ndarray, l2: float, bias: int) -> np.ndarray:
    """L2-regularised logistic regression (Newton steps) on standardised columns; raw-scale weights."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    mu[bias], sd[bias] = 0.0, 1.0
    z = (x - mu) / sd
    w = np.zeros(z.shape[1])
    reg = l2 * np.eye(len(w))
    reg[bias, bias] = 0.0
    for _ in range(60):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + reg @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    raw = w / sd
    raw[bias] = w[bias] - float((w / sd) @ mu)
    return raw


def fit_scoring(
    items: list[Scored], args: argparse.Namespace, index: dict[str, int], extra: Sequence[Scored] = ()
) -> Scoring:
    """The weights, then the prescreen: a logistic regression on the cheap PRE_FEATURES that predicts
    a score above `--pre-floor`, cut where it keeps `--pre-keep` of the pairs scoring above
    `--pre-floor` + 1 (a speed device: it only drops pairs that would almost never pass)."""
    w = fit_weights(items, args.l2, index)
    jw = fit_joint(items + list(extra), args.l2, index) if args.joint else None
    if not args.prescreen:
        return Scoring(w, jw=jw)
    pre = np.concatenate([s.pairs.pre for s in items if len(s.pairs) and s.pairs.pre is not None])
    score = np.concatenate([s.pairs.features @ w for s in items if len(s.pairs) and s.pairs.pre is not None])
    pre_w = logistic(pre, (score > args.pre_floor).astype(np.float64), 0.1, PRE_FEATURES.index("bias"))
    target = pre @ pre_w
    cut = float(np.quantile(target[score > args.pre_floor + 1.0], 1.0 - args.pre_keep))
    return Scoring(w, pre_w, cut, jw)


def verdicts(detector: Detector, items: list[Scored], sc: Scoring, th: float, margin: float) -> list[int]:
    """Per sentence: 0 not flagged, 1 flagged correctly, −1 flagged wrongly."""
    out = []
    for s in items:
        if not len(s.pairs):
            out.append(0)
            continue
        found = detector.decide(
            s.text, s.ids, s.pairs, sc.scores(s.pairs), th, th - margin, sc.joint_scores(s.pairs), sc.jth
        )
        if not found:
            out.append(0)
        elif s.wrong and all(any(i in s.wrong for i in range(f.start, f.end)) for f in found):
            out.append(1)
        else:
            out.append(-1)
    return out


def pr(v: list[int], items: list[Scored]) -> tuple[float, float, int, int]:
    tp = sum(1 for x in v if x == 1)
    fp = sum(1 for x in v if x == -1)
    pos = sum(1 for s in items if s.wrong)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / pos if pos else 0.0), tp, fp


def choose_threshold(
    detector: Detector,
    train: list[Scored],
    clean: list[Scored],
    sc: Scoring,
    args: argparse.Namespace,
    extra: list[Scored] = (),  # type: ignore[assignment]
    neg: Sequence[tuple[str, list[Scored]]] = (),
) -> float:
    """The lowest threshold whose training precision reaches the target and whose training false-alarm
    rate on correct sentences stays within `--train-fa` (highest recall under both), and, with held-back
    negatives (`--neg-clean`), whose false-alarm rate on each of their sources stays within `--neg-fa`. The
    word substitutions' threshold (`sc.jth`) is chosen first, alone, under stricter limits
    (`--joint-precision`, `--joint-fa`); the one-character threshold then shares the false-alarm budget."""
    grid = np.arange(args.grid_lo, args.grid_hi, 0.1)
    best = float(grid[-1])
    # the limit holds for the listed sources pooled (all of them by default)
    limited = [x for name, items in neg if not args.neg_limited or name in args.neg_limited for x in items]
    if sc.jw is not None:
        sc.jth = choose_joint_threshold(train, clean + list(extra), sc, args)
    jflag = joint_top(clean, sc) > sc.jth
    tops = top_scores(clean, sc, args.idiom_margin, detector.params.protect_word)
    neg_top = top_scores(limited, sc, args.idiom_margin, detector.params.protect_word)
    neg_joint = joint_top(limited, sc) > sc.jth
    for th in grid[::-1]:
        p, _, tp, _ = pr(verdicts(detector, train, sc, th, args.idiom_margin), train)
        fa = float(((tops > th) | jflag).mean()) if len(clean) else 0.0
        neg_fa = float(((neg_top > th) | neg_joint).mean()) if len(limited) else 0.0
        if tp == 0:
            continue  # above every score: nothing flagged yet
        if p >= args.train_precision and fa <= args.train_fa and neg_fa <= args.neg_fa:
            best = float(th)
        else:
            break
    return round(best, 2)


def choose_joint_threshold(train: list[Scored], clean: list[Scored], sc: Scoring, args: argparse.Namespace) -> float:
    """The lowest threshold at which the word substitutions alone keep training precision (the best one
    of a sentence covers a wrong character) ≥ `--joint-precision` and flag ≤ `--joint-fa` of the correct
    training sentences."""
    tops = joint_top(train, sc)
    ctops = joint_top(clean, sc)
    good = np.zeros(len(train), dtype=bool)
    for n, s in enumerate(train):
        js = sc.joint_scores(s.pairs)
        if len(js) and s.pairs.joint is not None and s.jblocked is not None:
            js = np.where(s.jblocked, -np.inf, js)
            p = int(s.pairs.joint.pos[int(np.argmax(js))])
            good[n] = p in s.wrong or p + 1 in s.wrong
    best = 99.0
    for th in np.arange(args.grid_hi, args.grid_lo - 2.0, -0.1):
        flagged = tops > th
        if not flagged.any():
            continue
        precision = float(good[flagged].mean())
        fa = float((ctops > th).mean()) if len(clean) else 0.0
        if precision >= args.joint_precision and fa <= args.joint_fa:
            best = float(th)
        else:
            break
    return round(best, 2)


# --- reports ------------------------------------------------------------------------------------
def cross_validate(
    detector: Detector,
    rows: list[Row],
    dev: list[Scored],
    args: argparse.Namespace,
    extra: Sequence[Scored] = (),
    neg: Sequence[tuple[str, list[Scored]]] = (),
) -> tuple[list[str], dict]:
    rng = np.random.default_rng(args.seed)
    fold_of = rng.permutation(len(rows)) % args.folds
    sources = featurise(detector, [(r.source, r.wrong) for r in rows], [r.target for r in rows])
    targets = featurise(detector, [(r.target, set()) for r in rows])
    lines = [
        "| fold | sentences | with errors | threshold | word threshold | precision | recall | TP | FP |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    pooled: list[tuple[int, list[Scored], Scoring, float]] = []
    ps, rs = [], []
    for k in range(args.folds):
        tr = [s for s, f in zip(sources, fold_of, strict=False) if f != k]
        clean_tr = [t for t, f, r in zip(targets, fold_of, rows, strict=False) if f != k and r.source != r.target]
        te = [s for s, f in zip(sources, fold_of, strict=False) if f == k]
        negatives = [x for _, items in neg for x in items] if args.neg_weights else []
        sc = fit_scoring(tr + clean_tr + dev + negatives, args, detector.model.char_index, extra)
        th = choose_threshold(detector, tr, clean_tr + dev, sc, args, list(extra), neg)
        p, r, tp, fp = pr(verdicts(detector, te, sc, th, args.idiom_margin), te)
        ps.append(p)
        rs.append(r)
        pooled.append((k, te, sc, th))
        lines.append(
            f"| {k + 1} | {len(te)} | {sum(1 for s in te if s.wrong)} | {th:.2f} | {sc.jth:.2f} | {p:.3f} | {r:.3f} | {tp} | {fp} |"
        )
    lines.append(f"| **mean** | | | | | **{np.mean(ps):.3f}** | **{np.mean(rs):.3f}** | | |")
    # curve: every fold's threshold shifted by the same offset
    curve = ["| offset from chosen threshold | precision | recall | flagged |", "|---|---|---|---|"]
    for off in OFFSETS:
        tp = fp = pos = 0
        for _, te, sc, th in pooled:
            v = verdicts(detector, te, sc, th + off, args.idiom_margin)
            tp += sum(1 for x in v if x == 1)
            fp += sum(1 for x in v if x == -1)
            pos += sum(1 for s in te if s.wrong)
        mark = " ← chosen" if off == 0 else ""
        curve.append(f"| {off:+.2f}{mark} | {tp / max(1, tp + fp):.3f} | {tp / max(1, pos):.3f} | {tp + fp} |")
    summary = {"precision": float(np.mean(ps)), "recall": float(np.mean(rs)), "curve": curve}
    return lines, summary


def fit_all(
    detector: Detector,
    rows: list[Row],
    dev: list[Scored],
    args: argparse.Namespace,
    extra: Sequence[Scored] = (),
    neg: Sequence[tuple[str, list[Scored]]] = (),
) -> tuple[Scoring, float]:
    sources = featurise(detector, [(r.source, r.wrong) for r in rows], [r.target for r in rows])
    clean = featurise(detector, [(r.target, set()) for r in rows if r.source != r.target]) + dev
    negatives = [x for _, items in neg for x in items] if args.neg_weights else []
    sc = fit_scoring(sources + clean + negatives, args, detector.model.char_index, extra)
    th = choose_threshold(detector, sources, clean, sc, args, list(extra), neg)
    return sc, th


def write_pack(pack: Path, sc: Scoring, th: float, margin: float) -> None:
    text = pack.read_text(encoding="utf-8")
    weights = ", ".join(f"{name}: {value:.4g}" for name, value in zip(FEATURES, sc.w, strict=True))
    text = re.sub(r"(?m)^(\s+)weights: \{[^}]*\}", lambda m: f"{m.group(1)}weights: {{{weights}}}", text)
    if sc.pre_w is not None:
        pre = ", ".join(f"{name}: {value:.4g}" for name, value in zip(PRE_FEATURES, sc.pre_w, strict=True))
        text = re.sub(
            r"(?m)^(\s+)prescreen_weights: \{[^}]*\}", lambda m: f"{m.group(1)}prescreen_weights: {{{pre}}}", text
        )
        text = re.sub(r"(?m)^(\s+)prescreen_cut: .*$", lambda m: f"{m.group(1)}prescreen_cut: {sc.cut:.4f}", text)
    if sc.jw is not None:
        joint = ", ".join(f"{name}: {value:.4g}" for name, value in zip(JOINT_FEATURES, sc.jw, strict=True))
        text = re.sub(r"(?m)^(\s+)joint_weights: \{[^}]*\}", lambda m: f"{m.group(1)}joint_weights: {{{joint}}}", text)
        text = re.sub(r"(?m)^(\s+)joint_threshold: .*$", lambda m: f"{m.group(1)}joint_threshold: {sc.jth:.2f}", text)
    text = re.sub(r"(?m)^(\s+)threshold: .*$", lambda m: f"{m.group(1)}threshold: {th:.2f}", text)
    text = re.sub(r"(?m)^(\s+)idiom_threshold: .*$", lambda m: f"{m.group(1)}idiom_threshold: {th - margin:.2f}", text)
    pack.write_text(text, encoding="utf-8")


def evaluate_rows(detector: Detector, rows: list[Row]) -> tuple[float, float, int, int, float]:
    tp = fp = pos = clean_flagged = 0
    for r in rows:
        found = detector.detect(r.source)
        pos += bool(r.wrong)
        if found:
            if r.wrong and all(any(i in r.wrong for i in range(f.start, f.end)) for f in found):
                tp += 1
            else:
                fp += 1
        if r.source != r.target and detector.detect(r.target):
            clean_flagged += 1
    n_clean = sum(1 for r in rows if r.source != r.target)
    return tp / max(1, tp + fp), tp / max(1, pos), tp, fp, clean_flagged / max(1, n_clean)


OFFSETS = (-1.5, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0)


def heldout_false_alarms(
    detector: Detector, directory: Path, show: int
) -> tuple[list[str], dict[float, float], list[str]]:
    """Share of held-out sentences flagged, per source, and overall at threshold offsets. Sentences that
    also occur in the build split (standard clauses recur across laws) are left out: the model has seen
    them. A sentence is flagged when an unguarded pair passes (as in `detect`)."""
    lines = ["| source | sentences (not in build) | flagged | rate |", "|---|---|---|---|"]
    examples: list[str] = []
    build = directory.parent / "build"
    p = detector.params
    jw = detector._joint_weights
    sc = Scoring(detector._weights, jw=jw, jth=p.joint_threshold)
    margin = p.threshold - p.idiom_threshold
    all_tops = []
    paths = sorted(directory.glob("*.txt"))
    for path in paths:
        seen = set()
        if (build / path.name).exists():
            seen = set((build / path.name).read_text(encoding="utf-8").splitlines())
        sents = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and x not in seen]
        items = featurise_plain(detector, sents)
        tops = top_scores(items, sc, margin, p.protect_word)
        jflag = joint_top(items, sc) > sc.jth
        tops = np.where(jflag, np.inf, tops)  # a word substitution flags the sentence whatever the threshold
        all_tops.append(tops)
        hit = int((tops > p.threshold).sum())
        shown = 0
        for text, top in zip(sents, tops, strict=True):
            if top > p.threshold and shown < max(1, show // len(paths)):
                found = detector.detect(text)
                if found:
                    f = found[0]
                    left, right = text[max(0, f.word_start - 12) : f.word_start], text[f.word_end : f.word_end + 12]
                    examples.append(f"{path.stem}: {left}【{f.word_wrong}→{f.word_right}】{right}")
                    shown += 1
        lines.append(f"| {path.stem} | {len(sents):,} | {hit} | {hit / max(1, len(sents)):.2%} |")
    tops_all = np.concatenate(all_tops)
    flagged = int((tops_all > p.threshold).sum())
    lines.append(f"| **all** | {len(tops_all):,} | {flagged} | **{flagged / max(1, len(tops_all)):.2%}** |")
    rates = {off: float((tops_all > p.threshold + off).mean()) for off in OFFSETS}
    return lines, rates, examples


def featurise_plain(detector: Detector, texts: list[str]) -> list[Scored]:
    """Pairs as the rule sees them (prescreen applied), for false-alarm counts."""
    out = []
    for text in texts:
        ids, pairs = detector.pairs(text)
        blocked = detector.blocked(text, pairs)
        jblocked = detector.blocked_joint(text, pairs.joint) if pairs.joint is not None else None
        out.append(Scored(text, ids, pairs, set(), blocked, None, jblocked))
    return out


def ten_kb_documents(directory: Path) -> list[str]:
    """The `*.txt` files of `directory`: each as a document when they are ~10 KB speeches (a generated
    benchmark corpus), otherwise (one sentence per line) cut into ~10 KB documents."""
    files = sorted(directory.glob("*.txt"))
    if len(files) > 20:
        return [p.read_text(encoding="utf-8") for p in files]
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    docs, cur, size = [], [], 0
    for line in text.splitlines():
        cur.append(line)
        size += len(line.encode("utf-8")) + 1
        if size >= 10_000:
            docs.append("\n".join(cur))
            cur, size = [], 0
    return docs


def speed(detector: Detector, corpora: list[tuple[str, Path]], repeat: int) -> list[str]:
    """Detector alone vs reading + decoding the same bytes, one core, ~10 KB documents: in batches of
    ~3 MB as the CLI lints them (`LintInput.batch_memo`), and one document at a time."""
    rows = ["| text | what | time | MB/s |", "|---|---|---|---|"]
    detector.detect("加载模型。")  # load the model: start-up is measured by the CLI run
    for label, directory in corpora:
        docs = ten_kb_documents(directory)
        raw = [d.encode("utf-8") for d in docs]
        mb = sum(len(b) for b in raw) / 1e6
        batches, cur, size = [], [], 0
        for d, b in zip(docs, raw, strict=True):
            cur.append(d)
            size += len(b)
            if size >= 3_000_000:
                batches.append(cur)
                cur, size = [], 0
        if cur:
            batches.append(cur)

        def read(raw: list[bytes] = raw) -> int:
            return sum(len(b.decode("utf-8")) for b in raw)

        def batched(batches: list[list[str]] = batches) -> int:
            return sum(len(found) for batch in batches for found in detector.detect_many(batch))

        def single(docs: list[str] = docs) -> int:
            return sum(len(detector.detect(d)) for d in docs)

        t_base, _ = _common.best_time(read, repeat)
        t_batch, n = _common.best_time(batched, max(1, repeat // 2))
        t_single, _ = _common.best_time(single, 1)
        name = f"{label}, {mb:.1f} MB in {len(docs):,} documents"
        rows += [
            f"| {name} | read + decode (baseline) | {t_base * 1000:.0f} ms | {mb / t_base:,.0f} |",
            f"| | `typo.context` alone, batches of ~3 MB ({n} findings) | {t_batch * 1000:.0f} ms | **{mb / t_batch:.1f}** |",
            f"| | `typo.context` alone, one document at a time | {t_single * 1000:.0f} ms | {mb / t_single:.1f} |",
        ]
    return rows


def cli_speech(repeat: int) -> list[str]:
    seeds = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in seeds)
    data = text.encode("utf-8")[:10_000].decode("utf-8", errors="ignore")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.txt"
        path.write_text(data, encoding="utf-8")
        rows = []
        for label, extra in (("all default rules", []), ("only typo.context", ["--select", RULE_ID])):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "speechlint", "check", "--exit-zero", *extra, str(path)],
                    cwd=REPO,
                    capture_output=True,
                    check=False,
                )
                times.append(time.perf_counter() - start)
            rows.append(
                f"| 10 KB speech, {label} | {statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms |"
            )
        base = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=False)
            base.append(time.perf_counter() - start)
        rows.append(
            f"| `python -c pass` (baseline) | {statistics.median(base) * 1000:.0f} ms | {min(base) * 1000:.0f} ms |"
        )
    return ["| end to end (CLI) | median | min |", "|---|---|---|", *rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--odw", type=Path, default=SHARED / "ecspell" / "odw.train")
    ap.add_argument(
        "--ecspell", type=Path, default=Path(ECSPELL) if ECSPELL else None, help="dir of law.train, med.train"
    )
    ap.add_argument("--heldout", type=Path, default=Path(CORPORA) / "split" / "heldout" if CORPORA else None)
    ap.add_argument("--pack", type=Path, default=PACK)
    ap.add_argument(
        "--dev-clean",
        type=Path,
        default=None,
        help="correct sentences kept out of the model (build_spelling_model.py --dev-out): extra negatives for the "
        "weights and the false-alarm limit of the threshold",
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument(
        "--train-precision", type=float, default=0.93, help="precision the threshold must reach on training folds"
    )
    ap.add_argument("--train-fa", type=float, default=0.003, help="largest share of correct training sentences flagged")
    ap.add_argument("--idiom-margin", type=float, default=1.0, help="the idiom threshold is this much lower")
    ap.add_argument("--grid-lo", type=float, default=-2.0)
    ap.add_argument("--grid-hi", type=float, default=8.0)
    ap.add_argument("--no-prescreen", dest="prescreen", action="store_false", help="score every pair")
    ap.add_argument("--pre-floor", type=float, default=-2.0, help="the prescreen predicts a score above this")
    ap.add_argument("--pre-keep", type=float, default=0.995, help="share of pairs scoring above floor + 1 kept")
    ap.add_argument("--no-joint", dest="joint", action="store_false", help="no word substitutions (joint.py)")
    ap.add_argument(
        "--joint-precision", type=float, default=0.95, help="training precision of the word substitutions alone"
    )
    ap.add_argument(
        "--joint-fa", type=float, default=0.0002, help="largest share of correct training sentences they flag"
    )
    ap.add_argument(
        "--joint-clean",
        type=Path,
        default=Path(CORPORA) / "split" / "build" if CORPORA else None,
        help="correct sentences (the build split) sampled as extra negatives for the word substitutions' weights and "
        "false-alarm limit: the model has counted them, so they understate false alarms, but they bring news and "
        "report registers that the dev sentences lack",
    )
    ap.add_argument("--joint-clean-n", type=int, default=10000, help="sentences sampled per file of --joint-clean")
    ap.add_argument(
        "--neg-clean",
        type=Path,
        default=None,
        help="correct sentences (one *.txt per source) of documents held back from --neg-model, scored by that model: "
        "the threshold keeps their false alarms within --neg-fa (tools/make_tune_split.py makes both)",
    )
    ap.add_argument("--neg-model", type=Path, default=None, help="a model built without the --neg-clean documents")
    ap.add_argument(
        "--neg-weights", action="store_true", help="also fit the weights on them (measured: no better than a threshold)"
    )
    ap.add_argument("--neg-n", type=int, default=10000, help="sentences sampled per file of --neg-clean")
    ap.add_argument("--neg-fa", type=float, default=1.0, help="largest share of the --neg-limited sentences flagged")
    ap.add_argument(
        "--neg-limited",
        type=lambda v: [x for x in v.split(",") if x],
        default=[],
        help="comma-separated --neg-clean sources (file stems) whose pooled sentences --neg-fa limits (default: all)",
    )
    ap.add_argument("--fit", action="store_true", help="refit weights and threshold on all of odw.train")
    ap.add_argument("--write-pack", action="store_true", help="with --fit: write them into the pack")
    ap.add_argument("--write-doc", action="store_true", help="write the figures into docs/spelling.md")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument(
        "--bench-corpus",
        type=Path,
        default=None,
        help="a directory of ~10 KB speeches (gen_corpus.py corpus_10M) timed as well",
    )
    ap.add_argument("--show", type=int, default=40, help="false alarms on held-out prose to list")
    ap.add_argument("--core", type=int, default=1)
    args = ap.parse_args(argv)

    _common.pin_to_one_core(args.core)
    rule = pack_rule(args.pack)
    model = load_model((args.pack.parent / rule["model"]).resolve())
    params = Params.from_mapping(rule["params"])
    detector = Detector(model, params)
    rows = read_ecspell(args.odw)
    out: list[str] = []

    dev: list[Scored] = []
    if args.dev_clean:
        sents = [x for x in args.dev_clean.read_text(encoding="utf-8").splitlines() if x.strip()]
        dev = featurise(detector, [(x, set()) for x in sents])
    extra: list[Scored] = []
    if args.joint_clean and args.joint:
        rng = np.random.default_rng(args.seed)
        for path in sorted(args.joint_clean.glob("*.txt")):
            sents = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
            take = rng.permutation(len(sents))[: args.joint_clean_n]
            extra += featurise(detector, [(sents[i], set()) for i in sorted(take.tolist())])
    neg: list[tuple[str, list[Scored]]] = []
    if args.neg_clean and args.neg_model:
        neg_detector = Detector(load_model(args.neg_model.resolve()), params)
        rng = np.random.default_rng(args.seed)
        for path in sorted(args.neg_clean.glob("*.txt")):
            sents = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
            take = rng.permutation(len(sents))[: args.neg_n]
            neg.append((path.stem, featurise(neg_detector, [(sents[i], set()) for i in sorted(take.tolist())])))
    if args.fit:
        sc, th = fit_all(detector, rows, dev, args, extra, neg)
        print("fitted on all odw.train: threshold", th, dict(zip(FEATURES, np.round(sc.w, 4), strict=False)))
        if args.write_pack:
            write_pack(args.pack, sc, th, args.idiom_margin)
            rule = pack_rule(args.pack)
            params = Params.from_mapping(rule["params"])
            detector = Detector(model, params)

    cv_lines, cv = cross_validate(detector, rows, dev, args, extra, neg)
    out += [f"### odw.train, {args.folds}-fold cross-validation (held-out folds)", "", *cv_lines, ""]
    out += ["### Precision / recall as the threshold moves (held-out folds pooled)", "", *cv["curve"], ""]
    p, r, tp, fp, fa = evaluate_rows(detector, rows)
    out += [
        "### Shipped weights on all of odw.train (in-sample, for reference only)",
        "",
        f"precision {p:.3f}, recall {r:.3f} (TP {tp}, FP {fp}); corrected sentences flagged: {fa:.2%}",
        "",
    ]
    if args.ecspell:
        out += ["### Out of domain: ECSpell law.train / med.train (shipped weights)", ""]
        out += [
            "| set | sentences | precision | recall | TP | FP | corrected sentences flagged |",
            "|---|---|---|---|---|---|---|",
        ]
        for name in ("law.train", "med.train"):
            path = args.ecspell / name
            if path.exists():
                data = read_ecspell(path)
                p, r, tp, fp, fa = evaluate_rows(detector, data)
                out.append(f"| {name} | {len(data):,} | {p:.3f} | {r:.3f} | {tp} | {fp} | {fa:.2%} |")
        out.append("")
    if args.heldout and args.heldout.exists():
        lines, rates, examples = heldout_false_alarms(detector, args.heldout, args.show)
        out += ["### False alarms on held-out correct official prose", "", *lines, ""]
        out += [
            "Share of held-out sentences flagged as the shipped threshold moves (same offsets as the curve above):",
            "",
            "| offset | " + " | ".join(f"{o:+.2f}" for o in OFFSETS) + " |",
            "|---|" + "---|" * len(OFFSETS),
            "| flagged | " + " | ".join(f"{rates[o]:.2%}" for o in OFFSETS) + " |",
            "",
        ]
        if examples:
            out += ["Examples (first finding of flagged sentences):", "", *(f"- {e}" for e in examples), ""]
        if not args.no_speed:
            corpora = [("held-out prose", args.heldout)]
            if args.bench_corpus:
                corpora.append(("generated speeches (benchmarks, injected typos)", args.bench_corpus))
            out += ["### Speed (one core)", "", *speed(detector, corpora, 3), "", *cli_speech(7), ""]
    report = "\n".join(out)
    print(report)
    if args.write_doc:
        doc = DOC.read_text(encoding="utf-8")
        begin, end = "<!-- results:begin -->", "<!-- results:end -->"
        if begin in doc and end in doc:
            doc = doc[: doc.index(begin) + len(begin)] + "\n" + report + "\n" + doc[doc.index(end) :]
            DOC.write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
