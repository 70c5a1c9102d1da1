"""Plain data shared by every stage of a run: rules' metadata, findings, fixes, located findings.

Kept free of behaviour so that engines, the pipeline and the reporters can all depend on it
without depending on each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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

# The categories that judge what a text says (as opposed to its punctuation and spacing):
# correct official prose must never trigger any of them.
CONTENT_CATEGORIES = ("placeholder", "boilerplate", "typo", "canonical", "consistency", "duplicate")


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


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace the finding's span with `replacement` (empty string deletes it)."""

    replacement: str
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    """Another place a finding refers to (the first copy of a duplicate, …).

    `path` is None for a location in the same document; offsets are in that document's
    text as the rules saw it. Corpus rules, which no longer hold the text, give the line and
    column themselves.
    """

    offset: int
    end_offset: int
    path: str | None = None
    message: str = ""
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


@dataclass(slots=True)
class Finding:
    """One problem at one span of a document.

    Offsets are code points into the text the rules saw (line endings normalised); locating
    maps them back to the decoded source before anything is reported or fixed.
    """

    rule_id: str
    category: str
    severity: Severity
    message: str
    offset: int
    end_offset: int
    fix: Fix | None = None
    related: Sequence[RelatedLocation] = ()
    extra: Mapping[str, Any] | None = None  # details for machine-readable reports


@dataclass(frozen=True, slots=True)
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
    # Rules (ids, prefixes or categories) whose findings this rule's give way to where they overlap:
    # one error, one message (a statistical guess yields to the word list's certain entry).
    yields_to: tuple[str, ...] = ()
    _plain_fields: bool = field(init=False, repr=False, default=True)

    def __post_init__(self) -> None:
        # Most messages use only {match} and {suggestion}: two str.replace calls are several
        # times cheaper than format_map, and dense documents have thousands of findings.
        fields = set(_FIELD.findall(self.message))
        self._plain_fields = fields <= {"match", "suggestion"} and "{{" not in self.message and "}}" not in self.message

    @property
    def fixable(self) -> bool:
        return self.applicability is not None

    def render_message(self, match: str, suggestion: str = "", fields: Mapping[str, str] | None = None) -> str:
        """Fill `{match}` / `{suggestion}` and the engine's own named `fields` into the message.

        The engine's fields live in their own mapping, so a field that happens to be called
        `match` or `suggestion` (a user's named regex group) can never clash with them: the
        engine's `match` and `suggestion` win.
        """
        if not fields and self._plain_fields:
            return self.message.replace("{match}", match).replace("{suggestion}", suggestion)
        values = _Defaulting(fields or {})
        values["match"] = match
        values["suggestion"] = suggestion
        try:
            return self.message.format_map(values)
        except (ValueError, IndexError, AttributeError, KeyError):
            return self.message


class _Defaulting(dict[str, str]):
    """Leaves unknown `{names}` in a message as they are instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True, slots=True)
class LocatedRelated:
    """A related location placed in its document, ready to report."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
        }


@dataclass(slots=True)
class Located:
    """A finding placed in its source document: what reporters, baselines and fixes use.

    `offset`/`end_offset` index the decoded source (a CRLF counts as two code points);
    `text` is the matched source text; `line_text` the finding's line, kept only for
    reports that show it; `part` says where in a Word document the line lies.
    """

    path: str
    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    text: str
    line_text: str = ""
    related: Sequence[LocatedRelated] = ()
    part: str = ""

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def rule_id(self) -> str:
        return self.finding.rule_id
