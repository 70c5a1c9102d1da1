"""The fix tier: which fixes `--fix` may apply on its own, decided once for every rule.

A fix is *safe* only when it cannot change what correct text says:

* a substitution of at most `MAX_SAFE_SUBSTITUTION` characters that keeps the length (a listed
  misspelling 路劲 → 路径, a confusable character inside a set phrase 始命 → 使命, 四中全会 → 四次全会);
* a change of punctuation or spacing only (half-width `,` → `，`, GB/T 15834);
* the deletion of site residue (`boilerplate`), which its engine rates safe only for high-scoring
  blocks before the first or after the last paragraph.

Everything else a rule offers (inserting or deleting words, a choice between two correct phrases,
a statistical guess) is *unsafe*: `--fix --unsafe-fixes` applies it after a person has looked.
The tier only ever lowers a fix (a rule's YAML `fix:` and its engine may be stricter still). It holds
for every rule of the shipped packs, whatever its type (`pipeline/lint.py`); a rule a user writes is
the user's to vouch for (`fix: safe` on 市发改局 → 市发展改革委 is theirs to declare).
"""

from __future__ import annotations

import dataclasses

from speechlint.model import Applicability, Finding

MAX_SAFE_SUBSTITUTION = 2
TYPOGRAPHY = frozenset(("punctuation", "whitespace"))
RESIDUE = frozenset(("boilerplate",))


def within_tier(finding: Finding, matched: str) -> Finding:
    """`finding`, its fix made unsafe if the fix is outside the safe tier."""
    fix = finding.fix
    if (
        fix is None
        or fix.applicability is not Applicability.SAFE
        or is_safe_change(finding.category, matched, fix.replacement)
    ):
        return finding
    return dataclasses.replace(finding, fix=dataclasses.replace(fix, applicability=Applicability.UNSAFE))


def is_safe_change(category: str, old: str, new: str) -> bool:
    """Can replacing `old` by `new` (a rule of `category`) leave correct text's meaning alone?"""
    if len(old) == len(new):
        differing = sum(1 for a, b in zip(old, new, strict=True) if a != b)
        if differing <= MAX_SAFE_SUBSTITUTION:
            return True
    if category in TYPOGRAPHY and not _has_content(old) and not _has_content(new):
        return True
    return category in RESIDUE and new == ""


def _has_content(text: str) -> bool:
    """Letters or digits (Han included): what punctuation and spacing are not."""
    return any(ch.isalnum() for ch in text)
