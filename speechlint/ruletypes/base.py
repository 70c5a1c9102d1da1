"""The contract between the pipeline and a rule type (the engine that runs one kind of rule).

A rule type is a class registered under a name with `@register("name")`; the pipeline builds
one instance per rule of that type in the YAML packs, once per run. There are two kinds:

- a `DocumentRule` looks at one document at a time: `check(doc)` yields findings;
- a `CorpusRule` needs every document of the run (lines learned across documents, passages
  shared between them): `summarize(doc)` keeps a compact summary of each document, and
  `corpus_findings(summaries)` turns them into findings once all are in. Memory grows with
  the summaries, not with the text.

A type picks the class for a rule in `create` (a `scope: across` duplicate rule is a corpus
rule, a `scope: within` one a document rule). Rules keep no state between documents: every
per-document result lives in `LintInput.memo`, every per-run choice is made at build time
from `BuildContext`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from speechlint.model import Applicability, Finding, Fix, RelatedLocation, RuleMeta

if TYPE_CHECKING:
    from speechlint.ruletypes.accel import LiteralIndex

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

    `field` names the offending key (dotted path) so that the loader can point at its line.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RuleRuntimeError(Exception):
    """A rule cannot go on with this run (a user's regex ran out of time …); the message is one
    complete line for the user. The rule is stopped, the run goes on, and exits with status 2."""


@dataclass
class BuildContext:
    """What a rule may need while it is built: where its pack lives and run-wide facts."""

    pack_dir: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)
    expected_bytes: int | None = None  # how much text this run will lint, when known
    trusted: bool = False  # a shipped pack: its data is tested, so compilation may be deferred
    origin: str = ""  # the file the rule comes from, for messages about it

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
    """The text a rule checks: line endings normalised to `\\n`, markup hidden, nothing else changed.

    `memo` lets rules share work on one document (two boilerplate rules analyse the same
    lines; the within- and across-document duplicate rules normalise the same text);
    `batch_memo` lets a rule do that work for every document of the batch being linted at
    once (array work whose per-call overhead exceeds its cost on one short speech).
    """

    text: str
    path: str = "<text>"
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    batch: Batch | None = field(default=None, repr=False)
    index: int = 0  # place in the batch
    kinds: tuple[str, ...] | None = None  # per line, in formats that have them (Word: 正文, 页眉, 水印 …)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """`compute()` once per document and key."""
        try:
            return self.cache[key]
        except KeyError:
            value = self.cache[key] = compute()
            return value

    def batch_memo(self, key: Any, compute_all: Callable[[list[LintInput]], list[Any]]) -> Any:
        """This document's share of `compute_all(documents of the batch)`, computed once per batch."""
        if self.batch is None:
            return self.memo(key, lambda: compute_all([self])[0])
        cache = self.batch.cache
        if key not in cache:
            cache[key] = compute_all(self.batch.inputs)
        return cache[key][self.index]


@dataclass
class Batch:
    """Documents linted together (rule by rule); what `LintInput.batch_memo` computes for them."""

    inputs: list[LintInput]
    cache: dict[Any, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, inputs: list[LintInput]) -> Batch:
        batch = cls(inputs)
        for index, doc in enumerate(inputs):
            doc.batch, doc.index = batch, index
        return batch


@dataclass(frozen=True)
class CorpusFinding:
    """A finding produced after all documents were seen, addressed to one of them."""

    path: str
    finding: Finding


class Rule:
    """What every rule type shares: its metadata, its data, and how it makes findings."""

    type_name: ClassVar[str] = ""
    spec_schema: ClassVar[dict[str, Any]] = {}

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        self.meta = meta
        self.spec = spec
        self.ctx = ctx

    @classmethod
    def create(cls, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> Rule:
        """The rule object for one spec; a type with several engines picks one here."""
        return cls(meta, spec, ctx)

    @classmethod
    def combine(cls, rules: list[Rule]) -> None:
        """Called once with all rules of this class in a run, after they are built, so that a
        type can share work between its rules (one automaton for all dictionaries …)."""

    def literal_needs(self) -> tuple[str, ...]:
        """Literals whose places in each document this rule wants from the run's one shared
        scan (`accel.share_literal_scan`); none by default."""
        return ()

    def use_literal_index(self, index: LiteralIndex, number: int) -> None:
        """Called once at build time when the rule named literals: they are set `number` of `index`."""

    def finding(
        self,
        start: int,
        end: int,
        match: str,
        suggestion: str | None = None,
        *,
        replacement: str | None = None,
        applicability: Applicability | None = None,
        related: list[RelatedLocation] | None = None,
        fields: Mapping[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Finding:
        """A finding with this rule's metadata, its message filled in, and its fix.

        `replacement` defaults to `suggestion` (most fixes replace the match by what the
        message suggests). A rule without `fix:` in its YAML never gets a fix; one with it
        gets the declared applicability, or the engine's own for this finding when that is
        stricter: the YAML's `fix: unsafe` is a ceiling no engine can raise (a user who sets it
        on a rule is never surprised by a fix `--fix` applies alone).
        `fields` fill the message's other `{names}`.
        """
        fix_text = suggestion if replacement is None else replacement
        fix = None
        declared = self.meta.applicability
        if fix_text is not None and declared is not None:
            unsafe = Applicability.UNSAFE in (applicability, declared)
            fix = Fix(fix_text, Applicability.UNSAFE if unsafe else Applicability.SAFE)
        meta = self.meta
        return Finding(  # positional: half the cost of keywords, and dense documents make thousands
            meta.id,
            meta.category,
            meta.severity,
            meta.render_message(match, suggestion or "", fields),
            start,
            end,
            fix,
            related or (),
            extra or None,
        )


class DocumentRule(Rule):
    """A rule that judges one document at a time."""

    def check(self, doc: LintInput) -> Iterable[Finding]:
        """Findings for one document; offsets index `doc.text`."""
        raise NotImplementedError


Summary = TypeVar("Summary")


class CorpusRule(Rule, Generic[Summary]):
    """A rule that judges the documents of a run together, from one compact summary of each."""

    def summarize(self, doc: LintInput) -> Summary:
        """A compact summary of `doc`, kept until every document has been read."""
        raise NotImplementedError

    def corpus_findings(self, summaries: Sequence[tuple[str, Summary]]) -> Iterator[CorpusFinding]:
        """Findings that need the whole corpus, from the kept `(path, summary)` pairs.

        The summaries are the rule's to use up: it may free what it no longer needs as it
        goes (a corpus's fingerprints are hundreds of megabytes). A caller that needs them
        again passes copies."""
        raise NotImplementedError


def register(name: str) -> Callable[[type[Rule]], type[Rule]]:
    """Class decorator: make a rule type available to packs as `type: name`."""

    def wrap(cls: type[Rule]) -> type[Rule]:
        cls.type_name = name
        _REGISTRY[name] = cls
        return cls

    return wrap


_REGISTRY: dict[str, type[Rule]] = {}


def rule_type(name: str) -> type[Rule] | None:
    """The class registered for `name`, importing a built-in type's module on first use."""
    if name not in _REGISTRY and name in _BUILTIN_MODULES:
        importlib.import_module(_BUILTIN_MODULES[name])
    if name not in _REGISTRY:
        _load_plugins()
    return _REGISTRY.get(name)


def known_type_names() -> list[str]:
    _load_plugins()
    return sorted(set(_BUILTIN_MODULES) | set(_REGISTRY))


_plugins_loaded = False


def _load_plugins() -> None:
    """Third-party rule types declared under the `speechlint.rule_types` entry point."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    from speechlint.config.yamlsource import ConfigError

    for ep in entry_points(group="speechlint.rule_types"):
        try:
            ep.load()
        except Exception as exc:  # a broken plugin is the user's to fix: one line, exit 2
            raise ConfigError(f"规则类型插件 {ep.name}（{ep.value}）无法加载：{type(exc).__name__}: {exc}") from None
