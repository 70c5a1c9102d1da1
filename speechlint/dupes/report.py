"""The corpus report of `speechlint dupes`: shared passages, their places, and pair shares."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from speechlint.dupes.corpus import Place, SharedPassage
from speechlint.dupes.pairs import PairShare

if TYPE_CHECKING:
    from speechlint.ruletypes.duplicate import Shared

EXCERPT_CHARS = 40
TEXT_PLACES = 10  # places listed per passage in the text report (JSON lists all)

Excerpt = Callable[[Place], str]


def place_dict(scan: Shared, place: Place) -> dict[str, Any]:
    prints = scan.prints[place.doc]
    line, column = prints.line_col(place.start)
    end_line, end_column = prints.line_col(place.end)
    return {
        "path": scan.paths[place.doc],
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "chars": place.chars,
    }


def render_json(
    scan: Shared,
    passages: list[SharedPassage],
    pairs: list[PairShare],
    excerpt: Excerpt,
    errors: list[str],
    **options: Any,
) -> str:
    document = {
        "version": 1,
        "options": options,
        "summary": {
            "files": len(scan.paths),
            "passages": len(passages),
            "duplicated_places": sum(len(p.places) for p in passages),
            "pairs": len(pairs),
        },
        "passages": [
            {
                "chars": p.chars,
                "documents": p.docs,
                "score": p.score,
                "text": excerpt(p.places[0]),
                "locations": [place_dict(scan, place) for place in p.places],
            }
            for p in passages
        ],
        "pairs": [
            {
                "a": scan.paths[r.a],
                "b": scan.paths[r.b],
                "chars_a": r.chars_a,
                "chars_b": r.chars_b,
                "share_a": round(r.share_a, 4),
                "share_b": round(r.share_b, 4),
            }
            for r in pairs
        ],
        "errors": errors,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_text(
    scan: Shared, passages: list[SharedPassage], pairs: list[PairShare], excerpt: Excerpt, limit: int
) -> str:
    out: list[str] = []
    for number, passage in enumerate(passages[:limit], 1):
        out.append(
            f"重复段落 {number}：约 {passage.chars} 字，出现在 {passage.docs} 个文件中，共 {len(passage.places)} 处"
        )
        out.append(f"    “{excerpt(passage.places[0])}”")
        shown = passage.places[:TEXT_PLACES]
        for place in shown:
            loc = place_dict(scan, place)
            out.append(f"    {loc['path']}:{loc['line']}:{loc['column']}（{place.chars} 字）")
        if len(passage.places) > len(shown):
            out.append(f"    …… 另有 {len(passage.places) - len(shown)} 处（--format json 列出全部）")
    if len(passages) > limit:
        out.append(f"（另有 {len(passages) - limit} 段未列出；用 --limit 或 --format json 查看全部）")
    if pairs:
        out.append("")
        out.append("文件两两重合度（前 10 对）：")
        for r in pairs[:10]:
            out.append(f"    {scan.paths[r.a]} ↔ {scan.paths[r.b]}：{r.share_a:.0%} / {r.share_b:.0%}")
    places = sum(len(p.places) for p in passages)
    out.append(
        f"共检查 {len(scan.paths)} 个文件；发现 {len(passages)} 段重复文字，{places} 处。"
        if passages
        else f"共检查 {len(scan.paths)} 个文件；未发现重复段落。"
    )
    return "\n".join(out) + "\n"


def excerpt_of(text: str, start: int, end: int) -> str:
    """The beginning of a copy on one line, with an ellipsis when it is longer."""
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= EXCERPT_CHARS else piece[:EXCERPT_CHARS] + "……"
