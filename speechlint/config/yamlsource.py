"""Reading YAML and pointing at a line in it.

Errors in packs and config must read `file:line: what is wrong`. PyYAML's plain loader
forgets positions, so on error we re-compose the file into nodes (which keep their marks)
and walk the same path that the validator or the rule builder complained about.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

# YAML anchors let one list serve several rules (the boilerplate pack shares its phrases),
# but nested aliases can also expand exponentially (a "billion laughs" file of 12 lines).
# The loader shares aliased objects, so loading is cheap; what follows (schema validation,
# the cache's JSON) would walk the expansion. Measured without building it, it is bounded.
MAX_EXPANDED_NODES = 1_000_000


def _yaml() -> tuple[Any, Any]:
    """PyYAML and its fastest safe loader, imported on first use: cached packs need neither."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(Exception):
    """A user-facing, one-line error in a pack or configuration file (exit status 2)."""


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: 文件不存在") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: 是目录，不是文件") from None
    except OSError as exc:
        raise ConfigError(f"{path}: 无法读取（{exc.strerror}）") from None


def decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: 不是 UTF-8 文本（第 {exc.start} 字节）") from None


def read_yaml(path: Path, raw: bytes | None = None) -> tuple[Any, str]:
    """Parse `path`; a syntax error becomes `file:line: …` with the parser's own words."""
    text = decode(path, read_bytes(path) if raw is None else raw)
    yaml, loader = _yaml()
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"{mark.line + 1}:" if mark else ""
        problem = exc.problem or exc.context or "语法错误"
        raise ConfigError(f"{path}:{line} YAML 语法错误：{problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML 语法错误：{exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: YAML 嵌套过深") from None
    if expanded_size(data, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        alias = _first_alias_line(text)
        at = f"{alias}:" if alias else ""
        raise ConfigError(
            f"{path}:{at} YAML 别名（*锚点）展开后超过 {MAX_EXPANDED_NODES:,} 个节点，拒绝读取（疑似“别名炸弹”）"
        )
    return data, text


def expanded_size(data: Any, limit: int) -> int:
    """How many nodes `data` would have with every shared (aliased) object copied out.

    Computed bottom-up with one memo entry per distinct object, so it costs time in the number
    of distinct objects even when the expansion is astronomically larger; counting stops early
    once past `limit`.
    """
    memo: dict[int, int] = {}

    def size(node: Any, depth: int = 0) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        key = id(node)
        if key in memo:
            return memo[key]
        if depth > 200:
            return limit + 1
        memo[key] = limit + 1  # a cycle counts as too large
        children = node.items() if isinstance(node, dict) else ((None, v) for v in node)
        total = 1
        for name, value in children:
            total += size(name, depth + 1) if isinstance(node, dict) else 0
            total += size(value, depth + 1)
            if total > limit:
                break
        memo[key] = total
        return total

    return size(data)


def _first_alias_line(text: str) -> int | None:
    """Line of the first alias in `text` (only on the error path)."""
    yaml, loader = _yaml()
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.AliasToken):
                return int(token.start_mark.line) + 1
    except yaml.YAMLError:
        return None
    return None


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """1-based line of the node at `path` (keys and list indexes) in YAML `text`.

    Walks as deep as the path exists, so a missing key points at its parent.
    """
    yaml, loader = _yaml()
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(step):
                    node = value
                    line = key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def where(file: Path | str, text: str | None, path: Sequence[str | int]) -> str:
    """`file:line` for a place in a YAML file (just `file` when the line is unknown)."""
    line = line_of(text, path) if text is not None else None
    return f"{file}:{line}" if line else str(file)
