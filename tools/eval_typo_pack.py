#!/usr/bin/env python3
"""Standalone evaluation of rules/typo.yaml (no speechlint import; needs only PyYAML).

    python tools/eval_typo_pack.py                 # evaluate rules/typo.yaml
    python tools/eval_typo_pack.py --holdout       # also rebuild the pack in memory WITHOUT the odw target
                                                   # sentences as a filter (needs tools/requirements-build.txt),
                                                   # an unbiased estimate of false alarms on odw

Matcher = the engine's documented semantics: exact literal matches of the wrong forms, leftmost-longest,
non-overlapping, over the text; a match is suppressed if it lies inside an occurrence of a rule-level `exceptions`
string or of the entry's `except` strings.

Reported on ECSpell odw.train (1,720 公文 sentences, `n_errors<TAB>source<TAB>target`):
  sentence precision  = flagged source sentences with n_errors > 0 / flagged source sentences
  sentence recall     = flagged source sentences with n_errors > 0 / source sentences with n_errors > 0
  span precision      = matches whose fix turns the source span into the target span / all matches on sources
  false-alarm rate    = target (correct) sentences flagged / all target sentences
and every hit on the five seed speeches (expected: only real typos).
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


class Matcher:
    def __init__(self, entries, rule_exceptions=()):
        """entries: {wrong: (rights list, except list, rule id)}"""
        self.entries = entries
        self.rule_exceptions = list(rule_exceptions)
        self.lengths = sorted({len(w) for w in entries}, reverse=True)
        self.first = {w[0] for w in entries}

    @classmethod
    def from_pack(cls, pack):
        entries, exc = {}, []
        for rule in pack["rules"]:
            exc += rule.get("exceptions", []) or []
            for w, v in rule["entries"].items():
                if isinstance(v, str):
                    entries[w] = ([v], [], rule["id"])
                else:
                    r = v["right"]
                    entries[w] = (r if isinstance(r, list) else [r], list(v.get("except", []) or []), rule["id"])
        return cls(entries, exc)

    def _suppressed(self, text, i, n, guards):
        for g in guards:
            start = max(0, i + n - len(g))
            j = text.find(g, start, i + len(g))
            while j != -1 and j <= i:
                if j + len(g) >= i + n:
                    return True
                j = text.find(g, j + 1, i + len(g))
        return False

    def find(self, text):
        """[(start, wrong, rights, rule_id)] of unsuppressed matches."""
        out, i, n_text = [], 0, len(text)
        while i < n_text:
            if text[i] not in self.first:
                i += 1
                continue
            hit = None
            for n in self.lengths:
                if i + n <= n_text and text[i : i + n] in self.entries:
                    hit = text[i : i + n]
                    break
            if hit is None:
                i += 1
                continue
            rights, exc, rid = self.entries[hit]
            if not self._suppressed(text, i, len(hit), exc + self.rule_exceptions):
                out.append((i, hit, rights, rid))
            i += len(hit)
        return out


def load_odw():
    rows = []
    with open(DATA / "ecspell" / "odw.train", encoding="utf-8") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if len(p) == 3:
                rows.append((int(p[0]), p[1], p[2]))
    return rows


def evaluate(m: Matcher, label: str, out=sys.stdout):
    rows = load_odw()
    pos = [r for r in rows if r[0] > 0]
    mislabeled = [r for r in rows if r[0] == 0 and r[1] != r[2]]
    flagged = tp = spans = span_ok = fa = tp_mislabeled = 0
    fa_examples, fp_examples = [], []
    for n, src, tgt in rows:
        hits = m.find(src)
        if hits:
            flagged += 1
            if n > 0:
                tp += 1
            else:
                fp_examples.append((src, hits))
                if src != tgt:
                    tp_mislabeled += 1
            for i, w, rights, _ in hits:
                spans += 1
                if len(src) == len(tgt) and tgt[i : i + len(w)] in rights:
                    span_ok += 1
        thits = m.find(tgt)
        if thits:
            fa += 1
            fa_examples.append((tgt, thits))
    p = tp / flagged if flagged else 0.0
    print(f"[{label}] entries={len(m.entries)}", file=out)
    print(
        f"  odw sentences: {len(rows)} ({len(pos)} with errors, {len(rows) - len(pos)} without; "
        f"{len(mislabeled)} labelled 0 although source != target)",
        file=out,
    )
    print(f"  sentence-level: flagged={flagged} true={tp} precision={p:.3f} recall={tp / len(pos):.4f}", file=out)
    if tp_mislabeled:
        print(
            f"  sentence precision counting source != target as an error (label noise): "
            f"{(tp + tp_mislabeled) / flagged:.3f}",
            file=out,
        )
    print(
        f"  span-level: matches={spans} correct_fix={span_ok} precision={span_ok / spans if spans else 0:.3f}", file=out
    )
    print(f"  false alarms on target (correct) sentences: {fa}/{len(rows)} = {fa / len(rows):.4%}", file=out)
    for s, h in fp_examples[:10]:
        print(f"    flagged clean source: {[(w, r) for _, w, r, _ in h]} in {s[:60]}", file=out)
    for s, h in fa_examples[:10]:
        print(f"    false alarm: {[(w, r) for _, w, r, _ in h]} in {s[:60]}", file=out)
    return {"flagged": flagged, "tp": tp, "precision": p, "recall": tp / len(pos), "fa": fa, "n": len(rows)}


def seeds(m: Matcher, out=sys.stdout):
    total = 0
    for f in sorted(glob.glob(str(SEEDS / "*.txt"))):
        text = Path(f).read_text(encoding="utf-8")
        for i, w, rights, rid in m.find(text):
            total += 1
            ctx = text[max(0, i - 12) : i + len(w) + 12].replace("\n", " ")
            print(f"  seed hit {os.path.basename(f)}: {w} -> {'/'.join(rights)} ({rid})  …{ctx}…", file=out)
    print(f"  seed hits: {total}", file=out)
    return total


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", type=Path, default=ROOT / "rules" / "typo.yaml")
    ap.add_argument("--holdout", action="store_true")
    args = ap.parse_args(argv)
    pack = yaml.safe_load(args.pack.read_text(encoding="utf-8"))
    m = Matcher.from_pack(pack)
    evaluate(m, "shipped pack")
    seeds(m)
    if args.holdout:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from build_typo_pack import DEFAULT_DATA, Builder

        b = Builder(DEFAULT_DATA, use_odw_targets=False, verbose=False, pd_holdout=True)
        kept = b.run()
        entries = {w: (sorted(i["rights"]), sorted(i["guards"]), "holdout") for w, i in kept.items()}
        hm = Matcher(entries)
        evaluate(hm, "hold-out build (odw targets and odd People's Daily lines not used as filters)")
        nchar = sum(len(t) for t in b.pd_heldout)
        flagged, hits = 0, []
        for t in b.pd_heldout:
            h = hm.find(t)
            if h:
                flagged += 1
                hits += [(w, t[max(0, i - 8) : i + len(w) + 8]) for i, w, _, _ in h]
        print(
            f"  held-out People's Daily 1998 (odd lines, correct news prose): {len(b.pd_heldout)} lines, "
            f"{nchar} chars, {len(hits)} matches in {flagged} lines = {len(hits) / nchar * 1e4:.2f} per 10k chars",
            file=sys.stdout,
        )
        for w, ctx in hits:
            print(f"    {w}: …{ctx}…")


if __name__ == "__main__":
    main()
