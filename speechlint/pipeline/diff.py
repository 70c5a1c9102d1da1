"""`--diff`: the fixes of a run as a unified diff, changing nothing on disk."""

from __future__ import annotations

from speechlint.documents import Document


def unified_diff(before: Document, after: Document) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            before.text.splitlines(keepends=True),
            after.text.splitlines(keepends=True),
            fromfile=f"a/{before.path}",
            tofile=f"b/{before.path}",
        )
    )
