"""Loading a document: bytes → text for the rules, with a map back to the source.

Rules see text whose line endings are all `\\n`; reports and fixes need positions in the
decoded source, where a CRLF line ending is two code points. `Document` keeps both and
translates between them, and re-encodes the source exactly as it came (encoding, BOM).
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass, field
from pathlib import Path

BINARY_SNIFF_BYTES = 8192
# Formats met beside .docx that are not read: never guessed at, always said.
UNSUPPORTED_SUFFIXES = {
    ".doc": "旧版 Word 二进制格式（.doc）无法检查：请在 Word 或 WPS 中另存为 .docx 后再检查",
    ".wps": "WPS 二进制格式（.wps）无法检查：请另存为 .docx 后再检查",
}


class DocumentError(Exception):
    """A file that cannot be read as text; the message is one line for the user."""


class BinaryFileError(DocumentError):
    """The file looks binary (NUL bytes, …): skipped with a warning in a directory walk."""


@dataclass
class Encoding:
    """How the source bytes were encoded, so that a fixed text is written back the same way."""

    name: str  # codec name: "utf-8", "gb18030", "utf-16-le" …
    bom: bytes = b""

    @property
    def label(self) -> str:
        return self.name + ("+BOM" if self.bom else "")


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, where: str, fallback: str = "gb18030") -> tuple[str, Encoding]:
    """Decode `data`: a BOM decides; else UTF-8; else the fallback (GB18030 covers GBK/GB2312).

    Raises BinaryFileError for data with NUL bytes and DocumentError when nothing decodes it,
    so that a binary or corrupt file never reaches the rules as garbage.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), Encoding(name, bom)
            except UnicodeDecodeError as exc:
                raise DocumentError(f"{where}: 无法按 {name} 解码（第 {exc.start} 字节）") from None
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise BinaryFileError(f"{where}: 二进制文件，已跳过")
    try:
        return data.decode("utf-8"), Encoding("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if fallback:
        try:
            text = data.decode(fallback)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and text.encode(fallback) == data and _looks_like_text(text):
            return text, Encoding(fallback)
    raise DocumentError(
        f"{where}: 不是 UTF-8 文本（第 {utf8_error.start} 字节无法解码），也不是 {fallback or '其他'} 编码"
    )


def _looks_like_text(text: str) -> bool:
    """Reject byte soup that a permissive codec happened to accept."""
    if not text:
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(text) < 0.01


@dataclass
class Document:
    """One document: its source text, the normalised text rules see, and position maps."""

    path: str
    source: str  # decoded text exactly as in the file (CRLF kept)
    encoding: Encoding = field(default_factory=lambda: Encoding("utf-8"))
    raw: bytes | None = None

    def __post_init__(self) -> None:
        self.text, self._removed_cr = normalise_newlines(self.source)
        self._line_starts: list[int] | None = None

    # --- construction ----------------------------------------------------------------
    @classmethod
    def from_path(cls, path: Path, display: str | None = None, fallback: str = "gb18030") -> Document:
        where = display or str(path)
        suffix = path.suffix.lower()
        if suffix == ".docx":
            from speechlint.documents.word import WordDocument

            return WordDocument.from_file(path, where)
        if suffix in UNSUPPORTED_SUFFIXES:
            raise DocumentError(f"{where}: {UNSUPPORTED_SUFFIXES[suffix]}")
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DocumentError(f"{where}: 文件不存在") from None
        except IsADirectoryError:
            raise DocumentError(f"{where}: 是目录，不是文件") from None
        except OSError as exc:
            raise DocumentError(f"{where}: 无法读取（{exc.strerror}）") from None
        text, encoding = decode_bytes(raw, where, fallback)
        return cls(where, text, encoding, raw)

    @classmethod
    def from_bytes(cls, raw: bytes, display: str, fallback: str = "gb18030") -> Document:
        text, encoding = decode_bytes(raw, display, fallback)
        return cls(display, text, encoding, raw)

    def encode(self, source: str) -> bytes:
        """`source` in this document's encoding, BOM included."""
        return self.encoding.bom + source.encode(self.encoding.name)

    def with_source(self, source: str) -> Document:
        """The same document with another source text (a fix applied); not read from bytes."""
        return Document(self.path, source, self.encoding)

    def with_edits(self, edits: list[tuple[int, int, str]]) -> tuple[Document, int, list[str]]:
        """The document with `edits` (source offsets, back to front, overlaps left for the next
        round) applied: the new document, how many were applied, and notes on any skipped."""
        from speechlint.documents.edits import apply_edits

        source, count = apply_edits(self.source, edits)
        return (self if source == self.source else self.with_source(source)), count, []

    def to_bytes(self) -> bytes:
        """What writing the document gives: the source in its encoding, BOM included."""
        return self.encode(self.source)

    @property
    def round_trips(self) -> bool:
        """Would writing the source back give exactly the bytes that were read?"""
        return self.raw is None or self.encode(self.source) == self.raw

    def line_kinds(self) -> tuple[str, ...] | None:
        """What each line is in its format (a Word paragraph's 正文, 页眉, 水印 …); None for plain text."""
        return None

    def part_label(self, line: int) -> str:
        """Where a line lies beyond its number (a Word document's part); plain text has none."""
        return ""

    @property
    def newline(self) -> str:
        """The document's dominant line ending, for text a fix inserts."""
        crlf = self.source.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.source.count("\n") else "\n"

    # --- positions -------------------------------------------------------------------
    @property
    def keeps_offsets(self) -> bool:
        """Is every `text` offset the same in `source` (no CR was dropped)?"""
        return not self._removed_cr

    def to_source_offset(self, offset: int) -> int:
        """Offset in `text` → offset in `source` (each removed `\\r` before it adds one)."""
        return offset + bisect.bisect_right(self._removed_cr, offset)

    def to_source_end(self, end: int) -> int:
        """Exclusive end: a span ending just before a `\\n` stays before its `\\r` too."""
        return end + bisect.bisect_left(self._removed_cr, end)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a `text` offset (columns count code points)."""
        starts = self.line_starts
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[begin:end]


def normalise_newlines(source: str) -> tuple[str, list[int]]:
    """Replace CRLF and lone CR by LF; return the text and where each dropped CR was.

    The positions are offsets in the *normalised* text of the `\\n` that followed each
    dropped `\\r`, which is what `to_source_offset` needs.
    """
    if "\r" not in source:
        return source, []
    removed: list[int] = []
    parts: list[str] = []
    shift = 0
    start = 0
    index = source.find("\r")
    while index != -1:
        if index + 1 < len(source) and source[index + 1] == "\n":
            parts.append(source[start:index])
            removed.append(index - shift)
            shift += 1
            start = index + 1
        else:  # a lone CR (old Mac line ending) becomes LF in place: offsets unchanged
            parts.append(source[start:index])
            parts.append("\n")
            start = index + 1
        index = source.find("\r", index + 1)
    parts.append(source[start:])
    return "".join(parts), removed
