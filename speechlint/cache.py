"""Small on-disk caches keyed by content: parsed YAML files and compiled regular expressions.

Parsing the typo pack with libyaml and importing jsonschema to check a user's config cost
more than linting a 10 KB document, and so did compiling the packs' regexes. Each result
depends only on its input (and the versions of speechlint, Python and `regex`), so it is kept
under the user's cache directory. Any problem with the cache (read-only home, corrupt entry)
silently falls back to no cache.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:  # the builtin module: `hashlib` would load OpenSSL (~3 ms of every run's start-up)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b as _blake2b

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


def _digest(data: bytes) -> bytes:
    """A strong 160-bit digest: a cache key no crafted file can collide with (a checksum could be
    forged by a document in an untrusted repository to stand in for a shipped pack)."""
    return _blake2b(data, digest_size=20).digest()


def _key(data: bytes) -> str:
    return _digest(data).hex()


def _directory(directory: Path) -> None:
    """Created for this user only: what it holds is read back as trusted (see `cached_regex`)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def _write(entry: Path, data: bytes) -> None:
    """Atomically, or not at all (a failed write leaves nothing behind)."""
    temporary = entry.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        _directory(entry.parent)
        temporary.write_bytes(data)
        os.replace(temporary, entry)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


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
    with contextlib.suppress(TypeError, ValueError):  # not JSON-compatible: not cached
        _write(entry, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return data


def cached_regex(source: str, flags: int, lists: Mapping[str, list[str]] | None = None) -> regex.Pattern[str]:
    """`regex.compile(source, flags, ignore_unused=True, **lists)`, from the cache when possible.

    `regex` parses a pattern in Python: 1–13 ms for each shipped one (those holding a named
    list of hundreds of words the slowest), most of the rule building of a one-file run. A
    pickled pattern holds its compiled code and loads in ~0.5 ms. An entry is the digest of its
    pickle followed by the pickle; a damaged one (a flipped bit, a cut-off write) fails the digest
    and is compiled afresh, never handed to `regex` (whose compiled code it would trust). The
    cache directory is the user's own (created 0700): an entry planted there by someone who can
    write to it is trusted like the user's other files. The unpickler admits nothing but
    `regex`'s compile. A pattern that does not compile raises `regex.error` as `regex.compile`
    does, and nothing is cached. `flags` carries the V0/V1 behaviour explicitly (`regex`'s
    DEFAULT_VERSION is never relied on).
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
        stored = entry.read_bytes()
    except OSError:
        stored = b""
    if len(stored) > _DIGEST and stored[:_DIGEST] == _digest(stored[_DIGEST:]):
        try:
            loaded = _regex_unpickler()(io.BytesIO(stored[_DIGEST:])).load()
            if isinstance(loaded, regex.Pattern) and loaded.pattern == source:
                return loaded
        except Exception:  # a cache must never stop a run: compile afresh below
            pass
    result = compile_(source, flags, ignore_unused=True, **(lists or {}))
    try:
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError):
        return result
    _write(entry, _digest(payload) + payload)
    return result


_DIGEST = 20


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
