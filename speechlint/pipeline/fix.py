"""Stage 7: fixes — only the named characters change, to a fixed point, written atomically.

Edits are applied back to front on the decoded *source* (so CRLF and every untouched code
point survive); an edit overlapping an earlier one waits for the next round; the document is
re-linted after each round until nothing more applies (at most `MAX_ROUNDS`). A document
whose bytes would not round-trip exactly through its encoding is never rewritten.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from speechlint.documents import Document, DocumentError
from speechlint.documents.edits import Edit, apply_edits
from speechlint.model import Applicability, Finding, Located

MAX_ROUNDS = 10


def applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (unsafe or finding.fix.applicability is Applicability.SAFE)


def edits_of(items: list[Located], unsafe: bool, doc: Document) -> list[Edit]:
    """The edits the applicable fixes of `items` make, text inserted in the document's line ending."""
    edits = []
    for item in items:
        fix = item.finding.fix
        if fix is not None and (unsafe or fix.applicability is Applicability.SAFE):
            replacement = fix.replacement
            if "\n" in replacement and doc.newline != "\n":
                replacement = replacement.replace("\n", doc.newline)
            edits.append((item.offset, item.end_offset, replacement))
    return edits


@dataclass
class Fixed:
    """A document after its fixes: the final text, what is left to report on it, edits applied."""

    document: Document
    located: list[Located]
    applied: int
    notes: list[str] = field(default_factory=list)  # fixes the document's format could not apply

    @property
    def changed(self) -> bool:
        return self.applied > 0


def fix_to_fixed_point(
    doc: Document, located: list[Located], relint: Callable[[Document], list[Located]], unsafe: bool
) -> Fixed:
    """Apply the applicable fixes of `located` (findings of `doc`), re-lint, repeat.

    `relint` returns the filtered, located findings of a document; what it returns for the
    last version is what is reported.
    """
    if not doc.round_trips:
        raise DocumentError(f"{doc.path}: 按 {doc.encoding.label} 重新编码后字节不一致，为免损坏文件不做修复")
    applied = 0
    notes: list[str] = []
    for _ in range(MAX_ROUNDS):
        edits = edits_of(located, unsafe, doc)
        if not edits:
            break
        changed, count, skipped = doc.with_edits(edits)
        notes.extend(skipped)
        if changed is doc:
            break
        applied += count
        doc = changed
        located = relint(doc)
    return Fixed(doc, located, applied, notes)


def count_changes(before: str, after: str) -> int:
    """How many separate places differ (for the summary line)."""
    import difflib  # only fixing runs pay for importing it

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(1 for op in matcher.get_opcodes() if op[0] != "equal") or 1


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory and rename: never a half-written file."""
    import tempfile  # only runs that write pay for importing it

    target = Path(os.path.realpath(path))
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


__all__ = ["MAX_ROUNDS", "Edit", "Fixed", "applicable", "apply_edits", "edits_of", "fix_to_fixed_point", "write_atomic"]
