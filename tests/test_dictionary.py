"""The dictionary engine's guards: literal exceptions and the two-character boundary guard."""

from __future__ import annotations

import pytest

from speechlint.config import Settings
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import build_ruleset

TYPO = build_ruleset(Settings(), ["typo.word"])


@pytest.mark.parametrize(
    "sentence",
    ["确保系统运转顺畅。", "采取措施遮挡阳光。", "快速描述事件经过。", "付款期限顺延路线不变。"],
)
def test_two_character_forms_across_a_word_boundary_are_not_typos(sentence):
    assert lint_text(TYPO, sentence) == []


@pytest.mark.parametrize(
    ("sentence", "wrong"),
    [("需为全省探索路劲、提供经验。", "路劲"), ("会议对工作进行了布署。", "布署"), ("打赢拖贫攻坚战。", "拖贫")],
)
def test_real_two_character_typos_are_still_found(sentence, wrong):
    assert [sentence[f.offset : f.end_offset] for f in lint_text(TYPO, sentence)] == [wrong]


def test_boundary_words_in_a_user_pack(cli, tmp_path):
    (tmp_path / "words.txt").write_text("运转\n顺畅\n", encoding="utf-8")
    (tmp_path / ".speechlint.yaml").write_text(
        "extends: none\nrules:\n"
        "  - id: local.t\n    type: dictionary\n    category: typo\n    severity: error\n    message: m\n"
        "    fix: safe\n    boundary_words: words.txt\n    entries: {转顺: 转瞬}\n"
        "    examples: [{bad: 一转顺间, fixed: 一转瞬间}, {good: 运转顺畅}]\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("运转顺畅。一转顺间。\n", encoding="utf-8")
    found = cli("check", "--format", "json", "a.txt", cwd=tmp_path).json()["findings"]
    assert [(f["column"], f["text"]) for f in found] == [(7, "转顺")]
