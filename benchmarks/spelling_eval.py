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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _common
import numpy as np
import yaml

from speechlint.spelling import FEATURES, Detector, Params, load_model
from speechlint.spelling.features import Pairs

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


def featurise(detector: Detector, texts: list[tuple[str, set[int]]]) -> list[Scored]:
    out = []
    for text, wrong in texts:
        ids, pairs = detector.pairs(text)
        spans = detector.guards.blocked_spans(text) if len(pairs) else []
        blocked = np.array(
            [any(a <= int(i) < b for a, b in spans) or bool(detector.guards.blocks(text, int(i))) for i in pairs.pos],
            dtype=bool,
        )
        out.append(Scored(text, ids, pairs, wrong, blocked))
    return out


def top_scores(items: list[Scored], w: np.ndarray, margin: float, protect: float) -> np.ndarray:
    """Per sentence, the highest score of an unguarded pair (an idiom pair counts `margin` more):
    the sentence is flagged exactly when this exceeds the threshold."""
    idiom = FEATURES.index("idiom_cand"), FEATURES.index("idiom_orig")
    out = np.full(len(items), -np.inf)
    for n, s in enumerate(items):
        if len(s.pairs):
            f = s.pairs.features
            eff = f @ w + margin * ((f[:, idiom[0]] > 0) & (f[:, idiom[1]] == 0))
            eff = eff[~s.blocked & (f[:, FEATURES.index("word_orig")] < protect)]
            if len(eff):
                out[n] = eff.max()
    return out


def labels(s: Scored) -> np.ndarray:
    return np.array([1.0 if int(p) in s.wrong else 0.0 for p in s.pairs.pos])


def fit_weights(items: list[Scored], l2: float) -> np.ndarray:
    """L2-regularised logistic regression (Newton steps) on standardised features; returns raw-scale
    weights so that `features @ w` is the log-odds."""
    xs = [s.pairs.features for s in items if len(s.pairs)]
    x = np.concatenate(xs)
    y = np.concatenate([labels(s) for s in items if len(s.pairs)])
    bias = FEATURES.index("bias")
    mu, sd = x.mean(0), x.std(0) + 1e-9
    mu[bias], sd[bias] = 0.0, 1.0
    z = (x - mu) / sd
    w = np.zeros(z.shape[1])
    reg = l2 * np.eye(len(w))
    reg[bias, bias] = 0.0
    for _ in range(40):
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


def verdicts(detector: Detector, items: list[Scored], w: np.ndarray, th: float, margin: float) -> list[int]:
    """Per sentence: 0 not flagged, 1 flagged correctly, −1 flagged wrongly."""
    out = []
    for s in items:
        if not len(s.pairs):
            out.append(0)
            continue
        found = detector.decide(s.text, s.ids, s.pairs, s.pairs.features @ w, th, th - margin)
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
    detector: Detector, train: list[Scored], clean: list[Scored], w: np.ndarray, args: argparse.Namespace
) -> float:
    """The lowest threshold whose training precision reaches the target and whose training false-alarm
    rate on correct sentences stays within `--train-fa` (highest recall under both)."""
    grid = np.arange(args.grid_lo, args.grid_hi, 0.1)
    best = float(grid[-1])
    tops = top_scores(clean, w, args.idiom_margin, detector.params.protect_word)
    for th in grid[::-1]:
        p, _, tp, _ = pr(verdicts(detector, train, w, th, args.idiom_margin), train)
        fa = float((tops > th).mean()) if len(clean) else 0.0
        if tp == 0:
            continue  # above every score: nothing flagged yet
        if p >= args.train_precision and fa <= args.train_fa:
            best = float(th)
        else:
            break
    return round(best, 2)


# --- reports ------------------------------------------------------------------------------------
def cross_validate(
    detector: Detector, rows: list[Row], dev: list[Scored], args: argparse.Namespace
) -> tuple[list[str], dict]:
    rng = np.random.default_rng(args.seed)
    fold_of = rng.permutation(len(rows)) % args.folds
    sources = featurise(detector, [(r.source, r.wrong) for r in rows])
    targets = featurise(detector, [(r.target, set()) for r in rows])
    lines = [
        "| fold | sentences | with errors | threshold | precision | recall | TP | FP |",
        "|---|---|---|---|---|---|---|---|",
    ]
    pooled: list[tuple[int, list[Scored], np.ndarray, float]] = []
    ps, rs = [], []
    for k in range(args.folds):
        tr = [s for s, f in zip(sources, fold_of, strict=False) if f != k]
        clean_tr = [t for t, f, r in zip(targets, fold_of, rows, strict=False) if f != k and r.source != r.target]
        te = [s for s, f in zip(sources, fold_of, strict=False) if f == k]
        w = fit_weights(tr + clean_tr + dev, args.l2)
        th = choose_threshold(detector, tr, clean_tr + dev, w, args)
        p, r, tp, fp = pr(verdicts(detector, te, w, th, args.idiom_margin), te)
        ps.append(p)
        rs.append(r)
        pooled.append((k, te, w, th))
        lines.append(
            f"| {k + 1} | {len(te)} | {sum(1 for s in te if s.wrong)} | {th:.2f} | {p:.3f} | {r:.3f} | {tp} | {fp} |"
        )
    lines.append(f"| **mean** | | | | **{np.mean(ps):.3f}** | **{np.mean(rs):.3f}** | | |")
    # curve: every fold's threshold shifted by the same offset
    curve = ["| offset from chosen threshold | precision | recall | flagged |", "|---|---|---|---|"]
    for off in (-1.5, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0):
        tp = fp = pos = 0
        for _, te, w, th in pooled:
            v = verdicts(detector, te, w, th + off, args.idiom_margin)
            tp += sum(1 for x in v if x == 1)
            fp += sum(1 for x in v if x == -1)
            pos += sum(1 for s in te if s.wrong)
        mark = " ← chosen" if off == 0 else ""
        curve.append(f"| {off:+.2f}{mark} | {tp / max(1, tp + fp):.3f} | {tp / max(1, pos):.3f} | {tp + fp} |")
    summary = {"precision": float(np.mean(ps)), "recall": float(np.mean(rs)), "curve": curve}
    return lines, summary


def fit_all(
    detector: Detector, rows: list[Row], dev: list[Scored], args: argparse.Namespace
) -> tuple[np.ndarray, float]:
    sources = featurise(detector, [(r.source, r.wrong) for r in rows])
    clean = featurise(detector, [(r.target, set()) for r in rows if r.source != r.target]) + dev
    w = fit_weights(sources + clean, args.l2)
    th = choose_threshold(detector, sources, clean, w, args)
    return w, th


def write_pack(pack: Path, w: np.ndarray, th: float, margin: float) -> None:
    text = pack.read_text(encoding="utf-8")
    weights = ", ".join(f"{name}: {value:.4g}" for name, value in zip(FEATURES, w, strict=False))
    text = re.sub(r"(?m)^(\s+)weights: \{[^}]*\}", lambda m: f"{m.group(1)}weights: {{{weights}}}", text)
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


def heldout_false_alarms(detector: Detector, directory: Path, show: int) -> tuple[list[str], float, list[str]]:
    """Share of held-out sentences flagged. Sentences that also occur in the build split (standard clauses
    recur across laws) are left out: the model has seen them."""
    lines = ["| source | sentences (not in build) | flagged | rate |", "|---|---|---|---|"]
    total = flagged = 0
    examples: list[str] = []
    build = directory.parent / "build"
    for path in sorted(directory.glob("*.txt")):
        seen = set()
        if (build / path.name).exists():
            seen = set((build / path.name).read_text(encoding="utf-8").splitlines())
        sents = [s for s in path.read_text(encoding="utf-8").splitlines() if s.strip() and s not in seen]
        hit = 0
        for s in sents:
            found = detector.detect(s)
            if found:
                hit += 1
                if len(examples) < show:
                    f = found[0]
                    examples.append(
                        f"{path.stem}: {s[max(0, f.word_start - 12) : f.word_start]}【{f.word_wrong}→{f.word_right}】{s[f.word_end : f.word_end + 12]}"
                    )
        total += len(sents)
        flagged += hit
        lines.append(f"| {path.stem} | {len(sents):,} | {hit} | {hit / max(1, len(sents)):.2%} |")
    lines.append(f"| **all** | {total:,} | {flagged} | **{flagged / max(1, total):.2%}** |")
    return lines, flagged / max(1, total), examples


def speed(detector: Detector, directory: Path, repeat: int) -> list[str]:
    """Detector alone vs reading + decoding the same bytes, one core, ~10 KB documents."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt")))
    docs, cur, size = [], [], 0
    for line in text.splitlines():
        cur.append(line)
        size += len(line.encode("utf-8")) + 1
        if size >= 10_000:
            docs.append("\n".join(cur))
            cur, size = [], 0
    raw = [d.encode("utf-8") for d in docs]
    mb = sum(len(b) for b in raw) / 1e6
    detector.detect(docs[0])  # load the model: start-up is measured by the CLI run

    def read() -> int:
        return sum(len(b.decode("utf-8")) for b in raw)

    def run() -> int:
        return sum(len(detector.detect(d)) for d in docs)

    t_base, _ = _common.best_time(read, repeat)
    t_rule, n = _common.best_time(run, max(1, repeat // 2))
    return [
        "| what | time | MB/s |",
        "|---|---|---|",
        f"| read + decode (baseline), {mb:.1f} MB in {len(docs):,} documents | {t_base * 1000:.0f} ms | {mb / t_base:,.0f} |",
        f"| `typo.context` detector alone ({n} findings) | {t_rule * 1000:.0f} ms | **{mb / t_rule:.1f}** |",
    ]


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
    ap.add_argument("--fit", action="store_true", help="refit weights and threshold on all of odw.train")
    ap.add_argument("--write-pack", action="store_true", help="with --fit: write them into the pack")
    ap.add_argument("--write-doc", action="store_true", help="write the figures into docs/spelling.md")
    ap.add_argument("--no-speed", action="store_true")
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
    if args.fit:
        w, th = fit_all(detector, rows, dev, args)
        print("fitted on all odw.train: threshold", th, dict(zip(FEATURES, np.round(w, 4), strict=False)))
        if args.write_pack:
            write_pack(args.pack, w, th, args.idiom_margin)
            rule = pack_rule(args.pack)
            params = Params.from_mapping(rule["params"])
            detector = Detector(model, params)

    cv_lines, cv = cross_validate(detector, rows, dev, args)
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
        lines, _rate, examples = heldout_false_alarms(detector, args.heldout, args.show)
        out += ["### False alarms on held-out correct official prose", "", *lines, ""]
        if examples:
            out += ["Examples (first finding of flagged sentences):", "", *(f"- {e}" for e in examples), ""]
        if not args.no_speed:
            out += ["### Speed (one core)", "", *speed(detector, args.heldout, 3), "", *cli_speech(7), ""]
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
