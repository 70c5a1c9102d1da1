"""A small on-disk cache of parsed and validated YAML files, keyed by their content.

Parsing the typo pack with libyaml and importing jsonschema to check a user's config cost
more than linting a 10 KB document. The result of both depends only on the file's bytes
(and speechlint's version), so it is kept as JSON under the user's cache directory. Any
problem with the cache (read-only home, corrupt entry) silently falls back to no cache.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
