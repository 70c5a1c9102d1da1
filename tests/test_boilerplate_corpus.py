"""Boilerplate learned from the corpus: `boilerplate.learned` and `speechlint learn-boilerplate`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEEDS

SLOGAN = "公文宝典 精品"  # a weak line: one faint signal (精品), not boilerplate on its own
FOOTER = "公文宝典出品"  # no signal at all: only repetition says it is residue


def _corpus(directory: Path, count: int = 4) -> list[Path]:
    """`count` different speeches, each with the site's slogan under its first line and its footer at the end."""
    paths = []
    seeds = sorted(SEEDS.glob("*.txt"))
    for index in range(count):
        lines = seeds[index % len(seeds)].read_text(encoding="utf-8").splitlines()
        body = [line for line in lines if "仅供学习" not in line and "QQ" not in line][:8]
        text = "\n".join([f"第{index + 1}号材料", SLOGAN, *body, "", FOOTER, ""])
        path = directory / f"d{index}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_weak_line_repeated_at_the_head_of_three_documents_is_reported(tmp_path, cli):
    _corpus(tmp_path, 3)
    result = cli("check", "--isolated", "--select", "boilerplate.learned", "--format", "json", ".", cwd=tmp_path)
    found = [d for d in result.json()["findings"] if d["rule"] == "boilerplate.learned"]
    assert len(found) == 3, result.out
    assert all(f["line"] == 2 for f in found)


def test_two_documents_are_not_enough(tmp_path, cli):
    _corpus(tmp_path, 2)
    result = cli("check", "--isolated", "--select", "boilerplate.learned", ".", cwd=tmp_path)
    assert result.code == 0 and "boilerplate.learned" not in result.out


def test_min_docs_comes_from_config_options(tmp_path, cli):
    _corpus(tmp_path, 3)
    (tmp_path / ".speechlint.yaml").write_text("options: {boilerplate: {min_docs: 4}}\n", encoding="utf-8")
    result = cli("check", "--select", "boilerplate.learned", ".", cwd=tmp_path)
    assert "boilerplate.learned" not in result.out
    (tmp_path / ".speechlint.yaml").write_text("options: {boilerplate: {min_docs: 3}}\n", encoding="utf-8")
    result = cli("check", "--select", "boilerplate.learned", ".", cwd=tmp_path)
    assert "boilerplate.learned" in result.out


def test_copies_of_one_file_count_once(tmp_path, cli):
    (first,) = _corpus(tmp_path, 1)
    for name in ("copy1.txt", "copy2.txt"):
        (tmp_path / name).write_bytes(first.read_bytes())
    result = cli("check", "--isolated", "--select", "boilerplate.learned", ".", cwd=tmp_path)
    assert "boilerplate.learned" not in result.out


def test_repeated_titles_without_any_signal_are_not_reported(tmp_path, cli):
    """Drafts of one speech (or a generated corpus) repeat their title lines verbatim."""
    for index in range(4):
        (tmp_path / f"draft{index}.txt").write_text(
            f"紧密结合乡镇工作实际\n为确保疫情防控取得全面胜利\n同志们：\n第{index}稿正文，主要任务是部署今年的工作。\n",
            encoding="utf-8",
        )
    result = cli("check", "--isolated", "--select", "boilerplate", ".", cwd=tmp_path)
    assert result.code == 0, result.out


def test_learn_boilerplate_writes_a_reviewable_pack(tmp_path, cli):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _corpus(corpus, 4)
    pack = tmp_path / "learned.yaml"
    result = cli("learn-boilerplate", str(corpus), "-o", str(pack), cwd=tmp_path)
    assert result.code == 0, result.err
    text = pack.read_text(encoding="utf-8")
    assert f'line: "{SLOGAN}", docs: 4' in text
    assert f'line: "{FOOTER}", docs: 4' in text and "没有任何水印信号" in text  # flagged for review
    assert "第1号材料" not in text

    result = cli("test-rules", str(pack), cwd=tmp_path)
    assert result.code == 0, result.out

    single = tmp_path / "single.txt"
    single.write_text(f"在全县工作会议上的讲话\n同志们：\n今天召开会议。\n\n{FOOTER}\n", encoding="utf-8")
    result = cli("check", "--config", str(pack), "--select", "boilerplate.site", str(single), cwd=tmp_path)
    assert "boilerplate.site" in result.out and FOOTER in result.out
    (tmp_path / "cfg.yaml").write_text(f"packs: [{pack.name}]\n", encoding="utf-8")
    result = cli("check", "--config", "cfg.yaml", "--select", "boilerplate.site", "--fix", str(single), cwd=tmp_path)
    assert single.read_text(encoding="utf-8") == "在全县工作会议上的讲话\n同志们：\n今天召开会议。\n"


def test_learn_boilerplate_with_nothing_to_learn(tmp_path, cli):
    (tmp_path / "a.txt").write_text("同志们：\n今天召开会议。\n", encoding="utf-8")
    pack = tmp_path / "out.yaml"
    result = cli("learn-boilerplate", ".", "-o", str(pack), cwd=tmp_path)
    assert result.code == 0 and not pack.exists() and "没有找到" in result.err


@pytest.mark.parametrize("bad", [["--min-docs", "1"], ["--id", "Bad Id"]])
def test_learn_boilerplate_rejects_bad_arguments(tmp_path, cli, bad):
    result = cli("learn-boilerplate", ".", *bad, cwd=tmp_path)
    assert result.code == 2


def test_fix_with_unsafe_fixes_removes_learned_lines(cli, tmp_path):
    """A site slogan repeated at the head of several downloads goes with --fix --unsafe-fixes."""
    body = "同志们：\n今天召开全县党建工作会议，主要任务是总结工作、部署任务。\n"
    for index in range(3):
        (tmp_path / f"d{index}.txt").write_text(f"自建平台、实时分享\n第{index + 1}篇讲话\n{body}", encoding="utf-8")
    before = cli("check", "--format", "json", "--select", "boilerplate", ".", cwd=tmp_path).json()
    assert [f["rule"] for f in before["findings"]] == ["boilerplate.learned"] * 3
    fixed = cli("check", "--fix", "--unsafe-fixes", "--select", "boilerplate", ".", cwd=tmp_path)
    assert "已修复 3 处" in fixed.out and fixed.code == 0
    for index in range(3):
        assert (tmp_path / f"d{index}.txt").read_text(encoding="utf-8") == f"第{index + 1}篇讲话\n{body}"
    plain = cli("check", "--fix", "--select", "boilerplate", ".", cwd=tmp_path)  # nothing left to learn or fix
    assert plain.code == 0


def test_one_offices_repeated_contact_line_is_not_learned(cli, tmp_path):
    """A unit's notices end with the same contact line and sign-off: that is the document's own text."""
    notice = (FIXTURES / "clean" / "notice_with_contacts.txt").read_text(encoding="utf-8")
    for index in range(4):
        (tmp_path / f"n{index}.txt").write_text(notice.replace("2024年度", f"第{index}项"), encoding="utf-8")
    findings = cli("check", "--format", "json", "--select", "boilerplate", ".", cwd=tmp_path).json()["findings"]
    assert findings == []
