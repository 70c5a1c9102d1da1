"""Word documents end to end through the CLI: every part read, findings placed where Word shows them,
fixes written into the runs with everything else byte-identical, `--diff` as readable paragraphs."""

from __future__ import annotations

import io
import zipfile

from docx_builder import BOLD, HEADER_WATERMARK, SECT, TABLE, TEXTBOX, P, R, make_docx, raw_records, root

RED = '<w:rPr><w:color w:val="FF0000"/></w:rPr>'


def defects_everywhere() -> bytes:
    """A speech with a defect in every part a site or a template leaves them in."""
    body = (
        P("在全县党建工作会议上的讲话")
        + P(R("同志们：我们要探索"), R("路", BOLD), R("劲", RED), R("，做好分内事。"))
        + TABLE([P("XX县委组织部")], [P("负责同志")])
        + P("前", TEXTBOX("请XX部长审定"))
        + P(R("要深入贯彻习近平新时代中国特色社会思想"), '<w:r><w:footnoteReference w:id="1"/></w:r>')
        + P('<w:ins w:id="9" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:t>修订中插入的路劲</w:t></w:r></w:ins>')
        + SECT(header="rIdH", footer="rIdF")
    )
    footnotes = root(
        "footnotes",
        '<w:footnote w:id="1"><w:p><w:r><w:t>见XX文件。</w:t></w:r></w:p></w:footnote>',
    )
    comments = root(
        "comments", '<w:comment w:id="0" w:author="a"><w:p><w:r><w:t>核实路劲</w:t></w:r></w:p></w:comment>'
    )
    return make_docx(
        body,
        {
            "rIdH": ("header", HEADER_WATERMARK),
            "rIdF": ("footer", root("ftr", P("第1页 共9页"))),
            "rIdN": ("footnotes", footnotes),
            "rIdC": ("comments", comments),
        },
        extra={"word/media/image1.png": bytes(range(256)) * 32},
    )


def findings(result):
    return [(f["rule"], f["text"], f.get("part", "")) for f in result.json()["findings"]]


def test_every_part_is_read_and_placed(cli, tmp_path):
    (tmp_path / "speech.docx").write_bytes(defects_everywhere())
    result = cli("check", "--format", "json", "speech.docx", cwd=tmp_path)
    found = findings(result)
    places = {part for _, _, part in found}
    assert ("typo.word", "路劲", "正文 第2段") in found
    assert any(rule == "placeholder.x" and part.startswith("表格1") for rule, _, part in found)
    assert any(rule == "placeholder.x" and "文本框" in part for rule, _, part in found)
    assert any(rule == "canonical.phrase" for rule, _, _ in found)
    assert any(rule == "placeholder.x" and "脚注" in part for rule, _, part in found)
    assert any(rule == "typo.word" and "批注" in part for rule, _, part in found)
    assert any("修订" in part and rule == "typo.word" for rule, _, part in found)  # checked as accepted
    [residue] = [f for f in result.json()["findings"] if f["rule"] == "boilerplate.block"]
    assert residue["part"].startswith("页眉") and "水印图形" in residue["message"]  # the header, its shape, the footer
    assert len(places) >= 7
    lines = {f["line"] for f in result.json()["findings"]}
    assert all(line >= 1 for line in lines)


def test_fix_writes_into_the_runs_and_leaves_everything_else_as_it_was(cli, tmp_path):
    path = tmp_path / "speech.docx"
    original = defects_everywhere()
    path.write_bytes(original)
    result = cli("check", "--fix", "--select", "typo.word", "speech.docx", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    fixed = path.read_bytes()
    before, after = raw_records(original), raw_records(fixed)
    assert list(before) == list(after)  # same members, same order
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["word/document.xml", "word/comments.xml"]
    with zipfile.ZipFile(io.BytesIO(fixed)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "路劲" not in body and "<w:r><w:rPr><w:b/></w:rPr><w:t>路径</w:t></w:r>" in body  # the first run's rPr
    again = cli("check", "--fix", "--select", "typo.word", "speech.docx", cwd=tmp_path)
    assert again.code == 0 and path.read_bytes() == fixed  # a second run changes nothing


def test_the_watermark_goes_only_with_unsafe_fixes(cli, tmp_path):
    path = tmp_path / "speech.docx"
    path.write_bytes(defects_everywhere())
    cli("check", "--fix", "--select", "boilerplate", "speech.docx", cwd=tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert "仅供学习" in archive.read("word/header1.xml").decode("utf-8")
    cli("check", "--fix", "--unsafe-fixes", "--select", "boilerplate", "speech.docx", cwd=tmp_path)
    with zipfile.ZipFile(path) as archive:
        header = archive.read("word/header1.xml").decode("utf-8")
        footer = archive.read("word/footer1.xml").decode("utf-8")
    assert "仅供学习" not in header and "v:shape" not in header
    assert "第1页" not in footer
    report = cli("check", "--format", "json", "--select", "boilerplate", "speech.docx", cwd=tmp_path)
    assert not [f for f in report.json()["findings"] if "水印" in f.get("part", "")]


def test_diff_shows_the_changed_paragraphs_with_their_place(cli, tmp_path):
    path = tmp_path / "speech.docx"
    path.write_bytes(defects_everywhere())
    before = path.read_bytes()
    result = cli("check", "--diff", "--select", "typo.word", "speech.docx", cwd=tmp_path)
    assert result.code == 1
    assert (
        "正文 第2段" in result.out
        and "-同志们：我们要探索路劲" in result.out
        and "+同志们：我们要探索路径" in result.out
    )
    assert path.read_bytes() == before


def test_text_report_names_the_part(cli, tmp_path):
    (tmp_path / "speech.docx").write_bytes(defects_everywhere())
    result = cli("check", "--select", "placeholder", "speech.docx", cwd=tmp_path)
    assert "（表格1 第1行第1列）" in result.out or "表格1" in result.out


def test_a_zip_bomb_is_one_line(cli, tmp_path):
    big = make_docx(P("正文。") + "<!--" + " " * 150_000_000 + "-->")  # document.xml inflates to 150 MB
    (tmp_path / "bomb.docx").write_bytes(big)
    result = cli("check", "bomb.docx", cwd=tmp_path)
    assert result.code == 2 and result.err.count("\n") == 1 and "bomb.docx" in result.err


def test_old_binary_formats_get_a_hint(cli, tmp_path):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    result = cli("check", "old.doc", cwd=tmp_path)
    assert result.code == 2 and "另存为 .docx" in result.err and result.err.count("\n") == 1
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    locked = cli("check", "locked.docx", cwd=tmp_path)
    assert locked.code == 2 and "locked.docx" in locked.err and locked.err.count("\n") == 1
