"""The staged run: corpus findings pass the same filter as the others, fixes of both kinds are
applied together, and what is reported is located in the text as finally written."""

from __future__ import annotations

import json

HEAD = "酷乐文行 精品材料\n\n"
BODY = "同志们：今天召开全县工作会议，主要任务是部署今年的重点工作。\n"


def _corpus(tmp_path, names=("a.txt", "b.txt", "c.txt")):
    for index, name in enumerate(names):
        (tmp_path / name).write_text(HEAD + BODY + f"这是第{index + 1}篇讲话的正文。\n", encoding="utf-8")


def test_corpus_findings_obey_per_file_ignores(cli, tmp_path):
    """Bug: `per-file-ignores` did not reach boilerplate.learned or duplicate.across."""
    _corpus(tmp_path)
    shared = "要坚持把基层党建工作同经济社会发展工作紧密结合起来，做到同部署、同推进、同考核，切实防止两张皮现象。\n"
    for name in ("a.txt", "b.txt"):
        with open(tmp_path / name, "a", encoding="utf-8") as handle:
            handle.write(shared)
    before = cli("check", "--format", "json", "--select", "boilerplate,duplicate", ".", cwd=tmp_path).json()
    assert {f["rule"] for f in before["findings"]} == {"boilerplate.learned", "duplicate.across"}
    (tmp_path / ".speechlint.yaml").write_text(
        'per-file-ignores: {"*.txt": [boilerplate, duplicate]}\n', encoding="utf-8"
    )
    after = cli("check", "--format", "json", "--select", "boilerplate,duplicate", ".", cwd=tmp_path).json()
    assert after["findings"] == []


def test_corpus_findings_obey_a_disable_file_comment(cli, tmp_path):
    _corpus(tmp_path, ("a.md", "b.md", "c.md"))
    text = (tmp_path / "a.md").read_text(encoding="utf-8")
    (tmp_path / "a.md").write_text(text + "<!-- speechlint-disable-file -->\n", encoding="utf-8")
    data = cli("check", "--format", "json", "--select", "boilerplate.learned", ".", cwd=tmp_path).json()
    assert sorted(f["path"] for f in data["findings"]) == ["b.md", "c.md"]


def test_after_a_corpus_fix_findings_are_placed_in_the_written_text(cli, tmp_path):
    """Bug: after `--fix --unsafe-fixes` a finding was reported at its line before the corpus fix."""
    _corpus(tmp_path)
    with open(tmp_path / "a.txt", "a", encoding="utf-8") as handle:
        handle.write("请XX部长讲话。\n")
    result = cli("check", "--fix", "--unsafe-fixes", "--format", "json", ".", cwd=tmp_path)
    written = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert not written.startswith("酷乐文行")
    [placeholder] = [f for f in result.json()["findings"] if f["rule"] == "placeholder.x"]
    line = written.splitlines()[placeholder["line"] - 1]
    assert line[placeholder["column"] - 1 :].startswith("XX")


def test_stdin_with_a_corpus_is_reported_on_its_fixed_text(cli, tmp_path):
    """Bug: `check --fix - b.txt` quoted text of the stdin document that the fix had deleted."""
    shared = "要坚持把基层党建工作同经济社会发展工作紧密结合起来，做到同部署、同推进、同考核，切实防止两张皮现象。"
    (tmp_path / "b.txt").write_text(f"开头。\n{shared}\n", encoding="utf-8")
    stdin = f"仅供学习 禁止外传\n更多精品材料请关注微信公众号，回复“8”免费领取。\n\n在全县会议上的讲话\n{shared}\n"
    result = cli("check", "--fix", "--format", "json", "-", "b.txt", cwd=tmp_path, stdin=stdin.encode())
    fixed = result.out
    assert "仅供学习" not in fixed and shared in fixed
    report = json.loads(result.err)
    duplicates = [f for f in report["findings"] if f["rule"] == "duplicate.across"]
    assert duplicates, report
    for finding in duplicates:
        assert finding["text"] and finding["text"] in shared, finding["text"]
        places = [(finding["path"], finding["line"])] + [(r["path"], r["line"]) for r in finding["related"]]
        for path, line in places:
            text = fixed if path == "-" else (tmp_path / path).read_text(encoding="utf-8")
            assert "要坚持把基层党建工作" in text.splitlines()[line - 1], (path, line)


def test_a_named_group_called_like_a_message_field_does_not_crash(cli, tmp_path):
    """Bug: `(?P<suggestion>甲)乙` crashed every document (a clash of keyword arguments)."""
    (tmp_path / ".speechlint.yaml").write_text(
        "rules:\n"
        "  - id: local.group\n"
        "    type: pattern\n"
        "    category: other\n"
        "    severity: error\n"
        "    message: '“{match}”：{suggestion}｜{match}'\n"
        "    pattern: '(?P<suggestion>甲)(?P<match>乙)'\n"
        "    examples: [{bad: 甲乙}]\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("甲乙丙。\n", encoding="utf-8")
    result = cli("check", "--select", "local.group", "--format", "json", "a.txt", cwd=tmp_path)
    assert result.code == 1, result.err
    [finding] = result.json()["findings"]
    assert finding["text"] == "甲乙" and finding["message"].startswith("“甲乙”")


def test_a_file_edited_during_the_run_is_not_overwritten_by_its_fix(tmp_path, monkeypatch):
    """The fix is written only if the file is still as read: an edit of the same length made
    between reading and writing (a writer saving in an editor) is noticed and kept."""
    from speechlint.config import Settings
    from speechlint.documents import Document
    from speechlint.pipeline.discover import iter_targets
    from speechlint.pipeline.run import RunOptions, run
    from speechlint.rulesets import build_ruleset

    target = tmp_path / "a.txt"
    target.write_text("今天需为全省探索路劲。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("另一篇讲话。\n", encoding="utf-8")
    edited = "明天需为全省探索路劲。\n"  # same length in bytes: only the checksum can tell
    real = Document.from_path.__func__
    reads: list[str] = []

    def read_then_edit(cls, path, *args, **kwargs):
        doc = real(cls, path, *args, **kwargs)
        if path == target and not reads:
            target.write_text(edited, encoding="utf-8")
        reads.append(str(path))
        return doc

    monkeypatch.setattr(Document, "from_path", classmethod(read_then_edit))
    settings = Settings()
    targets = list(iter_targets([str(tmp_path)], settings))
    result = run(targets, build_ruleset(settings, ["typo"]), settings, RunOptions(fix=True), jobs=1)
    assert any("a.txt" in e and "文件在检查过程中被改动" in e for e in result.errors)
    assert target.read_text(encoding="utf-8") == edited
