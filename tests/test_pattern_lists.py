"""Named lists in pattern rules (`\\L<name>`): the shipped language data's, and a rule's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechlint.config import ConfigError, Settings
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import RuleSource, build_ruleset


def ruleset(spec: dict, file: Path | str = "<test>"):
    base = {"id": "t.list", "type": "pattern", "category": "placeholder", "severity": "warning", "message": "{match}"}
    return build_ruleset(Settings(extends_default=False), sources=[RuleSource({**base, **spec}, file, ["rules", 0])])


def matches(spec: dict, text: str, file: Path | str = "<test>") -> list[str]:
    return [text[f.offset : f.end_offset] for f in lint_text(ruleset(spec, file), text)]


def test_a_rule_uses_the_shipped_surnames_and_its_own_list():
    assert matches({"pattern": r"\L<surname>某某"}, "被告人王某某、欧阳某某和某某单位") == ["王某某", "欧阳某某"]
    spec = {"pattern": r"\L<unit>(?=××)", "lists": {"unit": ["市局", "县委"]}}
    assert matches(spec, "市局××、县委××、镇××") == ["市局", "县委"]


def test_a_list_from_a_data_file_beside_the_pack(tmp_path):
    (tmp_path / "units.txt").write_text("# units\n发改委\n住建局\n", encoding="utf-8")
    spec = {"pattern": r"\L<unit>", "lists": {"unit": {"file": "units.txt"}}}
    assert matches(spec, "市发改委和市住建局", tmp_path / "pack.yaml") == ["发改委", "住建局"]


def test_an_unknown_list_or_a_missing_file_is_a_one_line_error(tmp_path):
    with pytest.raises(ConfigError, match=r"t\.list"):
        ruleset({"pattern": r"\L<nosuch>"})
    with pytest.raises(ConfigError, match=r"missing\.txt"):
        ruleset({"pattern": r"\L<unit>", "lists": {"unit": {"file": "missing.txt"}}}, tmp_path / "pack.yaml")


def test_a_word_ending_in_a_surname_is_not_a_name():
    shipped = build_ruleset(Settings(), ["placeholder.times", "placeholder.mou"])
    found = [
        f.rule_id for f in lint_text(shipped, "聚焦××高质量发展。聚焦某某目标。经理林××送来材料。被告人王某某到庭。")
    ]
    assert found == ["placeholder.times", "placeholder.mou"]
