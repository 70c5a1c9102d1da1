"""Reading the text of a Word (.docx) document, for checking only.

Most 讲话稿 are written in Word. A .docx file is a zip of XML; its body text is the `w:t`
runs of the `w:p` paragraphs of `word/document.xml`, tables included, in document order.
Each paragraph becomes one line, so a finding's line number is its paragraph number.
speechlint reports on .docx files but does not rewrite them: a fix would have to respect
runs, styles and revision marks, which plain-text tools must not guess at.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 200_000_000  # a document.xml larger than this is not a speech


class DocxError(Exception):
    """The file is not a readable .docx; the message is one line for the user."""


def read_docx_text(path: Path, where: str) -> str:
    """The paragraphs of the document body, one per line."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise DocxError(f"{where}: Word 文档正文过大（{info.file_size} 字节）")
            data = archive.read(info)
    except KeyError:
        raise DocxError(f"{where}: 不是 Word 文档（缺少 word/document.xml）") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocxError(f"{where}: 无法读取 Word 文档（{exc}）") from None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise DocxError(f"{where}: Word 文档正文不是有效的 XML（{exc}）") from None
    return "\n".join(_paragraph_text(p) for p in root.iter(f"{_W}p"))


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    """The paragraph's own text; a paragraph nested in it (a text box) is a line of its own."""
    parts: list[str] = []
    stack = list(reversed(list(paragraph)))
    while stack:
        node = stack.pop()
        if node.tag == f"{_W}p":
            continue
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append(" ")  # a manual line break inside a paragraph: keep one line per paragraph
        stack.extend(reversed(list(node)))
    return "".join(parts)
