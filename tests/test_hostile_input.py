"""Hostile and unusual input (issue #11): resource bombs, links, permissions, failed inputs in
the report, and output a person can read. Each test reproduces what a user met.

The tests run as whatever user CI uses, root included, for whom permission bits do not stop a
read: unreadable directories and files are simulated at the system call the walk makes.
"""

from __future__ import annotations

import io
import os
import pathlib
import time

import pytest

from speechlint.config import Settings
from speechlint.progress import Progress, wanted
from speechlint.rulesets import RuleSource, build_ruleset
from speechlint.ruletypes.base import LintInput


def one_line(result, *needles: str) -> str:
    assert result.code == 2, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# --- resource limits ----------------------------------------------------------------------
def test_a_catastrophic_user_pattern_stops_with_one_line(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text(
        "extends: none\nrules:\n  - {id: my.slow, type: pattern, category: placeholder, severity: error,"
        " message: 慢, pattern: '(a+)+$'}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("a" * 2000 + "b\n", encoding="utf-8")
    started = time.monotonic()
    result = cli("check", "a.txt", cwd=tmp_path)
    assert time.monotonic() - started < 15
    one_line(result, "my.slow", ".speechlint.yaml", "a.txt")


def test_a_catastrophic_line_scoped_pattern_stops_with_one_line(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text(
        "extends: none\nrules:\n  - {id: my.slow, type: pattern, category: placeholder, severity: error,"
        " message: 慢, pattern: '(a+)+$', prefilter: [b], scope: line}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(("a" * 2000 + "b\n" + "甲乙丙丁戊己庚辛壬癸" * 400 + "\n") * 6, encoding="utf-8")
    started = time.monotonic()
    result = cli("check", "a.txt", cwd=tmp_path)
    assert time.monotonic() - started < 15
    one_line(result, "my.slow", ".speechlint.yaml", "a.txt")


def test_a_line_scoped_pattern_has_one_time_budget_for_the_document_not_one_per_line(monkeypatch):
    """Lines that are each slow, none over the limit, still stop the rule once together they are."""
    from speechlint.ruletypes import pattern

    monkeypatch.setattr(pattern, "TIMEOUT_SECONDS", 0.3)
    spec = {"id": "my.slow", "type": "pattern", "category": "placeholder", "severity": "error", "message": "慢"}
    spec |= {"pattern": "b", "prefilter": ["b"], "scope": "line"}
    rules = build_ruleset(Settings(extends_default=False), sources=[RuleSource(spec, "<test>", ["rules", 0])])
    [rule] = rules.rules
    lines = []

    def slow_line(text, compiled, timeout, start, end):
        lines.append(start)
        time.sleep(0.1)
        return iter(())

    monkeypatch.setattr(rule, "_matches", slow_line)
    text = ("b\n" + "甲" * 100 + "\n") * 20
    with pytest.raises(pattern.PatternTimeout):
        list(rule.check(LintInput(text)))
    assert 3 <= len(lines) <= 6  # stopped after ~0.3 s of lines, not after all 20


def test_a_yaml_alias_bomb_in_the_config_is_refused(cli, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    (tmp_path / ".speechlint.yaml").write_text("\n".join(lines) + "\nselect: *a9\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    started = time.monotonic()
    result = cli("check", "a.txt", cwd=tmp_path)
    assert time.monotonic() - started < 10
    one_line(result, ".speechlint.yaml", "别名")


# --- links --------------------------------------------------------------------------------
def test_fix_never_writes_through_a_link_out_of_the_walked_tree(cli, tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "own.txt").write_text("要找准发展路劲。\n", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("要找准发展路劲。\n", encoding="utf-8")
    (tree / "link.txt").symlink_to(outside)
    result = cli("check", "--fix", "tree", cwd=tmp_path)
    assert outside.read_text(encoding="utf-8") == "要找准发展路劲。\n"
    assert (tree / "own.txt").read_text(encoding="utf-8") == "要找准发展路径。\n"
    assert result.code == 2 and "tree/link.txt" in result.err and "符号链接" in result.err
    assert "tree/link.txt:1:" in result.out  # still reported, as it stands
    named = cli("check", "--fix", "tree/link.txt", cwd=tmp_path)  # named: the user asked for it
    assert named.code == 0 and outside.read_text(encoding="utf-8") == "要找准发展路径。\n"


def test_a_dangling_link_in_a_walk_is_a_warning_and_the_walk_goes_on(cli, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("要找准发展路劲。\n", encoding="utf-8")
    (tmp_path / "d" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = cli("check", "d", cwd=tmp_path)
    assert result.code == 0 and "d/a.txt:1:" in result.out
    assert "d/gone.txt" in result.out and "不存在" in result.out and not result.err


# --- permissions --------------------------------------------------------------------------
@pytest.fixture
def locked(monkeypatch):
    """Directories and files named `locked*` cannot be listed or examined (EACCES)."""
    real_scandir, real_stat = os.scandir, pathlib.Path.stat

    def scandir(path="."):
        if os.path.basename(os.fspath(path)).startswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def stat(self, *args, **kwargs):
        if any(part.startswith("locked") for part in self.parts):
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(pathlib.Path, "stat", stat)


def test_an_unreadable_directory_is_an_error_never_a_clean_pass(cli, tmp_path, locked):
    (tmp_path / "docs" / "locked").mkdir(parents=True)
    (tmp_path / "docs" / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    walked = cli("check", "docs", cwd=tmp_path)
    one_line(walked, "docs/locked", "无法读取")
    assert "共检查 1 个文件" in walked.out and "未发现问题" not in walked.out.replace("已检查的文件中未发现问题", "")
    named = cli("check", "docs/locked", cwd=tmp_path)
    one_line(named, "docs/locked")
    inside = cli("check", "docs/locked/b.txt", cwd=tmp_path)
    one_line(inside, "docs/locked/b.txt", "无法访问")
    assert "内部错误" not in inside.err


def test_failed_inputs_are_listed_in_json_and_sarif(cli, tmp_path, locked):
    (tmp_path / "docs" / "locked").mkdir(parents=True)
    (tmp_path / "docs" / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    report = cli("check", "--format", "json", "docs", cwd=tmp_path)
    assert report.code == 2 and report.json()["summary"]["failed"] == [report.err.split("错误：", 1)[1].strip()]
    sarif = cli("check", "--format", "sarif", "docs", cwd=tmp_path)
    invocation = sarif.json()["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any("docs/locked" in n["message"]["text"] for n in invocation["toolExecutionNotifications"])


def test_a_read_only_file_is_not_rewritten(cli, tmp_path):
    path = tmp_path / "ro.txt"
    path.write_text("要找准发展路劲。\n", encoding="utf-8")
    path.chmod(0o444)
    try:
        result = cli("check", "--fix", "ro.txt", cwd=tmp_path)
        assert path.read_text(encoding="utf-8") == "要找准发展路劲。\n"
        one_line(result, "ro.txt", "只读")
        assert "ro.txt:1:" in result.out and "已修复" not in result.out
    finally:
        path.chmod(0o644)


def test_a_report_file_in_a_missing_directory_is_refused_before_any_fix(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("要找准发展路劲。\n", encoding="utf-8")
    result = cli("check", "--fix", "a.txt", "-o", "nodir/report.txt", cwd=tmp_path)
    one_line(result, "nodir")
    assert path.read_text(encoding="utf-8") == "要找准发展路劲。\n"


# --- output a person reads ----------------------------------------------------------------
def test_a_long_finding_is_underlined_in_part(cli, tmp_path):
    import random

    random.seed(7)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行"
    paragraph = "".join(random.choice(alphabet) for _ in range(5000)) + "。"
    (tmp_path / "a.txt").write_text(f"同志们：\n{paragraph}\n下面讲第二个问题。\n{paragraph}\n", encoding="utf-8")
    result = cli("check", "--select", "duplicate", "a.txt", cwd=tmp_path)
    assert "duplicate.within" in result.out
    assert max(len(line) for line in result.out.splitlines()) < 400
    html = cli("check", "--select", "duplicate", "--format", "html", "a.txt", cwd=tmp_path)
    assert len(html.out) < 20_000


def test_the_progress_bar_waits_then_draws_and_erases_itself():
    stream = io.StringIO()
    bar = Progress(1000, stream, delay=0.0)
    bar.advance(500)
    assert "50%" in stream.getvalue() and "检查中" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")
    quiet = io.StringIO()
    slow = Progress(1000, quiet)  # the default delay: a quick run draws nothing
    slow.advance(1000)
    slow.close()
    assert quiet.getvalue() == ""


def test_the_progress_bar_only_for_a_person_at_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert wanted("text", Tty()) and not wanted("text", io.StringIO())
    assert not wanted("json", Tty()) and not wanted("sarif", Tty())
    monkeypatch.setenv("CI", "true")
    assert not wanted("text", Tty())


def test_a_file_the_system_refuses_to_replace_is_one_line(cli, tmp_path, monkeypatch):
    """An immutable file (chattr +i) or a read-only mount: the rename fails; nothing half-written."""
    path = tmp_path / "a.txt"
    path.write_text("要找准发展路劲。\n", encoding="utf-8")

    def refuse(*_args, **_kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "replace", refuse)
    result = cli("check", "--fix", "a.txt", cwd=tmp_path)
    one_line(result, "a.txt", "无法写入修复")
    assert path.read_text(encoding="utf-8") == "要找准发展路劲。\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "a.txt" and not p.name.endswith("-cache")] == []


def test_after_a_failed_input_the_summary_never_says_no_problems(cli, tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "ok.txt").write_text("今天开会。\n", encoding="utf-8")
    result = cli("check", "bin.txt", "ok.txt", cwd=tmp_path)
    one_line(result, "bin.txt")
    assert "未发现问题" not in result.out.replace("已检查的文件中未发现问题", "") and "1 个错误" in result.out


def test_a_link_whose_target_cannot_be_examined_is_one_line_and_the_walk_goes_on(cli, tmp_path, monkeypatch):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    (tmp_path / "d" / "l.txt").symlink_to(tmp_path / "secret.txt")
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if os.fspath(path).endswith("l.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    result = cli("check", "d", cwd=tmp_path)
    one_line(result, "d/l.txt", "无法访问")
    assert "共检查 1 个文件" in result.out


def test_pipes_devices_and_looping_links_never_hang_a_walk(cli, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    os.mkfifo(tmp_path / "d" / "pipe.txt")
    (tmp_path / "d" / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "d" / "loop.txt").symlink_to(tmp_path / "d" / "loop.txt")
    started = time.monotonic()
    result = cli("check", "d", cwd=tmp_path)
    assert time.monotonic() - started < 15 and result.code == 0, result.out + result.err
    assert all(name in result.out for name in ("pipe.txt", "zero.txt", "loop.txt"))
    named = cli("check", "d/pipe.txt", cwd=tmp_path)
    one_line(named, "d/pipe.txt", "不是普通文件")


def test_two_names_of_one_file_are_checked_and_fixed_once(cli, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("要找准发展路劲。\n", encoding="utf-8")
    (tmp_path / "d" / "b.txt").symlink_to("a.txt")
    result = cli("check", "--fix", "d", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert "共检查 1 个文件" in result.out
    assert (tmp_path / "d" / "a.txt").read_text(encoding="utf-8") == "要找准发展路径。\n"


def test_the_report_never_overwrites_a_document(cli, tmp_path):
    (tmp_path / "d").mkdir()
    doc = tmp_path / "d" / "a.txt"
    doc.write_text("要找准发展路劲。\n", encoding="utf-8")
    one_line(cli("check", "--fix", "d", "-o", "d/a.txt", cwd=tmp_path), "d/a.txt")
    assert doc.read_text(encoding="utf-8") == "要找准发展路劲。\n"


def test_fix_on_standard_input_always_gives_the_document_back(cli):
    clean = cli("check", "--fix", "-", stdin="今天天气很好。\n".encode())
    assert clean.code == 0 and clean.out == "今天天气很好。\n" and "未发现问题" in clean.err
    unfixable = cli("check", "--fix", "-", stdin="刚才XX部长讲了话。\n".encode())
    assert unfixable.out == "刚才XX部长讲了话。\n" and "placeholder.x" in unfixable.err


def test_a_list_named_like_a_regex_argument_is_a_one_line_error(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text(
        "rules:\n  - {id: my.units, type: pattern, category: typo, severity: error, message: 单位,"
        " pattern: '\\L<flags>', lists: {flags: [市发改局]}}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("市发改局牵头。\n", encoding="utf-8")
    one_line(cli("check", "a.txt", cwd=tmp_path), ".speechlint.yaml", "flags")


def test_dupes_and_learning_report_an_unreadable_directory(cli, tmp_path, locked):
    (tmp_path / "docs" / "locked").mkdir(parents=True)
    (tmp_path / "docs" / "a.txt").write_text("今天开会。\n", encoding="utf-8")
    for command in ("dupes", "learn-boilerplate"):
        result = cli(command, "docs", cwd=tmp_path)
        assert result.code == 2 and "docs/locked" in result.err and "Traceback" not in result.err, command
