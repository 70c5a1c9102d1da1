"""The `consistency` rule type: variant groups with a norm, and quoted terms one character apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechlint.config import ConfigError, Settings
from speechlint.model import Applicability
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import RuleSet, RuleSource, build_rule, build_ruleset, read_pack

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
PACK = build_ruleset(Settings(extends_default=False), ["ALL"], sources=read_pack(ROOT / "rules" / "consistency.yaml"))
QUOTED = RuleSet([PACK.by_id("consistency.quoted")])
VARIANTS = RuleSet([PACK.by_id("consistency.variants")])


def rule(**spec):
    base = {"id": "test.consistency", "type": "consistency", "category": "consistency", "severity": "warning"}
    base.update({"message": "“{match}”→“{suggestion}”", "fix": "unsafe", **spec})
    return build_rule(RuleSource(base, "<test>", [], yaml_file=False), {})


def spans(ruleset: RuleSet, text: str) -> list[tuple[str, str | None]]:
    return [(text[f.offset : f.end_offset], f.fix.replacement if f.fix else None) for f in lint_text(ruleset, text)]


def test_seeds_give_exactly_the_shuangzhan_slip():
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found += [(path.name[:3], f.rule_id, *s) for f, s in zip(lint_text(PACK, text), spans(PACK, text), strict=True)]
    assert found == [("001", "consistency.quoted", "双战双胜", "双战双赢")]


def test_quoted_minority_gets_the_majority_as_an_unsafe_fix():
    text = "实现“双战双赢”。确保“双战双赢”。为实现“双战双胜”提供保障。"
    [finding] = lint_text(QUOTED, text)
    assert text[finding.offset : finding.end_offset] == "双战双胜"
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert "2处" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "“双战双赢”“双战双胜”",  # one each: no majority
        "“双战双赢”“双战双赢”“双战双胜”“双战双胜”“双战双胜”",  # the rare form is too common to be a slip
        "“六稳”“六稳”“六保”",  # too short
        "“四个不摘”“四个不摘”“四个不准”",  # numeral-led enumeration
        "“十三五”“十三五”“十四五”“第十三个”",  # differs in a numeral
        "“智慧党建”“智慧党建”“智慧团建”",  # a known distinct pair
        "“四个意识”“四个意识”“四个自信”",  # two characters apart
    ],
)
def test_quoted_guards(text):
    assert lint_text(QUOTED, text) == []


def test_majority_counts_unquoted_uses_too():
    text = "统筹推进，实现双战双赢，确保双战双赢；为“双战双赢”而奋斗。全力夺取“双战双胜”。"
    assert spans(QUOTED, text) == [("双战双胜", "双战双赢")]


def test_terms_side_by_side_in_one_sentence_are_contrasted_not_slips():
    listed = "克服“以言代法”、“以权代法”的错误。“以权代法”危害大，“以权代法”要纠正。"
    assert spans(QUOTED, listed) == []
    apart = "“以权代法”危害大，“以权代法”要纠正。这一年，我们克服了“以言代法”的错误。"
    assert spans(QUOTED, apart) == [("以言代法", "以权代法")]


def test_variants_report_the_non_standard_form_only_when_mixed():
    assert spans(VARIANTS, "请核对帐号。帐号以合同为准。") == []
    assert spans(VARIANTS, "请核对帐号。账号以合同为准。帐号有误的退回。") == [("帐号", "账号"), ("帐号", "账号")]


def test_variant_fix_goes_to_the_norm_but_waits_for_unsafe_fixes():
    normed = lint_text(VARIANTS, "帐户余额，账户名称。")
    assert [(f.fix.replacement, f.fix.applicability) for f in normed if f.fix] == [("账户", Applicability.UNSAFE)]
    assert lint_text(VARIANTS, "其它事项，其他人员。") == []  # the dictionary accepts 其它 for things
    by_majority = RuleSet([rule(groups=[{"forms": ["甲方案", "乙方案"]}])])
    findings = lint_text(by_majority, "甲方案、甲方案、乙方案")
    assert [(f.fix.replacement, f.fix.applicability) for f in findings if f.fix] == [("甲方案", Applicability.UNSAFE)]


def test_variant_guards_ignore_a_form_inside_a_longer_word():
    assert spans(VARIANTS, "发挥想象力，我们的思想像灯塔。") == []


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"groups": [{"forms": ["账号", "帐号"], "prefer": "账户"}]}, "prefer"),
        ({"groups": [{"forms": ["账号", "帐号"]}, {"forms": ["帐号", "账户"]}]}, "两个组"),
        ({"groups": [{"forms": ["想象", "想像"], "except": ["思想家"]}]}, "永远不会生效"),
    ],
)
def test_bad_groups_are_rejected_with_a_reason(spec, problem):
    with pytest.raises(ConfigError, match=problem):
        rule(**spec)


def test_correct_official_prose_gives_no_finding():
    text = (ROOT / "fixtures" / "canonical" / "odw_targets.txt").read_text(encoding="utf-8")
    assert spans(PACK, text) == []
