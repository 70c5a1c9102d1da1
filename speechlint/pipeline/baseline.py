"""Baselines: accept the findings a repository already has, report only new ones.

A plain-text speech has no comment syntax for inline suppressions, so a reviewed document
is accepted by recording its findings. A finding is keyed by path, rule, matched text and
its occurrence number among equal keys in that file, not by line: editing another
paragraph must not resurrect every accepted finding below it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from speechlint.config.yamlsource import ConfigError
from speechlint.model import Located

BASELINE_VERSION = 1

Key = tuple[str, str, str, int]


def keys_of(items: list[Located]) -> list[Key]:
    """The baseline key of each finding (all findings of a file, in document order)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    keys = []
    for item in items:
        base = (item.path, item.finding.rule_id, item.text)
        keys.append((*base, seen[base]))
        seen[base] += 1
    return keys


def write_baseline(path: Path, items: list[Located]) -> int:
    entries = [{"path": p, "rule": r, "text": t, "occurrence": n} for p, r, t, n in keys_of(items)]
    document = {"version": BASELINE_VERSION, "findings": entries}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(entries)


def read_baseline(path: Path) -> set[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {(e["path"], e["rule"], e["text"], int(e["occurrence"])) for e in data["findings"]}
    except FileNotFoundError:
        raise ConfigError(f"{path}: 基线文件不存在（可用 --write-baseline 生成）") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: 不是有效的基线文件（{exc}）") from None


def filter_baseline(items: list[Located], accepted: set[Key]) -> tuple[list[Located], int]:
    """Findings not in the baseline, and how many were dropped."""
    kept = [item for item, key in zip(items, keys_of(items), strict=True) if key not in accepted]
    return kept, len(items) - len(kept)
