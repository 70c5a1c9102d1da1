"""Where the shipped rule packs and their data live: inside the wheel, or in a checkout."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any


def default_rules_dir() -> Path:
    """The default packs: bundled in the wheel as `default_rules`, or `rules/` beside the package."""
    package = Path(__file__).resolve().parent
    bundled = package / "default_rules"
    return bundled if bundled.is_dir() else package.parent / "rules"


@functools.cache
def shipped_language() -> dict[str, Any]:
    """`data/language.yaml`: the language data every rule type takes its defaults from
    (what ends a sentence, numerals, a document's own lines …), read once, cached by content."""
    from speechlint.cache import cached_load
    from speechlint.config.yamlsource import ConfigError, read_bytes, read_yaml

    path = default_rules_dir() / "data" / "language.yaml"
    raw = read_bytes(path)

    def load() -> dict[str, Any]:
        data, _ = read_yaml(path, raw)
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: 应是一个映射")
        return data

    data = cached_load(raw, "language", load)
    return data if isinstance(data, dict) else {}


def language_default(spec: dict[str, Any], key: str, section: str | None = None) -> Any:
    """A rule's own value for a language key, else the shipped default (`section` for a type's own keys)."""
    if key in spec:
        return spec[key]
    data = shipped_language()
    if section is not None:
        data = data.get(section) or {}
    return data.get(key)
