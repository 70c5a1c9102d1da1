"""The in-memory model of one XML part: paragraphs, the text pieces in them and where their bytes lie.

Only what reading and editing need is kept: no tree of every element. Offsets are byte
offsets into the part's (UTF-8) bytes; `end` offsets are exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from speechlint.documents.kinds import WATERMARK  # noqa: F401  (re-exported: the kind of a watermark's paragraph)

TEXT = "t"  # a w:t element's text: editable in place
TEXTPATH = "textpath"  # a v:textpath string attribute (WordArt / watermark): editable in place
TAB = "tab"  # w:tab / w:ptab, read as "\t": kept, never edited inside a paragraph
BREAK = "br"  # w:br / w:cr / w:noBreakHyphen, read as one character: kept, never edited inside a paragraph

XML_WHITESPACE = " \t\r\n"


@dataclass(eq=False)
class Run:
    """A w:r element; `children` counts its children other than w:rPr."""

    start: int
    depth: int
    end: int = 0
    children: int = 0

    @property
    def bare(self) -> bool:
        """Holds nothing but its properties and one other element: removable with that element."""
        return self.children == 1


@dataclass(eq=False)
class Item:
    """One piece of a paragraph's text and the bytes it comes from."""

    kind: str
    text: str
    run: Run | None
    start: int  # the element (w:t, w:tab …; for TEXTPATH the v:textpath element)
    end: int
    content_start: int  # w:t: between its tags; TEXTPATH: the attribute value
    content_end: int
    tag_end: int  # end of the start tag (w:t: where xml:space can be added)
    preserve: bool = False  # w:t has xml:space="preserve"
    editable: bool = True  # False for text inside a run-level mc:Choice (its Fallback copy would go stale)
    offset: int = 0  # where `text` starts in the paragraph's text


@dataclass(eq=False)
class Carrier:
    """A drawing in a paragraph (w:pict, w:drawing, w:object, mc:AlternateContent): holds text boxes and watermarks."""

    start: int
    depth: int
    run: Run | None  # the run it is a direct child of, if any
    end: int = 0
    watermark: bool = False  # its shape is named or shaped like a watermark


@dataclass(eq=False)
class Container:
    """Where paragraphs live: the part itself, a note or comment, a table cell, a text box."""

    kind: str  # ROOT, CELL, TEXTBOX
    prefix: str  # label prefix: "", "页眉（第1节）", "表格1 第2行第3列", "文本框1" …
    carrier: Carrier | None = None  # TEXTBOX: the drawing that holds it
    paragraphs: list[Para] = field(default_factory=list)
    blocks: list[Para | None] = field(default_factory=list)  # its paragraphs and tables (None) in order
    tables: int = 0
    hidden: bool = False  # footnote separators: not text anyone reads
    shadow: bool = False  # inside an mc:Fallback: a copy, not counted in labels


ROOT, CELL, TEXTBOX = "root", "cell", "textbox"


@dataclass(eq=False)
class Para:
    """A w:p element (or a v:textpath watermark) and what is known about it."""

    part: str
    kind: str
    container: Container
    start: int
    shadow: bool  # inside an mc:Fallback (or a second mc:Choice): a copy, not in reading order
    choice_depth: int
    alternate_depth: int = 0  # open mc:AlternateContent elements when it started: copies pair up at one depth
    anchor: Para | None = None  # the paragraph whose drawing holds this one (text boxes, watermarks)
    carrier: Carrier | None = None  # that drawing
    end: int = 0
    number: int = 0  # 1-based, within its container
    items: list[Item] = field(default_factory=list)
    nested: list[Para] = field(default_factory=list)  # text-box and watermark paragraphs it anchors
    tracked: bool = False
    textpath: bool = False
    section_break: bool = False  # w:pPr/w:sectPr: removing the paragraph would merge two sections
    field_balance: int = 0  # fldChar begin − end: a field spanning paragraphs must not lose an end
    references: bool = False  # holds a footnote, endnote or comment reference
    open_carrier: Carrier | None = None  # while reading: the drawing being read
    twin: Para | None = None  # the mc:Fallback copy of this text-box paragraph
    label: str = ""
    text: str = ""

    def finish(self) -> None:
        """Set item offsets and the paragraph text once all items are known."""
        offset = 0
        for item in self.items:
            item.offset = offset
            offset += len(item.text)
        self.text = "".join(item.text for item in self.items)


@dataclass(eq=False)
class Section:
    """A w:sectPr of the main document: its header and footer references, (kind, type, relationship id)."""

    references: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(eq=False)
class PartModel:
    """One XML part as read: its bytes, its paragraphs in reading order, and its sections (main part)."""

    name: str
    data: bytes
    editable: bool  # False when the bytes were transcoded from UTF-16 or a legacy encoding
    paragraphs: list[Para] = field(default_factory=list)
    shadows: list[Para] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
