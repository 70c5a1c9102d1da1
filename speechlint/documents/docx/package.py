"""A .docx as the rules see it: every paragraph a writer can read, in reading order, one per line.

Reading order: the body (tables in place, a text box's paragraphs right after the paragraph
that anchors it), then the headers and footers of each section (first page, even pages,
default), then footnotes, endnotes and comments. Parts are found through the package's
relationships, as Word finds them, not by guessing file names.
"""

from __future__ import annotations

import bisect
import gc
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote

from speechlint.documents.docx import xmlscan
from speechlint.documents.docx.container import Container
from speechlint.documents.docx.limits import DocxError, DocxLimits
from speechlint.documents.docx.model import Para, PartModel
from speechlint.documents.docx.partreader import read_part
from speechlint.documents.docx.sniff import sniff_unsupported

DEFAULT_MAIN = "word/document.xml"
_OFFICE_DOCUMENT = "officeDocument"
_NOTE_PARTS = (("footnotes", "脚注"), ("endnotes", "尾注"), ("comments", "批注"))
_REFERENCE_ORDER = {"first": 0, "even": 1, "default": 2}
_REFERENCE_NAMES = {"first": "首页", "even": "偶数页", "default": ""}


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as a writer sees it, and where to find it in Word."""

    part: str  # zip member: "word/document.xml", "word/header1.xml" …
    kind: str  # 正文, 表格, 页眉, 页脚, 脚注, 尾注, 批注, 文本框, 水印
    label: str  # "第12段", "表格1 第2行第3列 第1段", "页眉（第1节，首页）", "脚注3" …
    text: str  # with tracked changes accepted
    tracked: bool  # holds tracked changes: it was checked as if they were accepted

    @property
    def place(self) -> str:
        """Kind and label for a reader: "正文 第12段", "页眉（第1节） 第2段", "表格1 第2行第3列 第1段"."""
        return self.label if self.kind in self.label or self.kind == "表格" else f"{self.kind} {self.label}"


@dataclass(frozen=True)
class _Relationship:
    """A part the main document links to (header, footnotes …)."""

    type: str  # last segment of the relationship type URI: "header", "footnotes" …
    target: str  # zip member name


class DocxPackage:
    """A read .docx: its paragraphs and text, and (see `with_edits`) the fixed file."""

    def __init__(self, where: str, container: Container, parts: dict[str, PartModel], paras: list[Para]) -> None:
        self.where = where
        self.container = container
        self.parts = parts
        self.paras = paras
        self.paragraphs = [Paragraph(p.part, p.kind, p.label, p.text, p.tracked) for p in paras]
        self.text = "\n".join(p.text for p in paras)
        starts = []
        offset = 0
        for para in paras:
            starts.append(offset)
            offset += len(para.text) + 1
        self.starts = starts

    # --- reading ------------------------------------------------------------------------
    @classmethod
    def read(cls, data: bytes, where: str, limits: DocxLimits | None = None) -> DocxPackage:
        """Parse a .docx held in memory; every problem is one DocxError line naming `where`."""
        limits = limits or DocxLimits()
        if len(data) > limits.max_file_bytes:
            raise DocxError(f"{where}: 文件 {len(data)} 字节，超过 {limits.max_file_bytes} 字节的上限，已拒绝")
        hint = sniff_unsupported(data)
        if hint is not None:
            raise DocxError(f"{where}: {hint}")
        if not data.startswith(b"PK"):
            raise DocxError(f"{where}: 不是 Word 文档（.docx 文件应是 zip 压缩包）")
        container = Container(data, where, limits)
        with _collector_paused():
            return _Reader(where, container).read()

    # --- positions ----------------------------------------------------------------------
    def paragraph_at(self, offset: int) -> tuple[int, int]:
        """(paragraph index, character in it) of an offset in `text`; a newline belongs to the paragraph before it."""
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} outside the text (0..{len(self.text)})")
        index = bisect.bisect_right(self.starts, offset) - 1
        return index, offset - self.starts[index]

    def paragraph_start(self, index: int) -> int:
        """Offset in `text` of paragraph `index`'s first character."""
        return self.starts[index]

    # --- writing ------------------------------------------------------------------------
    def with_edits(self, edits: list[tuple[int, int, str]]) -> tuple[bytes, list[str]]:
        """The .docx with `edits` applied, and a note for each edit that was skipped.

        Edits are (start, end, replacement) in `text` offsets and must not overlap. An edit is
        applied whole or not at all; untouched members and untouched runs keep their bytes.
        """
        from speechlint.documents.docx.editor import apply_edits

        return apply_edits(self, edits)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading creates ~10 objects per paragraph and no garbage: cyclic collection passes over
    them would cost a third of the reading time for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Reader:
    """Finds the parts of a package through its relationships and reads them in order."""

    def __init__(self, where: str, container: Container) -> None:
        self.where = where
        self.container = container
        self.names = {name.lower(): name for name in container.by_name}

    def member(self, name: str) -> str | None:
        """The zip member for a part name (OPC part names are case-insensitive)."""
        return self.names.get(name.lower())

    def read(self) -> DocxPackage:
        main = self._main_part()
        relationships = self._relationships(main)
        parts: dict[str, PartModel] = {}
        document = read_part(main, self.container.read(main), "正文", "", self.where)
        parts[main] = document
        paras = list(document.paragraphs)
        for name, kind, prefix in self._header_footer_parts(document, relationships):
            model = read_part(name, self.container.read(name), kind, prefix, self.where)
            parts[name] = model
            paras += model.paragraphs
        for rel_type, kind in _NOTE_PARTS:
            for rel in relationships.values():
                member = self.member(rel.target)
                if rel.type == rel_type and member is not None and member not in parts:
                    model = read_part(member, self.container.read(member), kind, "", self.where)
                    parts[member] = model
                    paras += model.paragraphs
        return DocxPackage(self.where, self.container, parts, paras)

    def _main_part(self) -> str:
        for rel in self._relationships("").values():
            name = self.member(rel.target)
            if rel.type == _OFFICE_DOCUMENT and name is not None:
                return name
        name = self.member(DEFAULT_MAIN)
        if name is None:
            raise DocxError(f"{self.where}: 不是 Word 文档（缺少 {DEFAULT_MAIN}）")
        return name

    def _relationships(self, source: str) -> dict[str, _Relationship]:
        """The relationships of part `source` ("" for the package), by id; external targets left out."""
        folder, base = posixpath.split(source)
        rels_name = self.member(posixpath.join(folder, "_rels", base + ".rels"))
        if rels_name is None:
            return {}
        found: dict[str, _Relationship] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if not name.endswith("}Relationship") or attrs.get("TargetMode") == "External":
                return
            target = unquote(attrs.get("Target", ""))
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = _Relationship(attrs.get("Type", "").rsplit("/", 1)[-1], target)

        parser = xmlscan.make_parser(start, lambda name: None, lambda text: None)
        xmlscan.run(parser, self.container.read(rels_name), self.where, rels_name)
        return found

    def _header_footer_parts(
        self, document: PartModel, relationships: dict[str, _Relationship]
    ) -> list[tuple[str, str, str]]:
        """(member, kind, label prefix) of each header and footer, in section order, each once."""
        uses: dict[str, list[str]] = {}
        kinds: dict[str, str] = {}
        for number, section in enumerate(document.sections, 1):
            ordered = sorted(section.references, key=lambda ref: (ref[0] != "header", _REFERENCE_ORDER.get(ref[1], 3)))
            for kind, ref_type, rid in ordered:
                rel = relationships.get(rid)
                name = self.member(rel.target) if rel is not None else None
                if name is None or rel is None or rel.type != kind:
                    continue
                where = f"第{number}节" + ("，" + _REFERENCE_NAMES[ref_type] if _REFERENCE_NAMES.get(ref_type) else "")
                uses.setdefault(name, []).append(where)
                kinds[name] = "页眉" if kind == "header" else "页脚"
        return [(name, kinds[name], f"{kinds[name]}（{'；'.join(places)}）") for name, places in uses.items()]
