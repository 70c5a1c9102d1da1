"""1,720 corrected official-document sentences (ECSpell odw, fixtures/canonical) as documents of
their own, whole and cut into short lines: the default rules may report only the real half-width
commas those sentences contain — no placeholder, boilerplate, typo, set-phrase or consistency hit."""

from __future__ import annotations

import collections

import pytest
from conftest import FIXTURES

from speechlint.config import Settings
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import build_ruleset

SENTENCES = (FIXTURES / "canonical" / "odw_targets.txt").read_text(encoding="utf-8").splitlines()
RULES = build_ruleset(Settings())
REAL = {"punctuation.halfwidth"}  # the corpus does contain half-width commas after Han characters


def counts(documents: list[str]) -> collections.Counter:
    found: collections.Counter = collections.Counter()
    for text in documents:
        for finding in lint_text(RULES, text):
            found[(finding.rule_id, text[finding.offset : finding.end_offset])] += 1
    return found


@pytest.mark.parametrize("shape", ["sentences", "short lines"])
def test_correct_official_prose_is_silent(shape):
    if shape == "sentences":
        documents = SENTENCES
    else:  # titles and short lines are where boilerplate and placeholder scoring bite
        pieces = list(dict.fromkeys(p for s in SENTENCES for p in s.replace("；", "。").split("。") if 4 < len(p) < 60))
        documents = ["\n\n".join(pieces[i : i + 40]) for i in range(0, len(pieces), 40)]
    found = counts(documents)
    false = {key: n for key, n in found.items() if key[0] not in REAL}
    assert not false, false
    assert sum(found.values()) <= 10
