"""Which files to lint: explicit files, and directory walks filtered by extension and ignores.

A walk skips hidden and VCS directories, files matched by `exclude` globs, and whatever
the `.gitignore` files met on the way ignore (read with `pathspec`, which implements Git's
wildmatch rules exactly, instead of an approximation written here).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speechlint.config.settings import Settings, glob_match

SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", "site-packages"}


class PathError(Exception):
    """A path named on the command line that does not exist (exit status 2)."""


@dataclass(frozen=True)
class Target:
    """One document to check: a file, standard input (`-`), or text given in memory."""

    path: Path
    display: str
    explicit: bool  # named on the command line, rather than met in a walk
    content: str | None = None  # the text itself, for documents that are not files (rule examples)

    @property
    def in_memory(self) -> bool:
        """Cannot be read again: its document is kept for the later stages."""
        return self.content is not None or self.display == "-"


def display_path(path: Path) -> str:
    """Paths relative to the working directory when possible, always with forward slashes.

    String work on the absolute path, not `resolve()`: resolving every file of a large
    tree (a stat per path component) cost more than linting it.
    """
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd:
        return "."
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix) :].replace(os.sep, "/")
    return Path(absolute).as_posix()


def iter_targets(paths: list[str], settings: Settings) -> Iterator[Target]:
    """Files to lint, in a stable order; raises PathError for a missing path."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield Target(path, "-", explicit=True)
            continue
        if not path.exists():
            raise PathError(f"{raw}: 路径不存在")
        if path.is_dir():
            for file in _walk(path, settings):
                key = Path(os.path.abspath(file))  # os.walk does not follow links: no resolve needed
                if key not in seen:
                    seen.add(key)
                    yield Target(file, display_path(file), explicit=False)
        else:
            key = Path(os.path.realpath(path))
            if key in seen or _excluded(display_path(path), settings):
                continue
            seen.add(key)
            yield Target(path, display_path(path), explicit=True)


def _walk(top: Path, settings: Settings) -> Iterator[Path]:
    ignores: list[tuple[Path, object]] = []  # (directory, PathSpec) from .gitignore files
    for directory, dirnames, filenames in os.walk(top):
        base = Path(directory)
        spec = _gitignore(base)
        if spec is not None:
            ignores.append((base, spec))
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not _excluded(display_path(base / d) + "/", settings)
            and not _git_ignored(base / d, ignores, is_dir=True)
        )
        for name in sorted(filenames):
            file = base / name
            if name.startswith((".", "~$")) or not name.lower().endswith(settings.extensions):  # ~$: Word lock files
                continue
            if _excluded(display_path(file), settings) or _git_ignored(file, ignores, is_dir=False):
                continue
            yield file


def _excluded(display: str, settings: Settings) -> bool:
    return any(glob_match(display.rstrip("/"), p) or glob_match(display, p) for p in settings.exclude)


def _gitignore(directory: Path) -> Any:
    file = directory / ".gitignore"
    if not file.is_file():
        return None
    import pathspec

    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _git_ignored(path: Path, ignores: list[tuple[Path, object]], is_dir: bool) -> bool:
    for base, spec in ignores:
        try:
            relative = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if spec.match_file(relative + ("/" if is_dir else "")):  # type: ignore[attr-defined]
            return True
    return False
