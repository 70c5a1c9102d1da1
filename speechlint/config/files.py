"""Configuration files: `.speechlint.yaml`, or `[tool.speechlint]` in `pyproject.toml`.

Found by walking up from the working directory, like Ruff and yamllint. The settings
extend the default packs; command-line options override the file. Every mistake is
reported as `file:line: what is wrong` (exit status 2).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from speechlint.cache import cached_load
from speechlint.config.schema import CONFIG_SCHEMA, first_error
from speechlint.config.settings import Settings
from speechlint.config.yamlsource import ConfigError, decode, read_bytes, read_yaml, where
from speechlint.model import Severity

CONFIG_NAMES = (".speechlint.yaml", ".speechlint.yml")


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
        from speechlint.rulesets.packs import RuleSource, validate_rule

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
    section = document.get("tool", {}).get("speechlint", {})
    return section if isinstance(section, dict) else {}


def _where(path: Path, text: str | None, at: list[str | int]) -> str:
    if text is None:
        return f"{path}: [tool.speechlint]" + "".join(f".{p}" for p in at)
    return where(path, text, at)


def _settings_from(data: dict[str, Any], path: Path, text: str | None) -> Settings:
    from speechlint.rulesets.packs import RuleSource

    root = path.parent
    settings = Settings(config_file=path, root=root)
    settings.extends_default = data.get("extends", "default") == "default"
    settings.select = list(data.get("select", []))
    settings.extend_select = list(data.get("extend-select", []))
    settings.ignore = list(data.get("ignore", []))
    settings.unsafe_fixes = list(data.get("unsafe-fixes", []))
    settings.severity = {k: Severity(v) for k, v in data.get("severity", {}).items()}
    settings.packs = [(root / p) for p in data.get("packs", [])]
    for index, pack in enumerate(settings.packs):
        if not pack.is_file():
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
