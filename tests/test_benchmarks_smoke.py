"""Smoke tests of the benchmark scripts' core functions on tiny inputs, so they do not rot.

They check that the measuring code runs and counts right, never how fast anything is
(speed is measured by the scripts in benchmarks/, not by tests). No npm needed: the
textlint side is covered by its dictionary conversion only.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import yaml

from speechlint.config import Settings
from speechlint.rulesets import RuleSet, RuleSource, build_ruleset

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

PAIRS = [("路劲", "路径"), ("既使", "即使"), ("布署", "部署")]
DOCS = [
    "同志们：\nXX部长强调，要找准发展路劲。\n",
    "既使困难再多，也要认真布署。\n",
    "今天的会议很重要。\n",
]


def load(name: str) -> ModuleType:
    """A benchmark script as a module (they import their `_common` helper by plain name)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


def small_ruleset(pairs: list[tuple[str, str]] = PAIRS) -> RuleSet:
    """One pattern rule and one dictionary rule: independent of the default packs' contents."""
    common = {"severity": "warning", "message": "“{match}”"}
    specs = [
        {"id": "smoke.xx", "type": "pattern", "category": "placeholder", "pattern": "XX", **common},
        {"id": "smoke.typo", "type": "dictionary", "category": "typo", "entries": dict(pairs), **common},
    ]
    return build_ruleset(Settings(extends_default=False), sources=[RuleSource(s, "<smoke>", None, []) for s in specs])


def test_bench_lint_throughput_and_importtime(tmp_path: Path) -> None:
    bench_lint = load("bench_lint")
    files = []
    for i, text in enumerate(DOCS):
        path = tmp_path / f"d{i}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    result = bench_lint.measure_throughput(files, small_ruleset(), Settings(extends_default=False), repeat=1)
    assert result.files == 3 and result.bytes == sum(len(t.encode()) for t in DOCS)
    assert result.findings == 4  # XX, 路劲, 既使, 布署
    assert {t.rule_id: t.findings for t in result.per_rule} == {"smoke.xx": 1, "smoke.typo": 3}
    assert result.overall_mb_per_s > 0 and result.read_decode_mb_per_s > 0
    assert bench_lint.pick_sample(files, 43) == files[1]  # 14 CJK chars + newline

    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       100 |        100 |     yaml.reader\n"
        "import time:       400 |       1500 |   yaml\n"
        "import time:      1000 |       2500 | speechlint.packs\n"
    )
    entries = bench_lint.parse_importtime(stderr)
    assert [(e.name, e.depth) for e in entries] == [("yaml.reader", 2), ("yaml", 1), ("speechlint.packs", 0)]
    total, by_package, top_level = bench_lint.summarize_imports(entries)
    assert total == 1.5 and by_package == {"speechlint": 1.0, "yaml": 0.5}
    assert [e.name for e in top_level] == ["speechlint.packs"]


def test_prh_conversion_and_dictionary_rule(tmp_path: Path) -> None:
    bench = load("bench_dictionary_vs_prh")
    prh = yaml.safe_load(bench.to_prh_yaml([*PAIRS, ('引号"和:冒号', "对")]))
    assert prh["version"] == 1
    assert prh["rules"][0] == {"expected": "路径", "pattern": "路劲"}
    assert prh["rules"][-1] == {"expected": "对", "pattern": '引号"和:冒号'}

    tsv = bench.write_pairs(PAIRS, tmp_path / "typos.tsv")
    assert bench.load_pairs(tsv) == PAIRS
    variants = bench.dictionary_variants(tsv, [2, 3], tmp_path)
    assert variants[3] == tsv and bench.load_pairs(variants[2]) == PAIRS[:2]

    rule = bench.build_dictionary_rule(bench.load_pairs(tsv))
    assert bench.count_dictionary_matches(rule, DOCS) == 3


def test_odw_eval_counts(tmp_path: Path) -> None:
    odw = load("odw_eval")
    data = tmp_path / "odw.train"
    data.write_text(
        "1\t要找准发展路劲。\t要找准发展路径。\n"  # detected, at the changed character
        "1\t他既使来了也没用。\t他即使来了也没用。\n"  # detected
        "1\t工作要抓紧落食。\t工作要抓紧落实。\n"  # missed
        "0\t今天的会议很重要。\t今天的会议很重要。\n"
        "0\t已经完成布署。\t已经完成布署。\n"  # a false alarm on both sides
        "bad line\n",
        encoding="utf-8",
    )
    rows = odw.read_rows(data)
    assert len(rows) == 5
    assert odw.changed_positions("落食", "落实") == {1}
    assert odw.changed_positions("路劲劲", "路劲") == {2}
    ev = odw.evaluate(small_ruleset(), rows)
    assert (ev.sentences, ev.erroneous, ev.flagged_sources, ev.true_positives) == (5, 3, 3, 2)
    assert ev.position_hits == 2 and ev.flagged_targets == 1
    assert abs(ev.precision - 2 / 3) < 1e-9 and abs(ev.recall - 2 / 3) < 1e-9
    assert ev.false_alarm_rate == 1 / 5
    assert [a.match for a in ev.false_alarms] == ["布署"]
    assert ev.per_rule["smoke.typo"].flagged_sources == 3


def test_odw_eval_selects_from_the_default_packs() -> None:
    odw = load("odw_eval")
    present, missing = odw.available_selectors(Settings(), ["typo", "no-such-rule"])
    assert (present, missing) == (["typo"], ["no-such-rule"])


def test_bench_duplicate_stages_times_every_stage(tmp_path: Path) -> None:
    stages = load("bench_duplicate_stages")
    pasted = "要坚持把基层党建工作同经济社会发展工作紧密结合起来，做到同部署、同推进、同考核，切实把党的政治优势转化为发展优势。"
    for index in range(4):
        (tmp_path / f"d{index}.txt").write_text(
            f"第{index}份讲话。\n{pasted}\n其他内容{index}。\n{pasted}\n", encoding="utf-8"
        )
    result = stages.measure(tmp_path, repeat=1)
    assert set(result["stages_s"]) == set(stages.STAGES)
    assert result["findings"] == 4 + 1  # each document repeats the passage; all four share it
    assert len(stages.batches([("a", "x" * 10), ("b", "y")])) == 1
