"""Small on-disk caches keyed by content: parsed YAML files and compiled regular expressions.

Parsing the typo pack with libyaml and importing jsonschema to check a user's config cost
more than linting a 10 KB document, and so did compiling the packs' regexes. Each result
depends only on its input (and the versions of speechlint, Python and `regex`), so it is kept
under the user's cache directory. Any problem with the cache (read-only home, corrupt entry)
silently falls back to no cache.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pickle

    import regex

from speechlint import __version__


def cache_dir() -> Path | None:
    if os.environ.get("SPEECHLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("SPEECHLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "speechlint"


def _key(data: bytes) -> str:
    """Two checksums and the length: any edit of a pack changes it. Not hashlib, whose import
    (OpenSSL) cost ~3 ms of every run's start-up; nothing here needs a cryptographic hash."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def cached_load(raw: bytes, kind: str, load: Callable[[], Any]) -> Any:
    """`load()`'s result for a file whose bytes are `raw`, from the cache when possible.

    `load` must return JSON-compatible data and raise on any problem (nothing is cached then).
    """
    directory = cache_dir()
    if directory is None:
        return load()
    key = _key(f"{__version__}\0{kind}\0".encode() + raw)
    entry = directory / f"{key}.json"
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = load()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, entry)
    except (OSError, TypeError, ValueError):
        pass
    return data


def cached_regex(source: str, flags: int, lists: Mapping[str, list[str]] | None = None) -> regex.Pattern[str]:
    """`regex.compile(source, flags, ignore_unused=True, **lists)`, from the cache when possible.

    `regex` parses a pattern in Python: 1–13 ms for each shipped one (those holding a named
    list of hundreds of words the slowest), most of the rule building of a one-file run. A
    pickled pattern holds its compiled code and loads in ~0.5 ms. Only that is read back: the
    unpickler admits nothing but `regex`'s own compile function. A pattern that does not
    compile raises `regex.error` as `regex.compile` does, and nothing is cached.
    """
    import regex

    compile_: Any = regex.compile  # its stub does not type the named-list keywords
    directory = cache_dir()
    if directory is None:
        result: regex.Pattern[str] = compile_(source, flags, ignore_unused=True, **(lists or {}))
        return result
    import pickle

    parts = [regex.__version__, f"{sys.version_info[0]}.{sys.version_info[1]}", str(int(flags)), source]
    for name in sorted(lists or {}):
        parts += [name, "\x1f".join((lists or {})[name])]
    entry = directory / f"re-{_key(chr(0).join(parts).encode('utf-8', 'surrogatepass'))}.pickle"
    try:
        with entry.open("rb") as handle:
            loaded = _regex_unpickler()(handle).load()
        if isinstance(loaded, regex.Pattern) and loaded.pattern == source:
            return loaded
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, IndexError, TypeError, ValueError):
        pass
    result = compile_(source, flags, ignore_unused=True, **(lists or {}))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, entry)
    except (OSError, pickle.PicklingError, TypeError):
        pass
    return result


@functools.cache
def _regex_unpickler() -> type[pickle.Unpickler]:
    """Defined on first use: `pickle` is imported only by runs that compile a regex."""
    import pickle

    class RegexUnpickler(pickle.Unpickler):
        """Builds a compiled `regex` pattern and nothing else."""

        def find_class(self, module: str, name: str) -> Any:
            if (module, name) == ("regex._regex", "compile"):
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"not a compiled regex: {module}.{name}")

    return RegexUnpickler
