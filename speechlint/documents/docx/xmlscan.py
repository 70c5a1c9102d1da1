"""Safe, position-aware XML parsing: expat with no DTDs, plus byte offsets of tags.

Edits are spliced into the original bytes, never re-serialised, so the reader needs byte
offsets of elements. Expat reports where each event starts (`CurrentByteIndex`); where a
start tag ends is found with one regular-expression match from there, which is exact on
input expat has already accepted as well-formed.

A DOCTYPE is refused outright: OOXML never has one, and refusing it rules out entity
expansion ("billion laughs") and external entities, the attacks defusedxml guards against.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from speechlint.documents.docx.limits import DocxError

_START_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_INVALID_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_UTF8_NAMES = {"utf-8", "utf8"}


_EXPAT_MESSAGES = {  # the errors a damaged or hand-edited part actually shows, in the user's language
    "syntax error": "语法错误",
    "no element found": "内容不完整（文件被截断？）",
    "not well-formed (invalid token)": "格式错误（无效的字符或记号）",
    "unclosed token": "记号未闭合",
    "partial character": "字符不完整",
    "mismatched tag": "开始标签与结束标签不匹配",
    "duplicate attribute": "属性重复",
    "junk after document element": "根元素之后还有内容",
    "undefined entity": "未定义的实体",
    "reference to invalid character number": "引用了无效的字符编号",
    "XML or text declaration not at start of entity": "XML 声明不在开头",
    "unknown encoding": "未知的编码",
    "encoding specified in XML declaration is incorrect": "XML 声明的编码与内容不符",
    "unclosed CDATA section": "CDATA 段未闭合",
    "unbound prefix": "使用了未声明的命名空间前缀",
    "XML declaration not well-formed": "XML 声明格式错误",
}


class _Refused(Exception):
    """Raised inside an expat callback to stop parsing a document with a DTD."""


def _refuse(*_: object) -> int:
    raise _Refused


def utf8_source(data: bytes) -> tuple[bytes, bool]:
    """The part as UTF-8 bytes, and whether they are the original bytes (else the part is read-only).

    Word always writes UTF-8; a part in UTF-16 or a legacy encoding is transcoded for reading
    (with its XML declaration dropped) and never edited, since its offsets are not the file's.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        return data, True
    else:
        declared = _DECLARED_ENCODING.match(data)
        if declared is None or declared.group(1).decode("ascii").lower() in _UTF8_NAMES:
            return data, True
        encoding = declared.group(1).decode("ascii")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return data, True  # let expat report it
    text = re.sub(r"^\ufeff?<\?xml[^>]*\?>", "", text)
    return text.encode("utf-8"), False


def make_parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    characters: Callable[[str], None],
) -> Any:
    """An expat parser reporting namespace-resolved names ("uri}local") that refuses any DTD."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    return parser


def run(parser: Any, data: bytes, where: str, part: str) -> None:
    """Feed the whole part to `parser`; every failure becomes one DocxError line."""
    try:
        parser.Parse(data, True)
    except _Refused:
        raise DocxError(f"{where}: {part} 含有 DOCTYPE 声明（Word 文档不会有），已拒绝") from None
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, "")
        reason = _EXPAT_MESSAGES.get(message, message or str(exc))
        raise DocxError(
            f"{where}: {part} 不是有效的 XML（第 {exc.lineno} 行第 {exc.offset + 1} 列：{reason}）"
        ) from None


def tag_end(data: bytes, start: int) -> tuple[int, bool]:
    """End offset of the start tag at `start`, and whether it is an empty-element tag (`<x/>`)."""
    match = _START_TAG.match(data, start)
    if match is None:  # cannot happen on input expat accepted; be loud if it does
        raise ValueError(f"no start tag at byte {start}")
    return match.end(), bool(match.group(1))


def element_end(data: bytes, end_event_index: int) -> int:
    """End offset of an element whose end tag (`</x>`) starts at `end_event_index`."""
    return data.index(b">", end_event_index) + 1


def attribute_span(data: bytes, start: int, end: int, name: bytes) -> tuple[int, int] | None:
    """Byte span of the value of attribute `name` in the start tag data[start:end]."""
    pattern = re.compile(rb"""\s""" + re.escape(name) + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")
    match = pattern.search(data, start, end)
    if match is None:
        return None
    group = 1 if match.group(1) is not None else 2
    return match.start(group), match.end(group)


def escape_text(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def escape_attribute(text: str) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return escaped.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;").encode("utf-8")


def invalid_xml_character(text: str) -> str | None:
    """The first character XML 1.0 cannot hold, if any (a replacement with one is not applied)."""
    match = _INVALID_XML_CHAR.search(text)
    return match.group() if match else None
