"""Rule packs: finding the default ones, reading YAML packs, and building rules from them.

A pack is data; this module turns each rule's data into an engine instance (a `Rule` of
the registered type), once per run. Every mistake is reported as `file:line: …`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speechlint.cache import cached_load
from speechlint.config.schema import PACK_SCHEMA, first_error, rule_schema_for
from speechlint.config.yamlsource import ConfigError, read_bytes, read_yaml, where
from speechlint.model import Applicability, Example, RuleMeta, Severity
from speechlint.resources import default_rules_dir
from speechlint.ruletypes.base import BuildContext, Rule, RuleSpecError, known_type_names, rule_type


def default_pack_paths() -> list[Path]:
    return sorted(default_rules_dir().glob("*.yaml"))


@dataclass
class RuleSource:
    """One rule's data and where it came from, so that errors can point at it."""

    spec: dict[str, Any]
    file: Path | str
    path: list[str | int]  # path of the rule inside that file
    yaml_file: bool = True  # False for rules in pyproject.toml: no YAML line numbers there
    trusted: bool = False  # from the shipped default packs (tested by the suite)

    def where(self, *more: str | int) -> str:
        """`file:line` of this rule (or of one of its keys), reading the YAML only now: errors are rare."""
        text = None
        if self.yaml_file and isinstance(self.file, Path):
            try:
                text = self.file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = None
        return where(self.file, text, [*self.path, *more])


def read_pack(path: Path, validate: bool = True) -> list[RuleSource]:
    """The rules of one pack file, checked against the schema when `validate`.

    The parsed (and validated) data is cached by content, so an unchanged pack costs a JSON read.
    """
    raw = read_bytes(path)

    def load() -> dict[str, Any]:
        data, text = read_yaml(path, raw)
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: 规则包应是一个映射（含 rules 列表）")
        if validate:
            problem = first_error(data, PACK_SCHEMA)
            if problem:
                at, message = problem
                raise ConfigError(f"{where(path, text, at)}: {message}")
            for index, spec in enumerate(data.get("rules") or []):
                validate_rule(RuleSource(spec, path, ["rules", index]))
        return data

    data = cached_load(raw, "pack-validated" if validate else "pack", load)
    trusted = path.resolve().parent == default_rules_dir().resolve()
    return [
        RuleSource(spec, path, ["rules", index], trusted=trusted) for index, spec in enumerate(data.get("rules") or [])
    ]


def validate_rule(source: RuleSource) -> None:
    """Check one rule against the schema of its type (common keys + the type's own)."""
    cls = _type_of(source)
    problem = first_error(source.spec, rule_schema_for(cls.spec_schema))
    if problem:
        at, message = problem
        raise ConfigError(f"{source.where(*at)}: {message}")


def _type_of(source: RuleSource) -> type[Rule]:
    type_name = source.spec.get("type")
    cls = rule_type(type_name) if isinstance(type_name, str) else None
    if cls is None:
        raise ConfigError(
            f"{source.where('type')}: 未知的规则类型 {type_name!r}（可用：{', '.join(known_type_names())}）"
        )
    return cls


def meta_from_spec(spec: dict[str, Any]) -> RuleMeta:
    fix = spec.get("fix")
    if isinstance(fix, dict):
        fix = fix.get("applicability")
    return RuleMeta(
        id=spec["id"],
        type=spec["type"],
        category=spec["category"],
        severity=Severity(spec["severity"]),
        message=spec["message"],
        description=spec.get("description", ""),
        applicability=Applicability(fix) if fix else None,
        examples=[Example(e.get("bad"), e.get("good"), e.get("fixed")) for e in spec.get("examples", [])],
        source=spec.get("source", ""),
        yields_to=tuple(str(s) for s in spec.get("yields_to", ())),
    )


def build_rule(
    source: RuleSource,
    options: dict[str, Any],
    severity: Severity | None = None,
    expected_bytes: int | None = None,
    unsafe_fixes: bool = False,
) -> Rule:
    """An engine instance for one rule; a spec the engine rejects becomes `file:line: …`.
    `unsafe_fixes` (the config's `unsafe-fixes`) lowers the rule's fix ceiling to unsafe."""
    cls = _type_of(source)
    try:
        meta = meta_from_spec(source.spec)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{source.where()}: 规则数据不完整（{exc}）") from None
    if severity is not None:
        meta.severity = severity
    if unsafe_fixes and meta.applicability is not None:
        meta.applicability = Applicability.UNSAFE
    pack_dir = Path(source.file).parent if isinstance(source.file, Path) else None
    ctx = BuildContext(
        pack_dir=pack_dir,
        options=options.get(cls.type_name, {}),
        expected_bytes=expected_bytes,
        trusted=source.trusted,
        origin=str(source.file),
    )
    try:
        return cls.create(meta, source.spec, ctx)
    except RuleSpecError as exc:
        at = [int(p) if p.isdigit() else p for p in exc.field.split(".")] if exc.field else []
        raise ConfigError(f"{source.where(*at)}: 规则 {meta.id}：{exc}") from None
