"""The command line as a user meets it: output shapes, exit codes, fix/diff, stdin."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import FIXTURES, ROOT

PLACEHOLDER_DOC = "同志们：\n刚才XX部长组织学习了上级文件精神。\n"
TYPO_DOC = "需为全省探索路劲、提供经验。\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_text_format_has_location_rule_category_and_caret(cli, tmp_path):
    write(tmp_path, "a.txt", PLACEHOLDER_DOC)
    result = cli("check", "a.txt", cwd=tmp_path)
    assert result.code == 1
    first = result.out.splitlines()[0]
    assert first.startswith("a.txt:2:3: placeholder.x [placeholder] ")
    assert "“XX”" in first
    assert "刚才XX部长" in result.out
    caret_line = result.out.splitlines()[2]
    # 刚才 is two wide characters (four columns); XX is two narrow ones
    assert caret_line.split("| ", 1)[1].startswith("    ^^ ")
    assert "\x1b[" not in result.out  # no colour when not a terminal
    assert "共检查 1 个文件" in result.out


def test_json_shape(cli, tmp_path):
    write(tmp_path, "docs/a.txt", "标题\r\n" + PLACEHOLDER_DOC)
    result = cli("check", "--format", "json", "docs", cwd=tmp_path)
    data = result.json()
    assert data["version"] == 1
    finding = next(f for f in data["findings"] if f["rule"] == "placeholder.x")
    assert {
        "path",
        "rule",
        "category",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "offset",
        "end_offset",
        "text",
        "fix",
    } <= set(finding)
    assert finding["path"] == "docs/a.txt"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (3, 3, 3, 5)
    # offsets count code points of the decoded text, CRLF included
    source = (tmp_path / "docs/a.txt").read_bytes().decode()
    assert source[finding["offset"] : finding["end_offset"]] == "XX" == finding["text"]
    assert finding["fix"] is None
    assert data["summary"]["files"] == 1
    assert data["summary"]["findings"] == len(data["findings"])


def test_fix_field_in_json(cli, tmp_path):
    write(tmp_path, "a.txt", TYPO_DOC)
    data = cli("check", "--format", "json", "--select", "typo", "a.txt", cwd=tmp_path).json()
    assert data["findings"][0]["fix"] == {"replacement": "路径", "applicability": "safe"}
    assert data["summary"]["fixable"] == 1


def test_exit_codes_fail_on_and_exit_zero(cli, tmp_path):
    write(tmp_path, "clean.txt", "今天召开全市党建工作会议。\n")
    write(tmp_path, "typo.txt", TYPO_DOC)  # a warning only
    assert cli("check", "clean.txt", cwd=tmp_path).code == 0
    assert cli("check", "typo.txt", cwd=tmp_path).code == 0  # below the default --fail-on error
    assert cli("check", "--fail-on", "warning", "typo.txt", cwd=tmp_path).code == 1
    write(tmp_path, "ph.txt", PLACEHOLDER_DOC)
    assert cli("check", "ph.txt", cwd=tmp_path).code == 1
    assert cli("check", "--exit-zero", "ph.txt", cwd=tmp_path).code == 0


def test_fix_rewrites_and_reports_what_is_left(cli, tmp_path):
    path = write(tmp_path, "a.txt", PLACEHOLDER_DOC + TYPO_DOC)
    result = cli("check", "--fix", "a.txt", cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == PLACEHOLDER_DOC + TYPO_DOC.replace("路劲", "路径")
    assert "placeholder.x" in result.out and "typo." not in result.out
    assert "已修复 1 处" in result.out
    assert result.code == 1  # the placeholder is still there


def test_diff_shows_fix_and_changes_nothing(cli, tmp_path):
    path = write(tmp_path, "a.txt", TYPO_DOC)
    result = cli("check", "--diff", "a.txt", cwd=tmp_path)
    assert result.code == 1
    assert "-需为全省探索路劲、提供经验。" in result.out and "+需为全省探索路径、提供经验。" in result.out
    assert path.read_text(encoding="utf-8") == TYPO_DOC
    write(tmp_path, "b.txt", "今天开会。\n")
    assert cli("check", "--diff", "b.txt", cwd=tmp_path).code == 0


def test_stdin(cli, tmp_path):
    result = cli("check", "--format", "json", "-", stdin=PLACEHOLDER_DOC.encode(), cwd=tmp_path)
    assert result.json()["findings"][0]["path"] == "-"
    fixed = cli("check", "--fix", "--select", "typo", "-", stdin=TYPO_DOC.encode(), cwd=tmp_path)
    assert fixed.out == TYPO_DOC.replace("路劲", "路径")
    assert "共检查 1 个文件" in fixed.err


def test_select_and_ignore(cli, tmp_path):
    write(tmp_path, "a.txt", PLACEHOLDER_DOC + TYPO_DOC)
    rules = {
        f["rule"]
        for f in cli("check", "--format", "json", "--select", "typo", "a.txt", cwd=tmp_path).json()["findings"]
    }
    assert rules and all(r.startswith("typo.") for r in rules)
    rules = {
        f["rule"]
        for f in cli("check", "--format", "json", "--ignore", "placeholder", "a.txt", cwd=tmp_path).json()["findings"]
    }
    assert rules and not any(r.startswith("placeholder") for r in rules)


def test_unknown_rule_id_is_a_usage_error(cli, tmp_path):
    write(tmp_path, "a.txt", TYPO_DOC)
    result = cli("check", "--select", "placeholder.nonexistent", "a.txt", cwd=tmp_path)
    assert result.code == 2
    assert "placeholder.nonexistent" in result.err and len(result.err.strip().splitlines()) == 1


def test_statistics(cli, tmp_path):
    write(tmp_path, "a.txt", PLACEHOLDER_DOC * 3)
    result = cli("check", "--statistics", "a.txt", cwd=tmp_path)
    assert "按规则统计" in result.out
    assert any(line.split() == ["3", "placeholder.x", "[placeholder]"] for line in result.out.splitlines())


def test_discovery_skips_hidden_vcs_gitignored_and_other_extensions(cli, tmp_path):
    for name in ("a.txt", "b.md", "c.py", ".hidden/d.txt", ".git/e.txt", "build/f.txt", "sub/g.txt"):
        write(tmp_path, name, PLACEHOLDER_DOC)
    write(tmp_path, ".gitignore", "build/\n")
    paths = {f["path"] for f in cli("check", "--format", "json", ".", cwd=tmp_path).json()["findings"]}
    assert paths == {"a.txt", "b.md", "sub/g.txt"}


def test_rules_and_explain(cli, tmp_path):
    listing = cli("rules", cwd=tmp_path)
    assert listing.code == 0 and "placeholder.x" in listing.out and "typo." in listing.out
    rows = json.loads(cli("rules", "--format", "json", cwd=tmp_path).out)
    assert {"id", "category", "severity", "fixable", "summary"} <= set(rows[0])
    page = cli("explain", "placeholder.x", cwd=tmp_path)
    assert page.code == 0 and "X光" in page.out and "✗" in page.out and "✓" in page.out
    assert cli("explain", "no.such.rule", cwd=tmp_path).code == 2


def test_rules_lists_the_rules_that_are_off_by_default_with_all(cli, tmp_path):
    listing = cli("rules", cwd=tmp_path)
    assert "typo.context" in listing.out.splitlines()[-1]  # named in the footer, not listed
    assert not any(line.startswith("typo.context") for line in listing.out.splitlines())
    every = json.loads(cli("rules", "--all", "--format", "json", cwd=tmp_path).out)
    off = [row["id"] for row in every if not row["enabled"]]
    assert off == ["typo.context"]
    assert len(every) == len(json.loads(cli("rules", "--format", "json", cwd=tmp_path).out)) + 1


def test_console_script_and_module_entry_points():
    sample = str(FIXTURES / "sample.txt")
    for command in (["speechlint"], [sys.executable, "-m", "speechlint"]):
        try:
            done = subprocess.run([*command, "check", "--format", "json", sample], capture_output=True, cwd=ROOT)
        except FileNotFoundError:  # the console script exists only once the package is installed
            continue
        assert done.returncode == 1, done.stderr.decode()
        assert json.loads(done.stdout)["summary"]["findings"] > 0


def test_markdown_code_links_and_comments_are_not_prose(cli, tmp_path):
    write(
        tmp_path,
        "a.md",
        "# 讲话\n\n正文 `XX` 与 [附件](https://example.org/XX部长) <!-- XX部长 -->\n\n```\nXX部长\n```\n\n刚才XX部长讲了话。\n",
    )
    findings = cli("check", "--format", "json", "a.md", cwd=tmp_path).json()["findings"]
    assert [(f["rule"], f["line"], f["text"]) for f in findings] == [("placeholder.x", 9, "XX")]


def test_github_and_sarif_formats(cli, tmp_path):
    write(tmp_path, "a.txt", PLACEHOLDER_DOC)
    github = cli("check", "--format", "github", "a.txt", cwd=tmp_path).out
    assert github.startswith("::error file=a.txt,line=2,col=3,endLine=2,endColumn=5,title=placeholder.x::")
    sarif = json.loads(cli("check", "--format", "sarif", "a.txt", cwd=tmp_path).out)
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == "placeholder.x" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startColumn"] == 3


def test_baseline_accepts_known_findings_and_reports_new_ones(cli, tmp_path):
    path = write(tmp_path, "a.txt", "某某同志发言。\n" + PLACEHOLDER_DOC)
    assert cli("check", "--write-baseline", "base.json", "a.txt", cwd=tmp_path).code == 0
    assert cli("check", "--baseline", "base.json", "a.txt", cwd=tmp_path).code == 0
    # a paragraph added above the accepted findings does not resurrect them; a new placeholder is reported
    path.write_text("新增一段。\n" + path.read_text(encoding="utf-8") + "请X镇汇报。\n", encoding="utf-8")
    result = cli("check", "--format", "json", "--baseline", "base.json", "a.txt", cwd=tmp_path)
    assert [(f["line"], f["text"]) for f in result.json()["findings"]] == [(5, "X")]
    assert result.json()["summary"]["baselined"] == 2
    assert cli("check", "--baseline", "missing.json", "a.txt", cwd=tmp_path).code == 2


def test_findings_inside_a_deleted_block_are_not_repeated(cli):
    data = cli("check", "--format", "json", str(FIXTURES / "sample.txt")).json()
    rules_on_line_2 = [f["rule"] for f in data["findings"] if f["line"] == 2]
    assert rules_on_line_2 == []  # the stray spaces of line 2 go with the watermark block of lines 1–2
    block = next(f for f in data["findings"] if f["rule"] == "boilerplate.block")
    assert (block["line"], block["end_line"], block["end_column"]) == (1, 4, 1)  # with its blank line


def test_parallel_run_gives_the_same_report(cli, tmp_path):
    for index, seed in enumerate(sorted((FIXTURES / "seeds").glob("*.txt"))):
        for copy in range(3):  # copies make cross-document duplicates too
            (tmp_path / f"d{index}{copy}.txt").write_bytes(seed.read_bytes())
    serial = cli("check", "--format", "json", "-j", "1", ".", cwd=tmp_path).json()
    parallel = cli("check", "--format", "json", "-j", "2", ".", cwd=tmp_path).json()
    assert parallel["findings"] == serial["findings"]
    assert any(f["rule"] == "duplicate.across" for f in serial["findings"])
    fixed = cli("check", "--fix", "-j", "2", "--select", "typo", ".", cwd=tmp_path)
    assert fixed.code == 0 and "已修复" in fixed.out
    assert "路劲" not in (tmp_path / "d00.txt").read_text(encoding="utf-8")


def test_check_is_the_default_command(cli, tmp_path):
    write(tmp_path, "a.txt", PLACEHOLDER_DOC)
    result = cli("a.txt", cwd=tmp_path)
    assert result.code == 1 and result.out.startswith("a.txt:2:3: placeholder.x")


def test_markdown_inline_suppressions(cli, tmp_path):
    write(
        tmp_path,
        "a.md",
        "<!-- speechlint-disable-next-line placeholder.x -->\n"
        "刚才XX部长讲了话。\n"
        "刚才XX部长又讲了话。\n"
        "<!-- speechlint-disable typo -->\n"
        "需为全省探索路劲。\n"
        "<!-- speechlint-enable -->\n"
        "再次探索路劲。\n",
    )
    found = [(f["rule"], f["line"]) for f in cli("check", "--format", "json", "a.md", cwd=tmp_path).json()["findings"]]
    assert found == [("placeholder.x", 3), ("typo.word", 7)]
    write(tmp_path, "b.md", "<!-- speechlint-disable-file -->\n刚才XX部长讲了话。\n")
    assert cli("check", "--format", "json", "b.md", cwd=tmp_path).json()["findings"] == []


def test_html_report_is_self_contained_and_escaped(cli, tmp_path):
    write(tmp_path, "a.txt", "刚才XX部长讲了<b>话</b>。\n需为全省探索路劲。\n")
    page = cli("check", "--format", "html", "a.txt", cwd=tmp_path).out
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "<mark>XX</mark>" in page and "&lt;b&gt;" in page and "<b>" not in page
    assert "改为“路径”" in page and "a.txt" in page
