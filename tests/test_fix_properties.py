"""Properties of fixing, over random documents: only the named characters change.

Random texts in UTF-8, UTF-8 with BOM, GB18030 and UTF-16 (with BOM), with LF, CRLF or CR line
endings; random non-overlapping edits (in the text rules see) applied through the document's
offset map; and the real `--fix` run over files holding known typos at random places.
"""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from speechlint.config import Settings
from speechlint.documents import Document
from speechlint.pipeline.fix import apply_edits
from speechlint.pipeline.run import fix_document
from speechlint.rulesets import build_ruleset

ENCODINGS = {
    "utf-8": ("utf-8", b""),
    "utf-8-bom": ("utf-8", codecs.BOM_UTF8),
    "gb18030": ("gb18030", b""),
    "utf-16": ("utf-16-le", codecs.BOM_UTF16_LE),
}
NEWLINES = ["\n", "\r\n", "\r"]
CHARS = "同志们今天召开全县工作会议要坚持党建引领推动高质量发展，。、“”（）abcXY 12"
TYPOS = {"路劲": "路径", "份内事": "分内事", "再接再励": "再接再厉"}
TYPO_RULES = build_ruleset(Settings(), ["typo.word", "typo.idiom"])

lines = st.lists(st.text(alphabet=CHARS, max_size=30), min_size=1, max_size=8)


def encode(text: str, encoding: str) -> bytes:
    codec, bom = ENCODINGS[encoding]
    return bom + text.encode(codec)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str, bytes]:
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    newline = draw(st.sampled_from(NEWLINES))
    source = newline.join(draw(lines)) + draw(st.sampled_from(["", newline]))
    return encoding, source, encode(source, encoding)


@given(documents(), st.data())
@settings(max_examples=150, deadline=None)
def test_edits_change_only_their_spans(document: tuple[str, str, bytes], data: st.DataObject) -> None:
    _, _, raw = document
    doc = Document.from_bytes(raw, "a.txt", "gb18030")
    assert doc.encode(doc.source) == raw  # decoding round-trips (short GB18030 may read as UTF-8)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(doc.text)), max_size=6, unique=True)))
    spans = list(zip(cuts[::2], cuts[1::2], strict=False))
    replacements = [data.draw(st.text(alphabet="甲乙丙", max_size=3)) for _ in spans]
    edits = [
        (doc.to_source_offset(start), doc.to_source_end(end), new)
        for (start, end), new in zip(spans, replacements, strict=True)
    ]
    fixed, _ = apply_edits(doc.source, edits)
    # The expected bytes: every untouched piece of the source encoded alone, the replacements between.
    pieces, cursor = [], 0
    for start, end, new in edits:
        pieces += [doc.source[cursor:start], new]
        cursor = max(cursor, end)
    pieces.append(doc.source[cursor:])
    codec, bom = doc.encoding.name, doc.encoding.bom
    assert doc.encode(fixed) == bom + b"".join(p.encode(codec) for p in pieces)
    again = Document.from_bytes(doc.encode(fixed), "a.txt", "gb18030")
    assert again.encode(again.source) == doc.encode(fixed)  # what was written reads back byte for byte
    if again.encoding == doc.encoding:  # (a few GB18030 bytes may also be valid UTF-8)
        assert again.source == fixed


@given(documents(), st.lists(st.sampled_from(sorted(TYPOS)), min_size=1, max_size=4), st.data())
@settings(max_examples=60, deadline=None)
def test_fix_replaces_the_typos_and_nothing_else(
    document: tuple[str, str, bytes], typos: list[str], data: st.DataObject
) -> None:
    encoding, original, _ = document
    places = []
    for typo in typos:  # each typo at a random place of the original text, never inside a CRLF
        at = data.draw(st.integers(0, len(original)))
        while at and original[at - 1] == "\r" and at < len(original) and original[at] == "\n":
            at -= 1
        places.append((at, typo))
    source = expected = original
    for at, typo in sorted(places, reverse=True):
        source = source[:at] + "，" + typo + "，" + source[at:]
        expected = expected[:at] + "，" + TYPOS[typo] + "，" + expected[at:]
    doc = Document.from_bytes(encode(source, encoding), "a.txt", "gb18030")
    assert doc.source == source  # the typos make the text long enough to tell the encoding
    once = fix_document(doc, TYPO_RULES)
    assert once.document.source == expected
    assert once.document.encode(once.document.source) == encode(expected, encoding)
    twice = fix_document(once.document, TYPO_RULES)
    assert twice.applied == 0 and twice.document.source == once.document.source
