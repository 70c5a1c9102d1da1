"""What a run is configured to do, after the config file and the command line are merged.

A plain record plus the two matching rules every stage shares: how a selector (`ALL`, a
category, an id or an id prefix) names rules, and how a glob names paths.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from speechlint.model import Severity

DEFAULT_EXTENSIONS = (".txt", ".md", ".docx")


@dataclass
class Settings:
    """Everything a run needs to know from configuration."""

    config_file: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    extends_default: bool = True
    select: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    unsafe_fixes: list[str] = field(default_factory=list)  # rules whose fixes only --unsafe-fixes applies
    severity: dict[str, Severity] = field(default_factory=dict)
    packs: list[Path] = field(default_factory=list)
    custom_rules: list[Any] = field(default_factory=list)  # RuleSource records from the config file
    exclude: list[str] = field(default_factory=list)
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str = "error"
    encoding_fallback: str = "gb18030"
    options: dict[str, dict[str, Any]] = field(default_factory=dict)

    def ignored_for(self, path: str) -> list[str]:
        """Selectors ignored for this file by `per-file-ignores`."""
        found: list[str] = []
        for pattern, selectors in self.per_file_ignores.items():
            if glob_match(path, pattern):
                found.extend(selectors)
        return found


def glob_match(path: str, pattern: str) -> bool:
    """Match a glob against the path and each of its tails (`*.md` matches `docs/a.md`)."""
    path = path.replace("\\", "/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    parts = path.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[i:]), pattern) for i in range(1, len(parts)))


def selector_matches(selector: str, rule_id: str, category: str) -> bool:
    """`ALL`, a category, an exact id, or an id prefix ending at a dot (`placeholder` → `placeholder.x`)."""
    return selector in ("ALL", category, rule_id) or rule_id.startswith(selector.rstrip(".") + ".")
