"""`typo.context` (rules/spelling.yaml): one-character slips found by a model of correct official prose."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from speechlint.config import Settings
from speechlint.model import Applicability, Finding, Severity
from speechlint.pipeline.lint import without_yielded
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import RuleSet, build_ruleset, read_pack
from speechlint.rulesets.examples import check_examples

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "spelling.yaml"
MODEL = ROOT / "rules" / "data" / "spelling"
RULE = "typo.context"


def ruleset(options: dict | None = None, **spec_overrides) -> RuleSet:
    sources = read_pack(PACK)
    if spec_overrides:
        from dataclasses import replace

        sources = [replace(s, spec={**s.spec, **spec_overrides}) for s in sources]
    settings = Settings(extends_default=False)
    if options is not None:
        settings.options = options
    return build_ruleset(settings, [RULE], sources=sources)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return ruleset()


def found(rules: RuleSet, text: str) -> list[tuple[str, str]]:
    return [(text[f.offset : f.end_offset], f.fix.replacement if f.fix else "") for f in lint_text(rules, text)]


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("要加强部门之间的沟通协掉，形成工作合力。", "协掉", "协调"),
        ("要进一步巩故拓展脱贫攻坚成果，接续推进乡村振兴。", "巩故", "巩固"),
        ("要认真贯切落实会议精神。", "贯切", "贯彻"),
        ("牢牢掌握意识形太工作领导权。", "形太", "形态"),
        ("要做好疫情妨控工作。", "妨控", "防控"),
    ],
)
def test_finds_one_character_slips_with_the_right_suggestion(rules, text, wrong, right):
    assert found(rules, text) == [(wrong, right)]


def test_message_names_the_kind_and_the_reason(rules):
    (finding,) = lint_text(rules, "要进一步巩故拓展脱贫攻坚成果。")
    assert "“巩故”应为“巩固”" in finding.message
    assert "同音" in finding.message
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE


@pytest.mark.parametrize(
    "text",
    [
        "要进一步加强城乡规划工作，优化国土空间布局。",
        "汤晔同志任宁波市海曙区市场监督管理局局长。",  # a name before a title
        "鹰潭市余江区马荃镇党委副书记参加会议。",  # a place before its suffix
        "五矿中国一冶集团有限公司承建该项目。",  # an organisation
        "认真学习《中华人民共和国巩故法》。",  # inside a quoted title (even a made-up one)
        "2023年12月31日前完成第3批次验收。",  # numbers and dates
        "深化放管服改革，选派干部驻村帮扶。",  # domain words
    ],
)
def test_silent_on_correct_text_names_places_titles_numbers_and_domain_words(rules, text):
    assert found(rules, text) == []


def test_user_words_on_the_rule_and_in_the_options_are_never_reported():
    text = "本项目由协掉科技承担。"
    assert found(ruleset(), text) == [("协掉", "协调")]
    assert found(ruleset(words=["协掉科技"]), text) == []
    assert found(ruleset(options={"spelling": {"words": ["协掉科技"]}}), text) == []


def test_words_file_in_the_options(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# our names\n协掉科技\n", encoding="utf-8")
    rules = ruleset(options={"spelling": {"words_file": str(words)}})
    assert found(rules, "本项目由协掉科技承担。") == []


def test_one_finding_per_slip(rules):
    text = "各部门要加强沟通协掉，共同巩故发展成果，认真贯切落实。"
    hits = found(rules, text)
    assert hits == [("协掉", "协调"), ("巩故", "巩固"), ("贯切", "贯彻")]


def test_pack_examples_pass(rules):
    (rule,) = rules.rules
    assert not check_examples(rule)
    assert any(e.bad for e in rule.meta.examples) and sum(1 for e in rule.meta.examples if e.good) >= 5


def test_building_the_rule_loads_neither_the_model_nor_numpy_arrays():
    """Building costs nothing: the detector module is imported and the arrays mapped on the first check."""
    code = (
        "import sys; from speechlint.config import Settings; from speechlint.rulesets import build_ruleset; from speechlint.pipeline.run import lint_text;"
        "from pathlib import Path; from speechlint.rulesets import read_pack;"
        f"rs = build_ruleset(Settings(extends_default=False), ['{RULE}'], sources=read_pack(Path({str(PACK)!r})));"
        "before = 'speechlint.spelling.model' in sys.modules;"
        "lint_text(rs, '要加强沟通协掉。');"
        "after = 'speechlint.spelling.model' in sys.modules;"
        "print(before, after)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "True"]


def test_model_files_exist_and_fit_the_size_budget():
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["format"] == 2
    files = list(MODEL.glob("*.npy"))
    assert len(files) >= 10
    assert sum(f.stat().st_size for f in files) <= 25_000_000


def test_a_missing_model_is_reported_when_the_rule_is_built(tmp_path):
    from speechlint.config import ConfigError

    with pytest.raises(ConfigError, match="模型"):
        ruleset(model=str(tmp_path / "nowhere"))


@pytest.mark.parametrize(
    "text",
    [
        "要把会议精神传达到每一名党员，做到入脑入心，抓好落实。",  # a parallel phrase (入脑入心)
        "要让干部有奔头、有盼头、更有劲头。",  # the suggestion would only repeat its neighbour (奔头)
        "用好“两微一端”等宣传手段。",  # a short quoted term
        "对党建工作亲自抓、负总责，做好当家人，耕好责任田。",  # the slot of parallel clauses (X好 + noun)
    ],
)
def test_silent_on_parallel_phrases_echoes_and_quoted_terms(rules, text):
    assert found(rules, text) == []


def test_parallel_frame_is_the_repeated_neighbour_of_a_varied_slot():
    from speechlint.spelling.guards import Guards

    text = "做好当家人，耕好责任田。"
    assert Guards.parallel_frame(text, text.index("耕")) == [text.index("耕") + 1]
    text = "建设一支政治强、请怀深、思维新的队伍"
    assert Guards.parallel_frame(text, text.index("请")) == []


@pytest.mark.parametrize(
    ("text", "char", "why"),
    [
        ("他会见了以色列驻华大使南月明。", "月", "name-after-title"),
        ("当选的赫苏斯·皮雷斯宣布了结果。", "苏", "foreign-name"),
        ("出席的有、连丽如、刘延广。", "丽", "name-alone"),
        ("汤晔同志任局长。", "晔", "name"),
        ("他会见了大使，说明来意。", "说", None),
    ],
)
def test_news_name_guards(text, char, why):
    """Names in news text: after a title, transliterated with a name dot, alone in a list. Only the
    title-anchored "name" gives way to a common word (guard_waive)."""
    from speechlint.spelling import Params
    from speechlint.spelling.guards import Guards

    (source,) = [s for s in read_pack(PACK) if s.spec.get("id") == RULE]
    guards = Guards(Params.from_mapping(source.spec["params"]))
    assert guards.blocks(text, text.index(char)) == why


def test_an_echo_of_a_word_nearby_is_kept_when_the_original_is_no_word(rules):
    text = "企业接受环境监管和环境保护部门实施监菅的主要法律文书。"
    assert found(rules, text) == [("监菅", "监管")]


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("广西壮族自冶区林业局规划财务处。", "自冶区", "自治区"),  # place suffix 区, but 自治区 is a common word
        ("市场监管总局党祖书记、副局长。", "党祖", "党组"),  # surname 党 + title 书记, but 党组 is a word
    ],
)
def test_name_and_place_guards_give_way_to_a_common_word(rules, text, wrong, right):
    assert found(rules, text) == [(wrong, right)]


def test_a_batch_gives_the_same_suspects_as_one_document_at_a_time():
    from speechlint.spelling import Detector, Params, load_model

    (source,) = [s for s in read_pack(PACK) if s.spec.get("id") == RULE]
    detector = Detector(load_model(MODEL), Params.from_mapping(source.spec["params"]))
    texts = [
        "要加强部门之间的沟通协掉，形成工作合力。",
        "",
        "要进一步巩故拓展脱贫攻坚成果。\n牢牢掌握意识形太工作领导权。",
        "汤晔同志任宁波市海曙区市场监督管理局局长。",
        "建立健全政府心细公开制度。",
    ]
    assert detector.detect_many(texts) == [detector.detect(t) for t in texts]
    assert [len(x) for x in detector.detect_many(texts)] == [1, 0, 2, 0, 1]


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [("维护公平竞争的时长秩序。", "时长", "市场"), ("建立健全政府心细公开制度。", "心细", "信息")],
)
def test_a_whole_mistyped_word_is_replaced_as_one(rules, text, wrong, right):
    """Both characters of a word typed wrongly (an input method's homophone): no one-character change
    repairs it, the two-character substitution does (speechlint/spelling/joint.py)."""
    assert found(rules, text) == [(wrong, right)]


def test_a_single_slip_beats_a_weaker_word_substitution(rules):
    # 妨控 → 防空 is a word substitution too, but 防控 (one character) is far likelier
    assert found(rules, "要做好疫情妨控工作。") == [("妨控", "防控")]


def test_no_word_substitution_without_joint_weights():
    from speechlint.spelling import Detector, Params, load_model

    (source,) = [s for s in read_pack(PACK) if s.spec.get("id") == RULE]
    params = dict(source.spec["params"], joint_weights={})
    detector = Detector(load_model(MODEL), Params.from_mapping(params))
    assert detector.pairs("维护公平竞争的时长秩序。")[1].joint is None
    assert [s.word_wrong for s in detector.detect("维护公平竞争的时长秩序。")] == []


def test_word_substitutions_are_the_same_from_the_cut_table_and_per_text(monkeypatch):
    """Short texts cut their own candidates, long batches a shared table: the same pairs either way."""
    import numpy as np

    from speechlint.spelling import Detector, Params, load_model
    from speechlint.spelling import joint as joint_module

    (source,) = [s for s in read_pack(PACK) if s.spec.get("id") == RULE]
    detector = Detector(load_model(MODEL), Params.from_mapping(source.spec["params"]))
    text = "维护公平竞争的时长秩序。建立健全政府心细公开制度。各地要同酬规划，做好衔接。"
    short = detector.pairs(text)[1].joint
    monkeypatch.setattr(joint_module, "_TABLE_AFTER", 0)
    table = detector.pairs(text)[1].joint
    assert short is not None and table is not None and len(short) > 0
    for name in ("pos", "cand", "cand2", "kind", "kind2", "features"):
        assert np.array_equal(getattr(short, name), getattr(table, name))


def test_a_slip_the_word_list_reports_is_reported_once():
    """typo.context yields to the typo word lists: 路劲 is one error, one message."""
    rules = build_ruleset(Settings(), ["typo", "typo.context"])
    assert "typo.context" in {r.meta.id for r in rules.rules}
    text = "需为全市全省探索路劲、提供经验。"
    found = [(f.rule_id, text[f.offset : f.end_offset]) for f in lint_text(rules, text)]
    assert found == [("typo.word", "路劲")]


def test_a_yielding_rule_keeps_what_no_other_rule_reports():
    findings = [
        Finding("typo.context", "typo", Severity.WARNING, "m", 3, 5),
        Finding("typo.word", "typo", Severity.WARNING, "m", 4, 6),
        Finding("typo.context", "typo", Severity.WARNING, "m", 10, 12),
        Finding("placeholder.x", "placeholder", Severity.ERROR, "m", 11, 13),
    ]
    kept = without_yielded(findings, {"typo.context": ("typo", "canonical")})
    assert sorted((f.rule_id, f.offset) for f in kept) == [
        ("placeholder.x", 11),
        ("typo.context", 10),
        ("typo.word", 4),
    ]


def _detector(**overrides):
    from speechlint.spelling import Detector, Params, load_model

    (source,) = [s for s in read_pack(PACK) if s.spec.get("id") == RULE]
    return Detector(load_model(MODEL), Params.from_mapping({**source.spec["params"], **overrides}))


def test_usual_readings_in_the_candidate_kinds():
    """Homophones through a rare reading (予 zhù, 术 zhú) keep the 同音 bit but not USUAL; 时/市 have both."""
    import numpy as np

    from speechlint.spelling import load_model
    from speechlint.spelling.model import SAME, USUAL

    model = load_model(MODEL)

    def kind(a: str, b: str) -> int:
        _, cand, kinds = model.candidates(np.array([model.char_index[a]]))
        return int(dict(zip(cand.tolist(), kinds.tolist(), strict=True)).get(model.char_index[b], 0))

    assert kind("予", "术") & SAME and not kind("予", "术") & USUAL
    assert kind("有", "维") & SAME and not kind("有", "维") & USUAL
    assert kind("时", "市") & USUAL and kind("长", "场") & USUAL  # 长 cháng is usual though zhǎng comes first


def test_word_substitutions_only_through_usual_readings():
    """给予 → 技术 sounds alike only through rare readings (予 zhù, 术 zhú): no slip an input method makes."""
    usual, any_reading = _detector(joint_usual_reading=True), _detector(joint_usual_reading=False)
    text = "的给予奖励，对举报人信息给予保密。"
    assert "技术" in [s.word_right for s in any_reading.detect(text)]
    assert "技术" not in [s.word_right for s in usual.detect(text)]
    assert [s.word_right for s in usual.detect("维护公平竞争的时长秩序。")] == ["市场"]


@pytest.mark.parametrize(
    ("text", "char", "gap", "why"),
    [
        ("培育懂科技懂产业的技术经理人", "懂", 3, "parallel"),  # 懂…懂: X懂A懂B
        ("是贫中之贫、艰中之艰。", "艰", 3, "parallel"),
        ("培育懂科技懂产业的技术经理人", "懂", 2, None),  # two places away only: not seen
        ("要加强部门之间的沟通协掉，形成工作合力。", "掉", 3, None),
    ],
)
def test_parallel_guard_looks_as_far_as_parallel_gap(text, char, gap, why):
    from speechlint.spelling import Params
    from speechlint.spelling.guards import Guards

    (source,) = [s for s in read_pack(PACK) if s.spec.get("id") == RULE]
    guards = Guards(Params.from_mapping({**source.spec["params"], "parallel_gap": gap}))
    assert guards.blocks(text, text.index(char)) == why
