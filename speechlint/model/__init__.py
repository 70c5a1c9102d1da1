"""Plain records shared by every stage: rule metadata, findings, fixes and located findings."""

from speechlint.model.records import (
    CATEGORIES,
    CONTENT_CATEGORIES,
    Applicability,
    Example,
    Finding,
    Fix,
    Located,
    LocatedRelated,
    RelatedLocation,
    RuleMeta,
    Severity,
)

__all__ = [
    "CATEGORIES",
    "CONTENT_CATEGORIES",
    "Applicability",
    "Example",
    "Finding",
    "Fix",
    "Located",
    "LocatedRelated",
    "RelatedLocation",
    "RuleMeta",
    "Severity",
]
