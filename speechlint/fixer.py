"""Applying fixes: only the named characters change, to a fixed point, written atomically.

Edits are applied back to front on the decoded *source* (so CRLF and every untouched code
point survive), overlapping edits wait for the next round, and the document is re-linted
until nothing more changes (at most `MAX_ROUNDS`).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from speechlint.document import Document, DocumentError
from speechlint.linter import RuleSet, lint_text
from speechlint.model import Applicability, Finding

MAX_ROUNDS = 10


@dataclass
class FixResult:
    document: Document  # the fixed document (the original one when nothing changed)
    applied: int
    findings: list[Finding]  # what is left, on the fixed text

    @property
    def changed(self) -> bool:
        return self.applied > 0


def applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (unsafe or finding.fix.applicability is Applicability.SAFE)


def apply_edits(source: str, edits: list[tuple[int, int, str]]) -> tuple[str, int]:
    """Apply non-overlapping edits (source offsets) back to front; return text and count applied.

    An edit overlapping an earlier one is skipped; the next round re-lints and retries it.
    """
    kept: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < last_end or (kept and start == kept[-1][0] == end == kept[-1][1]):
            continue
        kept.append((start, end, replacement))
        last_end = end
    pieces: list[str] = []
    cursor = len(source)
    for start, end, replacement in reversed(kept):
        pieces.append(source[end:cursor])
        pieces.append(replacement)
        cursor = start
    pieces.append(source[:cursor])
    return "".join(reversed(pieces)), len(kept)


def fix_document(doc: Document, ruleset: RuleSet, unsafe: bool = False, ignored: list[str] | None = None) -> FixResult:
    """Fix `doc` to a fixed point; refuse when its bytes would not round-trip exactly."""
    if doc.raw is not None and doc.encode(doc.source) != doc.raw:
        raise DocumentError(f"{doc.path}: 按 {doc.encoding.label} 重新编码后字节不一致，为免损坏文件不做修复")
    applied = 0
    findings = lint_text(ruleset, doc.text, doc.path, ignored)
    for _ in range(MAX_ROUNDS):
        edits = [
            (doc.to_source_offset(f.offset), doc.to_source_end(f.end_offset), _newlines(f.fix.replacement, doc))
            for f in findings
            if applicable(f, unsafe)
        ]
        if not edits:
            break
        new_source, count = apply_edits(doc.source, edits)
        if new_source == doc.source:
            break
        applied += count
        doc = Document(doc.path, new_source, doc.encoding)
        findings = lint_text(ruleset, doc.text, doc.path, ignored)
    return FixResult(doc, applied, findings)


def _newlines(replacement: str, doc: Document) -> str:
    """Text a fix inserts uses the document's own line ending."""
    return replacement.replace("\n", doc.newline) if "\n" in replacement and doc.newline != "\n" else replacement


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
