"""`pattern` rules: regular expressions (the `regex` module) with exceptions and context guards.

Chinese has no word boundaries, so a pattern alone over-matches; real text needs
`exceptions` (spans where the pattern is right, e.g. X光片 for the placeholder X) and
`not_before` / `not_after` guards on the characters around a match.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import regex

from speechlint.cache import cached_regex
from speechlint.model import Finding, RuleMeta
from speechlint.resources import default_rules_dir, shipped_language
from speechlint.ruletypes.accel import Deferred, LiteralIndex, line_windows
from speechlint.ruletypes.base import (
    BuildContext,
    DocumentRule,
    LintInput,
    RuleRuntimeError,
    RuleSpecError,
    register,
)

GUARD_WINDOW = 32  # characters looked at before a match by `not_before`
EXCEPTION_WINDOW = 48  # default: characters either side of a match in which an exception is sought
# A user's pattern may backtrack catastrophically ((a+)+$ on a long line): it runs under a time
# limit per document, generous enough for honest patterns on large texts.
TIMEOUT_SECONDS = 2.0
TIMEOUT_PER_MB = 2.0
# A `scope: line` rule is run only on the lines holding its prefilter literals, unless those lines
# are more than this share of the text (a whole scan then costs no more, in fewer calls).
LINE_SCAN_LIMIT = 0.5


class PatternTimeout(RuleRuntimeError):
    """A user's pattern ran out of time on a document: one line naming the rule and its pack."""


_FLAG_NAMES = {
    "ignorecase": regex.IGNORECASE,
    "multiline": regex.MULTILINE,
    "dotall": regex.DOTALL,
    "verbose": regex.VERBOSE,
}


Lists = dict[str, list[str]]


def compile_regex(source: str, field: str, flags: int = 0, lists: Lists | None = None) -> regex.Pattern[str]:
    """Compile with the `regex` module, turning its error into a RuleSpecError on `field`.
    `lists` are the named lists a pattern may use as `\\L<name>` (surnames, units …)."""
    try:
        return _compile(source, flags, lists)
    except (regex.error, IndexError, KeyError, TypeError) as exc:
        raise RuleSpecError(f"正则表达式无法编译：{exc}", field) from None


def compile_any(sources: str | list[str], field: str, flags: int = 0, lists: Lists | None = None) -> regex.Pattern[str]:
    """One pattern, or several joined as alternatives."""
    if isinstance(sources, str):
        return compile_regex(sources, field, flags, lists)
    try:
        joined = "|".join(f"(?:{s})" for s in sources)
        return _compile(joined, flags, lists)
    except (regex.error, IndexError, KeyError, TypeError):
        for index, source in enumerate(sources):  # find the bad one, to point at its line
            compile_regex(source, f"{field}.{index}", flags, lists)
        raise RuleSpecError("正则表达式无法编译", field) from None


def _compile(source: str, flags: int, lists: Lists | None) -> regex.Pattern[str]:
    return cached_regex(source, flags | regex.V1, lists)


_RESERVED_NAMES = frozenset(("pattern", "flags", "ignore_unused", "cache_pattern", "kwargs"))


def named_lists(spec: dict[str, Any], ctx: BuildContext) -> Lists:
    """The shipped language data's `lists` (surname: 王李张… ) with the rule's own `lists` over
    them. A string value is a list of single characters; `{file: data/words.txt}` is a data
    file, one entry per line (the shipped ones beside the default packs, a rule's beside its pack)."""
    lists = {str(name): _shipped_list(str(name)) for name in shipped_language().get("lists") or {}}
    for name, value in (spec.get("lists") or {}).items():
        if name in _RESERVED_NAMES:
            raise RuleSpecError(f"名单名 {name} 是正则库保留的参数名，请换一个", f"lists.{name}")
        if isinstance(value, dict):
            _, lines = ctx.read_data_lines(str(value["file"]), f"lists.{name}", "名单文件")
            lists[str(name)] = _entries(lines)
        else:
            lists[str(name)] = list(value) if isinstance(value, str) else [str(v) for v in value]
    return lists


@functools.cache
def _shipped_list(name: str) -> list[str]:
    value = shipped_language()["lists"][name]
    if isinstance(value, dict):
        path = default_rules_dir() / str(value["file"])
        return _entries(path.read_text(encoding="utf-8").splitlines())
    return list(value) if isinstance(value, str) else [str(v) for v in value]


def _entries(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class _Compiled:
    """A pattern rule's compiled regexes, built together on first use."""

    pattern: regex.Pattern[str]
    exceptions: regex.Pattern[str] | None
    not_before: regex.Pattern[str] | None
    not_after: regex.Pattern[str] | None
    named_groups: bool


@register("pattern")
class PatternRule(DocumentRule):
    """Every match of `pattern` is a finding, unless an exception or a guard says otherwise."""

    spec_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "pattern": {"$ref": "#/$defs/patterns"},
            "exceptions": {"$ref": "#/$defs/patterns"},
            "not_before": {"type": "string"},
            "not_after": {"type": "string"},
            "flags": {"type": "array", "items": {"enum": sorted(_FLAG_NAMES)}},
            "group": {"type": ["integer", "string"]},
            "replace": {"type": "string"},
            "translate": {"type": "object", "additionalProperties": {"type": "string"}},
            "suggestion": {"type": "string"},
            "prefilter": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            "scope": {"enum": ["text", "line"]},
            "exception_window": {"type": "integer", "minimum": 1},
            "lists": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [
                        {"type": "string", "minLength": 1},
                        {
                            "type": "object",
                            "properties": {"file": {"type": "string", "minLength": 1}},
                            "required": ["file"],
                            "additionalProperties": False,
                        },
                        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                    ]
                },
            },
        },
        "required": ["pattern"],
    }

    def __init__(self, meta: RuleMeta, spec: dict[str, Any], ctx: BuildContext) -> None:
        super().__init__(meta, spec, ctx)
        self.group = spec.get("group", 0)
        # Literal strings one of which every match contains: a text with none of them is skipped
        # without running the regex (a substring test runs at memory speed).
        self.prefilter: tuple[str, ...] = tuple(spec.get("prefilter", ()))
        self.exception_window: int = spec.get("exception_window", EXCEPTION_WINDOW)
        # `scope: line` promises that a match, with what its look-arounds see, lies on one line and
        # that this line holds one of the prefilter literals: the regex then runs only on those lines.
        self.line_scope = spec.get("scope", "text") == "line"
        if self.line_scope and not self.prefilter:
            raise RuleSpecError("scope: line 需要 prefilter：只在含有这些字面串的行上运行", "scope")
        # The `regex` module parses patterns in Python (~1–2 ms each). A shipped rule (tested,
        # so it compiles) with a prefilter is compiled only when a text first passes the
        # prefilter: a one-file run then compiles only the rules it needs.
        self.compiled = Deferred(self._compile, defer=ctx.trusted and bool(self.prefilter))
        self.gate: tuple[LiteralIndex, int] | None = None  # the run's shared literal scan
        self.timeout_base = None if ctx.trusted else TIMEOUT_SECONDS
        self.replace = spec.get("replace")
        self.suggestion = spec.get("suggestion")
        # `translate` maps characters of the match (half-width → full-width punctuation …): the
        # fix is the matched text with each mapped character replaced.
        translate = spec.get("translate")
        self.table = str.maketrans(translate) if translate else None
        if translate and any(len(k) != 1 for k in translate):
            raise RuleSpecError("translate 的键必须是单个字符", "translate")
        if self.replace is not None and self.table is not None:
            raise RuleSpecError("replace 和 translate 只能用一个", "translate")
        rewrites = self.replace is not None or self.table is not None
        if rewrites and meta.applicability is None:
            raise RuleSpecError("有 replace/translate 却没有 fix: safe/unsafe", "replace")
        if meta.applicability is not None and not rewrites:
            raise RuleSpecError("声明了 fix 却没有 replace 或 translate：不知道改成什么", "fix")

    def literal_needs(self) -> tuple[str, ...]:
        """The prefilter's literals: one scan of each document answers for every rule's."""
        return self.prefilter

    def use_literal_index(self, index: LiteralIndex, number: int) -> None:
        self.gate = (index, number)

    def _present(self, doc: LintInput) -> tuple[list[str], dict[str, list[int]] | None]:
        """The prefilter literals that occur in the document (none: the rule cannot match), and
        where they occur when the shared gate's scan says so."""
        if self.gate is None:
            return [literal for literal in self.prefilter if literal in doc.text], None
        index, number = self.gate
        hits = index.hits(doc)
        return hits.by_set.get(number, []), hits.starts

    def _regions(self, doc: LintInput) -> list[tuple[int, int]]:
        """The parts of the text the regex must scan: all of it, the lines holding a literal
        (`scope: line`), or nothing when no literal occurs."""
        whole = [(0, len(doc.text))]
        if not self.prefilter:
            return whole
        present, starts = self._present(doc)
        if not present:
            return []
        if not self.line_scope:
            return whole
        return line_windows(doc.text, present, LINE_SCAN_LIMIT, starts=starts) or whole

    def _compile(self) -> _Compiled:
        spec = self.spec
        flags = regex.MULTILINE
        for name in spec.get("flags", []):
            flags |= _FLAG_NAMES[name]
        lists = named_lists(spec, self.ctx)
        pattern = compile_any(spec["pattern"], "pattern", flags, lists)
        exceptions = compile_any(spec["exceptions"], "exceptions", flags, lists) if spec.get("exceptions") else None
        not_before = (
            compile_regex(f"(?:{spec['not_before']})$", "not_before", flags & ~regex.MULTILINE, lists)
            if spec.get("not_before")
            else None
        )
        not_after = compile_regex(spec["not_after"], "not_after", flags, lists) if spec.get("not_after") else None
        if isinstance(self.group, str) and self.group not in pattern.groupindex:
            raise RuleSpecError(f"正则表达式中没有名为 {self.group} 的分组", "group")
        if isinstance(self.group, int) and self.group > pattern.groups:
            raise RuleSpecError(f"正则表达式只有 {pattern.groups} 个分组", "group")
        return _Compiled(pattern, exceptions, not_before, not_after, bool(pattern.groupindex))

    def check(self, doc: LintInput) -> Iterator[Finding]:
        regions = self._regions(doc)
        if not regions:
            return
        text = doc.text
        compiled = self.compiled.get()
        timeout = None if self.timeout_base is None else self.timeout_base + TIMEOUT_PER_MB * len(text) / 1e6
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            for start, end in regions:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise TimeoutError
                yield from self._matches(text, compiled, left, start, end)
        except TimeoutError:
            raise PatternTimeout(
                f"规则 {self.meta.id}（{self.ctx.origin or '配置'}）的正则表达式在 {doc.path} 上超时"
                f"（超过 {timeout:.0f} 秒，可能是灾难性回溯），已停止该规则"
            ) from None

    def _matches(
        self, text: str, compiled: _Compiled, timeout: float | None, region_start: int, region_end: int
    ) -> Iterator[Finding]:
        for match in compiled.pattern.finditer(text, region_start, region_end, timeout=timeout):
            start, end = match.span(self.group)
            if start < 0 or start == end:
                continue
            if compiled.not_before is not None and compiled.not_before.search(
                text, max(0, start - GUARD_WINDOW), start, timeout=timeout
            ):
                continue
            if compiled.not_after is not None and compiled.not_after.match(text, end, timeout=timeout):
                continue
            if compiled.exceptions is not None and self._excepted(compiled.exceptions, text, start, end, timeout):
                continue
            replacement: str | None
            if self.table is not None:
                replacement = text[start:end].translate(self.table)
            else:
                replacement = match.expand(self.replace) if self.replace is not None else None
            suggestion = match.expand(self.suggestion) if self.suggestion is not None else replacement
            fields = {k: v or "" for k, v in match.groupdict().items()} if compiled.named_groups else None
            yield self.finding(start, end, text[start:end], suggestion, replacement=replacement, fields=fields)

    def _excepted(self, exceptions: regex.Pattern[str], text: str, start: int, end: int, timeout: float | None) -> bool:
        """Does an exception match cover [start, end)? Sought only near the match: matches are rare,
        and scanning the whole text for exceptions cost more than the rule itself."""
        window_start = max(0, start - self.exception_window)
        window_end = min(len(text), end + self.exception_window)
        for exception in exceptions.finditer(text, window_start, window_end, overlapped=True, timeout=timeout):
            if exception.start() > start:
                return False  # later ones start after the match: none can cover it
            if end <= exception.end():
                return True
        return False
