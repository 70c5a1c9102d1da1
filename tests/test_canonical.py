"""The `canonical` rule type and pack: near-misses of set formulations, plenary-session names.

Precision is tested as hard as recall: correct official prose (ECSpell odw targets, the
negatives fixture) must give no finding, and related correct formulations must stay silent.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from speechlint.config import ConfigError, Settings
from speechlint.documents import Document
from speechlint.model import Applicability
from speechlint.pipeline.run import fix_document, lint_text
from speechlint.rulesets import RuleSet, RuleSource, build_rule, build_ruleset, read_pack
from speechlint.ruletypes.textdist import Limits, _osa, near_miss, strip_punctuation, transplant

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "canonical"
SEEDS = ROOT / "fixtures" / "seeds"
PACKS = ("canonical", "consistency", "de")


def pack_rules(*names: str) -> RuleSet:
    sources = [s for name in names for s in read_pack(ROOT / "rules" / f"{name}.yaml")]
    return build_ruleset(Settings(extends_default=False), ["ALL"], sources=sources)


def canonical_rule(phrases: list[str | dict], **more):
    spec = {
        "id": "test.canonical",
        "type": "canonical",
        "category": "canonical",
        "severity": "warning",
        "message": "“{match}”应为“{suggestion}”",
        "fix": "safe",
        "phrases": [p if isinstance(p, dict) else {"text": p, "source": "测试"} for p in phrases],
        **more,
    }
    return build_rule(RuleSource(spec, "<test>", [], yaml_file=False), {})


CANONICAL = pack_rules("canonical")
ALL_MINE = pack_rules(*PACKS)


# --- textdist -------------------------------------------------------------------------------
def _reference(a: str, b: str) -> tuple[int, int, int, int, int]:
    """Full OSA table with edit kinds (total, subs, ins, dels, swaps), lexicographic minimum."""
    table = [[(0, 0, 0, 0, 0)] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        table[i][0] = (i, 0, 0, i, 0)
    for j in range(len(b) + 1):
        table[0][j] = (j, 0, j, 0, 0)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            t = table[i - 1][j - 1]
            best = t if a[i - 1] == b[j - 1] else (t[0] + 1, t[1] + 1, t[2], t[3], t[4])
            t = table[i - 1][j]
            best = min(best, (t[0] + 1, t[1], t[2], t[3] + 1, t[4]))
            t = table[i][j - 1]
            best = min(best, (t[0] + 1, t[1], t[2] + 1, t[3], t[4]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                t = table[i - 2][j - 2]
                best = min(best, (t[0] + 1, t[1], t[2], t[3], t[4] + 1))
            table[i][j] = best
    return table[-1][-1]


def test_bounded_search_equals_the_full_table():
    rng = random.Random(5)
    for _ in range(3000):
        a = "".join(rng.choice("abcd") for _ in range(rng.randint(0, 7)))
        b = "".join(rng.choice("abcd") for _ in range(rng.randint(0, 7)))
        expected = _reference(a, b)
        for bound in (1, 2):
            got = _osa(a, b, bound)
            assert (tuple(got[:5]) if got else None) == (expected if expected[0] <= bound else None), (a, b, bound)


@pytest.mark.parametrize(
    ("seen", "kind"),
    [
        ("习近平新时代中国特色社会思想", "dels"),
        ("习近平新时代中国特色社会主义思相", "subs"),
        ("习近平新时代中国特色社会主主义思想", "ins"),
        ("习近平新时代中国特色会社主义思想", "swaps"),
    ],
)
def test_near_miss_names_the_kind_of_edit(seen, kind):
    edits = near_miss("习近平新时代中国特色社会主义思想", seen, Limits(total=2, word_drop=4, run=4))
    assert edits is not None and getattr(edits, kind) >= 1


def test_near_miss_limits_substitutions_insertions_and_dropped_runs():
    limits = Limits(total=2)
    assert near_miss("中国特色社会主义法治体系", "中国特色社会主义法律体系", limits) is not None
    assert near_miss("中国特色社会主义法治体系", "中国特色社会主义司法体制", limits) is None  # 2 changed
    assert near_miss("坚持中国特色社会主义道路", "坚持中国特色社会主义法治道路", limits) is None  # 2 added
    assert near_miss("中国特色社会主义法治道路", "中国特色社会主义道路", limits) is None  # a dropped word
    assert near_miss("习近平新时代中国特色社会主义思想", "习近平新时代社会主义思想", Limits(2, word_drop=4, run=4))
    assert near_miss("不忘初心牢记使命", "不忘初心牢记使命", Limits(1)) is None  # equal


def test_transplant_keeps_the_writers_punctuation():
    assert (
        transplant("增强“四个意识”、做到“两个维护", '增强"四个意识"、做到"两个唯护') == '增强"四个意识"、做到"两个维护'
    )
    assert transplant("不忘初心、牢记使命", "不忘初心，牢记始命") == "不忘初心，牢记使命"
    assert (
        transplant("习近平新时代中国特色社会主义思想", "习近平新时代中国特色社会思想")
        == "习近平新时代中国特色社会主义思想"
    )
    assert strip_punctuation("“四个意识”、 坚定") == "四个意识坚定"


# --- the pack -----------------------------------------------------------------------------
def test_pack_ships_at_least_150_sourced_formulations():
    [source] = [s for s in read_pack(ROOT / "rules" / "canonical.yaml") if s.spec["id"] == "canonical.phrase"]
    phrases = source.spec["phrases"]
    assert len(phrases) >= 150
    assert all(p["source"].strip() for p in phrases)
    assert len({strip_punctuation(p["text"]) for p in phrases}) == len(phrases)


def test_seeds_give_exactly_the_known_slips():
    found = set()
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for f in lint_text(CANONICAL, text):
            found.add((path.name[:3], f.rule_id, text[f.offset : f.end_offset]))
    assert found == {
        ("000", "canonical.phrase", "习近平新时代中国特色社会思想"),
        ("001", "canonical.plenary-discipline", "四中全会"),
    }


def _positives() -> list[tuple[str, str]]:
    lines = (FIXTURES / "positives.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip()]  # type: ignore[misc]


@pytest.mark.parametrize(("bad", "fixed"), _positives(), ids=lambda s: s[:14])
def test_positive_fixture_is_found_and_fixed(bad, fixed):
    assert lint_text(ALL_MINE, bad)
    result = fix_document(Document("<t>", bad), ALL_MINE, unsafe=True).document.source
    assert result == fixed
    assert fix_document(Document("<t>", result), ALL_MINE, unsafe=True).document.source == result


def test_negative_fixture_is_silent():
    for line in (FIXTURES / "negatives.txt").read_text(encoding="utf-8").splitlines():
        assert [line[f.offset : f.end_offset] for f in lint_text(ALL_MINE, line)] == [], line


def test_correct_official_prose_gives_no_finding():
    """1,720 corrected official-document sentences (ECSpell odw.train targets), one document."""
    text = (FIXTURES / "odw_targets.txt").read_text(encoding="utf-8")
    findings = lint_text(ALL_MINE, text)
    assert [(f.rule_id, text[f.offset : f.end_offset]) for f in findings] == []


def test_each_odw_sentence_alone_gives_no_finding():
    lines = (FIXTURES / "odw_targets.txt").read_text(encoding="utf-8").splitlines()
    flagged = [line for line in lines if lint_text(CANONICAL, line)]
    assert flagged == []


# --- the engine -----------------------------------------------------------------------------
def test_exact_phrase_and_shorter_correct_forms_are_silent():
    rule = canonical_rule(["习近平新时代中国特色社会主义思想", "人民当家作主"])
    ruleset = RuleSet([rule])
    for text in (
        "习近平新时代中国特色社会主义思想",
        "新时代中国特色社会主义思想",
        "中国特色社会主义",
        "习近平总书记",
        "人民当家作主，人民当家作主人",
    ):
        assert lint_text(ruleset, text) == [], text


def test_fix_is_safe_with_one_formulation_in_reach_and_unsafe_with_two():
    rule = canonical_rule(["中国特色社会主义法治体系", "中国特色社会主义法律体系"])
    [ambiguous] = lint_text(RuleSet([rule]), "建设中国特色社会主义法制体系。")
    assert ambiguous.fix is not None and ambiguous.fix.applicability is Applicability.UNSAFE
    assert ambiguous.extra["alternatives"]
    [clear] = lint_text(RuleSet([rule]), "建设中国特色社会主意法治体系。")
    assert clear.fix is not None and clear.fix.applicability is Applicability.SAFE
    assert clear.fix.replacement == "中国特色社会主义法治体系"


def test_allow_accepted_and_exceptions_silence_a_window():
    text = "中国现代化进程"
    assert lint_text(RuleSet([canonical_rule(["中国式现代化"])]), text)
    allowed = {"text": "中国式现代化", "source": "测试", "allow": ["中国现代化"]}
    assert lint_text(RuleSet([canonical_rule([allowed])]), text) == []
    assert lint_text(RuleSet([canonical_rule(["中国式现代化"], accepted=["中国现代化"])]), text) == []
    assert lint_text(RuleSet([canonical_rule(["中国式现代化"], exceptions=["中国现代化进程"])]), text) == []


def test_a_conjunction_in_place_of_a_comma_is_not_a_slip():
    rule = canonical_rule(["统筹推进“五位一体”总体布局、协调推进“四个全面”战略布局"])
    assert lint_text(RuleSet([rule]), "统筹推进“五位一体”总体布局和协调推进“四个全面”战略布局") == []


def test_windows_do_not_cross_lines():
    rule = canonical_rule(["不忘初心、牢记使命"])
    assert lint_text(RuleSet([rule]), "不忘初心\n牢记使命") == []


@pytest.mark.parametrize(
    ("phrases", "problem"),
    [(["不忘初心"], "太短"), (["不忘初心、牢记使命", "不忘初心，牢记使命"], "重复")],
)
def test_bad_phrase_lists_are_rejected_with_a_reason(phrases, problem):
    with pytest.raises(ConfigError, match=problem):
        canonical_rule(phrases)


def test_cli_fixes_a_near_miss(cli, tmp_path):
    """A missing word is put back only with --unsafe-fixes: an insertion is a suggestion (README, fix safety)."""
    target = tmp_path / "speech.txt"
    target.write_text("深入贯彻落实习近平新时代中国特色社会思想。\n", encoding="utf-8")
    cli("check", "--select", "canonical", "--fix", str(target))
    assert target.read_text(encoding="utf-8") == "深入贯彻落实习近平新时代中国特色社会思想。\n"
    result = cli("check", "--select", "canonical", "--fix", "--unsafe-fixes", str(target))
    assert result.code == 0, result.out + result.err
    assert target.read_text(encoding="utf-8") == "深入贯彻落实习近平新时代中国特色社会主义思想。\n"


def test_near_miss_with_two_characters_against_one():
    """Regression (found on the 100 MB corpus): two differing characters against one raised IndexError."""
    from speechlint.ruletypes.textdist import Edits, Limits, near_miss

    assert near_miss("甲乙丙丁", "甲戊丁", Limits(total=2)) == Edits(2, subs=1, dels=1)
    assert near_miss("甲乙丙丁", "甲戊丁", Limits(total=1)) is None
