"""The JSON report of a large run (compact, in chunks) says what the small one (indented) says."""

from __future__ import annotations

import dataclasses
import datetime
import json

import pytest

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


@pytest.mark.parametrize(
    ("extra", "written"),
    [
        ({"big": 2**80}, {"big": 2**80}),  # beyond 64 bits: the standard encoder writes it
        ({"when": datetime.date(2026, 1, 1)}, {"when": "2026-01-01"}),  # no JSON type: its str()
        ({"score": float("nan")}, {"score": None}),  # not a JSON number
    ],
)
def test_small_and_large_reports_write_any_value_alike(extra, written):
    item = _located(1)[0]
    item = dataclasses.replace(item, finding=dataclasses.replace(item.finding, extra=extra))
    summary = RunSummary(1, 0, 0, [], 0, [])
    small = json.loads(json_format.render([item], summary))["findings"][0]["extra"]
    large = json.loads(json_format.render([item] * (json_format.PRETTY_LIMIT + 1), summary))["findings"][0]["extra"]
    assert small == large == written
