"""Word (.docx) documents: every paragraph a writer reads, and fixes written back into the file.

Most 讲话稿 are written in Word, and what document-sharing sites leave behind often sits
outside the body: in headers and footers, text boxes, footnotes and header watermarks.
`DocxPackage.read` gives all of it as one text, a paragraph per line, with each
paragraph's place in Word; `DocxPackage.with_edits` writes fixes back, changing only the
bytes the fixes touch. Standard library only: zip, expat and zlib are all this needs.

Modules: `limits` (bounds and the error type), `container` (the zip), `xmlscan` (safe,
position-aware XML), `model` and `partreader` (one XML part), `package` (the document),
`editor` (writing fixes), `diff` (a readable diff of paragraphs), `sniff` (.doc, .wps).
"""

from __future__ import annotations

from pathlib import Path

from speechlint.documents.docx.diff import paragraph_diff
from speechlint.documents.docx.limits import DocxError, DocxLimits
from speechlint.documents.docx.package import DocxPackage, Paragraph
from speechlint.documents.docx.sniff import sniff_unsupported

__all__ = [
    "DocxError",
    "DocxLimits",
    "DocxPackage",
    "Paragraph",
    "paragraph_diff",
    "read_docx",
    "read_docx_text",
    "sniff_unsupported",
]


def read_docx(path: Path, where: str, limits: DocxLimits | None = None) -> DocxPackage:
    """Read a .docx file, refusing an oversized file before loading it into memory."""
    limits = limits or DocxLimits()
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise DocxError(f"{where}: 文件 {size} 字节，超过 {limits.max_file_bytes} 字节的上限，已拒绝")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocxError(f"{where}: 文件不存在") from None
    except OSError as exc:
        raise DocxError(f"{where}: 无法读取（{exc.strerror}）") from None
    return DocxPackage.read(data, where, limits)


def read_docx_text(path: Path, where: str) -> str:
    """All paragraphs of the document, one per line (the interface the engine uses today)."""
    return read_docx(path, where).text
