"""Decoding and positions: what the rules see, and how it maps back to the file."""

from __future__ import annotations

import codecs

import pytest

from speechlint.documents import BinaryFileError, Document, DocumentError, decode_bytes
from speechlint.documents.text import normalise_newlines


@pytest.mark.parametrize(
    ("data", "name", "bom"),
    [
        ("路劲".encode(), "utf-8", b""),
        (codecs.BOM_UTF8 + "路劲".encode(), "utf-8", codecs.BOM_UTF8),
        ("路劲".encode("gb18030"), "gb18030", b""),
        (codecs.BOM_UTF16_LE + "路劲".encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
    ],
)
def test_decoding_keeps_encoding_and_bom(data, name, bom):
    text, encoding = decode_bytes(data, "a.txt")
    assert text == "路劲"
    assert (encoding.name, encoding.bom) == (name, bom)
    assert Document("a.txt", text, encoding).encode(text) == data


def test_binary_is_recognised():
    with pytest.raises(BinaryFileError, match=r"a\.bin"):
        decode_bytes(b"PK\x03\x04\x00\x00\x01", "a.bin")


def test_undecodable_bytes_name_the_file():
    with pytest.raises(DocumentError, match=r"bad\.txt"):
        decode_bytes(b"\x80\x81\xfd\xfe" * 20, "bad.txt", fallback="")


def test_crlf_offsets_map_back_to_source():
    source = "第一行\r\nXX部长\r\n第三行"
    doc = Document("a.txt", source)
    assert doc.text == "第一行\nXX部长\n第三行"
    start = doc.text.index("XX")
    assert doc.line_col(start) == (2, 1)
    assert source[doc.to_source_offset(start) : doc.to_source_end(start + 2)] == "XX"
    # a span ending at a line end stays before the CR
    end_of_line = doc.text.index("\n", start)
    assert source[doc.to_source_offset(start) : doc.to_source_end(end_of_line)] == "XX部长"


def test_lone_cr_is_a_line_break():
    text, removed = normalise_newlines("甲\r乙\r\n丙")
    assert text == "甲\n乙\n丙"
    assert removed == [3]


def test_line_text_and_columns_count_code_points():
    doc = Document("a.txt", "同志们：\n刚才XX部长讲了")
    assert doc.line_text(2) == "刚才XX部长讲了"
    assert doc.line_col(doc.text.index("XX")) == (2, 3)
