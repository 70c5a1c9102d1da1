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
    """Drop findings inside text another finding's fix deletes outright (`items` sorted)."""
    deletions = [
        (i.offset, i.end_offset, id(i)) for i in items if i.finding.fix is not None and i.finding.fix.replacement == ""
    ]
    if not deletions:
        return items
    return [
        i
        for i in items
        if not any(start <= i.offset and i.end_offset <= end and key != id(i) for start, end, key in deletions)
    ]
