"""`--format github`: workflow commands that GitHub Actions shows as annotations on the diff."""

from __future__ import annotations

from typing import Any

from speechlint.model import Located
from speechlint.reporters.base import RunSummary

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def render(items: list[Located], summary: RunSummary, **_: Any) -> str:
    lines = []
    for item in items:
        f = item.finding
        props = (
            f"file={_escape(item.path, True)},line={item.line},col={item.column},"
            f"endLine={item.end_line},endColumn={item.end_column},title={_escape(f.rule_id, True)}"
        )
        message = f.message + (f"（{item.part}）" if item.part else "")
        lines.append(f"::{_LEVEL[f.severity.value]} {props}::{_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
