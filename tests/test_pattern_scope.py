"""`scope: line` pattern rules run only on the lines holding their prefilter literals, and find
exactly what a scan of the whole text finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechlint.config import ConfigError, Settings
from speechlint.pipeline.run import check_texts, lint_text
from speechlint.rulesets import RuleSource, build_ruleset
from speechlint.ruletypes.accel import line_windows
from speechlint.ruletypes.pattern import PatternRule

ROOT = Path(__file__).resolve().parents[1]

BASE = {"type": "pattern", "category": "placeholder", "severity": "warning", "message": "{match}"}
# Look-behind and look-ahead at the edges of lines, a literal the match holds, a second rule so
# that the shared literal gate is used.
RULES = [
    {"id": "t.x", "pattern": r"(?<=[\p{Han}\n])X{1,3}(?![A-Z])", "prefilter": ["X"]},
    {"id": "t.mou", "pattern": r"某{2,}(?=\p{Han}|$)", "prefilter": ["某某"]},
]


def ruleset(scope: str, rules: list[dict] = RULES):
    sources = [RuleSource({**BASE, **rule, "scope": scope}, "<test>", ["rules", i]) for i, rule in enumerate(rules)]
    return build_ruleset(Settings(extends_default=False), sources=sources)


def spans(rules, text: str) -> list[tuple[str, int, int]]:
    return [(f.rule_id, f.offset, f.end_offset) for f in lint_text(rules, text)]


LINE = ruleset("line")
TEXT = ruleset("text")
LINE_ALONE = ruleset("line", RULES[:1])  # one rule: literals found without the gate
TEXT_ALONE = ruleset("text", RULES[:1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["X", "XX", "某某", "某", "甲", "乙", "\n", "A", " ", "。"]), max_size=80))
def test_a_line_scoped_rule_finds_what_a_whole_scan_finds(pieces):
    text = "".join(pieces)
    assert spans(LINE, text) == spans(TEXT, text)
    assert spans(LINE_ALONE, text) == spans(TEXT_ALONE, text)


def test_only_the_lines_with_a_literal_are_scanned():
    text = "甲乙丙\n第二行有X\n第三行\n第四行X和X\n第五行X"
    windows = line_windows(text, ["X"], limit=1.0)
    assert [text[a:b] for a, b in windows] == ["第二行有X\n", "第四行X和X\n第五行X"]
    assert line_windows(text, ["X"], limit=0.2) is None  # the lines are most of the text: scan it whole
    assert line_windows("X" * 100, ["X"], limit=1.0, most=10) is None  # too many to be worth it


def test_scope_line_needs_a_prefilter():
    with pytest.raises(ConfigError, match=r"t\.x.*scope"):
        ruleset("line", [{"id": "t.x", "pattern": "X"}])


def _documents() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "fixtures").rglob("*.txt"))  # the seeds included (fixtures/seeds)
    return [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in paths]


SHIPPED = build_ruleset(Settings())
LINE_SCOPED = [r for r in SHIPPED.rules if isinstance(r, PatternRule) and r.line_scope]
_META = set("\\()[]{}?*+|^$.-!=<>:,#'\"")


def _alphabet(rule: PatternRule) -> list[str]:
    """The characters a rule's own pattern and literals are made of, and some prose around them."""
    source = "".join(rule.spec["pattern"]) if isinstance(rule.spec["pattern"], list) else rule.spec["pattern"]
    chars = {c for c in source + "".join(rule.prefilter) if c not in _META or c in "*."}
    return sorted(chars | set("王同志会议年，。 \n"))


@pytest.mark.parametrize("rule", LINE_SCOPED, ids=lambda r: r.meta.id)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_line_scoped_rule_matches_only_on_lines_holding_a_literal(rule, data):
    """What `scope: line` relies on: every match lies on a line that holds one of the literals."""
    text = "".join(data.draw(st.lists(st.sampled_from(_alphabet(rule)), max_size=30)))
    for match in rule.compiled.get().pattern.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        line = text[start : len(text) if end < 0 else end]
        assert any(literal in line for literal in rule.prefilter), (text, match.group())


def test_the_shipped_line_scoped_rules_find_what_whole_scans_find():
    """The shipped rules promise `scope: line`; on every fixture and seed, keeping that promise
    changes nothing."""
    docs = _documents()
    assert len(docs) > 20
    scoped = SHIPPED
    whole = build_ruleset(Settings())
    line_rules = [r for r in whole.rules if isinstance(r, PatternRule) and r.line_scope]
    assert len(line_rules) >= 10
    for rule in line_rules:
        rule.line_scope = False
    found = [(i.path, i.offset, i.finding.rule_id) for i in check_texts(scoped, docs).located]
    assert found == [(i.path, i.offset, i.finding.rule_id) for i in check_texts(whole, docs).located]


def test_each_rule_finds_alone_what_it_finds_in_the_full_set():
    """The full rule set shares one literal scan per document (pattern prefilters and line
    windows, boilerplate phrases); a rule built outside a rule set scans by itself. Same findings."""
    from speechlint.config import Settings
    from speechlint.rulesets import build_ruleset, rule_sources
    from speechlint.rulesets.packs import build_rule
    from speechlint.ruletypes.base import DocumentRule, LintInput
    from tests.conftest import FIXTURES

    texts = [path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "seeds").glob("*.txt"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "boilerplate").glob("*.txt"))]
    texts.append((FIXTURES / "sample.txt").read_text(encoding="utf-8"))
    settings = Settings()
    sources = {source.spec["id"]: source for source in rule_sources(settings)}
    shared = [r for r in build_ruleset(settings).rules if isinstance(r, DocumentRule) and r.literal_needs()]
    assert {r.type_name for r in shared} >= {"pattern", "boilerplate"}
    for rule in shared:
        alone = build_rule(sources[rule.meta.id], settings.options)
        assert isinstance(alone, DocumentRule)
        for text in texts:
            together = [(f.offset, f.end_offset, f.message) for f in rule.check(LintInput(text))]
            by_itself = [(f.offset, f.end_offset, f.message) for f in alone.check(LintInput(text))]
            assert together == by_itself, rule.meta.id
