"""Stage 2b: the rule set of a run — the selected rules of every pack, compiled once.

Selection follows Ruff: `select` (or every rule enabled by default), plus `extend-select`,
minus `ignore`; a later rule with the same id replaces an earlier one, so a user pack can
override a shipped rule; the most specific severity override wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from speechlint.config.settings import Settings, selector_matches
from speechlint.config.yamlsource import ConfigError
from speechlint.model import Severity
from speechlint.rulesets.packs import RuleSource, build_rule, default_pack_paths, read_pack
from speechlint.ruletypes.accel import share_literal_scan
from speechlint.ruletypes.base import CorpusRule, DocumentRule, Rule


@dataclass
class RuleSet:
    """The rules of one run, compiled once, split by the stage they run in."""

    rules: list[Rule]

    def __post_init__(self) -> None:
        self.document_rules: list[DocumentRule] = [r for r in self.rules if isinstance(r, DocumentRule)]
        self.corpus_rules: list[CorpusRule[Any]] = [r for r in self.rules if isinstance(r, CorpusRule)]

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.meta.id == rule_id), None)


def rule_sources(settings: Settings) -> list[RuleSource]:
    """Default packs (unless `extends: none`), extra packs, then the config's own rules.

    Default packs are validated by the test suite, not at every start-up: the schema check
    costs more than the whole lint of a small file. User packs are always checked.
    """
    sources: list[RuleSource] = []
    if settings.extends_default:
        for path in default_pack_paths():
            sources.extend(read_pack(path, validate=False))
    for path in settings.packs:
        sources.extend(read_pack(path, validate=True))
    sources.extend(settings.custom_rules)
    return sources


def is_selected(spec: dict[str, Any], settings: Settings, cli_select: list[str], cli_ignore: list[str]) -> bool:
    """Ruff's model: `select` (or everything enabled by default), plus `extend-select`, minus `ignore`."""
    rule_id, category = spec["id"], spec["category"]
    select = cli_select or settings.select
    if select:
        chosen = any(selector_matches(s, rule_id, category) for s in select)
        if chosen and spec.get("enabled", True) is False:  # off by default: only an explicit pick turns it on
            chosen = any(s not in ("ALL", category) and selector_matches(s, rule_id, category) for s in select)
    else:
        chosen = spec.get("enabled", True) is not False
    if not chosen:
        chosen = any(selector_matches(s, rule_id, category) for s in settings.extend_select)
    ignore = [*settings.ignore, *cli_ignore]
    return chosen and not any(selector_matches(s, rule_id, category) for s in ignore)


def build_ruleset(
    settings: Settings,
    cli_select: list[str] | None = None,
    cli_ignore: list[str] | None = None,
    sources: list[RuleSource] | None = None,
    expected_bytes: int | None = None,
) -> RuleSet:
    """Compile the selected rules; a later rule with the same id replaces an earlier one."""
    sources = rule_sources(settings) if sources is None else sources
    chosen: dict[str, RuleSource] = {}
    for source in sources:
        spec = source.spec
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str):
            raise ConfigError(f"{source.where()}: 规则缺少 id")
        chosen[spec["id"]] = source
    _check_selectors(settings, cli_select or [], cli_ignore or [], chosen)
    rules: list[Rule] = []
    for rule_id, source in chosen.items():
        if not is_selected(source.spec, settings, cli_select or [], cli_ignore or []):
            continue
        category = source.spec["category"]
        severity = _severity_override(settings, rule_id, category)
        unsafe = any(selector_matches(s, rule_id, category) for s in settings.unsafe_fixes)
        rules.append(build_rule(source, settings.options, severity, expected_bytes, unsafe_fixes=unsafe))
    for cls in {type(rule) for rule in rules}:
        cls.combine([rule for rule in rules if type(rule) is cls])
    share_literal_scan(rules)
    return RuleSet(rules)


def _check_selectors(
    settings: Settings, cli_select: list[str], cli_ignore: list[str], chosen: dict[str, RuleSource]
) -> None:
    """An unknown rule id or prefix is a mistake worth stopping for (exit 2), not silence."""
    pairs = [(s.spec["id"], s.spec.get("category", "")) for s in chosen.values()]
    named = [
        *cli_select,
        *cli_ignore,
        *settings.select,
        *settings.ignore,
        *settings.extend_select,
        *settings.unsafe_fixes,
        *settings.severity,
        *[s for sel in settings.per_file_ignores.values() for s in sel],
    ]
    for selector in named:
        if not any(selector_matches(selector, rule_id, category) for rule_id, category in pairs):
            origin = (
                f"{settings.config_file}: "
                if settings.config_file and selector not in (cli_select + cli_ignore)
                else ""
            )
            raise ConfigError(f"{origin}未知的规则或类别：{selector}（用 speechlint rules 查看全部规则）")


def _severity_override(settings: Settings, rule_id: str, category: str) -> Severity | None:
    """The most specific matching override wins: exact id, then longer prefixes, then category."""
    best: tuple[int, Severity] | None = None
    for selector, severity in settings.severity.items():
        if selector_matches(selector, rule_id, category):
            rank = 10_000 if selector == rule_id else len(selector)
            if best is None or rank > best[0]:
                best = (rank, severity)
    return best[1] if best else None
