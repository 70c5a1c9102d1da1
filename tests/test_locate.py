"""Locating findings in bulk (the fast path of `locate_all`) places them where `locate` does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from speechlint.documents import Document
from speechlint.model import Finding, RelatedLocation, Severity
from speechlint.pipeline.locate import locate, locate_all


def _finding(start: int, end: int, related: bool) -> Finding:
    rel = (RelatedLocation(0, min(end, 1)),) if related else ()
    return Finding("t.x", "typo", Severity.WARNING, "m", start, end, related=rel)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["甲", "乙", "\n", "\r\n", "\r", "X"]), max_size=40),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8), st.booleans()), max_size=12),
    st.booleans(),
)
def test_locate_all_places_findings_as_locate_does(pieces, spans, excerpt):
    doc = Document("a.txt", "".join(pieces))
    size = len(doc.text)
    findings = [_finding(min(a, size), min(a + n, size), rel) for a, n, rel in spans]
    assert locate_all(doc, findings, excerpt) == [locate(doc, f, excerpt) for f in findings]


def test_a_rule_fills_every_field_of_its_findings():
    """Findings are built positionally for speed: each value must land in its own field."""
    from speechlint.config import Settings
    from speechlint.model import Applicability, Fix
    from speechlint.rulesets import build_ruleset

    [rule] = build_ruleset(Settings(), ["typo.word"]).rules
    related = (RelatedLocation(0, 1),)
    made = rule.finding(3, 5, "路劲", "路径", related=list(related), extra={"k": "v"})
    assert made == Finding(
        rule_id="typo.word",
        category="typo",
        severity=rule.meta.severity,
        message=rule.meta.render_message("路劲", "路径"),
        offset=3,
        end_offset=5,
        fix=Fix("路径", Applicability.SAFE),
        related=list(related),
        extra={"k": "v"},
    )
