"""的/地/得: only precise patterns, info level, unsafe fixes; silent on correct official prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechlint.config import Settings
from speechlint.model import Applicability, Severity
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import build_ruleset, read_pack

ROOT = Path(__file__).resolve().parent.parent
PACK = build_ruleset(Settings(extends_default=False), ["ALL"], sources=read_pack(ROOT / "rules" / "de.yaml"))


def test_seed_000_slip_is_found_as_an_unsafe_suggestion():
    text = (ROOT / "fixtures" / "seeds" / "000_e7a1516f53fdab88.txt").read_text(encoding="utf-8")
    [finding] = lint_text(PACK, text)
    assert text[finding.offset : finding.end_offset] == "讲的"
    assert finding.severity is Severity.INFO and finding.category == "typo"
    assert finding.fix is not None and finding.fix.replacement == "讲得"
    assert finding.fix.applicability is Applicability.UNSAFE


def test_other_seeds_are_silent():
    for path in sorted((ROOT / "fixtures" / "seeds").glob("00[1-4]*.txt")):
        assert lint_text(PACK, path.read_text(encoding="utf-8")) == [], path.name


@pytest.mark.parametrize(
    "text",
    [
        "他讲的很多问题切中要害。",
        "书记所讲的很全面。",
        "讲的很全面的内容",
        "取得了明显的成效，凸显的问题已解决。",
        "这是自觉的行动。",
    ],
)
def test_ambiguous_or_correct_uses_of_de_are_silent(text):
    assert lint_text(PACK, text) == []


def test_correct_official_prose_gives_no_finding():
    text = (ROOT / "fixtures" / "canonical" / "odw_targets.txt").read_text(encoding="utf-8")
    assert [text[f.offset : f.end_offset] for f in lint_text(PACK, text)] == []
