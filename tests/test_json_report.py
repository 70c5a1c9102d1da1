"""The JSON report of a large run (compact, in chunks) says what the small one (indented) says."""

from __future__ import annotations

import dataclasses
import json

from speechlint.config import Settings
from speechlint.pipeline.run import check_texts
from speechlint.reporters import json_format
from speechlint.reporters.base import RunSummary
from speechlint.rulesets import build_ruleset


def _located(count: int):
    text = "".join(f"第{i}项由XX负责。\n" for i in range(count))
    return check_texts(build_ruleset(Settings(), ["placeholder.x"]), [("a.txt", text)]).located


def test_a_large_report_is_the_same_json_in_compact_chunks():
    items = _located(2 * json_format.STREAM_CHUNK + 7)
    assert len(items) > json_format.PRETTY_LIMIT
    summary = RunSummary(1, 0, 0, [], 0, [])
    report = json.loads(json_format.render(items, summary))
    assert report["version"] == json_format.FORMAT_VERSION
    assert report["findings"] == [json_format.finding_dict(i) for i in items]
    assert report["summary"]["findings"] == len(items)
    small = json.loads(json_format.render(items[:3], summary))
    assert small["findings"] == report["findings"][:3]


def test_a_value_the_fast_encoder_refuses_is_still_written():
    items = _located(json_format.PRETTY_LIMIT + 1)
    odd = dataclasses.replace(items[0].finding, extra={"big": 2**80})
    items[0] = dataclasses.replace(items[0], finding=odd)
    report = json.loads(json_format.render(items, RunSummary(1, 0, 0, [], 0, [])))
    assert report["findings"][0]["extra"] == {"big": 2**80}
