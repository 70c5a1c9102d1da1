"""Running a rule's own examples: how a pack documents and tests itself.

For every `bad` example the rule must report something; with `fixed`, applying the
rule's fixes (safe and unsafe alike) to a fixed point must give exactly `fixed`, and
fixing again must change nothing. For every `good` example the rule must stay silent.
"""

from __future__ import annotations

from dataclasses import dataclass

from speechlint.document import Document
from speechlint.fixer import apply_edits, fix_document
from speechlint.linter import RuleSet, lint_text
from speechlint.model import Finding
from speechlint.ruletypes.base import LintInput, Rule

# A corpus-aware rule's example is several documents separated by a line `---`.
CORPUS_SEPARATOR = "\n---\n"


@dataclass
class ExampleFailure:
    rule_id: str
    index: int
    problem: str

    def __str__(self) -> str:
        return f"{self.rule_id} 例 {self.index + 1}：{self.problem}"


def fix_with(rule: Rule, text: str) -> str:
    """`text` after applying every fix of `rule` to a fixed point."""
    result = fix_document(Document("<example>", text), RuleSet([rule]), unsafe=True)
    return result.document.source


def corpus_findings_of(rule: Rule, text: str) -> list[tuple[int, Finding]]:
    """(document index, finding) for a corpus-aware rule run over the documents of `text`."""
    docs = text.split(CORPUS_SEPARATOR)
    summaries = [(str(i), rule.summarize(LintInput(doc, str(i)))) for i, doc in enumerate(docs)]
    return [(int(item.path), item.finding) for item in rule.corpus_findings(summaries)]


def fix_corpus_with(rule: Rule, text: str) -> str:
    """`text` (several documents) after applying every corpus fix of `rule` to a fixed point."""
    for _ in range(10):
        docs = text.split(CORPUS_SEPARATOR)
        edits: dict[int, list[tuple[int, int, str]]] = {}
        for index, finding in corpus_findings_of(rule, text):
            if finding.fix is not None:
                edits.setdefault(index, []).append((finding.offset, finding.end_offset, finding.fix.replacement))
        if not edits:
            break
        text = CORPUS_SEPARATOR.join(apply_edits(doc, edits.get(i, []))[0] for i, doc in enumerate(docs))
    return text


def check_examples(rule: Rule) -> list[ExampleFailure]:
    if rule.corpus_aware:
        return _check_corpus_examples(rule)
    failures: list[ExampleFailure] = []
    only = RuleSet([rule])
    if not rule.meta.examples:
        failures.append(ExampleFailure(rule.meta.id, -1, "没有示例（examples）：每条规则都应自带正反例"))
    for index, example in enumerate(rule.meta.examples):

        def fail(problem: str, index: int = index) -> None:
            failures.append(ExampleFailure(rule.meta.id, index, problem))

        if example.bad is not None:
            findings = lint_text(only, example.bad)
            if not findings:
                fail(f"反例没有被发现：{example.bad!r}")
                continue
            if any(f.fix is not None for f in findings):
                once = fix_with(rule, example.bad)
                twice = fix_with(rule, once)
                if once != twice:
                    fail(f"修复不幂等：一次得 {once!r}，两次得 {twice!r}")
                if example.fixed is not None and once != example.fixed:
                    fail(f"修复结果 {once!r} 与期望 {example.fixed!r} 不同")
            elif example.fixed is not None and example.fixed != example.bad:
                fail(f"期望修复为 {example.fixed!r}，但规则没有给出修复")
        if example.good is not None:
            findings = lint_text(only, example.good)
            if findings:
                texts = "、".join(repr(example.good[f.offset : f.end_offset]) for f in findings)
                fail(f"正例被误报：{texts} 于 {example.good!r}")
    return failures


def _check_corpus_examples(rule: Rule) -> list[ExampleFailure]:
    """The same checks for a corpus-aware rule, each example being a small corpus."""
    failures = (
        [] if rule.meta.examples else [ExampleFailure(rule.meta.id, -1, "没有示例（examples）：每条规则都应自带正反例")]
    )
    for index, example in enumerate(rule.meta.examples):
        if example.bad is not None:
            found = corpus_findings_of(rule, example.bad)
            if not found:
                failures.append(ExampleFailure(rule.meta.id, index, f"反例没有被发现：{example.bad!r}"))
            elif example.fixed is not None:
                once = fix_corpus_with(rule, example.bad)
                if once != example.fixed:
                    failures.append(
                        ExampleFailure(rule.meta.id, index, f"修复结果 {once!r} 与期望 {example.fixed!r} 不同")
                    )
                elif fix_corpus_with(rule, once) != once:
                    failures.append(ExampleFailure(rule.meta.id, index, "修复不幂等"))
        if example.good is not None and corpus_findings_of(rule, example.good):
            failures.append(ExampleFailure(rule.meta.id, index, f"正例被误报：{example.good!r}"))
    return failures
