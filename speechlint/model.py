"""Plain data shared by every part of speechlint: rules' metadata, findings and fixes.

Kept free of behaviour so that engines, the fixer and the reporters can all depend on it
without depending on each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

_FIELD = re.compile(r"\{([^{}]*)\}")

CATEGORIES = (
    "placeholder",
    "boilerplate",
    "typo",
    "canonical",
    "consistency",
    "duplicate",
    "punctuation",
    "whitespace",
    "other",
)


class Severity(str, Enum):
    """How serious a finding is; ordered so that `--fail-on` can compare."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @property
    def label(self) -> str:
        """The Chinese word a writer sees in reports."""
        return _SEVERITY_LABEL[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_SEVERITY_LABEL = {Severity.INFO: "提示", Severity.WARNING: "警告", Severity.ERROR: "错误"}


class Applicability(str, Enum):
    """Whether `--fix` applies a fix on its own (safe) or only with `--unsafe-fixes`."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Fix:
    """Replace the finding's span with `replacement` (empty string deletes it)."""

    replacement: str
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True)
class RelatedLocation:
    """Another place a finding refers to (the first copy of a duplicate, …).

    `path` is None for a location in the same document; offsets are in that document's
    normalised text until the linter maps them to the source.
    """

    offset: int
    end_offset: int
    path: str | None = None
    message: str = ""
    line: int | None = None  # set by corpus-level rules, which no longer hold the text
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


@dataclass
class Finding:
    """One problem at one span of a document.

    Offsets are code points into the text the engine saw; the linter maps them back to the
    decoded source (line endings included) before anything is reported or fixed.
    """

    rule_id: str
    category: str
    severity: Severity
    message: str
    offset: int
    end_offset: int
    fix: Fix | None = None
    related: list[RelatedLocation] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """A rule's own test case: `bad` must be flagged (and fix to `fixed`), `good` must not."""

    bad: str | None = None
    good: str | None = None
    fixed: str | None = None


@dataclass
class RuleMeta:
    """What every rule has, whatever its type."""

    id: str
    type: str
    category: str
    severity: Severity
    message: str
    description: str = ""
    applicability: Applicability | None = None
    examples: list[Example] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        # Most messages use only {match} and {suggestion}: two str.replace calls are several
        # times cheaper than format_map, and dense documents have thousands of findings.
        fields = set(_FIELD.findall(self.message))
        self._plain_fields = fields <= {"match", "suggestion"} and "{{" not in self.message and "}}" not in self.message

    @property
    def fixable(self) -> bool:
        return self.applicability is not None

    def render_message(self, match: str, suggestion: str = "", **more: str) -> str:
        """Fill `{match}` / `{suggestion}` (and any extra named fields) into the message."""
        if not more and self._plain_fields:
            return self.message.replace("{match}", match).replace("{suggestion}", suggestion)
        values = {"match": match, "suggestion": suggestion, **more}
        try:
            return self.message.format_map(_Defaulting(values))
        except (ValueError, IndexError):
            return self.message

    def make_fix(self, replacement: str | None) -> Fix | None:
        if replacement is None or self.applicability is None:
            return None
        return Fix(replacement, self.applicability)


class _Defaulting(dict):
    """Leaves unknown `{names}` in a message as they are instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
