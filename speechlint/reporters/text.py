"""`--format text`: what a writer reads in a terminal.

`path:line:col: rule-id [category] message`, then the source line (a window of it: Chinese
paragraphs are long lines) with a caret underline that counts wide characters as two
columns, and a summary in Chinese. Colour only when the output is a terminal.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from speechlint.model import Located
from speechlint.reporters.base import RunSummary

CONTEXT_CHARS = 24  # characters shown either side of a finding
MARK_CHARS = 60  # at most this much of a long finding (a pasted paragraph) is shown and underlined

_COLOURS = {"error": "31", "warning": "33", "info": "36", "path": "1", "dim": "2", "caret": "1;31"}


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, what: str) -> str:
        return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if self.enabled else text


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def excerpt(item: Located) -> tuple[str, str]:
    """The visible slice of the source line and the caret line under the finding."""
    line = item.line_text
    start = item.column - 1
    end = item.end_column - 1 if item.end_line == item.line else len(line)
    cut = end - start > MARK_CHARS
    if cut:
        end = start + MARK_CHARS
    left = max(0, start - CONTEXT_CHARS)
    right = end if cut else min(len(line), max(end, start + 1) + CONTEXT_CHARS)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    shown = prefix + line[left:right].replace("\t", " ") + suffix
    pad = display_width(prefix + line[left:start].replace("\t", " "))
    marked = line[start:end] or " "
    carets = "^" * max(1, display_width(marked)) + ("…" if cut else "")
    return shown, " " * pad + carets


def render(items: list[Located], summary: RunSummary, colour: bool = False, statistics: bool = False, **_: Any) -> str:
    paint = _Paint(colour)
    out: list[str] = []
    for item in items:
        f = item.finding
        head = paint(f"{item.path}:{item.line}:{item.column}:", "path")
        level = paint(f.severity.label, f.severity.value)
        where = f"（{item.part}）" if item.part else ""
        out.append(f"{head} {f.rule_id} [{f.category}] {f.message}{where}")
        if item.line_text:
            shown, carets = excerpt(item)
            gutter = f"{item.line:>5} | "
            out.append(paint(gutter, "dim") + shown)
            suffix = f" {level}"
            if f.fix is not None:
                hint = "可自动修复" if f.fix.applicability.value == "safe" else "可修复（需 --unsafe-fixes）"
                suffix += paint(f"，{hint}：“{f.fix.replacement}”" if f.fix.replacement else f"，{hint}（删除）", "dim")
            out.append(paint(" " * (len(gutter) - 2) + "| ", "dim") + paint(carets, "caret") + suffix)
        for rel in item.related:
            out.append(paint(f"      ↳ 另见 {rel.path}:{rel.line}:{rel.column} {rel.message}".rstrip(), "dim"))
    if statistics:
        out.append(render_statistics(items))
    out.append(summary_line(items, summary))
    return "\n".join(out) + "\n"


def render_concise(items: list[Located], summary: RunSummary, statistics: bool = False, **_: Any) -> str:
    """One line per finding, for editors and grep."""
    out = [
        f"{i.path}:{i.line}:{i.column}: {i.finding.rule_id} [{i.finding.category}] {i.finding.message}"
        + (f"（{i.part}）" if i.part else "")
        for i in items
    ]
    if statistics:
        out.append(render_statistics(items))
    out.append(summary_line(items, summary))
    return "\n".join(out) + "\n"


def render_statistics(items: list[Located]) -> str:
    counts = Counter(i.finding.rule_id for i in items)
    fixable = Counter(i.finding.rule_id for i in items if i.finding.fix is not None)
    categories = {i.finding.rule_id: i.finding.category for i in items}
    rows = ["", "按规则统计："]
    for rule_id, count in counts.most_common():
        mark = " [可修复]" if fixable[rule_id] else ""
        rows.append(f"{count:>6}  {rule_id}  [{categories[rule_id]}]{mark}")
    return "\n".join(rows)


def summary_line(items: list[Located], summary: RunSummary) -> str:
    levels = Counter(i.finding.severity.value for i in items)
    fixable = sum(1 for i in items if i.finding.fix is not None)
    safe = sum(1 for i in items if i.finding.fix is not None and i.finding.fix.applicability.value == "safe")
    parts = [f"共检查 {summary.files} 个文件"]
    if summary.fixes_applied:
        parts.append(f"已修复 {summary.fixes_applied} 处（{summary.fixed_files} 个文件）")
    if items:
        detail = "，".join(
            f"{label} {levels[key]}"
            for key, label in (("error", "错误"), ("warning", "警告"), ("info", "提示"))
            if levels[key]
        )
        parts.append(f"发现 {len(items)} 个问题（{detail}）")
        if fixable:
            more = f"{safe} 个可用 --fix 自动修复" if safe else ""
            unsafe = fixable - safe
            if unsafe:
                more += ("，" if more else "") + f"{unsafe} 个需加 --unsafe-fixes"
            parts.append(more)
    elif summary.failed:
        if summary.files:
            parts.append("已检查的文件中未发现问题")
    else:
        parts.append("未发现问题")
    if summary.failed:
        parts.append(f"{len(summary.failed)} 个错误（见上方错误信息）")
    if summary.baselined:
        parts.append(f"另有 {summary.baselined} 个已在基线中")
    lines = ["；".join(parts) + "。"]
    for warning in summary.skipped:
        lines.insert(0, f"警告：{warning}")
    return "\n".join(lines)
