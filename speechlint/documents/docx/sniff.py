"""Recognising files that look like Word documents but are not .docx, so the user gets a hint, not a zip error.

Word 97–2003 (.doc), WPS Office (.wps) and *encrypted* .docx files are all OLE compound
files (they start with D0 CF 11 E0); an encrypted .docx is the one whose OLE directory
holds an `EncryptedPackage` stream. Sites also hand out RTF, HTML or Word XML saved as `.doc`.
"""

from __future__ import annotations

from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
ENCRYPTED = "加密的 Word 文档，无法检查"
LEGACY_BINARY = "不支持旧版 Word/WPS 二进制格式：请另存为 .docx 后再检查"
RTF = "这是 RTF 格式的文件，不是 .docx：请另存为 .docx 后再检查"
HTML = "这是网页（HTML/MHT）格式的文件，不是 .docx：请另存为 .docx 后再检查"
FLAT_XML = "这是 Word XML 格式（Word 2003 XML 或单个 XML 文件）的文件，不是 .docx：请另存为 .docx 后再检查"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_SNIFF_BYTES = 1 << 20  # the OLE directory of an encrypted .docx sits in its first sectors


def sniff_unsupported(source: str | Path | bytes) -> str | None:
    """Why this file cannot be read as .docx, judged from its first bytes; None when it may be one."""
    if isinstance(source, bytes):
        head = source[:_SNIFF_BYTES]
    else:
        try:
            with open(source, "rb") as handle:
                head = handle.read(_SNIFF_BYTES)
        except OSError:
            return None  # the reader reports a missing or unreadable file in its own words
    if head.startswith(OLE_MAGIC):
        return ENCRYPTED if _ENCRYPTED_STREAM in head else LEGACY_BINARY
    if head.startswith(ZIP_MAGIC):
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"{\\rtf"):
        return RTF
    if start.startswith((b"<html", b"<!doctype html", b"mime-version:")) or b"<html" in start:
        return HTML
    if start.startswith(b"<?xml") and (
        b"<w:worddocument" in start or b"<pkg:package" in start or b"word.document" in start
    ):
        return FLAT_XML
    return None
