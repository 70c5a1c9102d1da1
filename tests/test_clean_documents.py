"""Correct official prose that looks close to every defect must produce no finding at all."""

from __future__ import annotations

from conftest import FIXTURES


def test_clean_fixtures_have_no_findings(cli):
    result = cli("check", "--format", "json", "--fail-on", "info", str(FIXTURES / "clean"), cwd=FIXTURES)
    assert result.json()["findings"] == []
    assert result.code == 0


def test_seed_findings_are_the_known_defects(cli):
    """Everything but placeholders (checked against a hand annotation elsewhere) on the real seeds."""
    result = cli("check", "--format", "json", "--ignore", "placeholder", "seeds", cwd=FIXTURES)
    found = sorted((f["path"].split("/")[-1][:3], f["rule"], f["text"][:12]) for f in result.json()["findings"])
    assert found == [
        ("000", "canonical.phrase", "习近平新时代中国特色社会"),
        ("000", "typo.de", "讲的"),
        ("000", "typo.word", "份内事"),
        ("000", "typo.word", "疫情爆发"),
        ("000", "typo.word", "路劲"),
        ("001", "canonical.plenary-discipline", "四中全会"),
        ("001", "consistency.quoted", "双战双胜"),
        ("001", "punctuation.halfwidth", ","),
        ("001", "punctuation.halfwidth", ","),
        ("001", "punctuation.halfwidth", ","),
        ("001", "whitespace.after-punctuation", " "),
        ("002", "boilerplate.block", "仅供学习 禁止外传\n酷乐"),
        ("003", "boilerplate.block", "仅供学习 禁止外传\n酷乐"),
        ("004", "boilerplate.block", "本文系作者原创投稿，仅供"),
        ("004", "whitespace.after-punctuation", "\xa0"),
    ]
