"""Bad input ends in one clear line naming the file (and line), exit 2, never a traceback."""

from __future__ import annotations

import pytest


def one_line_error(result, *needles):
    assert result.code == 2, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_missing_path(cli, tmp_path):
    one_line_error(cli("check", "nope.txt", cwd=tmp_path), "nope.txt")


def test_binary_file_named_is_an_error_but_skipped_in_a_walk(cli, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "d" / "ok.txt").write_text("今天开会。\n", encoding="utf-8")
    one_line_error(cli("check", "d/x.txt", cwd=tmp_path), "d/x.txt")
    walked = cli("check", "d", cwd=tmp_path)
    assert walked.code == 0
    assert "d/x.txt" in walked.out and "跳过" in walked.out


def test_undecodable_file(cli, tmp_path):
    (tmp_path / "bad.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (tmp_path / ".speechlint.yaml").write_text("encoding: utf-8\n", encoding="utf-8")
    one_line_error(cli("check", "bad.txt", cwd=tmp_path), "bad.txt")


@pytest.mark.parametrize(
    ("config", "needles"),
    [
        ("select: [placeholder\n  ignore: x\n", [".speechlint.yaml:", "YAML"]),
        ("select: placeholder\n", [".speechlint.yaml:1:", "select"]),
        ("colour: red\n", [".speechlint.yaml:1:", "colour"]),
        (
            "rules:\n  - id: local.bad\n    type: pattern\n    category: typo\n    severity: error\n"
            "    message: m\n    pattern: '(unclosed'\n",
            [".speechlint.yaml:7:", "正则"],
        ),
        (
            "rules:\n  - id: local.t\n    type: nosuchtype\n    category: typo\n    severity: error\n    message: m\n",
            [".speechlint.yaml:3:", "nosuchtype"],
        ),
        (
            "rules:\n  - id: local.t\n    type: pattern\n    category: typo\n    severity: fatal\n"
            "    message: m\n    pattern: a\n",
            [".speechlint.yaml:5:", "fatal"],
        ),
        ("ignore: [placeholder.nope]\n", ["placeholder.nope"]),
        ("packs: [missing.yaml]\n", [".speechlint.yaml:1:", "missing.yaml"]),
    ],
)
def test_config_mistakes(cli, tmp_path, config, needles):
    (tmp_path / ".speechlint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    one_line_error(cli("check", "a.txt", cwd=tmp_path), *needles)


def test_malformed_pack_in_test_rules(cli, tmp_path):
    (tmp_path / "pack.yaml").write_text("version: 1\nrules:\n  - id: x.y\n    type: pattern\n", encoding="utf-8")
    one_line_error(cli("test-rules", "pack.yaml", cwd=tmp_path), "pack.yaml:3:", "缺少")


def test_fix_refuses_nothing_half_written_on_error(cli, tmp_path):
    """A run that fails on one file leaves every other file either fixed whole or untouched."""
    (tmp_path / "a.txt").write_text("需为全省探索路劲。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00binary")
    result = cli("check", "--fix", "a.txt", "b.txt", cwd=tmp_path)
    assert result.code == 2
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "需为全省探索路径。\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_a_failing_rule_is_one_line_not_a_traceback(cli, tmp_path, monkeypatch):
    from speechlint.ruletypes.pattern import PatternRule

    def boom(self, doc):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(PatternRule, "check", boom)
    (tmp_path / "a.txt").write_text("需为全省探索路劲。\n", encoding="utf-8")
    result = cli("check", "a.txt", cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" not in result.err and "simulated bug" in result.err and "a.txt" in result.err
    assert "typo.word" in result.out  # the other rules still reported
