"""Stage 2a: configuration — settings from `.speechlint.yaml` / `pyproject.toml` and the command line."""

from speechlint.config.files import find_config, load_settings
from speechlint.config.settings import DEFAULT_EXTENSIONS, Settings, glob_match, selector_matches
from speechlint.config.yamlsource import ConfigError

__all__ = [
    "DEFAULT_EXTENSIONS",
    "ConfigError",
    "Settings",
    "find_config",
    "glob_match",
    "load_settings",
    "selector_matches",
]
