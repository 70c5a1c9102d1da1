"""The contract between the core and a rule type (the engine that runs one kind of rule).

A rule type is a subclass of `Rule` registered under a name with `@register("name")`.
The core builds one instance per rule of that type in the YAML packs, once per run, and
calls `check` on every document. Types that need to see the whole corpus (learned
boilerplate, cross-document duplicates) also implement `summarize` and `corpus_findings`:
the linter keeps only the compact summaries, so memory grows with them, not with the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from speechlint.model import Finding, RelatedLocation, RuleMeta

_REGISTRY: dict[str, type[Rule]] = {}

LARGE_RUN_BYTES = 2_000_000

# Built-in types are imported only when a pack uses them, so that a run that needs no
# NumPy (say) never pays for importing it.
_BUILTIN_MODULES = {
    "pattern": "speechlint.ruletypes.pattern",
    "dictionary": "speechlint.ruletypes.dictionary",
    "boilerplate": "speechlint.ruletypes.boilerplate",
    "duplicate": "speechlint.ruletypes.duplicate",
    "canonical": "speechlint.ruletypes.canonical",
    "consistency": "speechlint.ruletypes.consistency",
    "spelling": "speechlint.ruletypes.spelling",
}


class RuleSpecError(ValueError):
    """A rule's data is wrong in a way the schema cannot see (a regex that does not compile …).

    `field` names the offending key so that the loader can point at its line in the YAML.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class BuildContext:
    """What a rule may need while it is built: where its pack lives and run-wide options."""

    pack_dir: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)
    expected_bytes: int | None = None  # how much text this run will lint, when known
    trusted: bool = False  # a shipped pack: its data is tested, so compilation may be deferred

    @property
    def large_run(self) -> bool:
        """Worth spending build time to scan faster (unknown counts as large)."""
        return self.expected_bytes is None or self.expected_bytes > LARGE_RUN_BYTES

    def resolve(self, relative: str) -> Path:
        """A data file named in a pack is found next to that pack."""
        base = self.pack_dir or Path.cwd()
        return (base / relative).resolve()

    def read_data_lines(self, relative: str, field: str, what: str) -> tuple[Path, list[str]]:
        """The lines of a data file named by a rule's `field`; a missing file is the rule's error."""
        path = self.resolve(relative)
        try:
            return path, path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "不是 UTF-8 文本"
            raise RuleSpecError(f"无法读取{what} {path}：{reason}", field) from None


@dataclass
class LintInput:
    """The text a rule checks: line endings normalised to `\\n`, nothing else changed.

    `memo` lets rules share work on one document (two boilerplate rules analyse the same
    lines; the within- and across-document duplicate rules normalise the same text).
    """

    text: str
    path: str = "<text>"
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """`compute()` once per document and key."""
        try:
            return self.cache[key]
        except KeyError:
            value = self.cache[key] = compute()
            return value


@dataclass
class CorpusFinding:
    """A finding produced after all documents were seen, addressed to one of them."""

    path: str
    finding: Finding


class Rule:
    """Base class of every rule type.

    Subclasses set `type_name` via `@register`, may extend `spec_schema` (JSON Schema of
    their own keys, merged into the pack schema) and implement `check`.
    """

    type_name: ClassVar[str] = ""
    spec_schema: ClassVar[dict[str, Any]] = {}
    corpus_aware: ClassVar[bool] = False

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        self.meta = meta
        self.spec = spec
        self.ctx = ctx

    def check(self, doc: LintInput) -> Iterable[Finding]:
        """Findings for one document; offsets index `doc.text`."""
        raise NotImplementedError

    @classmethod
    def combine(cls, rules: list[Rule]) -> None:
        """Called once with all rules of this type in a run, after they are built, so that a
        type can share work between its rules (one automaton for all dictionaries …)."""

    # --- corpus-level hooks (only for types with corpus_aware = True) -------------------
    def summarize(self, doc: LintInput) -> Any:
        """A compact summary of `doc` kept until every document has been checked."""
        return None

    def corpus_findings(self, summaries: list[tuple[str, Any]]) -> Iterator[CorpusFinding]:
        """Findings that need the whole corpus, from the kept `(path, summary)` pairs."""
        return iter(())

    # --- helpers -------------------------------------------------------------------------
    def finding(
        self,
        start: int,
        end: int,
        match: str,
        suggestion: str | None = None,
        *,
        replacement: str | None = None,
        related: list[RelatedLocation] | None = None,
        **message_fields: str,
    ) -> Finding:
        """A finding with this rule's metadata, message filled in and optional fix.

        `replacement` defaults to `suggestion`: most fixes replace the match by what the
        message suggests.
        """
        fix_text = suggestion if replacement is None else replacement
        return Finding(
            rule_id=self.meta.id,
            category=self.meta.category,
            severity=self.meta.severity,
            message=self.meta.render_message(match, suggestion or "", **message_fields),
            offset=start,
            end_offset=end,
            fix=self.meta.make_fix(fix_text),
            related=related or [],
        )


def register(name: str):
    """Class decorator: make a `Rule` subclass available to packs as `type: name`."""

    def wrap(cls: type[Rule]) -> type[Rule]:
        cls.type_name = name
        _REGISTRY[name] = cls
        return cls

    return wrap


def rule_type(name: str) -> type[Rule] | None:
    """The class registered for `name`, importing a built-in type's module on first use."""
    if name not in _REGISTRY and name in _BUILTIN_MODULES:
        import importlib

        importlib.import_module(_BUILTIN_MODULES[name])
    if name not in _REGISTRY:
        _load_plugins()
    return _REGISTRY.get(name)


def known_type_names() -> list[str]:
    return sorted(set(_BUILTIN_MODULES) | set(_REGISTRY))


_plugins_loaded = False


def _load_plugins() -> None:
    """Third-party rule types declared under the `speechlint.rule_types` entry point."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="speechlint.rule_types"):
        ep.load()
