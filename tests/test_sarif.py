"""`--format sarif` as its consumers check it: the official SARIF 2.1.0 schema with format
checking (URIs), and what GitHub code scanning requires of rules and locations."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from conftest import ROOT
from docx_builder import P, R, make_docx

from speechlint import __version__
from speechlint.config.settings import Settings
from speechlint.pipeline.run import check_texts
from speechlint.reporters import RunSummary, sarif
from speechlint.rulesets import build_ruleset

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
DOC = "同志们：\n刚才XX部长讲了话，需为全省探索路劲。\n"
WATERMARKED = "本文档仅供学习交流 禁止外传 更多范文请关注会员群\n\n" + DOC  # multi-line examples
NAMES = ["讲话稿.txt", "my speech.txt", "a#b.txt", "100%.txt", "子目录/会议 纪要 #2 %41.md"]


def schema_errors(log: dict) -> list[str]:
    """Every schema violation, formats included (uri, uri-reference need rfc3986-validator)."""
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def minimal_log(uri: str) -> dict:
    location = {"physicalLocation": {"artifactLocation": {"uri": uri}}}
    result = {"message": {"text": "m"}, "ruleId": "r", "locations": [location]}
    return {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [result]}]}


@pytest.mark.parametrize("uri", ["讲话稿.txt", "my speech.txt", "100%.txt"])
def test_the_format_check_really_runs(uri):
    """Without a URI validator installed, jsonschema passes any string as a URI: this must fail."""
    assert schema_errors(minimal_log(uri))
    assert schema_errors(minimal_log(sarif.artifact_uri(uri))) == []


@pytest.fixture
def report(cli, tmp_path) -> dict:
    for name in NAMES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(DOC, encoding="utf-8")
    result = cli("check", "--isolated", "--format", "sarif", ".", cwd=tmp_path)
    assert result.code == 1, result.err
    return json.loads(result.out)


def test_cli_report_is_valid_sarif(report):
    assert schema_errors(report) == []


def test_artifact_uris_are_percent_encoded_and_name_the_files(report):
    results = report["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert {unquote(uri) for uri in uris} == set(NAMES)
    for uri in uris:
        parts = urlsplit(uri)
        assert (parts.scheme, parts.query, parts.fragment) == ("", "", ""), uri  # `#` and `%` are encoded
        assert uri.isascii() and " " not in uri
    fix_uris = {c["artifactLocation"]["uri"] for r in results for f in r.get("fixes", []) for c in f["artifactChanges"]}
    assert fix_uris <= uris and fix_uris


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("docs/讲话 稿.txt", "docs/%E8%AE%B2%E8%AF%9D%20%E7%A8%BF.txt"),
        ("a#b%c.txt", "a%23b%25c.txt"),
        ("c:d.txt", "c%3Ad.txt"),  # not a scheme
        ("-", "-"),  # standard input
        ("/srv/文档/a b.txt", "file:///srv/%E6%96%87%E6%A1%A3/a%20b.txt"),  # outside the working directory
    ],
)
def test_artifact_uri(path, uri):
    assert sarif.artifact_uri(path) == uri


def test_rules_carry_descriptions_and_help_without_metadata(report):
    """GitHub (GH2012) requires shortDescription, fullDescription and help of every rule."""
    rules = report["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {r["ruleId"] for r in report["runs"][0]["results"]}
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["name"][0].isupper() and rule["name"].isalnum()


@pytest.fixture(scope="module")
def ruleset():
    return build_ruleset(Settings(), [], [])


def test_rules_use_their_metadata_when_given(ruleset):
    items = check_texts(ruleset, [("a.txt", WATERMARKED)]).located
    metas = {rule.meta.id: rule.meta for rule in ruleset.rules}
    log = json.loads(sarif.render(items, RunSummary(files=1), rules=metas))
    assert schema_errors(log) == []
    described = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    typo = described["typo.word"]
    assert typo["fullDescription"]["text"].startswith("检查常见的词语级错别字")
    assert "\n" not in typo["shortDescription"]["text"] and "{" not in typo["shortDescription"]["text"]
    assert "- 错误：需为全省探索路劲、提供经验。 → 改为：需为全省探索路径" in typo["help"]["text"]  # its examples
    assert typo["defaultConfiguration"]["level"] == "warning"
    for rule in described.values():  # examples one per line, however many lines the example text has
        assert all(line.startswith("- 错误：") for line in rule["help"]["text"].split("\n\n")[-1].splitlines())
    indexes = {r["ruleId"]: r["ruleIndex"] for r in log["runs"][0]["results"]}
    assert all(log["runs"][0]["tool"]["driver"]["rules"][i]["id"] == rule_id for rule_id, i in indexes.items())


def test_driver_names_its_version_and_home(monkeypatch):
    monkeypatch.setattr(sarif, "information_uri", lambda: "https://example.org/speechlint")
    driver = json.loads(sarif.render([], RunSummary()))["runs"][0]["tool"]["driver"]
    assert driver["semanticVersion"] == driver["version"] == __version__
    assert driver["informationUri"] == "https://example.org/speechlint"
    monkeypatch.setattr(sarif, "information_uri", lambda: None)
    assert "informationUri" not in json.loads(sarif.render([], RunSummary()))["runs"][0]["tool"]["driver"]


def test_failed_inputs_make_the_invocation_unsuccessful():
    errors = ["missing.txt: 文件不存在", "bad.txt: 不是 UTF-8 文本"]
    log = json.loads(sarif.render([], RunSummary(skipped=["a.bin: 二进制文件，已跳过"]), errors=errors))
    assert schema_errors(log) == []
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = [(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]]
    assert notes == [("error", errors[0]), ("error", errors[1]), ("warning", "a.bin: 二进制文件，已跳过")]
    clean = json.loads(sarif.render([], RunSummary()))["runs"][0]["invocations"][0]
    assert clean == {"executionSuccessful": True}


def test_regions_and_snippets(report):
    result = next(r for r in report["runs"][0]["results"] if r["ruleId"] == "placeholder.x")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (2, 3, 2, 5)
    assert region["snippet"] == {"text": "XX"}
    assert report["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_schema_copy_is_the_one_recorded():
    """tests/data/README.md records where the schema comes from and its hash."""
    data = ROOT / "tests" / "data"
    digest = hashlib.sha256((data / "sarif-schema-2.1.0.json").read_bytes()).hexdigest()
    assert digest in (data / "README.md").read_text(encoding="utf-8")
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


# --- tools/validate_sarif.py: Microsoft's validator ----------------------------------------
def validator_tool():
    spec = importlib.util.spec_from_file_location("validate_sarif", ROOT / "tools" / "validate_sarif.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_validator_is_skipped_without_npx(monkeypatch, capsys):
    tool = validator_tool()
    monkeypatch.setattr(tool.shutil, "which", lambda name: None)
    assert tool.main(["report.sarif"]) == 0
    assert "skipped" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("npx") is None, reason="npx (Node.js) is needed for the SARIF multitool")
def test_microsoft_validator_finds_no_error(report, tmp_path):
    """SARIF rules and GitHub rules (GH…): no error. (A warning remains while the package has no home page.)"""
    (tmp_path / "report.sarif").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    findings = validator_tool().run_multitool(shutil.which("npx"), tmp_path / "report.sarif", tmp_path)
    if findings is None:
        pytest.skip("the multitool could not be fetched or run")
    assert [f for f in findings if f[0] == "error"] == []


def test_word_findings_name_their_place_and_carry_no_byte_edits(cli, tmp_path):
    """A .docx is a zip: a SARIF fix or character offset into it would break it if applied."""
    (tmp_path / "speech.docx").write_bytes(make_docx(P(R("需为全省探索路劲。"))))
    log = json.loads(cli("check", "--isolated", "--format", "sarif", "speech.docx", cwd=tmp_path).out)
    assert schema_errors(log) == []
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "typo.word"]
    assert result["message"]["text"].endswith("（正文 第1段）")
    assert "fixes" not in result and "charOffset" not in result["locations"][0]["physicalLocation"]["region"]
