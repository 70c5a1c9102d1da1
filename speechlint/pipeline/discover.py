"""Which files to lint: explicit files, and directory walks filtered by extension and ignores.

A walk skips hidden and VCS directories, files matched by `exclude` globs, and whatever
the `.gitignore` files met on the way ignore (read with `pathspec`, which implements Git's
wildmatch rules exactly, instead of an approximation written here).
"""

from __future__ import annotations

import errno
import os
import stat
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
    return absolute.replace(os.sep, "/")


@dataclass
class Problems:
    """What a walk met and could not check: `errors` (an unreadable directory, a path that cannot
    be examined: the run goes on and ends with exit status 2) and `warnings` (a dangling link)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def iter_targets(paths: list[str], settings: Settings, problems: Problems | None = None) -> Iterator[Target]:
    """Files to lint, in a stable order; raises PathError for a missing path. What cannot be
    read on the way goes to `problems`, one line each naming the path."""
    seen: set[str] = set()  # absolute (for links: real) paths, as strings: a Path per file cost more
    found = problems if problems is not None else Problems()
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield Target(path, "-", explicit=True)
            continue
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise PathError(f"{raw}: 路径不存在") from None
        except OSError as exc:
            found.errors.append(f"{raw}: 无法访问（{exc.strerror}）")
            continue
        if stat.S_ISDIR(mode):
            root = os.path.realpath(path)
            for file, linked in _walk(path, settings, found):
                # A link is its target (two names of one file are checked once, and fixed once);
                # other files by their absolute path: resolving every path cost more than linting.
                key = os.path.normcase(os.path.realpath(file) if linked else os.path.abspath(file))
                if key not in seen:
                    seen.add(key)
                    outside = linked and not _inside(os.path.realpath(file), root)
                    yield Target(file, display_path(file), explicit=False, outside=outside)
        elif not stat.S_ISREG(mode):
            found.errors.append(f"{raw}: 不是普通文件（管道、设备等），未检查")
        else:
            key = os.path.normcase(os.path.realpath(path))
            if key in seen or _excluded(display_path(path), settings):
                continue
            seen.add(key)
            yield Target(path, display_path(path), explicit=True)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(top: Path, settings: Settings, problems: Problems) -> Iterator[tuple[Path, bool]]:
    """Regular files to check under `top`, each with whether it is a symbolic link."""
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
            kind = _file_kind(file, problems)
            if kind is not None:
                yield file, kind


def _file_kind(file: Path, problems: Problems) -> bool | None:
    """Whether a file met in a walk is a link (False: a plain file), or None to skip it: a dangling
    link, a pipe or a device (reading one would never end), a target that cannot be examined."""
    where = display_path(file)
    try:
        own = os.lstat(file).st_mode
        linked = stat.S_ISLNK(own)
        mode = os.stat(file).st_mode if linked else own
    except FileNotFoundError:
        problems.warnings.append(f"{where}: 符号链接指向的文件不存在，已跳过")
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.warnings.append(f"{where}: 符号链接循环指向自身，已跳过")
        else:
            problems.errors.append(f"{where}: 无法访问（{exc.strerror}），未检查")
        return None
    if not stat.S_ISREG(mode):
        problems.warnings.append(f"{where}: 不是普通文件（管道、设备等），已跳过")
        return None
    return linked


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
