"""Stage 5: the corpus rules, over the summaries every document left in stage 4.

Runs only when a run has two documents or more: one document has no corpus.
"""

from __future__ import annotations

import copy

from speechlint.model import Finding
from speechlint.pipeline.lint import Summaries
from speechlint.rulesets import RuleSet


def corpus_stage(
    ruleset: RuleSet, summaries: Summaries, errors: list[str], again: bool = False
) -> dict[str, list[Finding]]:
    """Findings of every corpus rule, grouped by the path of the document they address.

    Rules use up the summaries they are given; with `again` (a fixing run may need another
    corpus stage) they get copies and `summaries` stays whole, else it is emptied."""
    found: dict[str, list[Finding]] = {}
    for rule in ruleset.corpus_rules:
        if again:
            kept = [(path, copy.copy(summary)) for path, summary in summaries.get(rule.meta.id, [])]
        else:
            kept = summaries.pop(rule.meta.id, [])
        if len(kept) < 2:
            continue
        try:
            for item in rule.corpus_findings(kept):
                found.setdefault(item.path, []).append(item.finding)
        except Exception as exc:  # a bug in one rule must not cost the whole report
            errors.append(f"规则 {rule.meta.id} 内部出错（{type(exc).__name__}: {exc}），已跳过；请报告此问题")
    return found
