"""`--format json`: a stable, versioned shape for tools and CI scripts."""

from __future__ import annotations

import json
from typing import Any

from speechlint.model import Located
from speechlint.reporters.base import RunSummary

FORMAT_VERSION = 1
PRETTY_LIMIT = 500


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
        **({"extra": finding.extra} if finding.extra else {}),
    }


def render(items: list[Located], summary: RunSummary, **_: Any) -> str:
    document = {
        "version": FORMAT_VERSION,
        "findings": [finding_dict(i) for i in items],
        "summary": {
            "files": summary.files,
            "findings": len(items),
            "fixable": sum(1 for i in items if i.finding.fix is not None),
            "fixed": summary.fixes_applied,
            "by_severity": {
                level: sum(1 for i in items if i.finding.severity.value == level)
                for level in ("error", "warning", "info")
            },
            "skipped": summary.skipped,
            "baselined": summary.baselined,
        },
    }
    # Indented output is for people reading a small report; the indenting encoder is pure
    # Python, ~10x slower than the C one, which matters with thousands of findings.
    indent = 2 if len(items) <= PRETTY_LIMIT else None
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"
