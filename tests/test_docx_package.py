"""speechlint.documents.docx: reading every paragraph of a .docx in order, and writing fixes back byte-exactly.

Documents are built here from raw OOXML strings, so each test shows exactly the XML it is about.
"""

from __future__ import annotations

import importlib
import io
import random
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest
from conftest import ROOT
from docx_builder import (  # noqa: F401
    BOLD,
    CONTENT_TYPES,
    HEADER_WATERMARK,
    MAIN_TYPE,
    NS,
    RED,
    REL,
    SECT,
    TABLE,
    TEXTBOX,
    P,
    R,
    fix,
    make_docx,
    member,
    raw_records,
    read,
    root,
    rows,
    xml,
)

from speechlint.documents.docx import (
    DocxError,
    DocxLimits,
    paragraph_diff,
    read_docx,
    read_docx_text,
    sniff_unsupported,
)


# --- reading ---------------------------------------------------------------------------------
def test_body_and_nested_tables_in_reading_order():
    inner = TABLE([P("内层甲")], [P("内层乙")])
    body = P("标题") + TABLE([P("甲"), P("乙") + P("乙二")], [P("丙"), P("丁") + inner + P("")]) + P("结尾") + SECT()
    package = read(make_docx(body))
    assert rows(package) == [
        ("正文", "第1段", "标题"),
        ("表格", "表格1 第1行第1列 第1段", "甲"),
        ("表格", "表格1 第1行第2列 第1段", "乙"),
        ("表格", "表格1 第1行第2列 第2段", "乙二"),
        ("表格", "表格1 第2行第1列 第1段", "丙"),
        ("表格", "表格1 第2行第2列 第1段", "丁"),
        ("表格", "表格1 第2行第2列 表格1 第1行第1列 第1段", "内层甲"),
        ("表格", "表格1 第2行第2列 表格1 第2行第1列 第1段", "内层乙"),
        ("表格", "表格1 第2行第2列 第2段", ""),
        ("正文", "第2段", "结尾"),
    ]
    assert package.text == "\n".join(p.text for p in package.paragraphs)


def test_headers_and_footers_of_two_sections_in_order():
    body = (
        P("第一节正文", ppr="<w:pPr>" + SECT(first_header="rIdH1", header="rIdH2", footer="rIdF1") + "</w:pPr>")
        + P("第二节正文")
        + SECT(header="rIdH3", footer="rIdF1")
    )
    parts = {
        "rIdH1": ("header", root("hdr", P("首页页眉"))),
        "rIdH2": ("header", root("hdr", P("页眉甲") + P("页眉乙"))),
        "rIdH3": ("header", root("hdr", P("第二节页眉"))),
        "rIdF1": ("footer", root("ftr", P("第", "1", "页"))),
    }
    package = read(make_docx(body, parts))
    assert rows(package) == [
        ("正文", "第1段", "第一节正文"),
        ("正文", "第2段", "第二节正文"),
        ("页眉", "页眉（第1节，首页）", "首页页眉"),
        ("页眉", "页眉（第1节） 第1段", "页眉甲"),
        ("页眉", "页眉（第1节） 第2段", "页眉乙"),
        ("页脚", "页脚（第1节；第2节）", "第1页"),
        ("页眉", "页眉（第2节）", "第二节页眉"),
    ]
    assert [p.part for p in package.paragraphs][2:] == [
        "word/header1.xml",
        "word/header2.xml",
        "word/header2.xml",
        "word/footer1.xml",
        "word/header3.xml",
    ]
    assert package.paragraphs[3].place == "页眉（第1节） 第1段"


def test_footnotes_endnotes_and_comments_after_the_headers():
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    )
    footnotes = root(
        "footnotes",
        separators
        + f'<w:footnote w:id="1">{P("注一")}</w:footnote><w:footnote w:id="2">{P("注二甲")}{P("注二乙")}</w:footnote>',
    )
    endnotes = root("endnotes", f'<w:endnote w:id="1">{P("尾注文字")}</w:endnote>')
    comments = root("comments", f'<w:comment w:id="0" w:author="张三">{P("请核实XX部长")}</w:comment>')
    body = P("正文", '<w:r><w:footnoteReference w:id="1"/></w:r>') + SECT(header="rIdH")
    parts = {
        "rIdH": ("header", root("hdr", P("页眉"))),
        "rIdC": ("comments", comments),
        "rIdE": ("endnotes", endnotes),
        "rIdN": ("footnotes", footnotes),
    }
    package = read(make_docx(body, parts))
    assert rows(package) == [
        ("正文", "第1段", "正文"),
        ("页眉", "页眉（第1节）", "页眉"),
        ("脚注", "脚注1", "注一"),
        ("脚注", "脚注2 第1段", "注二甲"),
        ("脚注", "脚注2 第2段", "注二乙"),
        ("尾注", "尾注1", "尾注文字"),
        ("批注", "批注1", "请核实XX部长"),
    ]


def test_text_box_is_read_once_right_after_its_anchor():
    body = P("锚段落前文", TEXTBOX("文本框里的路劲"), R("后文")) + P("下一段") + SECT()
    package = read(make_docx(body))
    assert rows(package) == [
        ("正文", "第1段", "锚段落前文后文"),
        ("文本框", "文本框1", "文本框里的路劲"),
        ("正文", "第2段", "下一段"),
    ]
    assert package.text.count("文本框里的路劲") == 1


def test_vml_watermark_in_a_header_is_one_paragraph_of_its_own():
    body = P("正文") + SECT(header="rIdH")
    package = read(make_docx(body, {"rIdH": ("header", HEADER_WATERMARK)}))
    assert rows(package) == [
        ("正文", "第1段", "正文"),
        ("页眉", "页眉（第1节） 第1段", "某某公司文库"),
        ("页眉", "页眉（第1节） 第2段", ""),
        ("水印", "页眉（第1节） 水印1", "仅供学习"),
    ]


def test_tracked_changes_are_read_accepted():
    body = (
        P(
            R("我们要"),
            '<w:ins w:id="1" w:author="a"><w:r><w:t>认真</w:t></w:r></w:ins>',
            '<w:del w:id="2" w:author="a"><w:r><w:delText>马虎</w:delText></w:r></w:del>',
            '<w:moveFrom w:id="3" w:author="a"><w:r><w:t>搬走的</w:t></w:r></w:moveFrom>',
            R("落实"),
        )
        + P("没有修订")
        + SECT()
    )
    package = read(make_docx(body))
    assert [(p.text, p.tracked) for p in package.paragraphs] == [("我们要认真落实", True), ("没有修订", False)]


def test_tabs_breaks_field_codes_and_ruby_read_as_word_shows_them():
    body = (
        P(
            R("甲"),
            "<w:r><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r>",
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>',
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
            "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>zhù</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>著</w:t></w:r></w:rubyBase></w:ruby></w:r>",
            "<w:r><w:t>  丁  </w:t></w:r>",
            '<w:r><w:br w:type="page"/></w:r>',
        )
        + SECT()
    )
    assert read(make_docx(body)).text == "甲\t乙 丙3著丁"


def test_strict_ooxml_namespace_is_read():
    source = zipfile.ZipFile(io.BytesIO(make_docx(P("严格格式") + SECT())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            transitional = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            strict = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
            archive.writestr(info.filename, source.read(info).replace(transitional, strict))
    assert read(buffer.getvalue()).text == "严格格式"


def test_default_namespace_cdata_and_comments_in_text():
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><document xmlns="{w}"><body>'
        "<p><r><t>探索<![CDATA[路劲]]><!-- 注释 -->&amp;</t></r></p><sectPr/></body></document>"
    ).encode()
    package = read(raw_zip([("word/document.xml", document, 0, len(document), zlib.crc32(document))]))
    assert package.text == "探索路劲&"
    out, notes = fix(package, "路劲", "路径")
    assert notes == [] and read(out).text == "探索路径&"
    assert b"<p><r><t>\xe6\x8e\xa2\xe7\xb4\xa2\xe8\xb7\xaf\xe5\xbe\x84&amp;</t></r></p>" in member(
        out, "word/document.xml"
    )


def test_paragraph_at_maps_offsets_to_paragraph_and_column():
    package = read(make_docx(P("甲乙") + P("") + P("丙") + SECT()))
    assert package.text == "甲乙\n\n丙"
    assert [package.paragraph_at(i) for i in range(len(package.text) + 1)] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (2, 0),
        (2, 1),
    ]
    with pytest.raises(IndexError):
        package.paragraph_at(99)


def test_read_docx_text_keeps_the_engine_interface(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(make_docx(P("甲") + P("乙") + SECT(header="rIdH"), {"rIdH": ("header", root("hdr", P("页眉")))}))
    assert read_docx_text(path, "a.docx") == "甲\n乙\n页眉"
    with pytest.raises(DocxError, match=r"^b\.docx: 文件不存在$"):
        read_docx(tmp_path / "b.docx", "b.docx")


# --- editing inside a paragraph ----------------------------------------------------------
def test_fix_across_a_run_split_mid_word_keeps_the_first_runs_properties():
    body = P(R("我们要探索"), R("路", BOLD), R("劲", RED), R("。")) + SECT()
    data = make_docx(body)
    out, notes = fix(read(data), "路劲", "路径")
    assert notes == []
    assert read(out).text == "我们要探索路径。"
    after = xml(out)
    assert f"<w:r>{BOLD}<w:t>路径</w:t></w:r>" in after
    assert RED not in after  # the run left with nothing is removed
    before = xml(data)
    assert after == before.replace(f"{R('路', BOLD)}{R('劲', RED)}", f"<w:r>{BOLD}<w:t>路径</w:t></w:r>")


def test_edit_spanning_three_runs_changes_only_those_runs():
    body = P(R("前文"), R("再接", BOLD), R("再", RED), R("励吧", BOLD), R("后文")) + SECT()
    data = make_docx(body)
    out, notes = fix(read(data), "再接再励", "再接再厉")
    assert notes == []
    expected = (
        P(R("前文"), f"<w:r>{BOLD}<w:t>再接再厉</w:t></w:r>", f"<w:r>{BOLD}<w:t>吧</w:t></w:r>", R("后文")) + SECT()
    )
    assert xml(out) == xml(data).replace(body, expected)


def test_two_fixes_in_one_run_and_escaping_and_xml_space():
    body = P(R("路劲 和 A&amp;B 及 帐号")) + SECT()
    package = read(make_docx(body))
    text = package.text
    edits = [(0, 2, "路径"), (text.index("A&B"), text.index("A&B") + 3, "<A&B>"), (len(text) - 2, len(text), "账号 ")]
    out, notes = package.with_edits(edits)
    assert notes == []
    assert read(out).text == "路径 和 <A&B> 及 账号 "
    assert '<w:t xml:space="preserve">路径 和 &lt;A&amp;B&gt; 及 账号 </w:t>' in xml(out)


def test_edit_inside_tracked_insertion_and_deleted_text_untouched():
    deleted = '<w:del w:id="2" w:author="a"><w:r><w:delText>路劲</w:delText></w:r></w:del>'
    body = P(R("要"), '<w:ins w:id="1" w:author="a"><w:r><w:t>探索路劲</w:t></w:r></w:ins>', deleted) + SECT()
    data = make_docx(body)
    out, notes = fix(read(data), "路劲", "路径")
    assert notes == [] and read(out).text == "要探索路径"
    assert '<w:ins w:id="1" w:author="a"><w:r><w:t>探索路径</w:t></w:r></w:ins>' + deleted in xml(out)


def test_fix_in_a_text_box_updates_its_fallback_copy_too():
    body = P("前", TEXTBOX("文本框里的路劲")) + SECT()
    out, notes = fix(read(make_docx(body)), "路劲", "路径")
    assert notes == []
    assert xml(out).count("文本框里的路径") == 2 and "路劲" not in xml(out)
    assert read(out).text == "前\n文本框里的路径"


def test_watermark_text_can_be_edited_in_place():
    package = read(make_docx(P("正文") + SECT(header="rIdH"), {"rIdH": ("header", HEADER_WATERMARK)}))
    out, notes = fix(package, "仅供学习", "内部资料")
    assert notes == [] and 'string="内部资料"' in xml(out, "word/header1.xml")


def test_edits_that_cannot_be_applied_are_skipped_with_a_note():
    body = P(R("甲"), "<w:r><w:tab/></w:r>", R("乙")) + P("丙丁") + P("戊") + SECT()
    data = make_docx(body)
    package = read(data)
    assert package.text == "甲\t乙\n丙丁\n戊"
    out, notes = package.with_edits(
        [
            (0, 3, "甲乙"),  # across a tab
            (4, 6, "丙"),  # fine
            (5, 8, "x"),  # overlaps the previous one
            (7, 9, "己"),  # across a paragraph boundary, not whole paragraphs
            (9, 9, "换\n行"),  # a newline inside a paragraph
            (3, 3, "\x01"),  # a character XML cannot hold
        ]
    )
    assert read(out).text == "甲\t乙\n丙\n戊"
    assert len(notes) == 5 and all(note.endswith("未修改") for note in notes)
    assert "制表符" in notes[0] and "正文 第1段" in notes[0]


def test_no_applicable_edit_returns_the_input_unchanged():
    data = make_docx(P("甲乙") + SECT())
    package = read(data)
    assert package.with_edits([]) == (data, [])
    assert package.with_edits([(0, 1, "甲")])[0] == data
    empty = read(make_docx(SECT()))
    assert empty.text == "" and empty.paragraphs == []
    assert empty.with_edits([(0, 0, "甲")]) == (empty.container.data, ["文档没有段落，未修改"])


# --- removing whole paragraphs -----------------------------------------------------------
def test_deleting_whole_paragraphs_at_the_head():
    body = P("【精品文档】仅供参考") + P("下载后可编辑") + P("在全县大会上的讲话") + P("同志们：") + SECT()
    data = make_docx(body)
    package = read(data)
    start = package.paragraph_start(2)
    out, notes = package.with_edits([(0, start, "")])
    assert notes == []
    assert read(out).text == "在全县大会上的讲话\n同志们："
    assert xml(out) == xml(data).replace(P("【精品文档】仅供参考") + P("下载后可编辑"), "")


def test_deleting_paragraphs_with_the_newline_before_them_in_a_header():
    header = root("hdr", P("单位名称") + P("文库下载 www.example.com") + P("仅供学习"))
    data = make_docx(P("正文") + SECT(header="rIdH"), {"rIdH": ("header", header)})
    package = read(data)
    start = package.text.index("单位名称") + len("单位名称")
    out, notes = package.with_edits([(start, len(package.text), "")])
    assert notes == []
    assert read(out).text == "正文\n单位名称"
    assert xml(out, "word/header1.xml") == header.replace(P("文库下载 www.example.com") + P("仅供学习"), "")
    assert raw_records(out)["word/document.xml"] == raw_records(data)["word/document.xml"]


def test_deleting_every_paragraph_of_a_header_keeps_one_empty_paragraph():
    header = root("hdr", P("仅供学习") + P(R("禁止", BOLD), R("外传")))
    package = read(make_docx(P("正文") + SECT(header="rIdH"), {"rIdH": ("header", header)}))
    start = package.paragraph_start(1) - 1
    out, notes = package.with_edits([(start, len(package.text), "")])
    assert notes == []
    assert read(out).text == "正文\n"
    assert xml(out, "word/header1.xml").endswith(f"<w:p><w:r>{BOLD}<w:t></w:t></w:r></w:p></w:hdr>") or xml(
        out, "word/header1.xml"
    ).endswith("<w:p></w:p></w:hdr>")


def test_removing_the_watermark_removes_its_drawing():
    data = make_docx(P("正文") + SECT(header="rIdH"), {"rIdH": ("header", HEADER_WATERMARK)})
    package = read(data)
    start = package.text.index("仅供学习") - 1
    out, notes = package.with_edits([(start, start + 1 + len("仅供学习"), "")])
    assert notes == []
    header = xml(out, "word/header1.xml")
    assert "仅供学习" not in header and "<w:pict>" not in header and "v:shape" not in header
    assert header == HEADER_WATERMARK.replace(re.search(r"<w:r><w:pict>.*</w:pict></w:r>", HEADER_WATERMARK)[0], "")
    assert rows(read(out))[1:] == [("页眉", "页眉（第1节） 第1段", "某某公司文库"), ("页眉", "页眉（第1节） 第2段", "")]


def test_removing_the_watermark_with_its_empty_anchor_paragraph():
    data = make_docx(P("正文") + SECT(header="rIdH"), {"rIdH": ("header", HEADER_WATERMARK)})
    package = read(data)
    start = package.text.index("某某公司文库") + len("某某公司文库")
    out, notes = package.with_edits([(start, len(package.text), "")])
    assert notes == [] and read(out).text == "正文\n某某公司文库"
    assert xml(out, "word/header1.xml") == root("hdr", P("某某公司文库"))


def test_removing_a_whole_text_box_removes_its_drawing_and_fallback():
    body = P("前文", TEXTBOX("扫码关注公众号")) + P("后文") + SECT()
    data = make_docx(body)
    package = read(data)
    start = package.text.index("扫码") - 1
    out, notes = package.with_edits([(start, start + 1 + len("扫码关注公众号"), "")])
    assert notes == [] and read(out).text == "前文\n后文"
    assert xml(out) == xml(data).replace(TEXTBOX("扫码关注公众号"), "")


def test_two_edits_claiming_one_empty_paragraph():
    package = read(make_docx(P("甲") + P("") + P("乙") + SECT()))
    assert package.text == "甲\n\n乙"
    # "\n" + "" removes the empty paragraph; the following "\n" would remove it again (and merge 甲乙)
    out, notes = package.with_edits([(1, 2, ""), (2, 3, "")])
    assert read(out).text == "甲\n乙" and len(notes) == 1 and "已由前一处修改删除" in notes[0]


def test_a_table_cell_keeps_its_last_paragraph_and_a_section_break_stays():
    cell = P("甲") + P("乙")
    section_break = P("第一节末", ppr="<w:pPr>" + SECT() + "</w:pPr>")
    body = TABLE([cell, P("丙")]) + section_break + P("第二节") + SECT()
    data = make_docx(body)
    package = read(data)
    assert package.text == "甲\n乙\n丙\n第一节末\n第二节"
    out, notes = package.with_edits([(0, package.paragraph_start(4), "")])
    assert notes == []
    assert read(out).text == "\n\n\n第二节"  # the cells' last paragraphs and the section break stay, emptied
    after = xml(out)
    assert after.count("<w:tc>") == 2 and after.count("<w:sectPr>") == 2
    assert "<w:tc><w:p><w:r><w:t></w:t></w:r></w:p></w:tc>" in after or "<w:tc><w:p></w:p></w:tc>" in after


def test_a_part_never_ends_with_a_table():
    package = read(make_docx(P("正文") + TABLE([P("格")]) + P("下载后可编辑") + SECT()))
    out, notes = package.with_edits([(package.paragraph_start(2) - 1, len(package.text), "")])
    assert notes == [] and read(out).text == "正文\n格\n"
    assert xml(out).endswith(
        '</w:tbl><w:p></w:p><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    cell = read(make_docx(TABLE([P("甲") + P("乙")]) + P("尾") + SECT()))
    out, notes = cell.with_edits([(1, 3, "")])  # a cell's last paragraph goes when another stays
    assert notes == [] and read(out).text == "甲\n尾"


def test_an_anchor_paragraph_is_emptied_not_removed_when_its_text_box_stays():
    body = P("联系QQ 12345", TEXTBOX("正式内容")) + P("后文") + SECT()
    package = read(make_docx(body))
    out, notes = package.with_edits([(0, package.paragraph_start(1), "")])
    assert notes == [] and read(out).text == "\n正式内容\n后文"


def test_word_2013_watermark_in_a_content_control_is_removed_with_its_run():
    watermark = (
        '<w:sdt><w:sdtPr><w:id w:val="-1"/><w:docPartObj><w:docPartGallery w:val="Watermarks"/><w:docPartUnique/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent><w:r><w:rPr><w:noProof/></w:rPr><w:pict>"
        '<v:shape id="PowerPlusWaterMarkObject9" o:spid="_x0000_s1025" type="#_x0000_t136" style="position:absolute">'
        '<v:textpath style="font-family:&quot;等线&quot;" string="文库资料 禁止转载"/></v:shape></w:pict></w:r>'
        "</w:sdtContent></w:sdt>"
    )
    header = root("hdr", f'<w:p><w:pPr><w:pStyle w:val="a3"/></w:pPr>{watermark}{R("单位名称")}</w:p>')
    package = read(make_docx(P("正文") + SECT(header="rIdH"), {"rIdH": ("header", header)}))
    assert rows(package)[1:] == [
        ("页眉", "页眉（第1节）", "单位名称"),
        ("水印", "页眉（第1节） 水印1", "文库资料 禁止转载"),
    ]
    start = len(package.text) - len("文库资料 禁止转载") - 1
    out, notes = package.with_edits([(start, len(package.text), "")])
    assert notes == [] and read(out).text == "正文\n单位名称"
    assert "<w:sdtContent></w:sdtContent>" in xml(out, "word/header1.xml")


def test_vml_text_box_and_a_text_box_named_as_a_watermark():
    vml_box = (
        '<w:r><w:pict><v:shape id="_x0000_s1026" type="#_x0000_t202" style="position:absolute">'
        f"<v:textbox><w:txbxContent>{P('VML框甲')}{P('VML框乙')}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    named = TEXTBOX("扫码下载更多").replace('name="文本框 1"', 'name="水印 2"')
    header = root("hdr", P(named))
    package = read(make_docx(P("正文", vml_box) + SECT(header="rIdH"), {"rIdH": ("header", header)}))
    assert rows(package) == [
        ("正文", "第1段", "正文"),
        ("文本框", "文本框1 第1段", "VML框甲"),
        ("文本框", "文本框1 第2段", "VML框乙"),
        ("页眉", "页眉（第1节）", ""),
        ("水印", "页眉（第1节） 文本框1", "扫码下载更多"),
    ]
    start = package.text.index("VML框甲")
    out, notes = package.with_edits([(start, package.paragraph_start(2), "")])  # first of two paragraphs
    assert notes == [] and read(out).text == package.text.replace("VML框甲\n", "")
    assert "<w:pict>" in xml(out)


def test_hyperlinks_simple_fields_and_smart_tags_are_text_that_can_be_fixed():
    body = (
        P(
            '<w:hyperlink r:id="rId99"><w:r><w:t>路</w:t></w:r></w:hyperlink>',
            '<w:fldSimple w:instr=" PAGE "><w:r><w:t>劲</w:t></w:r></w:fldSimple>',
            '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>探索</w:t></w:r></w:smartTag>',
        )
        + SECT()
    )
    package = read(make_docx(body))
    assert package.text == "路劲探索"
    out, notes = fix(package, "路劲", "路径")
    assert notes == [] and read(out).text == "路径探索"
    assert (
        '<w:hyperlink r:id="rId99"><w:r><w:t>路径</w:t></w:r></w:hyperlink><w:fldSimple w:instr=" PAGE "></w:fldSimple>'
        in xml(out)
    )


def test_paragraphs_holding_a_note_reference_or_half_a_field_are_emptied_not_removed():
    footnotes = root("footnotes", f'<w:footnote w:id="1">{P("注")}</w:footnote>')
    body = (
        P(R("带脚注"), '<w:r><w:footnoteReference w:id="1"/></w:r>')
        + P('<w:r><w:fldChar w:fldCharType="begin"/></w:r>', R("目录开始"))
        + P(R("目录结束"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        + P("正文")
        + SECT()
    )
    package = read(make_docx(body, {"rIdN": ("footnotes", footnotes)}))
    out, notes = package.with_edits([(0, package.paragraph_start(3), "")])
    assert notes == [] and read(out).text == "\n\n\n正文\n注"
    after = xml(out)
    assert '<w:footnoteReference w:id="1"/>' in after and after.count("<w:fldChar") == 2


def test_a_text_box_keeps_one_paragraph_when_its_drawing_holds_another_box():
    group = (
        '<w:r><w:pict><v:group id="g" style="position:absolute">'
        f'<v:shape id="a"><v:textbox><w:txbxContent>{P("框一")}</w:txbxContent></v:textbox></v:shape>'
        f'<v:shape id="b"><v:textbox><w:txbxContent>{P("框二")}</w:txbxContent></v:textbox></v:shape>'
        "</v:group></w:pict></w:r>"
    )
    package = read(make_docx(P("锚", group) + SECT()))
    assert package.text == "锚\n框一\n框二"
    out, notes = package.with_edits([(1, 4, "")])  # only the first box's paragraph
    assert notes == [] and read(out).text == "锚\n\n框二"
    out, notes = package.with_edits([(1, len(package.text), "")])  # both: the whole drawing goes
    assert notes == [] and read(out).text == "锚" and "<w:pict>" not in xml(out)


def test_a_table_inside_a_text_box_belongs_to_the_text_box():
    box = TEXTBOX("x").replace(P("x"), P("框首") + TABLE([P("格")]) + P("框尾"), 2)
    package = read(make_docx(P("锚", box) + SECT()))
    assert rows(package) == [
        ("正文", "第1段", "锚"),
        ("文本框", "文本框1 第1段", "框首"),
        ("文本框", "文本框1 表格1 第1行第1列 第1段", "格"),
        ("文本框", "文本框1 第2段", "框尾"),
    ]
    start = package.paragraph_start(1) - 1
    out, notes = package.with_edits(
        [(start, package.paragraph_start(2) - 1, ""), (len(package.text) - 3, len(package.text), "")]
    )
    # the drawing stays, and so does its last paragraph (emptied): a text box ends with one, as a cell does
    assert notes == [] and read(out).text == "锚\n格\n" and xml(out).count("<w:tbl>") == 2
    out, notes = package.with_edits([(start, len(package.text), "")])
    assert notes == [] and read(out).text == "锚" and "<w:tbl>" not in xml(out)


def test_paragraphs_in_a_block_level_alternate_content_are_read_once_and_edited_twice():
    alternate = (
        f'<mc:AlternateContent><mc:Choice Requires="w14">{P("路劲")}{TABLE([P("格")])}</mc:Choice>'
        f"<mc:Fallback>{P('路劲')}{TABLE([P('格')])}</mc:Fallback></mc:AlternateContent>"
    )
    package = read(make_docx(alternate + P("后") + SECT()))
    assert rows(package) == [
        ("正文", "第1段", "路劲"),
        ("表格", "表格1 第1行第1列 第1段", "格"),
        ("正文", "第2段", "后"),
    ]
    out, notes = fix(package, "路劲", "路径")
    assert notes == [] and xml(out).count("路径") == 2 and "路劲" not in xml(out)
    out, notes = package.with_edits([(0, 3, "")])
    assert notes == [] and read(out).text == "格\n后" and "路劲" not in xml(out)


def test_a_text_box_inside_a_text_box_keeps_its_drawing_while_the_inner_box_stays():
    nested = TEXTBOX("外框").replace(P("外框"), P("外框", TEXTBOX("内框")), 2)
    package = read(make_docx(P("锚", nested) + SECT()))
    assert rows(package) == [("正文", "第1段", "锚"), ("文本框", "文本框1", "外框"), ("文本框", "文本框2", "内框")]
    start = package.paragraph_start(1)
    out, notes = package.with_edits([(start - 1, start + len("外框"), "")])  # the outer box's paragraph only
    assert notes == [] and read(out).text == "锚\n\n内框"
    out, notes = package.with_edits([(start - 1, len(package.text), "")])  # both boxes: the drawing goes
    assert notes == [] and read(out).text == "锚" and "mc:AlternateContent" not in xml(out)
    out, notes = fix(package, "内框", "里框")
    assert notes == [] and read(out).text == "锚\n外框\n里框"


# --- the file as a whole -----------------------------------------------------------------
def full_document() -> bytes:
    body = (
        P("在XX县大会上的讲话")
        + P(R("探索"), R("路", BOLD), R("劲"))
        + P("前", TEXTBOX("文本框"))
        + SECT(header="rIdH")
    )
    image = bytes(range(256)) * 64
    return make_docx(
        body,
        {"rIdH": ("header", HEADER_WATERMARK), "rIdF": ("footer", root("ftr", P("第1页 共9页")))},
        extra={"word/media/image1.png": image, "docProps/core.xml": b"<cp:coreProperties/>"},
    )


def test_untouched_members_and_runs_stay_byte_identical_and_fixes_are_idempotent():
    data = full_document()
    package = read(data)
    out, notes = fix(package, "路劲", "路径")
    assert notes == []
    before, after = raw_records(data), raw_records(out)
    assert list(before) == list(after)
    assert [name for name in before if before[name] != after[name]] == ["word/document.xml"]
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(io.BytesIO(out)) as new:
        assert new.testzip() is None
        for a, b in zip(old.infolist(), new.infolist(), strict=True):
            assert (a.filename, a.compress_type, a.date_time, a.external_attr) == (
                b.filename,
                b.compress_type,
                b.date_time,
                b.external_attr,
            )
    # the same fix again: deterministic; on the output: nothing left to change
    assert fix(read(data), "路劲", "路径") == (out, [])
    again = read(out)
    assert "路劲" not in again.text and again.with_edits([]) == (out, [])
    assert again.text == package.text.replace("路劲", "路径")


def test_rewritten_member_keeps_compression_and_zip_is_valid_for_zipfile():
    data = full_document()
    out, _ = fix(read(data), "路劲", "路径")
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        info = archive.getinfo("word/document.xml")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert archive.read(info).decode().count("路径") == 1


# --- limits and broken input -------------------------------------------------------------
def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, stored data, method, declared size, crc), sizes as declared (maybe lies)."""
    out = bytearray()
    central = bytearray()
    for name, data, method, size, crc in entries:
        encoded = name.encode()
        offset = len(out)
        header = struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out += header + encoded + data
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + eocd)


def zeros_deflated(megabytes: int) -> bytes:
    """A deflate stream of `megabytes` MiB of zeros, built in milliseconds from one flushed block."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(b"\0" * (1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + packer.flush()


class InflateSpy:
    """Stands in for zlib.decompressobj and records how much output each inflation was allowed."""

    def __init__(self):
        self.allowed: list[int] = []
        self.original = zlib.decompressobj

    def __call__(self, wbits):
        real = self.original(wbits)
        spy = self

        class Inflater:
            def decompress(self, data, max_length=0):
                spy.allowed.append(max_length)
                return real.decompress(data, max_length)

        return Inflater()


def test_a_zip_bomb_is_refused_from_the_central_directory_without_inflating(monkeypatch):
    spy = InflateSpy()
    monkeypatch.setattr("speechlint.documents.docx.container.zlib.decompressobj", spy)
    bomb = raw_zip([("word/document.xml", zeros_deflated(150), 8, 150 << 20, 0)])
    with pytest.raises(DocxError) as error:
        read(bomb)
    assert spy.allowed == []  # refused from the sizes alone: quick whatever the stream holds
    message = str(error.value)
    assert message.startswith("讲话.docx: word/document.xml") and str(DocxLimits().max_part_bytes) in message
    assert "\n" not in message


def test_a_zip_bomb_lying_about_its_size_stops_at_the_declared_size(monkeypatch):
    spy = InflateSpy()
    monkeypatch.setattr("speechlint.documents.docx.container.zlib.decompressobj", spy)
    bomb = raw_zip([("word/document.xml", zeros_deflated(150), 8, 1000, 0)])
    with pytest.raises(DocxError, match="实际解压后超过声明的 1000 字节"):
        read(bomb)
    assert spy.allowed == [1001]  # 150 MB in the stream, at most 1001 bytes inflated


def test_compression_ratio_and_total_limits():
    stream = zeros_deflated(20)
    with pytest.raises(DocxError, match=r"压缩比 \d+:1 超过上限 200:1"):
        read(raw_zip([("word/document.xml", stream, 8, 20 << 20, 0)]))
    data = make_docx(P("甲" * 1000) + SECT(header="rIdH"), {"rIdH": ("header", root("hdr", P("乙" * 1000)))})
    with pytest.raises(DocxError, match="解压内容合计超过 4000 字节的上限"):
        read(data, DocxLimits(max_total_bytes=4000))


def test_too_many_members_is_refused():
    data = make_docx(P("甲") + SECT(), extra={f"customXml/item{i}.xml": b"<a/>" for i in range(20)})
    with pytest.raises(DocxError, match=r"压缩包成员过多（24 个，上限 10 个）"):
        read(data, DocxLimits(max_members=10))
    entries = [(f"f{i}", b"", 0, 0, 0) for i in range(DocxLimits().max_members + 1)]
    with pytest.raises(DocxError, match="压缩包成员过多"):
        read(raw_zip(entries))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "不是 Word 文档"),
        (b"hello, world", "不是 Word 文档"),
        (b"PK\x03\x04 not really a zip", "不是有效的 zip 压缩包"),
        (raw_zip([("word/other.xml", b"<a/>", 0, 4, zlib.crc32(b"<a/>"))]), "缺少 word/document.xml"),
        (raw_zip([("word/document.xml", b"<a/>", 0, 4, 12345)]), "已损坏（长度或校验和不符）"),
        (raw_zip([("word/document.xml", b"<w:document>", 0, 12, zlib.crc32(b"<w:document>"))]), "不是有效的 XML"),
        (raw_zip([("word/document.xml", b"\xff\xff", 8, 2, 0)]), "已损坏"),
        (raw_zip([("word/document.xml", b"abc", 12, 3, 0)]), "不支持的压缩方式"),
    ],
    ids=["empty", "text", "truncated", "no-document", "crc", "xml", "deflate", "bzip2"],
)
def test_broken_input_is_one_line_naming_the_file(data, message):
    with pytest.raises(DocxError) as error:
        read(data)
    assert str(error.value).startswith("讲话.docx: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_truncated_docx_is_refused():
    data = make_docx(P("甲") + SECT())
    with pytest.raises(DocxError, match="不是有效的 zip 压缩包"):
        read(data[: len(data) // 2])
    # a directory entry cut short right after its signature
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, 10, 2, 0)
    with pytest.raises(DocxError, match="不是有效的 zip 压缩包"):
        read(b"PK" + b"PK\x01\x02" + b"\0" * 6 + eocd)


def ole(streams: list[str]) -> bytes:
    """The first sectors of an OLE compound file naming `streams` in its directory."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + directory


def test_encrypted_docx_and_legacy_binary_formats_get_a_clear_hint(tmp_path):
    encrypted = ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"])
    legacy = ole(["Root Entry", "WordDocument", "1Table"])
    with pytest.raises(DocxError, match=r"^讲话\.docx: 加密的 Word 文档，无法检查$"):
        read(encrypted)
    with pytest.raises(DocxError, match=r"不支持旧版 Word/WPS 二进制格式：请另存为 \.docx 后再检查"):
        read(legacy)
    (tmp_path / "old.doc").write_bytes(legacy)
    (tmp_path / "old.wps").write_bytes(legacy)
    (tmp_path / "new.docx").write_bytes(make_docx(P("甲") + SECT()))
    assert sniff_unsupported(tmp_path / "old.doc") == "不支持旧版 Word/WPS 二进制格式：请另存为 .docx 后再检查"
    assert sniff_unsupported(str(tmp_path / "old.wps")) == sniff_unsupported(legacy)
    assert sniff_unsupported(tmp_path / "new.docx") is None
    assert sniff_unsupported(tmp_path / "missing.doc") is None
    assert "RTF" in (sniff_unsupported(b"{\\rtf1\\ansi hello}") or "")
    assert "HTML" in (sniff_unsupported(b"<html><body>word</body></html>") or "")
    flat = b'<?xml version="1.0"?><?mso-application progid="Word.Document"?><pkg:package xmlns:pkg="p"/>'
    assert "Word XML" in (sniff_unsupported(flat) or "")


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE w:document SYSTEM "http://example.com/evil.dtd">',
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["billion-laughs", "external-dtd", "external-entity"],
)
def test_xml_with_a_doctype_is_refused(prolog):
    document = f'<?xml version="1.0"?>{prolog}<w:document {NS}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>'
    data = raw_zip([("word/document.xml", document.encode(), 0, len(document.encode()), zlib.crc32(document.encode()))])
    with pytest.raises(DocxError, match=r"word/document\.xml 含有 DOCTYPE 声明"):
        read(data)


def test_an_undeclared_entity_is_an_xml_error():
    document = f"<w:document {NS}><w:body><w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p></w:body></w:document>".encode()
    with pytest.raises(DocxError, match=r"word/document\.xml 不是有效的 XML（第 1 行第 \d+ 列：未定义的实体）"):
        read(raw_zip([("word/document.xml", document, 0, len(document), zlib.crc32(document))]))


def test_a_utf16_part_is_read_but_not_edited():
    document = f'<?xml version="1.0" encoding="UTF-16"?><w:document {NS}><w:body>{P("路劲")}</w:body></w:document>'
    encoded = "\ufeff".encode("utf-16-le") + document.encode("utf-16-le")
    package = read(raw_zip([("word/document.xml", encoded, 0, len(encoded), zlib.crc32(encoded))]))
    assert package.text == "路劲"
    out, notes = package.with_edits([(0, 2, "路径")])
    assert len(notes) == 1 and "不是 UTF-8" in notes[0] and out == package.container.data


# --- diff ----------------------------------------------------------------------------------
def test_paragraph_diff_names_each_changed_paragraph():
    header = root("hdr", P("仅供学习 禁止外传") + P("单位"))
    package = read(make_docx(P("标题") + P("我们要探索路劲。") + SECT(header="rIdH"), {"rIdH": ("header", header)}))
    after = "标题\n我们要探索路径。\n单位"
    assert paragraph_diff(package, after, "a.docx") == (
        "--- a.docx 正文 第2段\n"
        "+++ a.docx 正文 第2段\n"
        "-我们要探索路劲。\n"
        "+我们要探索路径。\n"
        "--- a.docx 页眉（第1节） 第1段\n"
        "+++ a.docx 页眉（第1节） 第1段（整段删除）\n"
        "-仅供学习 禁止外传\n"
    )
    assert paragraph_diff(package, package.text) == ""


# --- a property: applied edits give exactly the expected text ----------------------------
def test_random_edits_give_the_expected_text():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    body = (
        P(R("甲乙丙"), R("丁戊", BOLD), R("己"), R("庚辛壬", RED))
        + P(R("天地"), '<w:ins w:id="1" w:author="a"><w:r><w:t>玄黄</w:t></w:r></w:ins>', R("宇宙"))
        + TABLE([P("洪荒"), P(R("日月"), R("盈昃"))])
        + P("辰宿", TEXTBOX("列张寒来"))
        + SECT()
    )
    package = read(make_docx(body))
    text = package.text

    @hypothesis.given(st.data())
    @hypothesis.settings(max_examples=150, deadline=None)
    def check(data):
        points = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=0, max_size=6, unique=True)))
        edits = []
        for start, end in zip(points[::2], points[1::2], strict=False):
            if "\n" not in text[start:end]:
                edits.append((start, end, data.draw(st.sampled_from(["", "新", "新文字", " 空格 "]))))
        out, notes = package.with_edits(edits)
        assert notes == []
        expected = text
        for start, end, replacement in reversed(edits):
            expected = expected[:start] + replacement + expected[end:]
        assert read(out).text == expected

    check()


def test_random_paragraph_deletions_keep_every_other_paragraph_and_a_valid_file():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    footnotes = root("footnotes", f'<w:footnote w:id="1">{P("注一")}{P("注二")}</w:footnote>')
    body = (
        P("标题")
        + TABLE([P("甲") + P("乙"), P("丙")], [P("丁") + TABLE([P("内")]) + P("尾"), P("戊")])
        + P("联系", TEXTBOX("框一"))
        + P("节末", ppr="<w:pPr>" + SECT() + "</w:pPr>")
        + P("末")
        + SECT(header="rIdH", footer="rIdF")
    )
    parts = {
        "rIdH": ("header", HEADER_WATERMARK),
        "rIdF": ("footer", root("ftr", P("第1页") + P("共9页"))),
        "rIdN": ("footnotes", footnotes),
    }
    package = read(make_docx(body, parts))
    count = len(package.paragraphs)

    @hypothesis.given(st.lists(st.tuples(st.integers(0, count - 1), st.integers(1, 3), st.booleans()), max_size=4))
    @hypothesis.settings(max_examples=150, deadline=None)
    def check(spans):
        edits, used = [], -1
        for first, length, newline_before in sorted(spans):
            last = min(count, first + length)
            if newline_before and first > 0:
                start = package.paragraph_start(first) - 1
                end = package.paragraph_start(last) - 1 if last < count else len(package.text)
            else:
                start = package.paragraph_start(first)
                end = package.paragraph_start(last) if last < count else None
                if end is None:
                    continue
            if start > used and end > start:
                edits.append((start, end, ""))
                used = end
        out, notes = package.with_edits(edits)
        assert notes == []
        expected = package.text
        for start, end, _ in reversed(edits):
            expected = expected[:start] + expected[end:]
        after = read(out).text
        # paragraphs that must stay (cell ends, section breaks …) may remain as empty lines
        assert [line for line in after.split("\n") if line] == [line for line in expected.split("\n") if line]
        assert package.with_edits(edits)[0] == out

    check()


WORDS = ["甲", "乙丙", "路劲", " 空 ", "A&amp;B", "&lt;x&gt;", ""]


def random_run(rng: random.Random, depth: int) -> str:
    """A run-level fragment: text runs in many wrappers, text boxes (nested), watermarks, fields."""
    choice, word = rng.random(), rng.choice(WORDS)
    if choice < 0.45:
        space = ' xml:space="preserve"' if rng.random() < 0.5 else ""
        extra = rng.choice(["", "<w:tab/>", "<w:br/>", '<w:br w:type="page"/>', "<w:lastRenderedPageBreak/>"])
        return f"<w:r>{rng.choice(['', BOLD, RED])}<w:t{space}>{word}</w:t>{extra}</w:r>"
    if choice < 0.55:
        return f'<w:ins w:id="1" w:author="a">{random_run(rng, depth + 1)}</w:ins>'
    if choice < 0.6:
        return f'<w:del w:id="2" w:author="a"><w:r><w:delText>{word}</w:delText></w:r></w:del>'
    if choice < 0.65:
        return f'<w:hyperlink r:id="x">{random_run(rng, depth + 1)}</w:hyperlink>'
    if choice < 0.7:
        return f"<w:sdt><w:sdtPr/><w:sdtContent>{random_run(rng, depth + 1)}</w:sdtContent></w:sdt>"
    if choice < 0.8 and depth < 3:
        inner = "".join(random_paragraph(rng, depth + 1) for _ in range(rng.randint(1, 2)))
        if rng.random() < 0.7:
            return TEXTBOX("x").replace(P("x"), inner, 2)
        return f'<w:r><w:pict><v:shape id="s"><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
    if choice < 0.85:
        return f'<w:r><w:pict><v:shape id="PowerPlusWaterMarkObject"><v:textpath string="{word}"/></v:shape></w:pict></w:r>'
    if choice < 0.9:
        return '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    return R(word)


def random_paragraph(rng: random.Random, depth: int) -> str:
    ppr = "<w:pPr>" + SECT() + "</w:pPr>" if rng.random() < 0.05 else ""
    return P(*[random_run(rng, depth) for _ in range(rng.randint(0, 4))], ppr=ppr)


def random_cell(rng: random.Random, depth: int) -> str:
    blocks = "".join(random_block(rng, depth) for _ in range(rng.randint(0, 2)))
    return blocks + random_paragraph(rng, depth)  # a cell ends with a paragraph


def random_block(rng: random.Random, depth: int) -> str:
    if rng.random() < 0.2 and depth < 3:
        return TABLE(
            *[[random_cell(rng, depth + 1) for _ in range(rng.randint(1, 2))] for _ in range(rng.randint(1, 2))]
        )
    return random_paragraph(rng, depth)


def visible(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_random_documents_and_edits():
    """Documents from a small grammar of real constructs; random fixes and paragraph deletions."""
    rng = random.Random(7)
    for _ in range(120):
        body = "".join(random_block(rng, 0) for _ in range(rng.randint(1, 6))) + SECT(header="rIdH")
        header = root("hdr", "".join(random_block(rng, 1) for _ in range(rng.randint(1, 3))))
        package = read(make_docx(body, {"rIdH": ("header", header)}))
        text, count = package.text, len(package.paragraphs)
        points = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 6)))
        edits = [
            (a, b, rng.choice(["", "新", " x "]))
            for a, b in zip(points[::2], points[1::2], strict=False)
            if "\n" not in text[a:b]
        ]
        out, notes = package.with_edits(edits)
        after = read(out)
        assert all("重叠" not in note and "同一处" not in note for note in notes)
        if not notes:
            expected = text
            for a, b, replacement in reversed(edits):
                expected = expected[:a] + replacement + expected[b:]
            assert after.text == expected
        assert all(p.twin is None or p.twin.text == p.text for p in after.paras)
        if count > 2:
            first = rng.randrange(1, count)
            last = min(count, first + rng.randint(1, 3))
            start = package.paragraph_start(first) - 1
            end = package.paragraph_start(last) - 1 if last < count else len(text)
            out, notes = package.with_edits([(start, end, "")])
            assert notes == [] and visible(read(out).text) == visible(text[:start] + text[end:])


# --- the benchmark, damaged files and an independent reader -------------------------------------------------------
def test_the_benchmark_document_reads_and_fixes():
    """benchmarks/bench_docx.py measures speed; here only that its document and steps still work."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        bench = importlib.import_module("bench_docx")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    data = bench.build(0.02)
    package = read(data)
    assert len(package.paragraphs) > 100 and package.paragraphs[-1].place == "页脚（第1节）"
    start = package.text.index("路劲")
    out, notes = package.with_edits([(start, start + 2, "路径")])
    assert notes == [] and read(out).text == package.text[:start] + "路径" + package.text[start + 2 :]


def test_mutated_files_fail_with_one_docx_error_or_read_and_write_cleanly():
    """Random byte damage anywhere (zip structure, stored XML) never escapes as another exception."""
    rng = random.Random(20240611)
    source = zipfile.ZipFile(io.BytesIO(full_document()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
    originals = [full_document(), buffer.getvalue()]
    for _ in range(400):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(len(data))
            if rng.random() < 0.7:
                data[pos] = rng.randrange(256)
            else:
                del data[pos : pos + rng.randint(1, 16)]
        try:
            package = read(bytes(data))
        except DocxError as error:
            assert "\n" not in str(error) and str(error).startswith("讲话.docx: ")
            continue
        if package.text:
            start = rng.randrange(len(package.text))
            out, _ = package.with_edits([(start, min(len(package.text), start + 2), "改")])
            read(out)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_exactly_the_intended_change(tmp_path):
    body = (
        P("在全县大会上的讲话")
        + P(R("我们要探索"), R("路", BOLD), R("劲", RED), R("。"))
        + P("下载后可编辑")
        + SECT(header="rIdH")
    )
    data = make_docx(body, {"rIdH": ("header", HEADER_WATERMARK)})
    package = read(data)
    start = package.text.index("路劲")
    tail = package.text.index("下载后可编辑") - 1
    out, notes = package.with_edits([(start, start + 2, "路径"), (tail, tail + 1 + len("下载后可编辑"), "")])
    assert notes == []
    texts = []
    for name, content in (("before.docx", data), ("after.docx", out)):
        (tmp_path / name).write_bytes(content)
        done = subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--convert-to",
                "txt:Text (encoded):UTF8",
                name,
            ],
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        texts.append((tmp_path / name.replace(".docx", ".txt")).read_text(encoding="utf-8-sig").splitlines())
    assert texts[0] == ["在全县大会上的讲话", "我们要探索路劲。", "下载后可编辑"]
    assert texts[1] == ["在全县大会上的讲话", "我们要探索路径。"]
