"""Reading one WordprocessingML part (document, header, footer, notes, comments) into a PartModel.

One expat pass. Text is what Word shows with tracked changes accepted: w:t in runs, but
not inside w:del or w:moveFrom (deleted text), nor w:rt (ruby annotations), nor field
codes (w:instrText). A text box is read once: the first mc:Choice of an
mc:AlternateContent is read, its mc:Fallback is a copy kept aside ("shadow") so an edit
can be applied to both. A paragraph inside a text box or a watermark becomes a paragraph
of its own, right after the paragraph that anchors it.
"""

from __future__ import annotations

import re

from speechlint.documents.docx import xmlscan
from speechlint.documents.docx.model import (
    BREAK,
    CELL,
    ROOT,
    TAB,
    TEXT,
    TEXTBOX,
    TEXTPATH,
    WATERMARK,
    XML_WHITESPACE,
    Carrier,
    Container,
    Item,
    Para,
    PartModel,
    Run,
    Section,
)

_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_V = "urn:schemas-microsoft-com:vml"
_WP = (
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
)
_R = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_XML_SPACE = "http://www.w3.org/XML/1998/namespace}space"

_W_ELEMENTS = [
    *("p", "r", "t", "tab", "ptab", "br", "cr", "noBreakHyphen", "rPr", "del", "ins", "moveFrom", "moveTo", "rt"),
    *("body", "hdr", "ftr", "footnote", "endnote", "comment", "tbl", "tr", "tc", "txbxContent"),
    *("pict", "drawing", "object", "sectPr", "headerReference", "footerReference", "fldChar"),
    *("footnoteReference", "endnoteReference", "commentReference"),
]
CODES: dict[str, str] = {f"{ns}}}{local}": local for ns in _W for local in _W_ELEMENTS}
CODES.update({f"{_MC}}}{local}": local for local in ("AlternateContent", "Choice", "Fallback")})
CODES.update({f"{_V}}}{local}": "v:" + local for local in ("shape", "rect", "roundrect", "oval", "group")})
CODES.update({f"{_V}}}shapetype": "shapetype", f"{_V}}}textpath": "textpath"})
CODES.update({f"{ns}}}docPr": "docPr" for ns in _WP})
_W_ATTR = {local: tuple(f"{ns}}}{local}" for ns in _W) for local in ("type", "fldCharType")}
_R_ID = tuple(f"{ns}}}id" for ns in _R)
_CARRIERS = frozenset(("pict", "drawing", "object", "AlternateContent"))
_INLINE_CHARS = {"tab": (TAB, "\t"), "ptab": (TAB, "\t"), "br": (BREAK, " "), "cr": (BREAK, " ")}
_INLINE_CHARS["noBreakHyphen"] = (BREAK, "-")
_TRACKED = frozenset(("ins", "del", "moveFrom", "moveTo"))
_DELETED = frozenset(("del", "moveFrom"))
_NOTE_SKIPPED = frozenset(("separator", "continuationSeparator", "continuationNotice"))
_WATERMARK_NAME = re.compile(r"watermark|水印", re.IGNORECASE)


def _attr(attrs: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        if name in attrs:
            return attrs[name]
    return None


class _Branch:
    """An open mc:Choice or mc:Fallback: whether it is read, and where its paragraphs begin."""

    __slots__ = ("paragraphs", "shadow", "shadows")

    def __init__(self, shadow: bool, paragraphs: int, shadows: int) -> None:
        self.shadow = shadow
        self.paragraphs = paragraphs
        self.shadows = shadows


class _Alternate:
    """An open mc:AlternateContent: the paragraphs its read Choice and its Fallback produced."""

    __slots__ = ("choice", "chosen", "fallback")

    def __init__(self) -> None:
        self.chosen = False
        self.choice: list[Para] = []
        self.fallback: list[Para] = []


class PartReader:
    """Expat callbacks that build a PartModel; `read_part` is the entry point."""

    def __init__(self, model: PartModel, kind: str, prefix: str) -> None:
        self.model = model
        self.data = model.data
        self.kind = kind  # 正文, 页眉, 页脚, 脚注, 尾注, 批注
        self.parser = xmlscan.make_parser(self.start, self.end, self.characters)
        self.depth = 0
        self.containers = [Container(ROOT, prefix)]
        self.tables: list[list[int]] = []  # open tables: [row, column] of the cell being read
        self.table_labels: list[str] = []
        self.paras: list[Para] = []  # open paragraphs, innermost last
        self.runs: list[Run] = []
        self.deleted = 0  # open w:del / w:moveFrom
        self.ruby = 0  # open w:rt
        self.shapetype = 0  # open v:shapetype: its textpath is a template, not text
        self.shadow = 0  # open unread mc branches
        self.choice = 0  # open read mc:Choice branches
        self.branches: list[_Branch] = []
        self.alternates: list[_Alternate] = []
        self.chunks: list[str] | None = None  # text of the w:t being read
        self.text_start = 0
        self.text_tag_end = 0
        self.text_preserve = False
        self.section_depth = 0
        self.textboxes = 0
        self.watermarks = 0
        self.notes = 0
        self.open_starts: list[tuple[int, bool]] = []  # (start offset, empty tag) of open p / r / carrier

    # --- callbacks ------------------------------------------------------------------------
    def characters(self, text: str) -> None:
        if self.chunks is not None:
            self.chunks.append(text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        code = CODES.get(name)
        runs = self.runs
        if runs and self.depth == runs[-1].depth + 1 and code != "rPr":
            runs[-1].children += 1
        if code is None:
            return
        handler = _STARTS.get(code)
        if handler is not None:
            handler(self, code, attrs)

    def end(self, name: str) -> None:
        code = CODES.get(name)
        if code is not None:
            handler = _ENDS.get(code)
            if handler is not None:
                handler(self, code)
        self.depth -= 1

    # --- positions ------------------------------------------------------------------------
    def _open(self) -> tuple[int, int, bool]:
        """Start offset, start-tag end and emptiness of the element whose start event this is."""
        start = self.parser.CurrentByteIndex
        tag_end, empty = xmlscan.tag_end(self.data, start)
        return start, tag_end, empty

    def _close(self, start_tag_end: int, empty: bool) -> int:
        """End offset of the element whose end event this is."""
        if empty:
            return start_tag_end
        return xmlscan.element_end(self.data, self.parser.CurrentByteIndex)

    # --- paragraphs -----------------------------------------------------------------------
    def _start_p(self, _: str, attrs: dict[str, str]) -> None:
        start, tag_end, empty = self._open()
        container = self.containers[-1]
        anchor = self.paras[-1] if self.paras else None
        para = Para(self.model.name, self._kind(container), container, start, bool(self.shadow), self.choice)
        para.alternate_depth = len(self.alternates)
        para.anchor = anchor
        textbox = self._textbox()
        if textbox is not None:
            para.carrier = textbox.carrier
        self._add(para, container, anchor)
        self.paras.append(para)
        self.open_starts.append((tag_end, empty))

    def _end_p(self, _: str) -> None:
        para = self.paras.pop()
        tag_end, empty = self.open_starts.pop()
        para.end = self._close(tag_end, empty)
        para.open_carrier = None

    def _add(self, para: Para, container: Container, anchor: Para | None) -> None:
        if not container.hidden and para.shadow == container.shadow:
            container.paragraphs.append(para)
            container.blocks.append(para)
            para.number = len(container.paragraphs)
        if para.shadow:
            self.model.shadows.append(para)
        elif not container.hidden:
            self.model.paragraphs.append(para)
            if anchor is not None:
                anchor.nested.append(para)

    def _textbox(self) -> Container | None:
        """The text box being read (a table inside it included), if any."""
        for container in reversed(self.containers):
            if container.kind == TEXTBOX:
                return container
            if container.kind == ROOT:
                break
        return None

    def _kind(self, container: Container) -> str:
        textbox = self._textbox()
        if textbox is not None:
            return WATERMARK if textbox.carrier is not None and textbox.carrier.watermark else "文本框"
        if self.tables and self.kind == "正文":
            return "表格"
        return self.kind

    # --- runs and text --------------------------------------------------------------------
    def _start_r(self, _: str, attrs: dict[str, str]) -> None:
        start, tag_end, empty = self._open()
        self.runs.append(Run(start, self.depth))
        self.open_starts.append((tag_end, empty))

    def _end_r(self, _: str) -> None:
        run = self.runs.pop()
        tag_end, empty = self.open_starts.pop()
        run.end = self._close(tag_end, empty)

    def _readable(self) -> Para | None:
        """The paragraph a run's child at this point belongs to, if its text counts."""
        if not self.paras or not self.runs or self.depth != self.runs[-1].depth + 1:
            return None
        para = self.paras[-1]
        if self.deleted or self.ruby or (self.shadow and not para.shadow):
            return None
        return para

    def _start_t(self, _: str, attrs: dict[str, str]) -> None:
        if self._readable() is None:
            return
        start, tag_end, empty = self._open()
        self.text_start, self.text_tag_end = start, tag_end
        self.text_preserve = attrs.get(_XML_SPACE) == "preserve"
        self.chunks = []
        if empty:
            self._add_text(tag_end, tag_end)
            self.chunks = None

    def _end_t(self, _: str) -> None:
        if self.chunks is None:
            return
        content_end = self.parser.CurrentByteIndex
        self._add_text(content_end, xmlscan.element_end(self.data, content_end))
        self.chunks = None

    def _add_text(self, content_end: int, end: int) -> None:
        para = self.paras[-1]
        text = "".join(self.chunks or ())
        if not self.text_preserve:
            text = text.strip(XML_WHITESPACE)  # as Word shows it
        text = text.replace("\r", " ").replace("\n", " ")
        item = Item(TEXT, text, self.runs[-1], self.text_start, end, self.text_tag_end, content_end, self.text_tag_end)
        item.preserve = self.text_preserve
        item.editable = self.choice == para.choice_depth
        para.items.append(item)

    def _start_char(self, code: str, attrs: dict[str, str]) -> None:
        para = self._readable()
        if para is None:
            return
        kind, text = _INLINE_CHARS[code]
        if code == "br" and _attr(attrs, _W_ATTR["type"]) in ("page", "column"):
            text = ""  # a page or column break is layout, not a character of the sentence
        start, tag_end, empty = self._open()
        end = tag_end if empty else self.data.index(b">", self.data.index(b"</", tag_end)) + 1
        para.items.append(Item(kind, text, self.runs[-1], start, end, tag_end, tag_end, tag_end, editable=False))

    # --- tracked changes, ruby, fields, references ---------------------------------------
    def _start_tracked(self, code: str, attrs: dict[str, str]) -> None:
        if self.paras:
            self.paras[-1].tracked = True
        if code in _DELETED:
            self.deleted += 1

    def _end_tracked(self, code: str) -> None:
        if code in _DELETED:
            self.deleted -= 1

    def _start_rt(self, code: str, attrs: dict[str, str]) -> None:
        self.ruby += 1

    def _end_rt(self, code: str) -> None:
        self.ruby -= 1

    def _start_fldchar(self, code: str, attrs: dict[str, str]) -> None:
        if self.paras and not self.deleted:
            kind = _attr(attrs, _W_ATTR["fldCharType"])
            self.paras[-1].field_balance += {"begin": 1, "end": -1}.get(kind or "", 0)

    def _start_reference(self, code: str, attrs: dict[str, str]) -> None:
        if self.paras:
            self.paras[-1].references = True

    # --- containers: notes, comments, tables, text boxes ----------------------------------
    def _start_note(self, code: str, attrs: dict[str, str]) -> None:
        note_type = _attr(attrs, _W_ATTR["type"])
        hidden = code != "comment" and note_type in _NOTE_SKIPPED
        if not hidden:
            self.notes += 1
        label = {"footnote": "脚注", "endnote": "尾注", "comment": "批注"}[code]
        container = Container(ROOT, f"{label}{self.notes}")
        container.hidden = hidden
        self.containers.append(container)

    def _end_container(self, code: str) -> None:
        self.containers.pop()

    def _start_tbl(self, code: str, attrs: dict[str, str]) -> None:
        container = self.containers[-1]
        if bool(self.shadow) == container.shadow:  # a table in a block-level mc:Fallback is a copy
            container.tables += 1
            container.blocks.append(None)
        self.tables.append([0, 0])
        self.table_labels.append(_join(container.prefix, f"表格{container.tables}"))

    def _end_tbl(self, code: str) -> None:
        self.tables.pop()
        self.table_labels.pop()

    def _start_tr(self, code: str, attrs: dict[str, str]) -> None:
        if self.tables:
            self.tables[-1][0] += 1
            self.tables[-1][1] = 0

    def _start_tc(self, code: str, attrs: dict[str, str]) -> None:
        if not self.tables:
            self.containers.append(Container(CELL, self.containers[-1].prefix, shadow=bool(self.shadow)))
            return
        row = self.tables[-1]
        row[1] += 1
        self.containers.append(
            Container(CELL, f"{self.table_labels[-1]} 第{row[0]}行第{row[1]}列", shadow=bool(self.shadow))
        )

    def _start_textbox(self, code: str, attrs: dict[str, str]) -> None:
        carrier = self.paras[-1].open_carrier if self.paras else None
        if not self.shadow:
            self.textboxes += 1
        number = self.textboxes if not self.shadow else 0
        prefix = _join(self._outer_prefix(), f"文本框{number}")
        self.containers.append(Container(TEXTBOX, prefix, carrier, shadow=bool(self.shadow)))

    def _outer_prefix(self) -> str:
        """The label of the part, note or comment being read: "页眉（第1节）", "脚注2", ""."""
        return next(c.prefix for c in reversed(self.containers) if c.kind == ROOT)

    # --- drawings: carriers, watermark shapes, WordArt -------------------------------------
    def _start_carrier(self, code: str, attrs: dict[str, str]) -> None:
        if not self.paras or self.paras[-1].open_carrier is not None:
            return
        para = self.paras[-1]
        run = self.runs[-1] if self.runs and self.depth == self.runs[-1].depth + 1 else None
        start, tag_end, empty = self._open()
        carrier = Carrier(start, self.depth, run)
        carrier.end = tag_end if empty else 0
        para.open_carrier = carrier

    def _end_carrier(self, code: str) -> None:
        carrier = self.paras[-1].open_carrier if self.paras else None
        if carrier is None or carrier.depth != self.depth:
            return
        if not carrier.end:
            carrier.end = xmlscan.element_end(self.data, self.parser.CurrentByteIndex)
        self.paras[-1].open_carrier = None

    def _start_shape(self, code: str, attrs: dict[str, str]) -> None:
        if code == "shapetype":
            self.shapetype += 1
            return
        name = attrs.get("id", "") + " " + attrs.get("name", "") + " " + attrs.get("descr", "")
        carrier = self.paras[-1].open_carrier if self.paras else None
        if carrier is not None and _WATERMARK_NAME.search(name):
            carrier.watermark = True

    def _end_shapetype(self, code: str) -> None:
        self.shapetype -= 1

    def _start_textpath(self, code: str, attrs: dict[str, str]) -> None:
        text = attrs.get("string")
        if text is None or self.shapetype or not self.paras or self.deleted:
            return
        anchor = self.paras[-1]
        start, tag_end, empty = self._open()
        span = xmlscan.attribute_span(self.data, start, tag_end, b"string")
        if span is None:
            return
        end = tag_end if empty else xmlscan.element_end(self.data, self.data.index(b"</", tag_end))
        container = self.containers[-1]
        para = Para(self.model.name, WATERMARK, container, start, bool(self.shadow), self.choice)
        para.alternate_depth = len(self.alternates)
        para.anchor, para.carrier, para.textpath, para.end = anchor, anchor.open_carrier, True, end
        if anchor.open_carrier is not None:
            anchor.open_carrier.watermark = True
        text = text.replace("\r", " ").replace("\n", " ")
        para.items.append(Item(TEXTPATH, text, None, start, end, span[0], span[1], tag_end, editable=True))
        if not para.shadow:
            self.watermarks += 1
            para.label = _join(self._outer_prefix(), f"水印{self.watermarks}")
            self.model.paragraphs.append(para)
            anchor.nested.append(para)
        else:
            self.model.shadows.append(para)

    # --- markup compatibility -------------------------------------------------------------
    def _start_alternate(self, code: str, attrs: dict[str, str]) -> None:
        self._start_carrier(code, attrs)
        self.alternates.append(_Alternate())

    def _end_alternate(self, code: str) -> None:
        depth = len(self.alternates)
        alternate = self.alternates.pop()
        self._end_carrier(code)
        _pair_twins(alternate, depth)

    def _start_branch(self, code: str, attrs: dict[str, str]) -> None:
        alternate = self.alternates[-1] if self.alternates else None
        read = alternate is not None and not alternate.chosen and not self.shadow
        if read and alternate is not None:
            alternate.chosen = True
        shadow = not read and alternate is not None
        branch = _Branch(shadow, len(self.model.paragraphs), len(self.model.shadows))
        self.branches.append(branch)
        if shadow:
            self.shadow += 1
        elif alternate is not None:
            self.choice += 1

    def _end_branch(self, code: str) -> None:
        branch = self.branches.pop()
        alternate = self.alternates[-1] if self.alternates else None
        if branch.shadow:
            self.shadow -= 1
            if code == "Fallback" and alternate is not None and not self.shadow:
                alternate.fallback = self.model.shadows[branch.shadows :]
        elif alternate is not None:
            self.choice -= 1
            alternate.choice = self.model.paragraphs[branch.paragraphs :]

    # --- sections (main document) ---------------------------------------------------------
    def _start_sectpr(self, code: str, attrs: dict[str, str]) -> None:
        if self.section_depth == 0:
            self.model.sections.append(Section())
            if self.paras:
                self.paras[-1].section_break = True
        self.section_depth += 1

    def _end_sectpr(self, code: str) -> None:
        self.section_depth -= 1

    def _start_hf_reference(self, code: str, attrs: dict[str, str]) -> None:
        if self.section_depth != 1 or not self.model.sections:
            return
        kind = "header" if code == "headerReference" else "footer"
        ref_type = _attr(attrs, _W_ATTR["type"]) or "default"
        rid = _attr(attrs, _R_ID)
        if rid:
            self.model.sections[-1].references.append((kind, ref_type, rid))


def _join(prefix: str, label: str) -> str:
    return f"{prefix} {label}" if prefix else label


def _pair_twins(alternate: _Alternate, depth: int) -> None:
    """Tie each read paragraph (of a text box, usually) to its Fallback copy when both say the same.

    Only paragraphs directly under this mc:AlternateContent pair up: a text box nested in a
    text box pairs within its own (inner) AlternateContent.
    """
    choice = [p for p in alternate.choice if p.alternate_depth == depth]
    fallback = [p for p in alternate.fallback if p.alternate_depth == depth]
    if not choice or len(choice) != len(fallback):
        return
    pairs = list(zip(choice, fallback, strict=True))
    for first, second in pairs:
        first.finish()
        second.finish()
    if all(first.text == second.text for first, second in pairs):
        for first, second in pairs:
            first.twin = second
            if second.textpath and first.kind == "文本框":
                first.kind = WATERMARK  # DrawingML WordArt whose VML copy is a watermark text path


_STARTS = {
    "p": PartReader._start_p,
    "r": PartReader._start_r,
    "t": PartReader._start_t,
    "tab": PartReader._start_char,
    "ptab": PartReader._start_char,
    "br": PartReader._start_char,
    "cr": PartReader._start_char,
    "noBreakHyphen": PartReader._start_char,
    "ins": PartReader._start_tracked,
    "del": PartReader._start_tracked,
    "moveFrom": PartReader._start_tracked,
    "moveTo": PartReader._start_tracked,
    "rt": PartReader._start_rt,
    "fldChar": PartReader._start_fldchar,
    "footnoteReference": PartReader._start_reference,
    "endnoteReference": PartReader._start_reference,
    "commentReference": PartReader._start_reference,
    "footnote": PartReader._start_note,
    "endnote": PartReader._start_note,
    "comment": PartReader._start_note,
    "tbl": PartReader._start_tbl,
    "tr": PartReader._start_tr,
    "tc": PartReader._start_tc,
    "txbxContent": PartReader._start_textbox,
    "pict": PartReader._start_carrier,
    "drawing": PartReader._start_carrier,
    "object": PartReader._start_carrier,
    "AlternateContent": PartReader._start_alternate,
    "Choice": PartReader._start_branch,
    "Fallback": PartReader._start_branch,
    "v:shape": PartReader._start_shape,
    "v:rect": PartReader._start_shape,
    "v:roundrect": PartReader._start_shape,
    "v:oval": PartReader._start_shape,
    "v:group": PartReader._start_shape,
    "shapetype": PartReader._start_shape,
    "docPr": PartReader._start_shape,
    "textpath": PartReader._start_textpath,
    "sectPr": PartReader._start_sectpr,
    "headerReference": PartReader._start_hf_reference,
    "footerReference": PartReader._start_hf_reference,
}
_ENDS = {
    "p": PartReader._end_p,
    "r": PartReader._end_r,
    "t": PartReader._end_t,
    "del": PartReader._end_tracked,
    "moveFrom": PartReader._end_tracked,
    "rt": PartReader._end_rt,
    "footnote": PartReader._end_container,
    "endnote": PartReader._end_container,
    "comment": PartReader._end_container,
    "tc": PartReader._end_container,
    "txbxContent": PartReader._end_container,
    "tbl": PartReader._end_tbl,
    "pict": PartReader._end_carrier,
    "drawing": PartReader._end_carrier,
    "object": PartReader._end_carrier,
    "AlternateContent": PartReader._end_alternate,
    "Choice": PartReader._end_branch,
    "Fallback": PartReader._end_branch,
    "shapetype": PartReader._end_shapetype,
    "sectPr": PartReader._end_sectpr,
}


def read_part(name: str, raw: bytes, kind: str, prefix: str, where: str) -> PartModel:
    """Parse one part; paragraphs get their text and labels, shadows their text."""
    data, editable = xmlscan.utf8_source(raw)
    model = PartModel(name, data, editable)
    reader = PartReader(model, kind, prefix)
    xmlscan.run(reader.parser, data, where, name)
    for para in model.paragraphs:
        para.finish()
        if not para.label:
            para.label = _label(para, kind)
    for para in model.shadows:
        para.finish()
    return model


def _label(para: Para, part_kind: str) -> str:
    """ "第12段", "表格1 第2行第3列 第1段", "页眉（第1节）", "脚注3 第2段" …"""
    container = para.container
    if container.kind != CELL and container.prefix and len(container.paragraphs) == 1:
        return container.prefix
    return _join(container.prefix, f"第{para.number}段")
