"""A small on-disk cache of parsed and validated YAML files, keyed by their content.

Parsing the typo pack with libyaml and importing jsonschema to check a user's config cost
more than linting a 10 KB document. The result of both depends only on the file's bytes
(and speechlint's version), so it is kept as JSON under the user's cache directory. Any
problem with the cache (read-only home, corrupt entry) silently falls back to no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
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


def cached_load(raw: bytes, kind: str, load: Callable[[], Any]) -> Any:
    """`load()`'s result for a file whose bytes are `raw`, from the cache when possible.

    `load` must return JSON-compatible data and raise on any problem (nothing is cached then).
    """
    directory = cache_dir()
    if directory is None:
        return load()
    key = hashlib.sha256(f"{__version__}\0{kind}\0".encode() + raw).hexdigest()[:40]
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
