"""Placing findings in their documents: from offsets in the text rules saw to lines and columns
of the decoded source, which is what reports, baselines and fixes use."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from speechlint.documents import Document
from speechlint.model import Finding, Located, LocatedRelated, RelatedLocation


def locate(doc: Document, finding: Finding, excerpt: bool = True) -> Located:
    """Positions of a finding in `doc`'s decoded source (a CRLF counts as two code points).

    `excerpt` keeps the finding's line for the reports that show it; machine formats do
    without (a paragraph copied per finding is most of a large run's memory).
    """
    line, column = doc.line_col(finding.offset)
    end_line, end_column = doc.line_col(finding.end_offset)
    return Located(
        path=doc.path,
        finding=finding,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        offset=doc.to_source_offset(finding.offset),
        end_offset=doc.to_source_end(finding.end_offset),
        text=doc.text[finding.offset : finding.end_offset],
        line_text=doc.line_text(line) if excerpt else "",
        related=[_related(doc, r) for r in finding.related] if finding.related else (),
        part=doc.part_label(line),
    )


def locate_all(doc: Document, findings: Iterable[Finding], excerpt: bool = True) -> list[Located]:
    """`locate` of every finding, in one loop with its lookups hoisted: a dense document has
    thousands of findings, and most lie within one line of a text whose offsets are the
    source's own (no CR dropped), where the end needs no second search."""
    text = doc.text
    starts = doc.line_starts
    same_offsets = doc.keeps_offsets
    path = doc.path
    out: list[Located] = []
    for finding in findings:
        offset, end = finding.offset, finding.end_offset
        if finding.related or not same_offsets or text.find("\n", offset, end) >= 0:
            out.append(locate(doc, finding, excerpt))
            continue
        index = bisect_right(starts, offset) - 1
        line = index + 1
        out.append(
            Located(
                path,
                finding,
                line,
                offset - starts[index] + 1,
                line,
                end - starts[index] + 1,
                offset,
                end,
                text[offset:end],
                doc.line_text(line) if excerpt else "",
                (),
                doc.part_label(line),
            )
        )
    return out


def _related(doc: Document, rel: RelatedLocation) -> LocatedRelated:
    if rel.line is not None:  # placed by a corpus rule, which no longer holds the text
        return LocatedRelated(
            rel.path or doc.path,
            rel.line,
            rel.column or 1,
            rel.end_line or rel.line,
            rel.end_column or 1,
            rel.message,
        )
    line, column = doc.line_col(rel.offset)
    end_line, end_column = doc.line_col(rel.end_offset)
    return LocatedRelated(rel.path or doc.path, line, column, end_line, end_column, rel.message)
