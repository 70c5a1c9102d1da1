"""A Word (.docx) file as a document of the pipeline: every paragraph a line, fixes written into the file.

The rules see the text of every part (body, tables, text boxes, headers, footers, notes, comments,
watermarks), a paragraph per line, with tracked changes accepted. A finding's line is a paragraph;
`part_label` says where Word shows it. Fixes go back into the XML runs through the `docx` package,
which changes only the bytes the fixes touch; an edit it cannot apply whole is skipped with a note.
"""

from __future__ import annotations

from pathlib import Path

from speechlint.documents.docx import DocxError, DocxPackage, paragraph_diff, read_docx
from speechlint.documents.edits import Edit
from speechlint.documents.text import Document, DocumentError, Encoding

WORD = Encoding("docx")  # the pseudo-encoding of a Word document's text


class WordDocument(Document):
    """A .docx: `source` and `text` are its paragraphs joined by line breaks."""

    package: DocxPackage

    @classmethod
    def from_file(cls, path: Path, where: str) -> WordDocument:
        if not path.is_file():
            raise DocumentError(f"{where}: {'是目录，不是文件' if path.is_dir() else '文件不存在'}")
        try:
            package = read_docx(path, where)
        except DocxError as exc:
            raise DocumentError(str(exc)) from None
        return cls.of(package, path.read_bytes())

    @classmethod
    def of(cls, package: DocxPackage, data: bytes) -> WordDocument:
        doc = cls(package.where, package.text, WORD, data)
        doc.package = package
        return doc

    @classmethod
    def from_data(cls, data: bytes, where: str) -> WordDocument:
        try:
            return cls.of(DocxPackage.read(data, where), data)
        except DocxError as exc:
            raise DocumentError(str(exc)) from None

    # --- writing ------------------------------------------------------------------------
    @property
    def round_trips(self) -> bool:
        return True  # untouched parts are copied byte for byte; nothing is re-encoded

    def with_edits(self, edits: list[Edit]) -> tuple[Document, int, list[str]]:
        """Edits (text offsets) written into the runs; those the format cannot take are noted."""
        ordered = _non_overlapping(edits)
        data, notes = self.package.with_edits(ordered)
        applied = len(ordered) - len(notes)
        if data == self.raw:
            return self, 0, [f"{self.path}: {note}" for note in notes]
        return WordDocument.from_data(data, self.path), applied, [f"{self.path}: {note}" for note in notes]

    def to_bytes(self) -> bytes:
        assert self.raw is not None
        return self.raw

    def paragraph_diff(self, after: Document) -> str:
        """`--diff` for Word: the changed paragraphs as text, labelled with their place."""
        return paragraph_diff(self.package, after.text, self.path)

    # --- places -------------------------------------------------------------------------
    def part_label(self, line: int) -> str:
        if not 0 < line <= len(self.package.paragraphs):
            return ""
        paragraph = self.package.paragraphs[line - 1]
        return paragraph.place + ("（含修订：按接受修订后的文字检查）" if paragraph.tracked else "")

    def line_kinds(self) -> tuple[str, ...]:
        return tuple(paragraph.kind for paragraph in self.package.paragraphs)

    @property
    def newline(self) -> str:
        return "\n"


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    """The edits in order, an edit overlapping an earlier one left for the next round."""
    kept: list[Edit] = []
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, replacement))
    return kept
