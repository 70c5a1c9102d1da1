"""`--diff` for Word files: the changed paragraphs as text, each named by its place in Word.

A binary patch of a .docx means nothing to a writer; a unified-style diff of paragraphs,
headed "--- 页眉（第1节） 第1段", says what will change and where to look for it.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from speechlint.documents.docx.package import DocxPackage


def paragraph_diff(before: DocxPackage, after_text: str, where: str = "") -> str:
    """A diff of the paragraphs that differ between `before` and `after_text` (one paragraph per line).

    Paragraphs are aligned by content, so removing a paragraph does not make every later
    one look changed. `where` (a file name) prefixes each heading when given. Empty when
    nothing changed.
    """
    old = [p.text for p in before.paragraphs]
    new = after_text.split("\n")
    prefix = f"{where} " if where else ""
    places = [p.place for p in before.paragraphs]
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            lines += [f"--- {prefix}{places[i1 + k]}", f"+++ {prefix}{places[i1 + k]}"]
            lines += [f"-{old[i1 + k]}", f"+{new[j1 + k]}"]
        for i in range(i1 + paired, i2):
            lines += [f"--- {prefix}{places[i]}", f"+++ {prefix}{places[i]}（整段删除）", f"-{old[i]}"]
        after = places[i2 - 1] if i2 > 0 else "开头"
        for j in range(j1 + paired, j2):
            lines += ["--- （无）", f"+++ {prefix}新段落（{after}之后）", f"+{new[j]}"]
    return "\n".join(lines) + "\n" if lines else ""
