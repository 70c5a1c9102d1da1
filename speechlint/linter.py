"""Running rules over documents: the rule set is built once, then each document is linted.

Engines see normalised text and return offsets into it; `locate` turns each finding into
positions in the decoded source (line, column, offset) that reports and fixes use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from speechlint.config import Settings, selector_matches
from speechlint.document import Document
from speechlint.markup import lintable_text
from speechlint.model import Finding, RelatedLocation, Severity
from speechlint.packs import RuleSource, build_rule
from speechlint.ruletypes.base import CorpusFinding, LintInput, Rule
from speechlint.yamlsource import ConfigError

SUPPRESSIONS = "linter.suppressions"  # memo key of a Markdown document's inline suppressions


@dataclass
class RuleSet:
    """The rules of one run, compiled once."""

    rules: list[Rule]

    @property
    def document_rules(self) -> list[Rule]:
        return [r for r in self.rules if not r.corpus_aware]

    @property
    def corpus_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.corpus_aware]

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.meta.id == rule_id), None)


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
    sources = settings.rule_sources() if sources is None else sources
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
        severity = _severity_override(settings, rule_id, source.spec["category"])
        rules.append(build_rule(source, settings.options, severity, expected_bytes))
    for cls in {type(rule) for rule in rules}:
        cls.combine([rule for rule in rules if type(rule) is cls])
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


def lint_input(text: str, path: str) -> LintInput:
    """What rules see of a document: its normalised text with markup hidden (Markdown's
    inline suppressions, read before the comments are hidden, ride along in the memo)."""
    prepared = LintInput(lintable_text(path, text), path)
    if path.lower().endswith((".md", ".markdown")):
        from speechlint.suppress import parse_suppressions

        prepared.cache[SUPPRESSIONS] = parse_suppressions(text)
    return prepared


def lint_text(ruleset: RuleSet, text: str, path: str = "<text>", ignored: list[str] | None = None) -> list[Finding]:
    """Findings of the per-document rules on normalised `text`, in document order."""
    return lint_many(ruleset, [lint_input(text, path)], [ignored or []])[0]


def lint_many(
    ruleset: RuleSet, inputs: list[LintInput], ignored: list[list[str]], errors: list[str] | None = None
) -> list[list[Finding]]:
    """Findings for several documents, running each rule over all of them in turn (rule-major
    order keeps a rule's tables in the CPU cache; see `runner`).

    With `errors`, a rule that fails on a document is reported there in one line and the run
    goes on (a user gets a message, not a traceback); without it the exception propagates.
    """
    per_doc: list[list[Finding]] = [[] for _ in inputs]
    for rule in ruleset.document_rules:
        for index, doc in enumerate(inputs):
            skip = ignored[index]
            if skip and any(selector_matches(s, rule.meta.id, rule.meta.category) for s in skip):
                continue
            if errors is None:
                per_doc[index].extend(rule.check(doc))
                continue
            try:
                per_doc[index].extend(rule.check(doc))
            except Exception as exc:  # a bug in one rule must not cost the whole report
                errors.append(
                    f"{doc.path}: 规则 {rule.meta.id} 内部出错（{type(exc).__name__}: {exc}），已跳过；请报告此问题"
                )
    if any(SUPPRESSIONS in doc.cache for doc in inputs):
        from speechlint.suppress import apply_suppressions

        per_doc = [
            apply_suppressions(f, doc.cache.get(SUPPRESSIONS, [])) for f, doc in zip(per_doc, inputs, strict=True)
        ]
    return [drop_deleted(findings) for findings in per_doc]


def drop_deleted(findings: list[Finding]) -> list[Finding]:
    """Sort findings, dropping those inside text another finding's fix deletes outright.

    A stray space inside a watermark block is moot once the block goes: reporting both
    only adds noise, and the deletion's fix would skip the inner edit anyway.
    """
    findings.sort(key=lambda f: (f.offset, f.end_offset, f.rule_id))
    deletions = [(f.offset, f.end_offset, id(f)) for f in findings if f.fix is not None and f.fix.replacement == ""]
    if not deletions:
        return findings
    return [
        f
        for f in findings
        if not any(start <= f.offset and f.end_offset <= end and key != id(f) for start, end, key in deletions)
    ]


@dataclass
class Located:
    """A finding placed in its source document, ready to report."""

    path: str
    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    text: str
    line_text: str
    related: list[dict[str, Any]] = field(default_factory=list)

    @property
    def severity(self) -> Severity:
        return self.finding.severity


def locate(doc: Document, finding: Finding, excerpt: bool = True) -> Located:
    """Positions of a finding in `doc`'s decoded source (CRLF counted as two code points).

    `excerpt` keeps the finding's source line for the text report; machine formats do
    without it (a paragraph copied per finding is most of a large run's memory)."""
    line, column = doc.line_col(finding.offset)
    end_line, end_column = doc.line_col(finding.end_offset)
    related = [_locate_related(doc, r) for r in finding.related]
    return Located(
        path=doc.path,
        finding=finding,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        offset=doc.to_source_offset(finding.offset),
        end_offset=doc.to_source_end(finding.end_offset),
        text=doc.text[finding.offset : finding.end_offset],
        line_text=doc.line_text(line) if excerpt else "",
        related=related,
    )


def _locate_related(doc: Document, rel: RelatedLocation) -> dict[str, Any]:
    if rel.line is not None:
        return {
            "path": rel.path or doc.path,
            "line": rel.line,
            "column": rel.column,
            "end_line": rel.end_line,
            "end_column": rel.end_column,
            "message": rel.message,
        }
    line, column = doc.line_col(rel.offset)
    end_line, end_column = doc.line_col(rel.end_offset)
    return {
        "path": rel.path or doc.path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "message": rel.message,
    }


def corpus_findings(ruleset: RuleSet, summaries: dict[str, list[tuple[str, Any]]]) -> list[CorpusFinding]:
    """Run the corpus phase of each corpus-aware rule over its kept summaries."""
    found: list[CorpusFinding] = []
    for rule in ruleset.corpus_rules:
        found.extend(rule.corpus_findings(summaries.get(rule.meta.id, [])))
    return found
