"""Which files to lint: explicit files, and directory walks filtered by extension and ignores.

A walk skips hidden and VCS directories, files matched by `exclude` globs, and whatever
the `.gitignore` files met on the way ignore (read with `pathspec`, which implements Git's
wildmatch rules exactly, instead of an approximation written here).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
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
    outside: bool = False  # a symbolic link met in a walk that leads out of the walked directory

    @property
    def writable(self) -> bool:
        """May `--fix` write it? Never through a link out of the tree the user named."""
        return not self.outside

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


@dataclass
class Problems:
    """What a walk met and could not check: `errors` (an unreadable directory, a path that cannot
    be examined: the run goes on and ends with exit status 2) and `warnings` (a dangling link)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def iter_targets(paths: list[str], settings: Settings, problems: Problems | None = None) -> Iterator[Target]:
    """Files to lint, in a stable order; raises PathError for a missing path. What cannot be
    read on the way goes to `problems`, one line each naming the path."""
    seen: set[Path] = set()
    found = problems if problems is not None else Problems()
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield Target(path, "-", explicit=True)
            continue
        try:
            is_dir = path.is_dir()
            path.stat()
        except FileNotFoundError:
            raise PathError(f"{raw}: 路径不存在") from None
        except OSError as exc:
            found.errors.append(f"{raw}: 无法访问（{exc.strerror}）")
            continue
        if is_dir:
            root = os.path.realpath(path)
            for file in _walk(path, settings, found):
                key = Path(os.path.abspath(file))  # os.walk does not follow links: no resolve needed
                if key not in seen:
                    seen.add(key)
                    outside = file.is_symlink() and not _inside(os.path.realpath(file), root)
                    yield Target(file, display_path(file), explicit=False, outside=outside)
        else:
            key = Path(os.path.realpath(path))
            if key in seen or _excluded(display_path(path), settings):
                continue
            seen.add(key)
            yield Target(path, display_path(path), explicit=True)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(top: Path, settings: Settings, problems: Problems) -> Iterator[Path]:
    ignores: list[tuple[Path, object]] = []  # (directory, PathSpec) from .gitignore files

    def unreadable(error: OSError) -> None:
        where = display_path(Path(error.filename)) if error.filename else display_path(top)
        problems.errors.append(f"{where}: 目录无法读取（{error.strerror}），其中的文件未检查")

    for directory, dirnames, filenames in os.walk(top, onerror=unreadable):
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
            if file.is_symlink() and not file.exists():
                problems.warnings.append(f"{display_path(file)}: 符号链接指向的文件不存在，已跳过")
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
