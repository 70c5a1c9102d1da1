"""Reading YAML and pointing at a line in it.

Errors in packs and config must read `file:line: what is wrong`. PyYAML's plain loader
forgets positions, so on error we re-compose the file into nodes (which keep their marks)
and walk the same path that the validator or the rule builder complained about.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _yaml():
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
        return yaml.load(text, Loader=loader), text
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"{mark.line + 1}:" if mark else ""
        problem = exc.problem or exc.context or "语法错误"
        raise ConfigError(f"{path}:{line} YAML 语法错误：{problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML 语法错误：{exc}") from None


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
