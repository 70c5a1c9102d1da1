"""Configuration: `.speechlint.yaml` or `[tool.speechlint]` in `pyproject.toml`.

Found by walking up from the working directory, like Ruff and yamllint. The settings
extend the default packs; command-line options override the file.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from speechlint.cache import cached_load
from speechlint.model import Severity
from speechlint.packs import RuleSource, default_pack_paths, read_pack, validate_rule
from speechlint.schema import CONFIG_SCHEMA, first_error
from speechlint.yamlsource import ConfigError, decode, read_bytes, read_yaml, where

CONFIG_NAMES = (".speechlint.yaml", ".speechlint.yml")
DEFAULT_EXTENSIONS = (".txt", ".md", ".docx")


@dataclass
class Settings:
    """Everything a run needs to know, after the file and the command line are merged."""

    config_file: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    extends_default: bool = True
    select: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    packs: list[Path] = field(default_factory=list)
    custom_rules: list[RuleSource] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str = "error"
    encoding_fallback: str = "gb18030"
    options: dict[str, dict[str, Any]] = field(default_factory=dict)

    def rule_sources(self) -> list[RuleSource]:
        """Default packs (unless `extends: none`), extra packs, then the config's own rules.

        Default packs are validated by the test suite, not at every start-up: the schema
        check costs more than the whole lint of a small file. User packs are always checked.
        """
        sources: list[RuleSource] = []
        if self.extends_default:
            for path in default_pack_paths():
                sources.extend(read_pack(path, validate=False))
        for path in self.packs:
            sources.extend(read_pack(path, validate=True))
        sources.extend(self.custom_rules)
        return sources

    def ignored_for(self, path: str) -> list[str]:
        """Selectors ignored for this file by `per-file-ignores`."""
        found: list[str] = []
        for pattern, selectors in self.per_file_ignores.items():
            if _glob_match(path, pattern):
                found.extend(selectors)
        return found


def find_config(start: Path) -> Path | None:
    """The nearest `.speechlint.yaml`, or `pyproject.toml` with a `[tool.speechlint]` table."""
    for directory in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.speechlint" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def load_settings(config_path: Path | None = None, isolated: bool = False) -> Settings:
    """Settings from `config_path`, or the discovered config file, or the defaults.

    `isolated` skips discovery only: a file named explicitly is still used.
    """
    if isolated and config_path is None:
        return Settings()
    path = config_path or find_config(Path.cwd())
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"{path}: 配置文件不存在")
    raw = read_bytes(path)

    def load() -> dict[str, Any]:
        if path.name == "pyproject.toml":
            data, text = _read_pyproject(path, raw), None
        else:
            data, text = read_yaml(path, raw)
            data = {} if data is None else data
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: 配置应是一个映射（键: 值）")
        problem = first_error(data, CONFIG_SCHEMA)
        if problem:
            at, message = problem
            raise ConfigError(f"{_where(path, text, at)}: {message}")
        for index, spec in enumerate(data.get("rules", [])):
            validate_rule(RuleSource(spec, path, ["rules", index], yaml_file=path.name != "pyproject.toml"))
        return data

    # Validation imports jsonschema, slower than linting a small file: cache it by content.
    data = cached_load(raw, "config", load)
    text = None if path.name == "pyproject.toml" else decode(path, raw)
    return _settings_from(data, path, text)


def _read_pyproject(path: Path, raw: bytes) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        document = tomllib.loads(decode(path, raw))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 语法错误：{exc}") from None
    return document.get("tool", {}).get("speechlint", {})


def _where(path: Path, text: str | None, at: list[str | int]) -> str:
    if text is None:
        return f"{path}: [tool.speechlint]" + "".join(f".{p}" for p in at)
    return where(path, text, at)


def _settings_from(data: dict[str, Any], path: Path, text: str | None) -> Settings:
    root = path.parent
    settings = Settings(config_file=path, root=root)
    settings.extends_default = data.get("extends", "default") == "default"
    settings.select = list(data.get("select", []))
    settings.extend_select = list(data.get("extend-select", []))
    settings.ignore = list(data.get("ignore", []))
    settings.severity = {k: Severity(v) for k, v in data.get("severity", {}).items()}
    settings.packs = [(root / p) for p in data.get("packs", [])]
    for pack in settings.packs:
        if not pack.is_file():
            index = data["packs"].index(str(pack.relative_to(root)) if pack.is_relative_to(root) else str(pack))
            raise ConfigError(f"{_where(path, text, ['packs', index])}: 规则包 {pack} 不存在")
    settings.custom_rules = [
        RuleSource(spec, path, ["rules", index], yaml_file=text is not None)
        for index, spec in enumerate(data.get("rules", []))
    ]
    settings.exclude = list(data.get("exclude", []))
    if "extensions" in data:
        settings.extensions = tuple(data["extensions"])
    settings.per_file_ignores = {k: list(v) for k, v in data.get("per-file-ignores", {}).items()}
    settings.fail_on = data.get("fail-on", "error")
    settings.encoding_fallback = data.get("encoding", "gb18030")
    settings.options = {k: dict(v) for k, v in data.get("options", {}).items()}
    return settings


def _glob_match(path: str, pattern: str) -> bool:
    """Match a glob against the path and each of its tails (`*.md` matches `docs/a.md`)."""
    path = path.replace("\\", "/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    parts = path.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[i:]), pattern) for i in range(1, len(parts)))


def selector_matches(selector: str, rule_id: str, category: str) -> bool:
    """`ALL`, a category, an exact id, or an id prefix ending at a dot (`placeholder` → `placeholder.x`)."""
    return selector in ("ALL", category, rule_id) or rule_id.startswith(selector.rstrip(".") + ".")
