"""Writing fixes back into a .docx by splicing bytes: nothing the fixes do not touch changes.

An edit inside one paragraph puts its replacement into the run where it starts (that run
keeps its w:rPr) and removes the rest of the replaced text from the following runs; a run
left with nothing is removed. An edit that removes whole paragraphs (newlines included)
removes their w:p elements, or the drawing that carries a watermark or a whole text box,
but never leaves an invalid document: a table cell keeps its last paragraph, a part keeps
one paragraph, a paragraph holding a section break, a note reference or half a field is
emptied instead of removed. An edit is applied whole or skipped with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechlint.documents.docx import xmlscan
from speechlint.documents.docx.model import TEXT, TEXTBOX, TEXTPATH, XML_WHITESPACE, Carrier, Item, Para

if TYPE_CHECKING:
    from speechlint.documents.docx.package import DocxPackage

_PRESERVE = b' xml:space="preserve"'


@dataclass(frozen=True)
class Splice:
    """Replace part[start:end] by `data` on behalf of `edits` (several when they change one w:t)."""

    part: str
    start: int
    end: int
    data: bytes
    edits: frozenset[int]


class _Failed(Exception):
    """An edit that cannot be applied; the message says why, for the note."""


def apply_edits(package: DocxPackage, edits: list[tuple[int, int, str]]) -> tuple[bytes, list[str]]:
    """The new .docx bytes and a note per skipped edit, in the order of `edits` (see DocxPackage.with_edits)."""
    notes: dict[int, str] = {}
    if not package.paras:
        return package.container.data, ["文档没有段落，未修改" for _ in edits]
    inline: dict[int, list[tuple[int, int, int, str]]] = {}  # paragraph → (edit, start, end, replacement)
    deleted: dict[int, int] = {}  # paragraph → edit
    cleared: set[int] = set()  # paragraphs emptied, not removed (the edit keeps their line)
    last_end = -1
    for number, (start, end, replacement) in sorted(enumerate(edits), key=lambda e: (e[1][0], e[1][1], e[0])):
        try:
            if not 0 <= start <= end <= len(package.text):
                raise _Failed(f"位置 {start}–{end} 超出文本范围")
            if start < last_end:
                raise _Failed("与前一处修改重叠")
            last_end = max(last_end, end)
            if package.text[start:end] == replacement:
                continue
            first, first_col = package.paragraph_at(start)
            last, last_col = package.paragraph_at(end)
            if first == last:
                inline.setdefault(first, []).append((number, first_col, last_col, replacement))
                continue
            removed = _whole_paragraphs(package, first, first_col, last, last_col, replacement, cleared)
            if any(index in deleted for index in removed):  # an empty paragraph both edits claim
                raise _Failed("要删除的段落已由前一处修改删除")
            deleted.update(dict.fromkeys(removed, number))
        except _Failed as failure:
            notes[number] = _note(package, start, end, str(failure))
    splices: list[Splice] = []
    for index, para_edits in inline.items():
        splices += _inline_splices(package, index, para_edits, notes)
    splices += _deletion_splices(package, deleted, cleared, notes)
    accepted = _resolve(splices, notes, package, edits)
    ordered_notes = [notes[n] for n in sorted(notes)]
    if not accepted:
        return package.container.data, ordered_notes
    replacements: dict[str, bytes] = {}
    for part in sorted({s.part for s in accepted}):
        replacements[part] = _splice(package.parts[part].data, [s for s in accepted if s.part == part])
    return package.container.rebuild(replacements), ordered_notes


def _note(package: DocxPackage, start: int, end: int, reason: str) -> str:
    if 0 <= start <= len(package.text):
        index, col = package.paragraph_at(start)
        place = package.paragraphs[index].place
        snippet = package.text[start : min(end, start + 12)].replace("\n", "↵")
        return f"{place} 第{col + 1}字“{snippet}”：{reason}，未修改"
    return f"{reason}，未修改"


def _whole_paragraphs(
    package: DocxPackage, first: int, first_col: int, last: int, last_col: int, replacement: str, cleared: set[int]
) -> range:
    """The paragraphs an edit crossing paragraph boundaries removes, if it removes whole paragraphs."""
    if replacement:
        raise _Failed("跨段落的替换无法写回 Word 文档")
    texts = package.paragraphs
    if first_col == 0 and last_col == 0:  # from the start of `first` to the start of `last`
        return range(first, last)
    if first_col == len(texts[first].text) and last_col == len(texts[last].text):  # newline before, to an end
        return range(first + 1, last + 1)
    if first_col == 0 and last_col == len(texts[last].text):  # everything from `first` to `last`: one empty line
        cleared.add(first)
        return range(first, last + 1)
    raise _Failed("跨段落的修改只能删除整段")


# --- inside one paragraph -----------------------------------------------------------------
def _inline_splices(
    package: DocxPackage, index: int, para_edits: list[tuple[int, int, int, str]], notes: dict[int, str]
) -> list[Splice]:
    """Splices for the edits inside paragraph `index` (and its mc:Fallback copy)."""
    para = package.paras[index]
    copies = [para] if para.twin is None else [para, para.twin]
    plans: dict[int, list[tuple[Item, int, int, str]]] = {}
    for number, start, end, replacement in para_edits:
        try:
            if not package.parts[para.part].editable:
                raise _Failed("该部件不是 UTF-8 编码")
            if "\n" in replacement or "\r" in replacement:
                raise _Failed("替换文字含换行")
            bad = xmlscan.invalid_xml_character(replacement)
            if bad is not None:
                raise _Failed(f"替换文字含 XML 不允许的字符 U+{ord(bad):04X}")
            plans[number] = [op for copy in copies for op in _locate(copy, start, end, replacement)]
        except _Failed as failure:
            paragraph_start = package.paragraph_start(index)
            notes[number] = _note(package, paragraph_start + start, paragraph_start + end, str(failure))
    by_item: dict[int, tuple[Item, list[tuple[int, int, str, int]]]] = {}
    for number, ops in plans.items():
        for item, lo, hi, replacement in ops:
            by_item.setdefault(id(item), (item, []))[1].append((lo, hi, replacement, number))
    splices: list[Splice] = []
    for item, item_ops in by_item.values():
        text = item.text
        for lo, hi, replacement, _ in sorted(item_ops, reverse=True):
            text = text[:lo] + replacement + text[hi:]
        owners = frozenset(number for *_, number in item_ops)
        splices += [Splice(para.part, s, e, d, owners) for s, e, d in _set_item_text(item, text)]
    return splices


def _locate(para: Para, start: int, end: int, replacement: str) -> list[tuple[Item, int, int, str]]:
    """Which items an edit changes, and how: the first gets the replacement, the rest lose their part."""
    items = [item for item in para.items if item.text]
    if start == end:
        holder = next((i for i in items if i.offset < start < i.offset + len(i.text)), None)
        holder = holder or next((i for i in items if i.offset + len(i.text) == start and _editable(i)), None)
        holder = holder or next((i for i in items if i.offset == start and _editable(i)), None)
        if holder is None or not _editable(holder):
            raise _Failed("此处没有可写入文字的位置")
        return [(holder, start - holder.offset, start - holder.offset, replacement)]
    touched = [i for i in items if i.offset < end and i.offset + len(i.text) > start]
    for item in touched:
        if item.kind not in (TEXT, TEXTPATH):
            raise _Failed("涉及制表符或换行符")
        if not item.editable:
            raise _Failed("位于兼容性替代内容（mc:AlternateContent）中")
    ops = []
    for position, item in enumerate(touched):
        lo = max(start, item.offset) - item.offset
        hi = min(end, item.offset + len(item.text)) - item.offset
        ops.append((item, lo, hi, replacement if position == 0 else ""))
    return ops


def _editable(item: Item) -> bool:
    return item.kind in (TEXT, TEXTPATH) and item.editable


def _set_item_text(item: Item, text: str) -> list[tuple[int, int, bytes]]:
    """Byte changes that make `item` read `text`: its content, xml:space, or the whole run if left empty."""
    if item.kind == TEXTPATH:
        return [(item.content_start, item.content_end, xmlscan.escape_attribute(text))]
    if item.kind != TEXT:  # a tab or break being emptied away
        if item.run is not None and item.run.bare:
            return [(item.run.start, item.run.end, b"")]
        return [(item.start, item.end, b"")]
    if not text and item.run is not None and item.run.bare:
        return [(item.run.start, item.run.end, b"")]
    changes = [(item.content_start, item.content_end, xmlscan.escape_text(text))]
    if text and not item.preserve and (text[0] in XML_WHITESPACE or text[-1] in XML_WHITESPACE):
        changes.insert(0, (item.tag_end - 1, item.tag_end - 1, _PRESERVE))
    return changes


# --- whole paragraphs ---------------------------------------------------------------------
def _deletion_splices(
    package: DocxPackage, deleted: dict[int, int], cleared: set[int], notes: dict[int, str]
) -> list[Splice]:
    """Remove (or empty, or remove the drawing of) each deleted paragraph, keeping the document valid."""
    paras = package.paras
    gone = {id(paras[i]) for i in deleted}
    drawn: dict[int, list[Para]] = {}  # drawing → the paragraphs it holds
    for para in paras:
        if para.carrier is not None:
            drawn.setdefault(id(para.carrier), []).append(para)

    def whole_drawing(carrier: Carrier | None) -> bool:
        """Every paragraph this drawing holds (nested text boxes too) is deleted: the drawing itself can go."""
        if carrier is None:
            return False
        stack = list(drawn.get(id(carrier), ()))
        while stack:
            para = stack.pop()
            if id(para) not in gone:
                return False
            stack += para.nested
        return True

    kept = {id(paras[i]) for i in cleared}  # emptied, not removed
    for container in {id(paras[i].container): paras[i].container for i in deleted}.values():
        if container.kind == TEXTBOX and whole_drawing(container.carrier):
            continue
        # Word wants a paragraph at the end of every cell, text box, part, note and comment
        remaining = [block for block in container.blocks if block is None or id(block) not in gone]
        if container.paragraphs and (not remaining or remaining[-1] is None):
            kept.add(id(container.paragraphs[-1]))
    removed: set[int] = set()  # paragraphs and drawings already removed
    splices: list[Splice] = []
    for index in sorted(deleted):  # anchors come before the paragraphs they anchor
        para, owner = paras[index], frozenset((deleted[index],))
        if para.anchor is not None and id(para.anchor) in removed:
            removed.add(id(para))
        elif not package.parts[para.part].editable:
            start = package.paragraph_start(index)
            notes[deleted[index]] = _note(package, start, start, "该部件不是 UTF-8 编码")
        elif para.carrier is not None and whole_drawing(para.carrier):
            removed.add(id(para))
            if id(para.carrier) not in removed:
                removed.add(id(para.carrier))
                splices += _remove_carrier(para, owner)
        elif para.textpath:  # its drawing holds text that stays: blank only the watermark's text
            splices += [Splice(para.part, s, e, d, owner) for s, e, d in _set_item_text(para.items[0], "")]
        elif id(para) not in kept and _removable(para, gone):
            removed.add(id(para))
            splices += [Splice(para.part, p.start, p.end, b"", owner) for p in (para, para.twin) if p is not None]
        else:
            for copy in (para, para.twin):
                for item in copy.items if copy is not None else ():
                    if item.text:  # a page break (no text) stays with the emptied paragraph
                        splices += [Splice(para.part, s, e, d, owner) for s, e, d in _set_item_text(item, "")]
    return splices


def _remove_carrier(para: Para, owner: frozenset[int]) -> list[Splice]:
    """Remove the drawing holding `para`, with its run when the run holds nothing else."""
    carrier = para.carrier
    assert carrier is not None
    if carrier.run is not None and carrier.run.bare:
        return [Splice(para.part, carrier.run.start, carrier.run.end, b"", owner)]
    return [Splice(para.part, carrier.start, carrier.end, b"", owner)]


def _removable(para: Para, gone: set[int]) -> bool:
    """Removing the w:p loses nothing the edit did not ask to remove and breaks no structure."""
    if para.section_break or para.field_balance or para.references:
        return False
    stack = list(para.nested)
    while stack:
        nested = stack.pop()
        if id(nested) not in gone:
            return False
        stack += nested.nested
    return True


# --- putting it together ------------------------------------------------------------------
def _resolve(
    splices: list[Splice], notes: dict[int, str], package: DocxPackage, edits: list[tuple[int, int, str]]
) -> list[Splice]:
    """Drop splices inside an element removed anyway; edits whose splices collide are skipped whole."""
    failed = set(notes)
    while True:
        live = sorted((s for s in splices if not s.edits & failed), key=lambda s: (s.part, s.start, -s.end))
        accepted: list[Splice] = []
        clash: set[int] = set()
        for splice in live:
            previous = accepted[-1] if accepted and accepted[-1].part == splice.part else None
            if previous is None or (splice.start >= previous.end and not _same_point(previous, splice)):
                accepted.append(splice)
            elif splice.edits == previous.edits and splice.end <= previous.end and not previous.data:
                continue  # inside an element the same edit removes anyway
            else:
                clash |= splice.edits | previous.edits
        if not clash:
            return accepted
        for number in clash - failed:
            start, end, _ = edits[number]
            notes[number] = _note(package, start, end, "与其他修改落在同一处 XML")
        failed |= clash


def _same_point(first: Splice, second: Splice) -> bool:
    """Two insertions at one byte: their order would be arbitrary."""
    return first.start == first.end == second.start == second.end


def _splice(data: bytes, splices: list[Splice]) -> bytes:
    out = bytearray()
    position = 0
    for splice in sorted(splices, key=lambda s: (s.start, s.end)):
        out += data[position : splice.start]
        out += splice.data
        position = max(position, splice.end)
    out += data[position:]
    return bytes(out)
