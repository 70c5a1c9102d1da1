"""Fixes change only the characters they name; writes are atomic; fixing is idempotent."""

from __future__ import annotations

import codecs
import os

from speechlint.config import Settings
from speechlint.documents import Document
from speechlint.pipeline.fix import apply_edits, write_atomic
from speechlint.pipeline.run import fix_document
from speechlint.rulesets import build_ruleset

TYPO_ONLY = build_ruleset(Settings(), ["typo"])


def test_apply_edits_back_to_front_skips_overlaps():
    text, count = apply_edits("abcdef", [(4, 5, "E"), (1, 3, "BC"), (2, 4, "zz")])
    assert (text, count) == ("aBCdEf", 2)


def test_fix_is_idempotent_and_only_touches_the_typo():
    doc = Document("a.txt", "需为全省探索路劲、提供经验。\n做好“份内事”。\n")
    once = fix_document(doc, TYPO_ONLY)
    assert once.document.source == "需为全省探索路径、提供经验。\n做好“分内事”。\n"
    twice = fix_document(once.document, TYPO_ONLY)
    assert twice.applied == 0 and twice.document.source == once.document.source


def test_bom_crlf_and_gb18030_survive_a_fix(cli, tmp_path):
    original = "标题\r\n需为全省探索路劲、提供经验。\r\n\r\n结尾没有换行"
    files = {
        "utf8bom.txt": codecs.BOM_UTF8 + original.encode("utf-8"),
        "gbk.txt": original.encode("gb18030"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = cli("check", "--fix", "--select", "typo", ".", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    expected = original.replace("路劲", "路径")
    assert (tmp_path / "utf8bom.txt").read_bytes() == codecs.BOM_UTF8 + expected.encode("utf-8")
    assert (tmp_path / "gbk.txt").read_bytes() == expected.encode("gb18030")


def test_atomic_write_keeps_mode_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "doc.txt"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_atomic(target, "新内容".encode())
    assert target.read_bytes() == "新内容".encode()
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == ["doc.txt"]


def test_fix_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("探索路劲", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "探索路径".encode())
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "探索路径"


def test_the_yaml_fix_level_is_a_ceiling_no_engine_raises(cli, tmp_path):
    """A user who marks the watermark rule `fix: unsafe` is never surprised by --fix deleting a block,
    although the engine rates a head block safe."""
    text = "仅供学习 禁止外传\n\n在全县党建工作会议上的讲话\n同志们：\n今天召开会议。\n"
    doc = tmp_path / "speech.txt"
    doc.write_text(text, encoding="utf-8")
    result = cli("check", "--isolated", "--select", "boilerplate.block", "--fix", str(doc), cwd=tmp_path)
    assert doc.read_text(encoding="utf-8").startswith("在全县党建工作会议上的讲话"), result.out
    doc.write_text(text, encoding="utf-8")
    (tmp_path / ".speechlint.yaml").write_text("unsafe-fixes: [boilerplate, typo.word]\n", encoding="utf-8")
    result = cli("check", "--select", "boilerplate.block", "--fix", str(doc), cwd=tmp_path)
    assert doc.read_text(encoding="utf-8") == text and "--unsafe-fixes" in result.out
    cli("check", "--select", "boilerplate.block", "--fix", "--unsafe-fixes", str(doc), cwd=tmp_path)
    assert doc.read_text(encoding="utf-8").startswith("在全县党建工作会议上的讲话")


def test_an_unknown_selector_in_unsafe_fixes_is_an_error(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text("unsafe-fixes: [typo.nosuch]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("路劲\n", encoding="utf-8")
    result = cli("check", "a.txt", cwd=tmp_path)
    assert result.code == 2 and "typo.nosuch" in result.err and "Traceback" not in result.err


def test_the_fix_tier_keeps_only_meaning_preserving_changes_safe():
    from speechlint.pipeline.tier import is_safe_change

    assert is_safe_change("typo", "路劲", "路径")
    assert is_safe_change("typo", "再接再励", "再接再厉")
    assert is_safe_change("canonical", "十九届中央纪委四中全会", "十九届中央纪委四次全会")
    assert is_safe_change("punctuation", ",", "，") and is_safe_change("whitespace", " ", "")
    assert is_safe_change("boilerplate", "仅供学习 禁止外传\n", "")
    assert not is_safe_change("canonical", "坚持走中国特色社会主义道路", "坚持中国特色社会主义道路")  # a deletion
    assert not is_safe_change("typo", "市发改局", "市发展改革委")  # another wording
    assert not is_safe_change("duplicate", "要坚持……两张皮现象。\n", "")  # deleting content
    assert not is_safe_change("whitespace", "a b", "ab c")


def test_shipped_rules_are_held_to_the_tier_and_user_rules_to_their_word(tmp_path):
    from speechlint.model import Applicability
    from speechlint.pipeline.run import lint_text
    from speechlint.rulesets import RuleSource

    spec = {
        "id": "t.unit",
        "type": "dictionary",
        "category": "typo",
        "severity": "warning",
        "message": "{match}",
        "fix": "safe",
        "entries": {"市发改局": "市发展改革委"},
    }
    for trusted, expected in ((True, Applicability.UNSAFE), (False, Applicability.SAFE)):
        source = RuleSource(spec, "<test>", ["rules", 0], trusted=trusted)
        ruleset = build_ruleset(Settings(extends_default=False), sources=[source])
        (finding,) = lint_text(ruleset, "市发改局牵头。")
        assert finding.fix.applicability is expected
