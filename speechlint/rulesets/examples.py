"""Running a rule's own examples: how a pack documents and tests itself.

For every `bad` example the rule must report something; with `fixed`, applying the rule's
fixes (safe and unsafe alike) to a fixed point must give exactly `fixed`, and fixing again
must change nothing. For every `good` example the rule must stay silent. Examples run
through the same pipeline as `speechlint check`, so they test what a user gets.
"""

from __future__ import annotations

from dataclasses import dataclass

from speechlint.pipeline.run import RunOptions, check_texts
from speechlint.rulesets.build import RuleSet
from speechlint.ruletypes.base import CorpusRule, Rule

# A corpus rule's example is several documents separated by a line `---`.
CORPUS_SEPARATOR = "\n---\n"


@dataclass
class ExampleFailure:
    """A rule's example that did not behave as written (bad text not flagged, good text flagged, wrong fix)."""

    rule_id: str
    index: int
    problem: str

    def __str__(self) -> str:
        return f"{self.rule_id} 例 {self.index + 1}：{self.problem}"


def _documents(rule: Rule, text: str) -> list[tuple[str, str]]:
    parts = text.split(CORPUS_SEPARATOR) if isinstance(rule, CorpusRule) else [text]
    return [(f"例{index + 1}.txt", part) for index, part in enumerate(parts)]


def findings_of(rule: Rule, text: str) -> list[tuple[str, str]]:
    """(matched text, rule id) of what `rule` reports on an example."""
    result = check_texts(RuleSet([rule]), _documents(rule, text))
    return [(item.text, item.finding.rule_id) for item in result.located]


def fix_with(rule: Rule, text: str) -> str:
    """`text` after applying every fix of `rule` (safe and unsafe) to a fixed point."""
    documents = _documents(rule, text)
    result = check_texts(RuleSet([rule]), documents, RunOptions(fix=True, unsafe_fixes=True))
    return CORPUS_SEPARATOR.join(result.documents[path].source for path, _ in documents)


def check_examples(rule: Rule) -> list[ExampleFailure]:
    failures: list[ExampleFailure] = []
    if not rule.meta.examples:
        failures.append(ExampleFailure(rule.meta.id, -1, "没有示例（examples）：每条规则都应自带正反例"))
    fixable = rule.meta.applicability is not None
    for index, example in enumerate(rule.meta.examples):

        def fail(problem: str, index: int = index) -> None:
            failures.append(ExampleFailure(rule.meta.id, index, problem))

        if example.bad is not None:
            if not findings_of(rule, example.bad):
                fail(f"反例没有被发现：{example.bad!r}")
                continue
            once = fix_with(rule, example.bad) if fixable else example.bad
            if once != example.bad:
                twice = fix_with(rule, once)
                if once != twice:
                    fail(f"修复不幂等：一次得 {once!r}，两次得 {twice!r}")
                if example.fixed is not None and once != example.fixed:
                    fail(f"修复结果 {once!r} 与期望 {example.fixed!r} 不同")
            elif example.fixed is not None and example.fixed != example.bad:
                fail(f"期望修复为 {example.fixed!r}，但规则没有给出修复")
        if example.good is not None:
            found = findings_of(rule, example.good)
            if found:
                texts = "、".join(repr(matched) for matched, _ in found)
                fail(f"正例被误报：{texts} 于 {example.good!r}")
    return failures
