"""What a .docx may cost to read, and the one error type a caller has to catch.

A Word file is a zip archive: a few kilobytes can inflate to gigabytes (a "zip bomb").
Every size below is checked against the zip's central directory *before* inflating and
again while inflating, because a forged directory may lie about sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


class DocxError(Exception):
    """The file cannot be read or written as .docx; the message is one Chinese line naming the file."""


@dataclass(frozen=True)
class DocxLimits:
    """Bounds on reading one .docx; the defaults are far above any real 讲话稿 or report.

    A 300-page report is about 5 MB of document.xml and a few hundred members (mostly images).
    """

    max_file_bytes: int = 200 * MB
    """The .docx itself. Images make files big; text never does (checked before it is read into memory)."""

    max_members: int = 5000
    """Zip entries. Real documents have 10–500; tens of thousands are a denial-of-service archive."""

    max_part_bytes: int = 64 * MB
    """One inflated XML part we read (document.xml, a header …). 64 MB is ~10,000 pages of text."""

    max_total_bytes: int = 100 * MB
    """All inflated XML parts we read together. Images and other members are never inflated."""

    max_ratio: int = 200
    """Inflated/compressed size of a part larger than `ratio_floor_bytes`. Word's XML compresses 5–30×,
    a generated report of identical table rows ~100×; deflated zeros reach ~1000×, the mark of a bomb."""

    ratio_floor_bytes: int = 8 * MB
    """Parts smaller than this are never refused for their ratio: inflating them costs little anyway."""
