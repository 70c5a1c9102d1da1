"""Word documents are checked paragraph by paragraph (paragraph = line) and fixed in place."""

from __future__ import annotations

import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(path, paragraphs):
    body = "".join(
        f"<w:p><w:r><w:t>{text[:3]}</w:t></w:r><w:r><w:t>{text[3:]}</w:t></w:r></w:p>" for text in paragraphs
    )
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)


def test_docx_is_checked_paragraph_by_paragraph(cli, tmp_path):
    make_docx(
        tmp_path / "speech.docx", ["在全县党建工作会议上的讲话", "同志们：", "刚才XX部长讲了话，我们要探索路劲。"]
    )
    (tmp_path / "~$speech.docx").write_bytes(b"\x00lock")
    data = cli("check", "--format", "json", ".", cwd=tmp_path).json()
    found = [(f["path"], f["rule"], f["line"], f["column"], f["text"]) for f in data["findings"]]
    assert found == [
        ("speech.docx", "placeholder.x", 3, 3, "XX"),
        ("speech.docx", "typo.word", 3, 16, "路劲"),
    ]
    assert data["summary"]["files"] == 1  # the Word lock file is not a document


def test_docx_fix_is_written_into_the_file(cli, tmp_path):
    """Word files are fixed in place (tests/test_word.py checks every byte that must not change)."""
    make_docx(tmp_path / "speech.docx", ["我们要探索路劲。"])
    result = cli("check", "--fix", "speech.docx", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    with zipfile.ZipFile(tmp_path / "speech.docx") as archive:
        assert "路径" in archive.read("word/document.xml").decode("utf-8")


def test_broken_docx_is_one_clear_error(cli, tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = cli("check", "bad.docx", cwd=tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "bad.docx" in result.err and "Traceback" not in result.err
