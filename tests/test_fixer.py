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
