"""What every reporter receives besides the findings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RunSummary:
    """The counts a report ends with: files checked and fixed, skipped inputs, failures."""

    files: int = 0
    fixed_files: int = 0
    fixes_applied: int = 0
    skipped: list[str] = field(default_factory=list)  # warnings about files not linted
    baselined: int = 0  # findings hidden because the baseline accepts them
    failed: list[str] = field(default_factory=list)  # inputs that could not be checked (exit 2), one line each
