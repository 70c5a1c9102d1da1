"""Stage 6: the one filter every finding passes, per-document and corpus findings alike.

In order: per-file ignores (`per-file-ignores`), inline suppressions (Markdown comments),
findings lying inside text another finding deletes outright (a stray space inside a
watermark block is moot once the block goes), and last the baseline (findings a team has
accepted). All of it works on located findings, in source offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from speechlint.config.settings import Settings, selector_matches
from speechlint.documents import Document
from speechlint.documents.markup import is_markdown
from speechlint.model import Located
from speechlint.pipeline.baseline import Key, keys_of
from speechlint.pipeline.suppress import Suppression, apply_suppressions, parse_suppressions


@dataclass
class FilterContext:
    """What the filter needs to know of one document (kept while the run goes on: small)."""

    ignored: tuple[str, ...] = ()
    suppressions: list[Suppression] = field(default_factory=list)

    @classmethod
    def of(cls, doc: Document, settings: Settings) -> FilterContext:
        suppressions = parse_suppressions(doc.source) if is_markdown(doc.path) else []
        return cls(tuple(settings.ignored_for(doc.path)), suppressions)

    def renewed(self, doc: Document) -> FilterContext:
        """The same context for a fixed version of the document (suppressions moved with the text)."""
        suppressions = parse_suppressions(doc.source) if self.suppressions else []
        return FilterContext(self.ignored, suppressions)


@dataclass
class Baseline:
    """Accepted findings, and how many of this run's findings they hid."""

    accepted: set[Key]
    hidden: int = 0


def filter_located(items: list[Located], context: FilterContext, baseline: Baseline | None = None) -> list[Located]:
    """The findings of ONE document that are to be reported (and fixed), in document order."""
    items.sort(key=lambda i: (i.offset, i.end_offset, i.finding.rule_id))
    if context.ignored:
        items = [i for i in items if not _ignored(i, context.ignored)]
    items = apply_suppressions(items, context.suppressions)
    items = drop_deleted(items)
    if baseline is not None and items:
        kept = [item for item, key in zip(items, keys_of(items), strict=True) if key not in baseline.accepted]
        baseline.hidden += len(items) - len(kept)
        items = kept
    return items


def _ignored(item: Located, selectors: tuple[str, ...]) -> bool:
    finding = item.finding
    return any(selector_matches(s, finding.rule_id, finding.category) for s in selectors)


def drop_deleted(items: list[Located]) -> list[Located]:
    """Drop findings inside text another finding's fix deletes outright (`items` sorted).

    One sweep in document order: the two deletions reaching furthest among those begun so far
    say whether another deletion covers a finding (two, so that a deletion never drops itself).
    """
    deletions = sorted(
        (i.offset, i.end_offset, id(i)) for i in items if i.finding.fix is not None and i.finding.fix.replacement == ""
    )
    if not deletions:
        return items
    kept: list[Located] = []
    first: tuple[int, int] = (-1, -1)  # (end, id) of the furthest-reaching deletion begun so far
    second: tuple[int, int] = (-1, -1)  # the next furthest, from another deletion
    begun = 0
    for item in items:
        while begun < len(deletions) and deletions[begun][0] <= item.offset:
            _, end, key = deletions[begun]
            if end > first[0]:
                first, second = (end, key), first
            elif end > second[0]:
                second = (end, key)
            begun += 1
        if (first[0] >= item.end_offset and first[1] != id(item)) or second[0] >= item.end_offset:
            continue
        kept.append(item)
    return kept
