#!/usr/bin/env python3
"""Split the *build* part of the clean corpora once more, by document, for tuning `typo.context` (issue #10).

Why: the shipped spelling model counts every build sentence, so false alarms measured on the build split are
in-sample (near zero for the provincial reports, which the model counts four times), and the held-out split
must not be tuned on. This keeps a quarter of the build documents out of a second model (the *tune model*):
their sentences are correct prose that this model never counted, the way new text is for the shipped model.
Half of those documents (`fit/`) give the weights realistic negatives (`spelling_eval.py --neg-clean`), the other
half (`check/`) measures false alarms; neither is in the held-out split.

    python tools/make_tune_split.py --corpora "$SPEECHLINT_CORPORA" --out tune_split
    python tools/build_spelling_model.py --corpus tune_split/build ... --out tune_model   # the shipped command
    python benchmarks/spelling_eval.py ... --neg-clean tune_split/fit --neg-model tune_model

Deterministic: a document goes to the tune part when sha1("tune/<source>/<name>") % 4 == 0, to fit/ or check/ by
the next bits. Sentences that also occur in a kept build document (standard clauses) are dropped from fit/ and
check/, since the tune model counts them.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path


def split(corpora: Path, out: Path) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for part in ("build", "fit", "check"):
        (out / part).mkdir(parents=True, exist_ok=True)
    for tsv in sorted((corpora / "split").glob("*.tsv")):
        source = tsv.stem
        sentences = (corpora / "split" / "build" / f"{source}.txt").read_text(encoding="utf-8").splitlines()
        pos = 0
        parts: dict[str, list[str]] = {"build": [], "fit": [], "check": []}
        for row in tsv.read_text(encoding="utf-8").splitlines()[1:]:
            name, part, _, n_text = row.split("\t")
            if part != "build":
                continue
            chunk = sentences[pos : pos + int(n_text)]
            pos += int(n_text)
            h = int(hashlib.sha1(f"tune/{source}/{name}".encode()).hexdigest()[:8], 16)
            if h % 4:
                parts["build"].extend(chunk)
            else:
                parts["fit" if (h >> 8) % 2 == 0 else "check"].extend(chunk)
        if pos != len(sentences):
            raise SystemExit(
                f"{source}: split/{source}.tsv counts {pos} build sentences, the file has {len(sentences)}"
            )
        kept = set(parts["build"])
        for part in ("fit", "check"):
            parts[part] = [s for s in parts[part] if s not in kept]
        for part, lines in parts.items():
            (out / part / f"{source}.txt").write_text("".join(s + "\n" for s in lines), encoding="utf-8")
        counts[source] = {part: len(lines) for part, lines in parts.items()}
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", type=Path, required=True, help="the clean corpora (split/*.tsv, split/build/*.txt)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    for source, parts in split(args.corpora, args.out).items():
        print(source, " ".join(f"{k} {v:,}" for k, v in parts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
