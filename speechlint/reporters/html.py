"""`--format html`: one self-contained page a reviewer can open in a browser or attach to a mail.

Writers and reviewers are not all programmers: the page groups findings by document, shows
each in its sentence with the problem highlighted, and says what to do, in Chinese. No
scripts, no external files.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from speechlint import __version__
from speechlint.model import Located
from speechlint.reporters.base import RunSummary
from speechlint.reporters.text import CONTEXT_CHARS, MARK_CHARS, summary_line

_STYLE = """
body{font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",
"Source Han Sans SC","WenQuanYi Micro Hei","WenQuanYi Zen Hei","Droid Sans Fallback",system-ui,sans-serif;
margin:2em auto;max-width:60em;
color:#222;line-height:1.6}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}
.finding{margin:.8em 0;padding:.4em .8em;border-left:4px solid #999;background:#fafafa}
.error{border-color:#c62828}.warning{border-color:#ef8f00}.info{border-color:#1976d2}
.where{color:#666;font-size:.9em}.rule{font-family:monospace;color:#555}
mark{background:#ffe08a;padding:0 .1em}.fix{color:#2e7d32}.excerpt{margin:.3em 0}
"""


def _excerpt(item: Located) -> str:
    line = item.line_text
    start = item.column - 1
    end = item.end_column - 1 if item.end_line == item.line else len(line)
    cut = end - start > MARK_CHARS * 2
    left = max(0, start - CONTEXT_CHARS * 2)
    if cut:  # a long passage: its beginning, then an ellipsis
        end = right = start + MARK_CHARS * 2
    else:
        right = min(len(line), max(end, start + 1) + CONTEXT_CHARS * 2)
    before = ("…" if left else "") + escape(line[left:start])
    marked = (escape(line[start:end]) or "&nbsp;") + ("…" if cut else "")
    after = "" if cut else escape(line[end:right]) + ("…" if right < len(line) else "")
    return f"{before}<mark>{marked}</mark>{after}"


def _place(item: Located) -> str:
    """Where to look: a Word paragraph's place, or the line and column of a text file."""
    if item.part:
        return f"{item.part}（第 {item.line} 段）第 {item.column} 字"
    return f"第 {item.line} 行第 {item.column} 列"


def _fix_text(item: Located) -> str:
    fix = item.finding.fix
    if fix is None:
        return ""
    what = f"改为“{escape(fix.replacement)}”" if fix.replacement else "删除"
    how = "可用 --fix 自动修复" if fix.applicability.value == "safe" else "需人工确认（--fix --unsafe-fixes）"
    return f'<div class="fix">建议：{what}（{how}）</div>'


def render(items: list[Located], summary: RunSummary, **_: Any) -> str:
    by_set = Counter((i.finding.rule_id, i.finding.category) for i in items)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8"><title>speechlint 检查报告</title>',
        f"<style>{_STYLE}</style></head><body>",
        "<h1>speechlint 检查报告</h1>",
        f"<p>{escape(summary_line(items, summary))}</p>",
    ]
    if by_set:
        parts.append("<table><tr><th>规则</th><th>类别</th><th>数量</th></tr>")
        for (rule_id, category), count in by_set.most_common():
            parts.append(f'<tr><td class="rule">{escape(rule_id)}</td><td>{escape(category)}</td><td>{count}</td></tr>')
        parts.append("</table>")
    current = None
    for item in items:
        if item.path != current:
            current = item.path
            parts.append(f"<h2>{escape(item.path)}</h2>")
        f = item.finding
        parts.append(
            f'<div class="finding {f.severity.value}">'
            f'<div class="where">{escape(_place(item))} · {f.severity.label} · '
            f'<span class="rule">{escape(f.rule_id)}</span></div>'
            f"<div>{escape(f.message)}</div>"
            + (f'<div class="excerpt">{_excerpt(item)}</div>' if item.line_text else "")
            + _fix_text(item)
            + "".join(f'<div class="where">另见 {escape(r.path)} 第 {r.line} 行</div>' for r in item.related[:10])
            + "</div>"
        )
    parts.append(f'<p class="where">speechlint {__version__}</p></body></html>')
    return "\n".join(parts) + "\n"
