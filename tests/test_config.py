"""Configuration found by walking up, in YAML or pyproject.toml, extending the defaults."""

from __future__ import annotations

PH = "同志们：\n刚才XX部长组织学习了上级文件精神，某某同志作了发言。\n"


def rules_found(cli, *args, cwd):
    result = cli("check", "--format", "json", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    return [(f["rule"], f["severity"]) for f in result.json()["findings"]]


def test_config_is_found_by_walking_up(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text("ignore: [placeholder.mou]\n", encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "doc.txt").write_text(PH, encoding="utf-8")
    found = rules_found(cli, "doc.txt", cwd=sub)
    assert ("placeholder.x", "error") in found
    assert not any(rule == "placeholder.mou" for rule, _ in found)


def test_pyproject_table(cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "docs"\n\n[tool.speechlint]\nselect = ["placeholder"]\n'
        '[tool.speechlint.severity]\n"placeholder.x" = "warning"\n',
        encoding="utf-8",
    )
    (tmp_path / "doc.txt").write_text(PH + "需为全省探索路劲。\n", encoding="utf-8")
    found = rules_found(cli, "doc.txt", cwd=tmp_path)
    assert ("placeholder.x", "warning") in found
    assert not any(rule.startswith("typo") for rule, _ in found)
    assert cli("check", "doc.txt", cwd=tmp_path).code == 0  # only warnings now


def test_severity_override_most_specific_wins(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text(
        "severity:\n  placeholder: info\n  placeholder.x: error\n", encoding="utf-8"
    )
    (tmp_path / "doc.txt").write_text(PH, encoding="utf-8")
    found = dict(rules_found(cli, "doc.txt", cwd=tmp_path))
    assert found["placeholder.x"] == "error" and found["placeholder.mou"] == "info"


def test_custom_rule_extra_pack_exclude_and_per_file_ignores(cli, tmp_path):
    (tmp_path / "extra.yaml").write_text(
        "version: 1\nrules:\n"
        "  - id: local.unit\n    type: pattern\n    category: placeholder\n    severity: error\n"
        "    message: 占位符“{match}”未替换。\n    pattern: 【单位名称】\n"
        "    examples: [{bad: 【单位名称】要重视}, {good: 各单位要重视}]\n",
        encoding="utf-8",
    )
    (tmp_path / ".speechlint.yaml").write_text(
        "packs: [extra.yaml]\n"
        "rules:\n"
        "  - id: local.abbr\n    type: dictionary\n    category: typo\n    severity: error\n"
        "    message: 应为“{suggestion}”。\n    fix: safe\n    entries: {市发改局: 市发展改革委}\n"
        "    examples: [{bad: 市发改局牵头, fixed: 市发展改革委牵头}, {good: 市发展改革委牵头}]\n"
        "exclude: ['drafts/**']\n"
        "per-file-ignores: {'old/*': [placeholder]}\n",
        encoding="utf-8",
    )
    for name in ("doc.txt", "drafts/x.txt", "old/y.txt"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("【单位名称】要重视，市发改局牵头，XX部长讲话。\n", encoding="utf-8")
    result = cli("check", "--format", "json", ".", cwd=tmp_path).json()
    by_path: dict[str, set[str]] = {}
    for f in result["findings"]:
        by_path.setdefault(f["path"], set()).add(f["rule"])
    assert set(by_path) == {"doc.txt", "old/y.txt"}
    assert {"local.unit", "local.abbr", "placeholder.x"} <= by_path["doc.txt"]
    assert by_path["old/y.txt"] == {"local.abbr"}
    cli("check", "--fix", "doc.txt", cwd=tmp_path)
    assert "市发展改革委牵头" in (tmp_path / "doc.txt").read_text(encoding="utf-8")


def test_extends_none_and_isolated(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text("extends: none\n", encoding="utf-8")
    (tmp_path / "doc.txt").write_text(PH, encoding="utf-8")
    assert rules_found(cli, "doc.txt", cwd=tmp_path) == []
    assert rules_found(cli, "--isolated", "doc.txt", cwd=tmp_path)


def test_disabled_by_default_rule_needs_explicit_selection(cli, tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "version: 1\nrules:\n"
        "  - id: local.off\n    type: pattern\n    category: other\n    severity: error\n    enabled: false\n"
        "    message: m\n    pattern: 开会\n    examples: [{bad: 开会}, {good: 散会}]\n",
        encoding="utf-8",
    )
    (tmp_path / "doc.txt").write_text("今天开会。\n", encoding="utf-8")
    (tmp_path / ".speechlint.yaml").write_text("packs: [pack.yaml]\n", encoding="utf-8")
    assert "local.off" not in {r for r, _ in rules_found(cli, "doc.txt", cwd=tmp_path)}
    assert "local.off" in {r for r, _ in rules_found(cli, "--select", "local.off", "doc.txt", cwd=tmp_path)}
    (tmp_path / ".speechlint.yaml").write_text("packs: [pack.yaml]\nextend-select: [local.off]\n", encoding="utf-8")
    assert "local.off" in {r for r, _ in rules_found(cli, "doc.txt", cwd=tmp_path)}


def test_explicit_config_wins_over_isolated(cli, tmp_path):
    (tmp_path / ".speechlint.yaml").write_text("ignore: [placeholder]\n", encoding="utf-8")
    (tmp_path / "only-mou.yaml").write_text("select: [placeholder.mou]\n", encoding="utf-8")
    (tmp_path / "doc.txt").write_text(PH, encoding="utf-8")
    found = {r for r, _ in rules_found(cli, "--isolated", "--config", "only-mou.yaml", "doc.txt", cwd=tmp_path)}
    assert found == {"placeholder.mou"}
