"""Building Word documents from raw OOXML in tests: each test shows exactly the XML it is about."""

from __future__ import annotations

import io
import struct
import zipfile

from speechlint.documents.docx import DocxLimits, DocxPackage

# --- building documents --------------------------------------------------------------------
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'mc:Ignorable="wps"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = {
    "header": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "footer": "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "footnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "endnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "comments": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
}
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
BOLD = "<w:rPr><w:b/></w:rPr>"
RED = '<w:rPr><w:color w:val="FF0000"/></w:rPr>'


def R(text: str, rpr: str = "") -> str:
    return f"<w:r>{rpr}<w:t>{text}</w:t></w:r>"


def P(*runs: str, ppr: str = "") -> str:
    """A paragraph; a plain string argument becomes one run."""
    return "<w:p>" + ppr + "".join(r if r.startswith("<") else R(r) for r in runs) + "</w:p>"


def SECT(**refs: str) -> str:
    """<w:sectPr> with header/footer references: SECT(header="rId10", first_header="rId11", footer="rId12")."""
    out = []
    for key, rid in refs.items():
        kind_type = key.split("_")
        ref_type, kind = (kind_type[0], kind_type[1]) if len(kind_type) == 2 else ("default", kind_type[0])
        out.append(f'<w:{kind}Reference w:type="{ref_type}" r:id="{rid}"/>')
    titlepg = "<w:titlePg/>" if any(k.startswith("first") for k in refs) else ""
    return f'<w:sectPr>{"".join(out)}<w:pgSz w:w="11906" w:h="16838"/>{titlepg}</w:sectPr>'


def TABLE(*rows: list[str]) -> str:
    """A table; each cell is the XML of its content (paragraphs, nested tables)."""
    body = "".join("<w:tr>" + "".join(f"<w:tc>{cell}</w:tc>" for cell in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/>{body}</w:tbl>"


def root(tag: str, content: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag} {NS}>{content}</w:{tag}>'


def make_docx(
    body: str, parts: dict[str, tuple[str, str]] | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    """A .docx: `body` is the content of w:body; `parts` maps a relationship id to (type, part XML)."""
    parts = parts or {}
    names: dict[str, str] = {}
    counters: dict[str, int] = {}
    for rid, (kind, _) in parts.items():
        counters[kind] = counters.get(kind, 0) + 1
        names[rid] = f"{kind}{counters[kind]}.xml" if kind in ("header", "footer") else f"{kind}.xml"
    overrides = "".join(
        f'<Override PartName="/word/{names[rid]}" ContentType="{CONTENT_TYPES[kind]}"/>'
        for rid, (kind, _) in parts.items()
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{MAIN_TYPE}"/>{overrides}</Types>'
    )
    package_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{names[rid]}"/>' for rid, (kind, _) in parts.items()
        )
        + "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("word/document.xml", root("document", f"<w:body>{body}</w:body>"))
        archive.writestr("word/_rels/document.xml.rels", document_rels)
        for rid, (_, xml) in parts.items():
            archive.writestr(f"word/{names[rid]}", xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read(data: bytes, limits: DocxLimits | None = None) -> DocxPackage:
    return DocxPackage.read(data, "讲话.docx", limits)


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def xml(data: bytes, name: str = "word/document.xml") -> str:
    return member(data, name).decode("utf-8")


def rows(package: DocxPackage) -> list[tuple[str, str, str]]:
    return [(p.kind, p.label, p.text) for p in package.paragraphs]


def fix(package: DocxPackage, old: str, new: str, nth: int = 0) -> tuple[bytes, list[str]]:
    """Replace the nth occurrence of `old` in the package text."""
    start = -1
    for _ in range(nth + 1):
        start = package.text.index(old, start + 1)
    return package.with_edits([(start, start + len(old), new)])


def raw_records(data: bytes) -> dict[str, bytes]:
    """Each member's local header and compressed data, exactly as stored."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            nlen, xlen = struct.unpack_from("<HH", data, info.header_offset + 26)
            out[info.filename] = data[info.header_offset : info.header_offset + 30 + nlen + xlen + info.compress_size]
    return out


HEADER_WATERMARK = root(
    "hdr",
    P("某某公司文库")
    + '<w:p><w:r><w:pict><v:shapetype id="_x0000_t136" o:spt="136" path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:412pt;height:164pt;rotation:315;z-index:-251657216" '
    'fillcolor="silver" stroked="f"><v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;宋体&quot;;font-size:1pt" string="仅供学习"/></v:shape></w:pict></w:r></w:p>',
)


def TEXTBOX(text: str, fallback_text: str | None = None) -> str:
    """A DrawingML text box in mc:AlternateContent with its VML fallback, as Word writes it."""
    fallback_text = text if fallback_text is None else fallback_text
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
        'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1828800" cy="457200"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="1" name="文本框 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="457200"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{P(text)}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="文本框 1" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;width:144pt;height:36pt">'
        f"<v:textbox><w:txbxContent>{P(fallback_text)}</w:txbxContent></v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
