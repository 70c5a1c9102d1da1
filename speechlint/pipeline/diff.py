"""`--diff`: the fixes of a run as a unified diff that `git apply` and `patch -p1` apply byte
for byte, giving exactly the file `--fix` would write.

Patch tools compare bytes and end a line at LF only, so the diff is made of the file's own
bytes split after each LF: a CRLF ending stays in its line, a lone CR (old Mac text) is part
of a line, a missing final newline is marked `\\ No newline at end of file`, a UTF-8 BOM is
part of the first line and GB18030 text stays GB18030. Names follow git: `a/` and `b/`
prefixes (hence `-p1`), C-style quotes for names holding `"`, `\\` or control characters,
and a tab after a name with a space (GNU patch ends an unquoted name at whitespace).

UTF-16 and UTF-32 text cannot be patched at all (an LF byte may be half of a character, 上
is `0A 4E` in UTF-16LE): their diff is UTF-8 text to read. A Word document's diff lists its
changed paragraphs by place, for reading: patch tools skip it as they skip any text that is
not a hunk. `patch_note` says when a diff cannot be applied, for standard error.
"""

from __future__ import annotations

import codecs
import difflib
import os
from collections.abc import Callable, Iterator

from speechlint.documents import Document
from speechlint.documents.word import WordDocument

CONTEXT_LINES = 3
NO_NEWLINE = b"\\ No newline at end of file\n"
_C_ESCAPES = {ord('"'): b'\\"', ord("\\"): b"\\\\", ord("\t"): b"\\t", ord("\n"): b"\\n", ord("\r"): b"\\r"}


def file_diff(before: Document, after: Document) -> tuple[bytes, str | None]:
    """One document's `--diff`: the bytes to write to standard output, and a warning for
    standard error when patch tools cannot apply them."""
    if isinstance(before, WordDocument):
        return before.paragraph_diff(after).encode("utf-8"), patch_note(before)
    return unified_diff_bytes(before, after), patch_note(before)


def unified_diff_bytes(before: Document, after: Document) -> bytes:
    """The diff to write to a binary standard output: what `patch` and `git apply` need."""
    sides = _file_bytes if patchable(before) else _utf8_bytes
    return _diff(before, after, sides)


def unified_diff(before: Document, after: Document) -> str:
    """The diff as text: for a UTF-8 file the very characters of `unified_diff_bytes`; a file
    in another encoding is shown in UTF-8 (readable, but not applicable to its bytes)."""
    return _diff(before, after, _utf8_bytes).decode("utf-8", "surrogateescape")


def patchable(doc: Document) -> bool:
    """Can patch tools apply a diff of this document's bytes? Only if LF is the byte 0A alone."""
    try:
        return "\n".encode(doc.encoding.name) == b"\n"
    except LookupError:  # a pseudo-encoding (a Word document's extracted text)
        return False


def patch_note(doc: Document) -> str | None:
    """One line for standard error when a document's diff cannot be applied with patch tools."""
    if isinstance(doc, WordDocument):
        return f"{doc.path}: Word 文档的 diff 只列出改动的段落，供阅读，patch 和 git apply 不会应用它；请用 --fix 修复"
    if patchable(doc):
        return None
    return f"{doc.path}: {doc.encoding.label} 文件的 diff 以 UTF-8 文本显示，不能用 patch 或 git apply 应用；请用 --fix 修复"


# --- the two sides -------------------------------------------------------------------------
def _file_bytes(doc: Document) -> bytes:
    """The bytes read from disk, or the bytes `--fix` writes for a fixed text."""
    return doc.raw if doc.raw is not None else doc.to_bytes()


def _utf8_bytes(doc: Document) -> bytes:
    bom = codecs.BOM_UTF8 if doc.encoding.bom == codecs.BOM_UTF8 else b""
    return bom + doc.source.encode("utf-8", "surrogatepass")


def _lines(data: bytes) -> list[bytes]:
    """Lines as patch tools see them: each ends after an LF; the last may have no LF."""
    lines = data.split(b"\n")
    last = lines.pop()
    return [line + b"\n" for line in lines] + ([last] if last else [])


# --- the diff ------------------------------------------------------------------------------
def _diff(before: Document, after: Document, side: Callable[[Document], bytes]) -> bytes:
    old, new = _lines(side(before)), _lines(side(after))
    hunks = b"".join(_hunks(old, new))
    return _header(before.path) + hunks if hunks else b""


def _header(path: str) -> bytes:
    name = os.fsencode(path.lstrip("/"))
    tab = b"\t" if b" " in name else b""
    return b"--- " + _label(b"a/" + name) + tab + b"\n+++ " + _label(b"b/" + name) + tab + b"\n"


def _label(name: bytes) -> bytes:
    """git's quoting: a name with `"`, `\\` or a control character goes in C-style quotes."""
    if not any(byte < 0x20 or byte in (0x22, 0x5C, 0x7F) for byte in name):
        return name
    return b'"' + b"".join(_escaped(byte) for byte in name) + b'"'


def _escaped(byte: int) -> bytes:
    if byte in _C_ESCAPES:
        return _C_ESCAPES[byte]
    return b"\\%03o" % byte if byte < 0x20 or byte == 0x7F else bytes([byte])


def _hunks(old: list[bytes], new: list[bytes]) -> Iterator[bytes]:
    matcher = difflib.SequenceMatcher(None, old, new)
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        first, last = group[0], group[-1]
        yield b"@@ -%s +%s @@\n" % (_range(first[1], last[2]), _range(first[3], last[4]))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from _marked(b" ", old[i1:i2])
                continue
            yield from _marked(b"-", old[i1:i2])
            yield from _marked(b"+", new[j1:j2])


def _range(start: int, stop: int) -> bytes:
    """A hunk's line range, as diff writes it: `3`, `3,4`, or `2,0` for no line after line 2."""
    length = stop - start
    if length == 1:
        return b"%d" % (start + 1)
    return b"%d,%d" % (start + 1 if length else start, length)


def _marked(prefix: bytes, lines: list[bytes]) -> Iterator[bytes]:
    for line in lines:
        yield prefix + line if line.endswith(b"\n") else prefix + line + b"\n" + NO_NEWLINE
