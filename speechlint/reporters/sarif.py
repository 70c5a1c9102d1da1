"""`--format sarif`: SARIF 2.1.0, read by GitHub code scanning, GitLab and most CI dashboards."""

from __future__ import annotations

import json
from typing import Any

from speechlint import __version__
from speechlint.model import Located
from speechlint.reporters.base import RunSummary

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(items: list[Located], summary: RunSummary, **_: Any) -> str:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for item in items:
        f = item.finding
        rules.setdefault(
            f.rule_id,
            {
                "id": f.rule_id,
                "properties": {"category": f.category},
                "defaultConfiguration": {"level": _LEVEL[f.severity.value]},
            },
        )
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "level": _LEVEL[f.severity.value],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": item.path},
                        "region": {
                            "startLine": item.line,
                            "startColumn": item.column,
                            "endLine": item.end_line,
                            "endColumn": item.end_column,
                            "charOffset": item.offset,
                            "charLength": item.end_offset - item.offset,
                        },
                    }
                }
            ],
        }
        if f.fix is not None:
            result["fixes"] = [
                {
                    "description": {"text": f"{f.fix.applicability.value} fix"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": item.path},
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "charOffset": item.offset,
                                        "charLength": item.end_offset - item.offset,
                                    },
                                    "insertedContent": {"text": f.fix.replacement},
                                }
                            ],
                        }
                    ],
                }
            ]
        if item.related:
            result["relatedLocations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": r.path},
                        "region": {
                            "startLine": r.line,
                            "startColumn": r.column,
                            "endLine": r.end_line,
                            "endColumn": r.end_column,
                        },
                    }
                }
                for r in item.related
            ]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "speechlint",
                        "version": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
