"""The placeholder rule finds exactly the hand-annotated placeholders in the seed speeches.

Ground truth: fixtures/seeds_placeholders.tsv (made by reading the texts, see
fixtures/seeds_placeholders.md), one row per placeholder: file, line, column, text.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
ANNOTATION = ROOT / "fixtures" / "seeds_placeholders.tsv"

Key = tuple[str, int, int, str]


def load_annotation() -> set[Key]:
    with ANNOTATION.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    keys = {(r["file"], int(r["line"]), int(r["column"]), r["text"]) for r in rows}
    assert len(keys) == len(rows), "duplicate rows in the annotation"
    return keys


def source_line(name: str, line: int) -> str:
    lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else "<no such line>"


def describe(key: Key) -> str:
    name, line, column, text = key
    src = source_line(name, line)
    start = max(0, column - 1 - 15)
    context = src[start : column - 1 + len(text) + 15]
    return f"  {name}:{line}:{column} {text!r}  …{context}…"


def test_annotation_points_at_its_text():
    for name, line, column, text in sorted(load_annotation()):
        src = source_line(name, line)
        assert src[column - 1 : column - 1 + len(text)] == text, (name, line, column, text)


def test_placeholder_findings_match_annotation(cli):
    result = cli("check", "--format", "json", "--select", "placeholder", str(SEEDS))
    document = result.json()
    found = {(Path(f["path"]).name, int(f["line"]), int(f["column"]), f["text"]) for f in document["findings"]}
    expected = load_annotation()

    missing = sorted(expected - found)
    extra = sorted(found - expected)
    message = []
    if missing:
        message.append(f"{len(missing)} annotated placeholder(s) NOT reported (missing):")
        message += [describe(k) for k in missing]
    if extra:
        message.append(f"{len(extra)} reported finding(s) NOT in the annotation (extra):")
        message += [describe(k) for k in extra]
    assert not missing and not extra, "\n".join(message)
