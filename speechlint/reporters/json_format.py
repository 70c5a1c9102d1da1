"""`--format json`: a stable, versioned shape for tools and CI scripts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import orjson

from speechlint.model import Located, Severity
from speechlint.reporters.base import RunSummary

FORMAT_VERSION = 1
PRETTY_LIMIT = 500
STREAM_CHUNK = 1000  # findings encoded at once in a large report


def finding_dict(item: Located) -> dict[str, Any]:
    finding = item.finding
    fix = finding.fix
    return {
        "path": item.path,
        "rule": finding.rule_id,
        "category": finding.category,
        "severity": finding.severity.value,
        "message": finding.message,
        "line": item.line,
        "column": item.column,
        "end_line": item.end_line,
        "end_column": item.end_column,
        "offset": item.offset,
        "end_offset": item.end_offset,
        "text": item.text,
        "fix": {"replacement": fix.replacement, "applicability": fix.applicability.value} if fix else None,
        "related": [r.as_dict() for r in item.related],
        **({"part": item.part} if item.part else {}),
        **({"extra": dict(finding.extra)} if finding.extra else {}),
    }


def _summary(items: list[Located], summary: RunSummary) -> dict[str, Any]:
    severities = Counter(i.finding.severity for i in items)
    return {
        "files": summary.files,
        "findings": len(items),
        "fixable": sum(1 for i in items if i.finding.fix is not None),
        "fixed": summary.fixes_applied,
        "by_severity": {level.value: severities[level] for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)},
        "skipped": summary.skipped,
        "failed": summary.failed,
        "baselined": summary.baselined,
    }


def render(items: list[Located], summary: RunSummary, **options: Any) -> str:
    return "".join(stream(items, summary, **options))


def stream(items: list[Located], summary: RunSummary, **_: Any) -> Iterator[str]:
    """The report in pieces, so that a large one is written as it is made, never held whole.

    Indented output is for people reading a small report; a large one is compact. Both are
    written by the same encoder, so that they say the same of any value."""
    if len(items) <= PRETTY_LIMIT:
        document = {"version": FORMAT_VERSION, "findings": [finding_dict(i) for i in items]}
        document["summary"] = _summary(items, summary)
        yield _encode(document, indent=True) + "\n"
        return
    yield f'{{"version": {FORMAT_VERSION}, "findings": ['
    for start in range(0, len(items), STREAM_CHUNK):
        chunk = _encode([finding_dict(item) for item in items[start : start + STREAM_CHUNK]])
        yield ("," if start else "") + chunk[1:-1]
    yield '], "summary": ' + _encode(_summary(items, summary)) + "}\n"


_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def _encode(value: Any, indent: bool = False) -> str:
    """JSON text: orjson (a report of 16,000 findings is written in half the time of the standard
    encoder's). A value JSON has no type for (a plugin's `extra` holding a date, a dataclass …) is
    written as its `str()`; an integer beyond 64 bits, which orjson refuses, by the standard encoder."""
    try:
        return orjson.dumps(
            value, default=str, option=_ORJSON_OPTIONS | (orjson.OPT_INDENT_2 if indent else 0)
        ).decode()
    except TypeError:
        if indent:
            return json.dumps(value, ensure_ascii=False, indent=2, default=str)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
