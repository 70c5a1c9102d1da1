"""Repeated passages inside one document: what `duplicate.within` reports, and what it leaves alone."""

from __future__ import annotations

import random

import pytest

from speechlint.config import Settings
from speechlint.dupes.normalise import normalise, normalise_array, to_str
from speechlint.dupes.within import find_repeats
from speechlint.pipeline.run import lint_text
from speechlint.rulesets import build_ruleset, default_rules_dir, read_pack
from tests.conftest import FIXTURES, SEEDS

PACK = read_pack(default_rules_dir() / "duplicate.yaml")
WITHIN = build_ruleset(Settings(extends_default=False), ["duplicate.within"], sources=PACK)
PARAGRAPH = "要坚持把基层党建工作同经济社会发展工作紧密结合起来，做到同部署、同推进、同考核，切实防止“两张皮”现象。"


def within(text: str):
    return lint_text(WITHIN, text)


def test_normalisation_ignores_width_punctuation_and_spaces_and_keeps_offsets():
    text = "ＡＢ，c d\u3000第一段。"
    chars, offsets = normalise(text)
    assert chars == "abcd第一段"
    assert [text[i] for i in offsets] == list("ＡＢcd第一段")
    codes, array_offsets = normalise_array(text)
    assert to_str(codes) == chars and array_offsets.tolist() == offsets


def test_paragraph_pasted_twice_is_reported_at_the_later_copy_with_an_unsafe_fix():
    text = f"同志们：\n{PARAGRAPH}\n下面讲第二点。\n{PARAGRAPH}\n谢谢大家。\n"
    [finding] = within(text)
    later = text.rindex(PARAGRAPH)
    assert finding.offset == later and text[finding.offset : finding.end_offset] == PARAGRAPH + "\n"
    assert finding.related[0].offset == text.index(PARAGRAPH)
    assert finding.fix is not None and finding.fix.replacement == "" and finding.fix.applicability.value == "unsafe"
    assert "完全相同" in finding.message and "第 2 行" in finding.message


def test_copy_with_other_punctuation_and_width_is_the_same_passage():
    copy = PARAGRAPH.replace("，", ",").replace("、", " ").replace("“", '"').replace("”", '"')
    [finding] = within(f"{PARAGRAPH}\n中间一句话。\n{copy}\n")
    assert finding.fix is None  # the lines differ verbatim: a human decides


def test_near_duplicate_sentence_is_reported_without_a_fix():
    near = PARAGRAPH.replace("紧密", "紧紧")
    [finding] = within(f"{PARAGRAPH}\n{near}\n")
    assert "几乎相同" in finding.message and finding.fix is None


def test_near_duplicate_with_two_changes_and_an_inserted_character():
    long = PARAGRAPH + "以党建工作的成效检验发展的成效，以发展的成果检验党建的成果。"
    near = long.replace("紧密", "紧紧").replace("两张皮", "两层皮").replace("检验发展", "检验经济发展")
    [finding] = within(f"{long}\n{near}\n")
    assert finding.related[0].offset == 0 and finding.fix is None


def test_third_copy_points_at_the_first():
    text = f"{PARAGRAPH}\n甲。\n{PARAGRAPH}\n乙。\n{PARAGRAPH}\n"
    findings = within(text)
    assert len(findings) == 2
    assert all(f.related[0].offset == 0 for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "深入学习贯彻习近平新时代中国特色社会主义思想，不忘初心、牢记使命，增强“四个意识”、坚定“四个自信”、做到“两个维护”。\n"
        "我们要深入学习贯彻习近平新时代中国特色社会主义思想，不忘初心、牢记使命，增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
        "重点是两新党建、村级集体经济、村级后备力量。请逐项梳理两新党建、村级集体经济、村级后备力量。",
        "让我们更加紧密地团结在以习近平同志为核心的党中央周围。让我们更加紧密地团结在以习近平同志为核心的党中央周围！",
    ],
    ids=["set-phrases", "short-list", "closing-formula"],
)
def test_set_phrases_and_short_lists_repeated_on_purpose_are_not_reported(text):
    assert within(text) == []


def test_seeds_have_no_pasted_paragraphs():
    for seed in sorted(SEEDS.glob("*.txt")):
        assert within(seed.read_text(encoding="utf-8")) == [], seed.name


def test_pure_python_and_numpy_paths_agree():
    rng = random.Random(4)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for _ in range(20):
        lines = [line for seed in seeds for line in seed.splitlines() if line]
        picked = rng.sample(lines, 12)
        picked.insert(rng.randrange(12), rng.choice(picked))
        text = "\n".join(picked)
        assert find_repeats(text, 13, 40, 13, True) == find_repeats(text, 13, 40, 13, False)


def test_both_paths_agree_on_the_rule_examples():
    [rule] = WITHIN.rules
    for example in rule.meta.examples:
        for text in (example.bad, example.good):
            if text:
                assert find_repeats(text, 13, 40, 13, True) == find_repeats(text, 13, 40, 13, False), text


def test_cli_fix_deletes_the_later_copy(cli, tmp_path):
    target = tmp_path / "speech.txt"
    target.write_text((FIXTURES / "duplicates" / "pasted.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("check", "--isolated", "--select", "duplicate", "--fix", "--unsafe-fixes", "speech.txt")
    assert result.code == 0
    fixed = target.read_text(encoding="utf-8")
    assert fixed.count("要坚持把基层党建工作") == 1 and fixed.endswith("下面，我再强调两点意见。\n谢谢大家。\n")


def test_cli_reports_fixtures_with_related_locations(cli):
    result = cli(
        "check", "--isolated", "--select", "duplicate.within", "--format", "json", str(FIXTURES / "duplicates")
    )
    found = {(f["path"].rsplit("/", 1)[-1], f["line"]): f for f in result.json()["findings"]}
    assert set(found) == {("pasted.txt", 7), ("near.txt", 4)}
    related = found[("pasted.txt", 7)]["related"][0]
    assert (related["line"], related["column"]) == (5, 1) and related["path"].endswith("pasted.txt")


def test_a_batch_is_prepared_as_each_document_alone():
    """`prepare_many` (one pass over a batch) gives each document the arrays `prepare` gives it."""
    import numpy as np

    from speechlint.dupes.prepared import prepare, prepare_many

    texts = [
        "同志们：\n要坚持把基层党建工作同经济社会发展工作紧密结合起来。\r\n第二段ＡＢＣ，abc。\n",
        "",
        "短",
        "\n\n开头是空行。要坚持把基层党建工作同经济社会发展工作紧密结合起来，做到同部署。\n结尾没有换行",
    ]
    for alone, together in zip([prepare(t) for t in texts], prepare_many(texts, 13), strict=True):
        assert np.array_equal(alone.codes, together.codes)
        assert np.array_equal(alone.offsets, together.offsets)
        assert np.array_equal(alone.line_starts, together.line_starts)
        assert np.array_equal(alone.hashes(13), together.hashes(13))


def test_vectorised_runs_equal_the_dictionary_runs():
    """`runs_numpy` (arrays only) finds exactly the runs of the plain dictionary walk."""
    import random

    import numpy as np

    from speechlint.dupes.hashing import kgram_hashes
    from speechlint.dupes.within import runs_numpy, runs_python

    rng = random.Random(7)
    for _ in range(30):
        pieces = ["党建引领基层治理", "深化改革开放", "甲乙丙丁戊己庚", "要坚持问题导向"]
        text = "".join(rng.choice(pieces) + rng.choice("，。的了") for _ in range(rng.randint(5, 60)))
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        assert runs_numpy(kgram_hashes(codes, 6, mix=False)) == runs_python(text, 6)


def test_phrase_spans_of_code_points_are_those_of_the_text():
    """`code_spans` (one byte a character, bytes automaton) finds what `spans` finds in the text,
    overlaps and characters beyond every phrase character included; a larger alphabet falls back."""
    import numpy as np

    from speechlint.dupes.phrases import SetPhrases, read_phrase_file

    shipped = SetPhrases(read_phrase_file(default_rules_dir() / "data" / "set_phrases.txt"))
    wide = SetPhrases(
        [chr(0x4E00 + i) * 4 + chr(0x5E00 + i) for i in range(300)] + ["习近平新时代中国特色社会主义思想"]
    )
    overlapping = SetPhrases(["中国特色社会主义", "社会主义思想", "思想政治工作", "𠀀𠀁𠀂𠀃"])
    texts = [normalise(p.read_text(encoding="utf-8")).chars for p in sorted(SEEDS.glob("*.txt"))]
    texts += ["", "中国特色社会主义思想政治工作𠀀𠀁𠀂𠀃", "一一一一丁" * 3 + "习近平新时代中国特色社会主义思想"]
    for phrases in (shipped, wide, overlapping):
        for text in texts:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
            expected = sorted(phrases.spans(text))
            assert sorted(map(tuple, phrases.code_spans(codes).tolist())) == expected
    assert len(wide.alphabet) > 255 and overlapping.code_spans(
        np.frombuffer("中国特色社会主义思想政治工作".encode("utf-32-le"), dtype=np.uint32)
    ).shape == (3, 2)


def test_runs_of_a_batch_are_those_of_each_document_alone():
    """`runs_many` (documents joined, a few passes) finds each document's own runs: a k-gram that
    other documents share is no repeat; documents shorter than k, empty ones, ones holding a
    character that normalises to several and one larger than a pass are done right too."""
    import random

    import numpy as np

    from speechlint.dupes import within
    from speechlint.dupes.prepared import prepare_many
    from speechlint.dupes.within import runs_many, runs_numpy, runs_python

    rng = random.Random(11)
    pieces = ["党建引领基层治理", "深化改革开放", "甲乙丙丁戊己庚", "要坚持问题导向", "ﬁle", "㍿"]
    texts = ["", "短", "十二个字以内的一句话。", "党建引领基层治理深化改革开放" * 2]
    for _ in range(60):
        texts.append("".join(rng.choice(pieces) + rng.choice("，。的了") for _ in range(rng.randint(0, 80))))
    texts.append("".join(rng.choice(pieces) for _ in range(within.GROUP_KGRAMS // 5)))  # one pass of its own
    texts.extend(texts[4:20])  # the same documents again: their k-grams are in other documents too
    for k in (6, 13):
        prepared = prepare_many(texts, k)
        hashes = [p.hashes(k) for p in prepared]
        together = runs_many(hashes)
        for text, ready, alone, found in zip(texts, prepared, hashes, together, strict=True):
            assert found == runs_numpy(alone)
            if len(text) < 2000:
                chars = "".join(map(chr, ready.codes.tolist()))
                assert found == runs_python(chars, k)
    assert runs_many([]) == [] and runs_many([np.empty(0, dtype=np.uint64)] * 3) == [[], [], []]


def test_a_group_gives_each_document_its_own_offsets_and_line_starts():
    """Offsets and line starts are slices of one array per group: documents of line breaks only,
    without any, ending with one, or holding nothing that counts are placed as alone."""
    import numpy as np

    from speechlint.dupes.prepared import prepare, prepare_many

    texts = ["\n", "\n\n\n", "一行没有换行", "结尾有换行\n", "，。！", "", "甲\n乙\r\n丙\n\n丁", "\n开头换行。"] * 3
    for alone, together in zip([prepare(t) for t in texts], prepare_many(texts, 4), strict=True):
        assert np.array_equal(alone.codes, together.codes)
        assert np.array_equal(alone.offsets, together.offsets) and together.offsets.dtype == np.uint32
        assert np.array_equal(alone.line_starts, together.line_starts) and together.line_starts.dtype == np.uint32
        assert np.array_equal(alone.hashes(4), together.hashes(4))


def test_a_batch_of_documents_gets_the_findings_each_gets_alone():
    """`duplicate.within` over a batch (runs found for all its documents at once) reports what it
    reports on each document alone: pasted paragraphs, near copies, short and empty documents."""
    from speechlint.pipeline.run import check_texts

    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts = [
        f"开头。\n{PARAGRAPH}\n中间的一段话。\n{PARAGRAPH}\n",
        "",
        "短",
        f"ﬁ连字开头。\n{PARAGRAPH}\n{PARAGRAPH.replace('同推进', '同推动')}\n",
        *seeds,
        (FIXTURES / "duplicates" / "pasted.txt").read_text(encoding="utf-8"),
        (FIXTURES / "duplicates" / "near.txt").read_text(encoding="utf-8"),
    ]
    together = check_texts(WITHIN, [(f"d{i}.txt", text) for i, text in enumerate(texts)])
    found: dict[str, list] = {}
    for item in together.located:
        found.setdefault(item.path, []).append(item.finding)
    for index, text in enumerate(texts):
        assert found.get(f"d{index}.txt", []) == within(text), index
    assert len(together.located) >= 3  # the pasted paragraphs and the near copy
